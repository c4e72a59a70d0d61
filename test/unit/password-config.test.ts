import test from 'ava';
import { ConfigError } from '../../src/config.ts';
import { defaultPasswordPolicy, parsePasswordPolicy } from '../../src/passwords/index.ts';

test('defaults are the regulation: over 8 characters, 90 days, warned 14 days before, no reuse ever', (t) => {
  t.deepEqual(parsePasswordPolicy({}), { minLength: 9, maxLength: 128, maxAgeDays: 90, warnDays: 14, historyDepth: 'all' });
  t.deepEqual(parsePasswordPolicy({}), defaultPasswordPolicy);
});

test('empty values mean the default', (t) => {
  const env = { PASSWORD_MIN_LENGTH: '', PASSWORD_MAX_AGE_DAYS: '', PASSWORD_WARN_DAYS: '', PASSWORD_HISTORY_DEPTH: '' };
  t.deepEqual(parsePasswordPolicy(env), defaultPasswordPolicy);
});

test('every limit is configurable', (t) => {
  const env = { PASSWORD_MIN_LENGTH: '12', PASSWORD_MAX_AGE_DAYS: '60', PASSWORD_WARN_DAYS: '7', PASSWORD_HISTORY_DEPTH: '24' };
  t.deepEqual(parsePasswordPolicy(env), { minLength: 12, maxLength: 128, maxAgeDays: 60, warnDays: 7, historyDepth: 24 });
});

test('PASSWORD_MAX_AGE_DAYS=0 turns rotation off, whatever the warning period', (t) => {
  t.is(parsePasswordPolicy({ PASSWORD_MAX_AGE_DAYS: '0' }).maxAgeDays, 0);
  t.is(parsePasswordPolicy({ PASSWORD_MAX_AGE_DAYS: '0', PASSWORD_WARN_DAYS: '30' }).warnDays, 30);
});

test('PASSWORD_HISTORY_DEPTH takes "all" in any case', (t) => {
  t.is(parsePasswordPolicy({ PASSWORD_HISTORY_DEPTH: 'all' }).historyDepth, 'all');
  t.is(parsePasswordPolicy({ PASSWORD_HISTORY_DEPTH: 'ALL' }).historyDepth, 'all');
  t.is(parsePasswordPolicy({ PASSWORD_HISTORY_DEPTH: '1' }).historyDepth, 1);
});

const refusals: [what: string, env: Record<string, string>, message: RegExp][] = [
  ['a minimum length of 8, below the regulation', { PASSWORD_MIN_LENGTH: '8' }, /^PASSWORD_MIN_LENGTH: 8 is outside 9–128$/],
  ['a minimum length above the maximum', { PASSWORD_MIN_LENGTH: '129' }, /^PASSWORD_MIN_LENGTH: /],
  ['a minimum length that is not a number', { PASSWORD_MIN_LENGTH: 'nine' }, /^PASSWORD_MIN_LENGTH: "nine" is not a whole number$/],
  ['a negative maximum age', { PASSWORD_MAX_AGE_DAYS: '-1' }, /^PASSWORD_MAX_AGE_DAYS: /],
  ['a fractional maximum age', { PASSWORD_MAX_AGE_DAYS: '90.5' }, /^PASSWORD_MAX_AGE_DAYS: /],
  ['a maximum age over ten years', { PASSWORD_MAX_AGE_DAYS: '3651' }, /^PASSWORD_MAX_AGE_DAYS: /],
  ['a warning period that is not a number', { PASSWORD_WARN_DAYS: 'two weeks' }, /^PASSWORD_WARN_DAYS: /],
  ['a warning as long as the password lives', { PASSWORD_MAX_AGE_DAYS: '14' }, /^PASSWORD_WARN_DAYS: 14 must be less than PASSWORD_MAX_AGE_DAYS \(14\)$/],
  ['a history depth of 0', { PASSWORD_HISTORY_DEPTH: '0' }, /^PASSWORD_HISTORY_DEPTH: /],
  ['a history depth that is neither a number nor "all"', { PASSWORD_HISTORY_DEPTH: 'every' }, /^PASSWORD_HISTORY_DEPTH: "every"/],
  ['a negative history depth', { PASSWORD_HISTORY_DEPTH: '-5' }, /^PASSWORD_HISTORY_DEPTH: /],
];

for (const [what, env, message] of refusals) {
  test(`refuses ${what}, naming the variable in one line`, (t) => {
    const error = t.throws(() => parsePasswordPolicy(env), { instanceOf: ConfigError });
    t.regex(error!.message, message);
    t.false(error!.message.includes('\n'));
  });
}
