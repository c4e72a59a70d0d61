import test from 'ava';
import {
  registrationFields,
  validateRegistration,
  type FieldDefinition,
  type FieldError,
  type RegistrationResult,
} from '../../src/accounts/registration/index.ts';
import { hasMessage, t as translate } from '../../src/i18n/index.ts';
import type { PageShell } from '../../views/layout.ts';
import { testProvince } from '../helpers/province.ts';
import { registerFormPage } from '../../views/register.ts';
import { normalizeEmail } from '../../src/accounts/email.ts';

const now = new Date('2026-03-01T03:00:00Z');
const password = 'Cầu-Trường-Tiền-57';

// IDENTIFIERS.md: 046090001234 is registered in Thừa Thiên Huế, male, born 1990.
const citizenForm: Record<string, string> = {
  username: 'NguyenVanAn',
  password,
  passwordConfirmation: password,
  fullName: 'Nguyễn  Văn An'.normalize('NFD'),
  birthdate: '1990-05-17',
  gender: 'male',
  phone: '0912 345 678',
  email: 'An.Nguyen@Example.VN',
  idType: 'cccd',
  idNumber: '046 090 001 234',
  nationality: 'VN',
  issueDate: '15/08/2021',
  issuePlace: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội',
  province: 'hue',
  ward: 'Phường Thuận Hóa',
  houseNumber: '12',
  street: 'Lê Lợi',
};

const organizationForm: Record<string, string> = {
  username: 'congty-abc',
  password,
  passwordConfirmation: password,
  taxCode: '0100 107 518 – 001',
  organizationName: 'Công ty TNHH  Thương mại “A.B.C”'.normalize('NFD'),
  representativeName: 'Trần Thị Bình',
  representativeNationalId: '079185000123',
  phone: '84987654321',
  email: '',
  province: 'ho-chi-minh',
  ward: 'Phường Sài Gòn',
  houseNumber: '',
  street: 'Đồng Khởi',
};

function register(type: 'citizen' | 'organization', changes: Record<string, string> = {}): RegistrationResult {
  return validateRegistration(type, { ...(type === 'citizen' ? citizenForm : organizationForm), ...changes }, { now });
}

function errorsOf(result: RegistrationResult): Record<string, FieldError> {
  if (result.ok) throw new Error('expected the form to be refused');
  return result.errors;
}

function accountOf(result: RegistrationResult) {
  if (!result.ok) throw new Error(`expected the form to be accepted: ${JSON.stringify(result.errors)}`);
  return result.account;
}

test('a valid citizen form becomes the account to create, values normalized', (t) => {
  const result = register('citizen');
  t.deepEqual(accountOf(result), {
    type: 'citizen',
    username: 'nguyenvanan',
    fullName: 'Nguyễn Văn An',
    birthdate: '1990-05-17',
    gender: 'male',
    phone: '+84912345678',
    email: 'An.Nguyen@example.vn',
    nationalIdKind: 'cccd',
    nationalId: '046090001234',
    profile: {
      idDocument: { issueDate: '2021-08-15', issuePlace: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội' },
      address: { province: { code: 'hue', name: 'Huế' }, ward: 'Phường Thuận Hóa', houseNumber: '12', street: 'Lê Lợi' },
    },
  });
  t.is(accountOf(result).fullName, 'Nguyễn Văn An'.normalize('NFC'));
  t.true(result.ok && result.password === password);
});

test('a valid organization form becomes the account to create, named after the organization', (t) => {
  t.deepEqual(accountOf(register('organization')), {
    type: 'organization',
    username: 'congty-abc',
    taxCode: '0100107518-001',
    fullName: 'Công ty TNHH Thương mại "A.B.C"',
    phone: '+84987654321',
    profile: {
      representative: { fullName: 'Trần Thị Bình', nationalId: '079185000123' },
      address: { province: { code: 'ho-chi-minh', name: 'Hồ Chí Minh' }, ward: 'Phường Sài Gòn', street: 'Đồng Khởi' },
    },
  });
});

test('refuses a username that reads as a passport, personal or legacy number, tax code or phone, in any case', (t) => {
  for (const username of ['c7103092', 'C7103092', 'b1234567']) {
    t.deepEqual(errorsOf(register('citizen', { username })).username, { code: 'username.reads_as_identifier' }, username);
  }
  t.true(register('citizen', { username: 'c71030925' }).ok, 'a letter and eight digits is no passport number');
  t.true(translate('vi', 'username.reads_as_identifier').includes('hộ chiếu'));
});

test('reports every invalid field at once and still checks the others', (t) => {
  const errors = errorsOf(register('citizen', {
    username: '9lives',
    password: 'abc',
    passwordConfirmation: 'abd',
    phone: '024 3825 1234',
    email: 'an@',
    gender: '',
    province: 'thua-thien-hue',
    issueDate: '31/02/2021',
  }));
  t.deepEqual(Object.keys(errors).sort(), ['email', 'gender', 'issueDate', 'password', 'passwordConfirmation', 'phone', 'province', 'username']);
  t.is(errors.username.code, 'username.format');
  t.is(errors.passwordConfirmation.code, 'password.mismatch');
  t.deepEqual(errors.phone, { code: 'phone.prefix', params: { prefix: '024' } });
  t.is(errors.email.code, 'email.format');
  t.is(errors.gender.code, 'field.choose');
  t.is(errors.province.code, 'field.invalid_option');
  t.is(errors.issueDate.code, 'date.format');
});

test('lists every password rule a password breaks, not only the first', (t) => {
  const errors = errorsOf(register('citizen', { password: 'qxj', passwordConfirmation: 'qxj' }));
  t.deepEqual(errors.password, {
    code: 'password.weak',
    list: ['password.too_short', 'password.needs_upper', 'password.needs_digit', 'password.needs_special'],
  });
});

test('refuses a password that contains the person’s own identifiers', (t) => {
  const weak = 'Nguyenvanan#1';
  const errors = errorsOf(register('citizen', { password: weak, passwordConfirmation: weak }));
  t.deepEqual(errors.password.list, ['password.contains_personal']);
  const withNumber = 'X!046090001234a';
  t.deepEqual(errorsOf(register('citizen', { password: withNumber, passwordConfirmation: withNumber })).password.list, ['password.contains_personal']);
});

test('never keeps a password for the form shown again', (t) => {
  const result = register('citizen', { phone: 'x' });
  t.false(result.ok);
  if (result.ok) return;
  t.false('password' in result.kept);
  t.false('passwordConfirmation' in result.kept);
  t.false(Object.values(result.kept).includes(password));
  t.is(result.kept.fullName, citizenForm.fullName);
  t.is(result.kept.phone, 'x');
});

test('refuses a personal number whose birth year disagrees with the date of birth', (t) => {
  t.deepEqual(errorsOf(register('citizen', { birthdate: '1991-05-17' })).idNumber, {
    code: 'cccd.birth_year_mismatch',
    params: { idYear: 1990, birthYear: 1991 },
  });
  // The date written the way it is printed on the card is cross-checked too.
  t.is(errorsOf(register('citizen', { birthdate: '17/05/1991' })).idNumber.code, 'cccd.birth_year_mismatch');
});

test('refuses a personal number whose gender disagrees with the chosen gender', (t) => {
  t.deepEqual(errorsOf(register('citizen', { gender: 'female' })).idNumber, { code: 'cccd.gender_mismatch' });
});

test('accepts a legacy 9-digit CMND instead of the personal number', (t) => {
  const account = accountOf(register('citizen', { idType: 'cmnd', idNumber: '123 456 789' }));
  t.is(account.nationalIdKind, 'cmnd');
  t.is(account.nationalId, '123456789');
  t.is(errorsOf(register('citizen', { idType: 'cmnd', idNumber: '046090001234' })).idNumber.code, 'cmnd.length');
});

test('accepts a Vietnamese passport', (t) => {
  const account = accountOf(register('citizen', { idType: 'passport', idNumber: 'c1234567', nationality: 'VN' }));
  t.is(account.nationalIdKind, 'passport');
  t.is(account.nationalId, 'C1234567');
  t.is(account.profile?.nationality, 'VN');
  t.is(errorsOf(register('citizen', { idType: 'passport', idNumber: '12345678', nationality: 'VN' })).idNumber.code, 'passport.vn_format');
});

test('accepts a foreign passport, identified together with its country', (t) => {
  const account = accountOf(register('citizen', { idType: 'passport', idNumber: '12ab34567', nationality: 'FR' }));
  t.is(account.nationalId, 'FR:12AB34567');
  t.is(account.profile?.nationality, 'FR');
});

test('an unknown nationality is the nationality’s error, not the passport number’s', (t) => {
  const errors = errorsOf(register('citizen', { idType: 'passport', idNumber: '12AB34567', nationality: 'XX' }));
  t.deepEqual(Object.keys(errors), ['nationality']);
  t.is(errors.nationality.code, 'passport.nationality');
});

test('refuses an unknown document type', (t) => {
  const errors = errorsOf(register('citizen', { idType: 'gplx' }));
  t.deepEqual(Object.keys(errors), ['idType']);
  t.is(errors.idType.code, 'field.invalid_option');
});

test('refuses dates of birth and issue that cannot be true', (t) => {
  t.is(errorsOf(register('citizen', { birthdate: '2026-03-02', idType: 'cmnd', idNumber: '123456789' })).birthdate.code, 'birthdate.future');
  t.is(errorsOf(register('citizen', { birthdate: '1899-12-31', idType: 'cmnd', idNumber: '123456789' })).birthdate.code, 'birthdate.too_old');
  t.is(errorsOf(register('citizen', { issueDate: '2026-03-02' })).issueDate.code, 'issue_date.future');
  t.is(errorsOf(register('citizen', { issueDate: '1990-05-16' })).issueDate.code, 'issue_date.before_birth');
});

test('today is the date in Viet Nam, not in UTC', (t) => {
  // 18:00 UTC on 28 February is 01:00 on 1 March in Viet Nam.
  const lateEvening = new Date('2026-02-28T18:00:00Z');
  const result = validateRegistration('citizen', { ...citizenForm, issueDate: '2026-03-01' }, { now: lateEvening });
  t.true(result.ok);
});

test('a value of 10 kB in any field is refused as too long, without a crash', (t) => {
  for (const type of ['citizen', 'organization'] as const) {
    const huge = 'a'.repeat(10_240);
    const form = Object.fromEntries(registrationFields[type].map((field) => [field.name, huge]));
    const result = validateRegistration(type, form, { now });
    t.false(result.ok);
    if (result.ok) continue;
    for (const field of registrationFields[type]) {
      t.deepEqual(result.errors[field.name], { code: 'field.too_long', params: { max: field.maxLength } }, field.name);
      if (field.kind !== 'password') t.true(result.kept[field.name].length <= field.maxLength, field.name);
    }
  }
});

test('control and invisible characters are refused and removed from what is shown again', (t) => {
  const result = register('citizen', {
    fullName: 'Nguyễn Văn\u0000 An',
    street: 'Lê Lợi\u202E',
    username: 'nguyen\tvanan',
    ward: 'Phường\u200B Thuận Hóa',
    houseNumber: '12\uD800',
  });
  t.false(result.ok);
  if (result.ok) return;
  for (const name of ['fullName', 'street', 'username', 'ward', 'houseNumber']) {
    t.is(result.errors[name].code, 'field.invalid_characters', name);
  }
  t.is(result.kept.fullName, 'Nguyễn Văn An');
  t.is(result.kept.street, 'Lê Lợi');
});

test('names outside the declaration are ignored', (t) => {
  const account = accountOf(register('citizen', { status: 'active', passwordHash: 'x', isAdmin: 'true', phoneVerified: 'true', ['__proto__']: 'x', constructor: 'x' }));
  t.deepEqual(Object.keys(account).sort(), ['birthdate', 'email', 'fullName', 'gender', 'nationalId', 'nationalIdKind', 'phone', 'profile', 'type', 'username']);
});

test('a missing required field is reported, an empty optional one is left out', (t) => {
  const { fullName: _name, ...withoutName } = citizenForm;
  t.deepEqual(errorsOf(validateRegistration('citizen', withoutName, { now })).fullName, { code: 'field.required' });
  const account = accountOf(register('citizen', { email: '   ', houseNumber: '' }));
  t.false('email' in account);
  t.false('houseNumber' in (account.profile?.address as object));
});

test('free-text address fields refuse symbols and name them', (t) => {
  t.deepEqual(errorsOf(register('citizen', { street: 'Lê Lợi <b>' })).street, { code: 'text.characters', params: { character: '<' } });
});

const acceptedEmails: Array<[string, string]> = [
  ['an.nguyen@example.vn', 'an.nguyen@example.vn'],
  ['An.Nguyen@Example.VN', 'An.Nguyen@example.vn'],
  ['  ba.tran+sso@gmail.com ', 'ba.tran+sso@gmail.com'],
  ['cong_dan-01@so.hue.gov.vn', 'cong_dan-01@so.hue.gov.vn'],
  ['x@xn--hu-wka.vn', 'x@xn--hu-wka.vn'],
  [`${'a'.repeat(64)}@example.vn`, `${'a'.repeat(64)}@example.vn`],
];

for (const [typed, stored] of acceptedEmails) {
  test(`accepts the email ${JSON.stringify(typed.slice(0, 30))}, stored with its domain in lower case`, (t) => {
    t.is(accountOf(register('citizen', { email: typed })).email, stored);
  });
}

const hostileEmails: Array<[string, string, string]> = [
  ['markup in the local part', '<svg/onload=alert(1)>@x.co', 'email.format'],
  ['markup in the domain', 'an@<b>x</b>.co', 'email.format'],
  ['a double quote', '"an"@example.vn', 'email.format'],
  ['an apostrophe', "an'x@example.vn", 'email.format'],
  ['a backtick', 'an`x@example.vn', 'email.format'],
  ['a space inside', 'an nguyen@example.vn', 'email.format'],
  ['two @', 'an@b@example.vn', 'email.format'],
  ['no @', 'an.example.vn', 'email.format'],
  ['no dot in the domain', 'an@localhost', 'email.format'],
  ['a dot at the start', '.an@example.vn', 'email.format'],
  ['two dots in a row', 'an..nguyen@example.vn', 'email.format'],
  ['a domain label starting with a hyphen', 'an@-example.vn', 'email.format'],
  ['an IP-literal domain', 'an@[127.0.0.1]', 'email.format'],
  ['a numeric top-level domain', 'an@example.123', 'email.format'],
  ['a comment', 'an(comment)@example.vn', 'email.format'],
  ['diacritics in the local part', 'nguyễn@example.vn', 'email.format'],
  ['a Unicode domain', 'an@huế.vn', 'email.format'],
  ['a full-width at sign', 'an＠example.vn', 'email.format'],
  ['a local part of 65 characters', `${'a'.repeat(65)}@example.vn`, 'email.format'],
  ['a domain label of 64 characters', `an@${'b'.repeat(64)}.vn`, 'email.format'],
  ['a new line (a header injection)', 'an@example.vn\nBcc: x@evil.example', 'field.invalid_characters'],
  ['a control character', 'an\u0007@example.vn', 'field.invalid_characters'],
  ['255 characters', `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(58)}.vn`, 'field.too_long'],
];

for (const [label, typed, code] of hostileEmails) {
  test(`refuses an email with ${label}`, (t) => {
    t.is(errorsOf(register('citizen', { email: typed })).email?.code, code);
    t.is(normalizeEmail(typed), undefined, 'refused by the rule itself too, as account:create uses it alone');
  });
}

test('an email of 254 characters, the most a mail path carries, is accepted', (t) => {
  const longest = `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(57)}.vn`;
  t.is(longest.length, 254);
  t.is(accountOf(register('citizen', { email: longest })).email, longest);
});

test('every error the validation gives has a message in both languages', (t) => {
  const results = [
    register('citizen', { username: '', password: 'a', passwordConfirmation: '', fullName: 'A1', birthdate: 'x', gender: 'x', phone: '+1', email: 'x', idNumber: '1', issuePlace: '<', province: '', ward: 'a'.repeat(101) }),
    register('citizen', { password: 'Nguyenvanan#1', passwordConfirmation: 'x', birthdate: '2027-01-01', issueDate: '2027-01-01', idNumber: '046090001234', gender: 'female' }),
    register('citizen', { birthdate: '1800-01-01', issueDate: '1700-01-01', idType: 'passport', nationality: 'XX', street: '\u0007' }),
    register('organization', { taxCode: '0100107517', organizationName: '<>', representativeName: '', representativeNationalId: '12' }),
    register('organization', { password: 'Matkhau@123', passwordConfirmation: 'Matkhau@123' }),
  ];
  const errors: { code: string; params?: Readonly<Record<string, string | number>> }[] = [];
  for (const result of results) {
    for (const error of Object.values(errorsOf(result))) {
      errors.push(error);
      for (const code of error.list ?? []) errors.push({ code });
    }
  }
  t.true(new Set(errors.map((error) => error.code)).size > 20);
  for (const { code, params } of errors) {
    if (!hasMessage(code)) {
      t.fail(`${code} has no message`);
      continue;
    }
    // With the parameters the error carries: a message needing one it lacks throws.
    t.not(translate('vi', code, params), code, code);
    t.not(translate('en', code, params), code, code);
  }
});

test('the declaration is frozen: it cannot be changed at run time', (t) => {
  t.throws(() => (registrationFields.citizen as FieldDefinition[]).push(registrationFields.citizen[0]));
});

// SPEC R3, Ninh Thuận 2024 Art. 8.2: "the fields may change when the app is upgraded".
test('adding an optional field is a one-entry change: the form shows it and the account stores it', (t) => {
  const nickname: FieldDefinition = {
    name: 'nickname',
    // @ts-expect-error -- a label needs its words in src/i18n; without them the page shows the key
    label: 'field.nickname',
    group: 'register.group.person',
    kind: 'text',
    autocomplete: 'nickname',
    required: false,
    maxLength: 50,
    target: 'profile.nickname',
    validate: (raw) => ({ ok: true, value: raw.normalize('NFC').trim() }),
  };
  const fields = [...registrationFields.citizen, nickname];

  const shell: PageShell = { locale: 'vi', title: 'Đăng ký', province: testProvince, langSwitch: { vi: '?lang=vi', en: '?lang=en' } };
  const page = registerFormPage(shell, { type: 'citizen', csrfToken: 'c', action: '/register/citizen', values: {}, errors: {} }, [fields]);
  t.regex(page, /<label for="nickname">field\.nickname <span class="optional">\(không bắt buộc\)<\/span><\/label>/);
  t.regex(page, /<input id="nickname" name="nickname" type="text"[^>]*autocomplete="nickname"[^>]*maxlength="50"/);

  const stored = validateRegistration('citizen', { ...citizenForm, nickname: ' Bé Na ' }, { now, fields });
  t.is(accountOf(stored).profile?.nickname, 'Bé Na');
  t.false('nickname' in (accountOf(validateRegistration('citizen', citizenForm, { now, fields })).profile ?? {}));
  t.deepEqual(errorsOf(validateRegistration('citizen', { ...citizenForm, nickname: 'x'.repeat(51) }, { now, fields })).nickname, {
    code: 'field.too_long',
    params: { max: 50 },
  });
});
