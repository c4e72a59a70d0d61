import test from 'ava';
import { en } from '../../src/i18n/en.ts';
import { messageKeys, MissingMessageParameter, placeholdersOf, resolveLocale, t as translate, type MessageKey, type MessageParams } from '../../src/i18n/index.ts';
import { vi } from '../../src/i18n/vi.ts';

test('every Vietnamese message has a non-empty English message and the reverse', (t) => {
  const viKeys = Object.keys(vi).sort();
  const enKeys = Object.keys(en).sort();
  t.deepEqual(enKeys, viKeys);
  for (const [key, message] of [...Object.entries(vi), ...Object.entries(en)]) {
    t.true(message.trim().length > 0, `${key} is empty`);
  }
});

test('every placeholder in a Vietnamese message also appears in its English message', (t) => {
  const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
  for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
    t.deepEqual(placeholders(en[key]), placeholders(vi[key]), key);
  }
});

test('the domain error codes have messages in both languages', (t) => {
  const codes: MessageKey[] = [
    'signin.failed',
    'signin.identifier_required',
    'signin.password_required',
    'signin.input_too_long',
    'csrf.invalid',
    'interaction.expired',
    'request.invalid',
    'server.error',
    'not_found',
  ];
  for (const code of codes) {
    t.not(translate('vi', code), code);
    t.not(translate('en', code), code);
  }
});

test('speaks Vietnamese with diacritics by default', (t) => {
  t.is(translate('vi', 'login.password_label'), 'Mật khẩu');
  t.is(translate('en', 'login.password_label'), 'Password');
});

test('fills named placeholders', (t) => {
  t.is(translate('vi', 'login.continue_to', { client: 'Dịch vụ công' }), 'Đăng nhập để tiếp tục tới Dịch vụ công');
});

test('refuses to render a message whose placeholder has no value, naming the key and the placeholder', (t) => {
  for (const params of [undefined, {}, { phone: '*** *** 678' }] as (MessageParams | undefined)[]) {
    const error = t.throws(() => translate('en', 'login.continue_to', params), { instanceOf: MissingMessageParameter });
    t.is(error?.message, 'message login.continue_to needs {client}');
  }
});

test('every message of both languages renders whole with its parameters, and none without them', (t) => {
  const keys = messageKeys();
  t.true(keys.length > 250, `${keys.length} keys`);
  for (const key of keys) {
    const names = placeholdersOf(key);
    const params = Object.fromEntries(names.map((name) => [name, `«${name}»`]));
    for (const locale of ['vi', 'en'] as const) {
      const text = translate(locale, key, params);
      t.notRegex(text, /\{\w*\}/, `${locale} ${key}`);
      t.not(text, key, `${locale} ${key} has no words`);
      for (const name of names) t.true(text.includes(`«${name}»`), `${locale} ${key} shows {${name}}`);
      if (names.length > 0) t.throws(() => translate(locale, key), { instanceOf: MissingMessageParameter }, `${locale} ${key}`);
    }
  }
});

// A misspelt key is a type error (tsc checks that each line below is one); a key that
// reaches t() anyway, from a cast or plain JavaScript, shows as itself rather than nothing.
test('an unknown key is refused by the type-check, and comes back as itself at run time', (t) => {
  // @ts-expect-error -- not a message key
  t.is(translate('vi', 'no.such.key'), 'no.such.key');
  // @ts-expect-error -- an Object.prototype name is not a message key either
  t.is(translate('en', 'constructor'), 'constructor');
});

test('the query parameter chooses the language first', (t) => {
  t.is(resolveLocale('en', 'vi'), 'en');
  t.is(resolveLocale('vi', 'en'), 'vi');
});

test('the cookie chooses the language when the query does not', (t) => {
  t.is(resolveLocale(undefined, 'en'), 'en');
  t.is(resolveLocale('fr', 'en'), 'en');
});

test('Vietnamese is the default', (t) => {
  t.is(resolveLocale(undefined, undefined), 'vi');
  t.is(resolveLocale('EN', 'xx'), 'vi');
});
