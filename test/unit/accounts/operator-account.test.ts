import test from 'ava';
import {
  AccountInputError,
  validateCitizenInput,
  validateOrganizationInput,
  type CitizenInput,
  type OrganizationInput,
} from '../../../src/admin/operator-create.ts';
import { defaultPasswordPolicy } from '../../../src/passwords/index.ts';

// An operator's `account:create` / `admin:create` values go through the registration form's
// own rules (SPEC R1–R3, R5); the tables of every rule are in test/unit/registration.test.ts
// and test/unit/identifiers/, these show the operator's path reaches them.
const settings = { now: new Date('2026-03-01T03:00:00Z'), passwordPolicy: defaultPasswordPolicy };
const password = 'Cầu-Trường-Tiền-57';

// IDENTIFIERS.md: 046090001234 is registered in Thừa Thiên Huế, male, born 1990.
const citizen: CitizenInput = {
  nationalId: '046 090 001 234',
  fullName: 'Nguyễn  Văn An'.normalize('NFD'),
  birthdate: '1990-05-17',
  gender: 'male',
  phone: '0912 345 678',
  password,
};

const organization: OrganizationInput = {
  taxCode: '0100107518-001',
  orgName: 'Công ty TNHH  Thương mại “A.B.C”'.normalize('NFD'),
  phone: '84987654321',
  password,
};

function refusal(work: () => unknown): AccountInputError {
  try {
    work();
  } catch (error) {
    if (error instanceof AccountInputError) return error;
    throw error;
  }
  throw new Error('expected the values to be refused');
}

test('a citizen is stored as registration stores one: personal number, NFC name, E.164 phone, ISO date', (t) => {
  const { account, password: kept } = validateCitizenInput({ ...citizen, username: 'NguyenVanAn', email: 'An.Nguyen@Example.VN' }, settings);
  t.is(account.type, 'citizen');
  t.is(account.nationalIdKind, 'cccd');
  t.is(account.nationalId, '046090001234');
  t.is(account.fullName, 'Nguyễn Văn An'.normalize('NFC'));
  t.is(account.birthdate, '1990-05-17');
  t.is(account.gender, 'male');
  t.is(account.phone, '+84912345678');
  t.is(account.username, 'nguyenvanan');
  t.is(account.email, 'An.Nguyen@example.vn');
  t.is(kept, password);
});

test('an operator may leave out the username and the email', (t) => {
  const { account } = validateCitizenInput(citizen, settings);
  t.is(account.username ?? null, null);
  t.is(account.email ?? null, null);
});

test('refuses a birth date that is no calendar date, such as 30 February', (t) => {
  for (const birthdate of ['2023-02-30', '1990-13-01', '31/04/1990', 'yesterday']) {
    const error = refusal(() => validateCitizenInput({ ...citizen, nationalId: '046223000456', birthdate }, settings));
    t.is(error.option, 'birthdate', birthdate);
    t.is(error.error.code, 'date.format', birthdate);
  }
});

test('refuses a birth date after today, in Viet Nam', (t) => {
  // 046226…: male, born in 2026 (IDENTIFIERS.md: 2 is a man born in the 2000s).
  const error = refusal(() => validateCitizenInput({ ...citizen, nationalId: '046226000456', birthdate: '2026-03-02' }, settings));
  t.is(error.option, 'birthdate');
  t.is(error.error.code, 'birthdate.future');
});

test('refuses a personal number inconsistent with the birth date or the gender given', (t) => {
  const year = refusal(() => validateCitizenInput({ ...citizen, birthdate: '1991-01-01' }, settings));
  t.is(year.option, 'national-id');
  t.is(year.error.code, 'cccd.birth_year_mismatch');
  t.deepEqual(year.error.params, { idYear: 1990, birthYear: 1991 });
  const gender = refusal(() => validateCitizenInput({ ...citizen, gender: 'female' }, settings));
  t.is(gender.option, 'national-id');
  t.is(gender.error.code, 'cccd.gender_mismatch');
});

test('refuses a gender outside the list and names the values accepted', (t) => {
  const error = refusal(() => validateCitizenInput({ ...citizen, gender: 'nam' }, settings));
  t.is(error.option, 'gender');
  t.is(error.error.code, 'field.invalid_option');
  t.deepEqual(error.accepted, ['male', 'female']);
});

test('names the option of each value the registration rules refuse', (t) => {
  const cases: Array<[string, Partial<CitizenInput>, string]> = [
    ['national-id', { nationalId: '04609000123' }, 'cccd.length'],
    ['full-name', { fullName: 'Nguyễn Văn 4n' }, 'name.characters'],
    ['full-name', { fullName: 'Nguyễn Văn\u202eAn' }, 'field.invalid_characters'],
    ['full-name', { fullName: 'Nguyễn '.repeat(40) }, 'field.too_long'],
    ['phone', { phone: '0123 456 789' }, 'phone.prefix'],
    ['username', { username: 'an' }, 'username.format'],
    ['username', { username: 'C1234567' }, 'username.reads_as_identifier'],
    ['email', { email: 'an@@example.vn' }, 'email.format'],
    ['password', { password: 'ngan' }, 'password.weak'],
  ];
  for (const [option, changes, code] of cases) {
    const error = refusal(() => validateCitizenInput({ ...citizen, ...changes }, settings));
    t.is(error.option, option, JSON.stringify(changes));
    t.is(error.error.code, code, JSON.stringify(changes));
  }
});

test('a weak password is told every rule it breaks, its holder\'s own number among them', (t) => {
  const error = refusal(() => validateCitizenInput({ ...citizen, password: 'an046090001234' }, settings));
  t.is(error.option, 'password');
  for (const rule of ['password.needs_upper', 'password.needs_special', 'password.contains_personal']) t.true(error.error.list?.includes(rule), rule);
  t.false(error.error.list?.includes('password.too_short'));
});

test('with several values wrong, the first option of the command is named', (t) => {
  const error = refusal(() => validateCitizenInput({ ...citizen, birthdate: '2023-02-30', phone: '12', password: 'x' }, settings));
  t.is(error.option, 'birthdate');
});

test('an organization is stored by tax code with its name in NFC, one space between words', (t) => {
  const { account } = validateOrganizationInput(organization, settings);
  t.is(account.type, 'organization');
  t.is(account.taxCode, '0100107518-001');
  t.is(account.fullName, 'Công ty TNHH Thương mại "A.B.C"'.normalize('NFC'));
  t.is(account.phone, '+84987654321');
});

test('refuses an organization\'s wrong tax code, a personal number as one, and markup in its name', (t) => {
  const cases: Array<[string, Partial<OrganizationInput>, string]> = [
    ['tax-code', { taxCode: '0100107519' }, 'tax_code.check_digit'],
    ['tax-code', { taxCode: '046090001234' }, 'tax_code.personal_number'],
    ['org-name', { orgName: 'Công ty <b>A</b>' }, 'text.characters'],
    ['org-name', { orgName: 'Công ty A\u0000' }, 'field.invalid_characters'],
  ];
  for (const [option, changes, code] of cases) {
    const error = refusal(() => validateOrganizationInput({ ...organization, ...changes }, settings));
    t.is(error.option, option, JSON.stringify(changes));
    t.is(error.error.code, code, JSON.stringify(changes));
  }
});
