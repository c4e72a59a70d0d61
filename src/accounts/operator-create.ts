// Accounts created by an operator (civil servants, test accounts): the same identifier and
// password rules as self-registration, and active at once.
import type { Services } from '../server.ts';
import { checkPassword, hashPassword, type PersonalData } from '../passwords/index.ts';
import { identifierMessages, normalizePersonName, parseMobilePhone, parsePersonalIdNumber, parseTaxCode } from './identifiers/index.ts';
import type { IdentifierResult } from './identifiers/index.ts';
import type { Account } from './store.ts';
import { normalizeUsername, usernameReadsAsIdentifier } from './username.ts';
import { normalizeEmail } from './email.ts';

export class AccountInputError extends Error {
  constructor(field: string, message: string) {
    super(`--${field}: ${message}`);
    this.name = 'AccountInputError';
  }
}

function accept<T>(field: string, result: IdentifierResult<T>): T {
  if (result.ok) return result.value;
  const template = identifierMessages.vi[result.error.code] ?? result.error.code;
  const message = template.replace(/\{(\w+)\}/g, (_, name: string) => String(result.error.params?.[name] ?? `{${name}}`));
  throw new AccountInputError(field, message);
}

interface CommonInput {
  phone: string;
  password: string;
  username?: string;
  email?: string;
}

async function commonFields(services: Services, input: CommonInput, personal: PersonalData) {
  const broken = checkPassword(input.password, services.config.passwordPolicy, { ...personal, phone: input.phone, username: input.username });
  if (broken.length) throw new AccountInputError('password', `does not meet the password policy: ${broken.join(', ')}`);
  let username: string | undefined;
  if (input.username !== undefined) {
    username = normalizeUsername(input.username);
    if (!username) throw new AccountInputError('username', '3–32 characters: a letter, then letters, digits, dot, dash or underscore');
    if (usernameReadsAsIdentifier(username)) throw new AccountInputError('username', 'reads as a passport, personal or tax number, or a phone: choose another');
  }
  const email = input.email === undefined ? undefined : normalizeEmail(input.email);
  if (input.email !== undefined && email === undefined) {
    throw new AccountInputError('email', 'is not a plain email address (letters, digits and . _ - + before the @, a domain name after it)');
  }
  return {
    phone: accept('phone', parseMobilePhone(input.phone)).e164,
    phoneVerified: true,
    username: username ?? null,
    email: email ?? null,
    passwordHash: await hashPassword(input.password, services.config.argon2),
  };
}

export async function createCitizenAccount(
  services: Services,
  input: CommonInput & { nationalId: string; fullName: string; birthdate: string; gender: string; roles?: string[] },
): Promise<Account> {
  if (input.gender !== 'male' && input.gender !== 'female') throw new AccountInputError('gender', 'must be male or female');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.birthdate) || Number.isNaN(Date.parse(input.birthdate))) {
    throw new AccountInputError('birthdate', 'must be a date written YYYY-MM-DD');
  }
  const personal = accept('national-id', parsePersonalIdNumber(input.nationalId, { birthdate: input.birthdate, gender: input.gender }));
  const fullName = accept('full-name', normalizePersonName(input.fullName));
  return services.accounts.create({
    type: 'citizen',
    nationalIdKind: 'cccd',
    nationalId: personal.number,
    fullName,
    birthdate: input.birthdate,
    gender: input.gender,
    roles: input.roles ?? [],
    ...(await commonFields(services, input, { nationalId: personal.number, fullName })),
  });
}

export async function createOrganizationAccount(services: Services, input: CommonInput & { taxCode: string; orgName: string }): Promise<Account> {
  const orgName = input.orgName.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!orgName || orgName.length > 200 || /\p{Cc}/u.test(orgName)) throw new AccountInputError('org-name', 'must be 1–200 printable characters');
  const taxCode = accept('tax-code', parseTaxCode(input.taxCode)).code;
  return services.accounts.create({
    type: 'organization',
    taxCode,
    fullName: orgName,
    ...(await commonFields(services, input, { taxCode, fullName: orgName })),
  });
}
