import test from 'ava';
import { maskPhone, parseMobilePhone } from '../../../src/accounts/identifiers/index.ts';

// IDENTIFIERS.md: 032–039, 052, 055, 056, 058, 059, 070, 076–079, 081–089, 090–094, 096–099.
const mobilePrefixes = [
  ...['032', '033', '034', '035', '036', '037', '038', '039'],
  ...['052', '055', '056', '058', '059'],
  ...['070', '076', '077', '078', '079'],
  ...['081', '082', '083', '084', '085', '086', '087', '088', '089'],
  ...['090', '091', '092', '093', '094', '096', '097', '098', '099'],
];

for (const prefix of mobilePrefixes) {
  test(`accepts a mobile number with prefix ${prefix}`, (t) => {
    const national = `${prefix}1234567`;
    t.deepEqual(parseMobilePhone(national), { ok: true, value: { e164: `+84${national.slice(1)}`, national } });
  });
}

test('refuses every other 0XY prefix', (t) => {
  // 00X is the international call prefix, covered with the foreign numbers below.
  for (let n = 10; n < 100; n++) {
    const prefix = `0${String(n).padStart(2, '0')}`;
    if (mobilePrefixes.includes(prefix)) continue;
    t.deepEqual(parseMobilePhone(`${prefix}1234567`), { ok: false, error: { code: 'phone.prefix', params: { prefix } } });
  }
});

const sameNumber = [
  '0912345678',
  '84912345678',
  '+84912345678',
  '+84 912 345 678',
  '0912 345 678',
  '0912.345.678',
  '0912-345-678',
  '(+84) 912 345 678',
  '+84 (0) 912 345 678',
  '+84 0912 345 678',
  '84 0912345678',
  '0084 912 345 678',
  ' 0912345678\t',
];

for (const input of sameNumber) {
  test(`reads ${JSON.stringify(input)} as +84912345678`, (t) => {
    t.deepEqual(parseMobilePhone(input), { ok: true, value: { e164: '+84912345678', national: '0912345678' } });
  });
}

const refused: [input: string, code: string, params?: Record<string, string>][] = [
  ['', 'phone.required'],
  [' . - ', 'phone.required'],
  ['0111111111', 'phone.prefix', { prefix: '011' }],
  ['0201234567', 'phone.prefix', { prefix: '020' }],
  ['02438251234', 'phone.prefix', { prefix: '024' }],
  ['0951234567', 'phone.prefix', { prefix: '095' }],
  ['0801234567', 'phone.prefix', { prefix: '080' }],
  ['+84 24 3825 1234', 'phone.prefix', { prefix: '024' }],
  ['091234567', 'phone.length'],
  ['09123456789', 'phone.length'],
  ['+8491234567', 'phone.length'],
  ['+849123456789', 'phone.length'],
  ['8491234567', 'phone.length'],
  ['0', 'phone.length'],
  ['09', 'phone.length'],
  ['+84', 'phone.length'],
  ['912345678', 'phone.format'],
  ['1912345678', 'phone.format'],
  ['+1 202 555 0143', 'phone.country'],
  ['+33612345678', 'phone.country'],
  ['0033612345678', 'phone.country'],
  ['0912 345 67x', 'phone.characters'],
  ['++84912345678', 'phone.characters'],
  ['84+912345678', 'phone.characters'],
  ['０９１２３４５６７８', 'phone.characters'],
  ['0912345678; DROP TABLE accounts', 'phone.characters'],
];

for (const [input, code, params] of refused) {
  test(`refuses the phone number ${JSON.stringify(input)} with ${code}`, (t) => {
    t.deepEqual(parseMobilePhone(input), { ok: false, error: params === undefined ? { code } : { code, params } });
  });
}

test('masks a stored number in the national form people recognize', (t) => {
  t.is(maskPhone('+84912345678'), '091****678');
  t.is(maskPhone('+84321234567'), '032****567');
});

test('masks anything that is not a stored number entirely rather than leaking it', (t) => {
  t.is(maskPhone('12345'), '*****');
  t.is(maskPhone(''), '');
});
