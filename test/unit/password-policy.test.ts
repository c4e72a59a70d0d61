import test from 'ava';
import { checkPassword, defaultPasswordPolicy, type PasswordRule } from '../../src/passwords/index.ts';

const complexity: [what: string, password: string, broken: PasswordRule[]][] = [
  ['a password with every kind of character, nine long', 'Kx7#mPq2z', []],
  ['a password without an upper-case letter', 'kx7#mpq2z', ['password.needs_upper']],
  ['a password without a lower-case letter', 'KX7#MPQ2Z', ['password.needs_lower']],
  ['a password without a digit', 'Kxr#mPqvz', ['password.needs_digit']],
  ['a password without a special character', 'Kx7ympQ2z', ['password.needs_special']],
  ['a password of exactly 8 characters (the rule is "over 8")', 'Kx7#mPq2', ['password.too_short']],
  ['a password over 128 characters', `Kx7#${'mPq2z'.repeat(25)}`, ['password.too_long']],
  ['a space, which is not a special character', 'Kx7 mPq2z', ['password.needs_special']],
  ['Vietnamese letters, which are letters of both cases', 'ĐăngKý#2026', []],
  ['"Đ" as the only upper-case letter', 'Đường#2026xy', []],
  ['"ă" and "ơ" as the only lower-case letters', 'KĂTƠ#2026ăơ', []],
  ['Vietnamese letters without upper case', 'đăngký#2026', ['password.needs_upper']],
  ['Vietnamese letters without lower case', 'ĐĂNGKÝ#2026', ['password.needs_lower']],
];

for (const [what, password, broken] of complexity) {
  test(`complexity (Hue-S Art. 9.1): ${what} → ${broken.length === 0 ? 'accepted' : broken.join(', ')}`, (t) => {
    t.deepEqual(checkPassword(password), broken);
  });
}

test('every broken rule is reported at once, not one at a time', (t) => {
  t.deepEqual(checkPassword('abc'), [
    'password.too_short',
    'password.needs_upper',
    'password.needs_digit',
    'password.needs_special',
    'password.common',
  ]);
  t.deepEqual(checkPassword(''), [
    'password.too_short',
    'password.needs_upper',
    'password.needs_lower',
    'password.needs_digit',
    'password.needs_special',
  ]);
});

test('an accent typed as a separate combining mark (NFD keyboards) is neither a special character nor an extra character', (t) => {
  t.deepEqual(checkPassword('Tuấn2026xyz'.normalize('NFD')), ['password.needs_special']);
  t.deepEqual(checkPassword('Bẫy#Kx12'.normalize('NFD')), ['password.too_short']);
});

test('the minimum length follows the policy', (t) => {
  const policy = { ...defaultPasswordPolicy, minLength: 12 };
  t.deepEqual(checkPassword('Kx7#mPq2zab', policy), ['password.too_short']);
  t.deepEqual(checkPassword('Kx7#mPq2zabc', policy), []);
});

const person = {
  nationalId: '046090001234',
  taxCode: '0101234567-001',
  phone: '+84912345678',
  username: 'lan.tran',
  fullName: 'Nguyễn Văn An',
};

const personal: [what: string, password: string][] = [
  ['the ID number', 'Tròn#Vuông#046090001234'],
  ['the ID number written with separators', 'Tròn#Vuông#046.090.001234'],
  ['the tax code without its dash', 'Cty#0101234567001x'],
  ["the tax code's 10-digit parent code", 'Cty#0101234567x'],
  ['the phone in national form', 'Gọi0912345678@Nhé'],
  ['the phone as E.164 digits', 'Số84912345678@Nhà'],
  ['the phone with its +', 'Số+84912345678Nhà'],
  ['the last 9 digits of the phone', 'Mã912345678@Kép'],
  ['the phone written with spaces', 'Gọi 0912 345 678 nhé!'],
  ['the username', 'LanTran@2026!'],
  ['the username in upper case, with its dot', 'Xin@LAN.TRAN9'],
  ['the surname without diacritics', 'Nguyen@2026abc'],
  ['the surname with diacritics', 'Nguyễn@2026abc'],
];

for (const [what, password] of personal) {
  test(`refuses a password containing ${what}`, (t) => {
    t.deepEqual(checkPassword(password, defaultPasswordPolicy, person), ['password.contains_personal']);
  });
}

const nearMisses: [what: string, password: string][] = [
  ['an ID number one digit off', 'Tròn#Vuông#046090001235'],
  ['only the first digits of the phone', 'Gọi09123456@Nhé'],
  ['a two-letter name part ("An")', 'Ancient@Rome77'],
  ['a three-letter syllable of the name ("Văn" in "Hải-Vân")', 'Đèo-Hải-Vân-mây-9'],
  ['part of the username', 'Lantern@2026!'],
];

for (const [what, password] of nearMisses) {
  test(`accepts a password containing ${what}`, (t) => {
    t.deepEqual(checkPassword(password, defaultPasswordPolicy, person), []);
  });
}

test('personal data that is missing or empty refuses nothing', (t) => {
  t.deepEqual(checkPassword('Nguyen@2026abc', defaultPasswordPolicy, {}), []);
  const empty = { nationalId: null, taxCode: '', phone: null, username: null, fullName: null };
  t.deepEqual(checkPassword('Nguyen@2026abc', defaultPasswordPolicy, empty), []);
  t.deepEqual(checkPassword('Nguyen@2026abc'), []);
});

test('a foreign passport stored with its country counts as the number alone', (t) => {
  t.deepEqual(checkPassword('Hộ#12AB34567chiếu', defaultPasswordPolicy, { nationalId: 'FR:12AB34567' }), [
    'password.contains_personal',
  ]);
});

test('a name made only of short parts counts as a whole', (t) => {
  t.deepEqual(checkPassword('Xin#LeVu2026', defaultPasswordPolicy, { fullName: 'Lê Vũ' }), ['password.contains_personal']);
  t.deepEqual(checkPassword('Xin#Le2026Vu', defaultPasswordPolicy, { fullName: 'Lê Vũ' }), []);
});

test('personal data and complexity failures are reported together', (t) => {
  t.deepEqual(checkPassword('nguyen2026abc', defaultPasswordPolicy, person), [
    'password.needs_upper',
    'password.needs_special',
    'password.contains_personal',
  ]);
});

const common: [what: string, password: string][] = [
  ['a Vietnamese favourite', 'matkhau'],
  ['"anh yêu em"', 'anhyeuem'],
  ['a favourite built to pass complexity rules', '123456a@'],
  ['another, nine characters long', 'Abc@12345'],
  ['a worldwide favourite in capitals', 'PASSWORD'],
  ['a common password with digits and a symbol after it', 'Matkhau@123'],
  ['a common password with diacritics and decoration', 'Mậtkhẩu@2026'],
  ['a common password with a year before it', '2024@Qwerty'],
  ['a common password with symbols on both sides', '#!Dragon2026!'],
  ['a common password with separators inside', 'Anh.Yeu.Em@2024'],
  ['a common password with look-alike symbols', 'P@ssw0rd2024!'],
  ['a keyboard walk with a symbol', '1q2w3e4r!'],
  ['a keyboard walk in both cases', '1qaz@WSX'],
  ['a common password around short letters', 'Aa@123456'],
  ['a given name with a year', 'Linh@2003'],
];

for (const [what, password] of common) {
  test(`refuses ${what} as common: ${password}`, (t) => {
    t.true(checkPassword(password).includes('password.common'));
  });
}

test('a common password that passes every complexity rule is refused for that alone', (t) => {
  t.deepEqual(checkPassword('Matkhau@123'), ['password.common']);
  t.deepEqual(checkPassword('P@ssw0rd2024!'), ['password.common']);
});

const uncommon: [what: string, password: string][] = [
  ['a strong Vietnamese passphrase', 'Sông Hương chảy 3 mùa!'],
  ['a passphrase of unrelated words', 'Trăng-Thu#Vĩ-Dạ-82'],
  ['a common word with a letter added inside', 'Matkhaux@123'],
  ['two common words together', 'DragonMonkey#7'],
];

for (const [what, password] of uncommon) {
  test(`accepts ${what}: ${password}`, (t) => {
    t.deepEqual(checkPassword(password), []);
  });
}
