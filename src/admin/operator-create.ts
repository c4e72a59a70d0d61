// Accounts created by an operator (civil servants, test accounts): checked by the registration
// form's own field rules (SPEC R1–R3, R5: one declaration in registration/fields.ts), and
// active at once, the phone taken as verified by the operator.
import type { Config } from '../config.ts';
import type { Clock } from '../clock.ts';
import { hashPassword, type PasswordPolicy } from '../passwords/index.ts';
import { optionValues, registrationFields, validateRegistration, type FieldDefinition, type FieldError, type RegisteredAccount } from '../accounts/registration/index.ts';
import type { Account, AccountStore, AccountType } from '../accounts/index.ts';
import type { Knex } from '../db/index.ts';

/** A value the operator gave that the registration rules refuse; `option` is the command-line option without `--`. */
export class AccountInputError extends Error {
  readonly option: string;
  readonly error: FieldError;
  /** The values a choice accepts (`--gender`), to name them in the message. */
  readonly accepted?: readonly string[];
  constructor(option: string, error: FieldError, accepted?: readonly string[]) {
    super(`--${option}: ${error.code}`);
    this.name = 'AccountInputError';
    this.option = option;
    this.error = error;
    if (accepted !== undefined) this.accepted = accepted;
  }
}

interface CommonInput {
  phone: string;
  password: string;
  username?: string;
  email?: string;
}

export interface CitizenInput extends CommonInput {
  nationalId: string;
  fullName: string;
  birthdate: string;
  gender: string;
}

export interface OrganizationInput extends CommonInput {
  taxCode: string;
  orgName: string;
}

// Each option and the registration field it fills, in the order the command's help lists
// them: the first refused is the one named. The organization's representative and the
// address are not asked of an operator.
const CITIZEN_OPTIONS = [
  ['national-id', 'idNumber'],
  ['full-name', 'fullName'],
  ['birthdate', 'birthdate'],
  ['gender', 'gender'],
  ['phone', 'phone'],
  ['password', 'password'],
  ['username', 'username'],
  ['email', 'email'],
] as const;

const ORGANIZATION_OPTIONS = [
  ['tax-code', 'taxCode'],
  ['org-name', 'organizationName'],
  ['phone', 'phone'],
  ['password', 'password'],
  ['username', 'username'],
  ['email', 'email'],
] as const;

/** The declared fields of `type` that the operator's form carries, in declaration order (also the first-run set-up page's). */
export function operatorFields(type: AccountType, names: readonly string[]): FieldDefinition[] {
  return registrationFields[type]
    .filter((field) => names.includes(field.name))
    // A username is chosen at self-registration; an operator may leave it out (sign-in by
    // personal number, tax code or phone).
    .map((field) => (field.name === 'username' ? { ...field, required: false } : field));
}

export interface OperatorAccountOptions {
  /** From the Clock: a date of birth may not lie in the future. */
  now: Date;
  passwordPolicy: PasswordPolicy;
}

function validated(
  type: AccountType,
  options: ReadonlyArray<readonly [string, string]>,
  form: Record<string, string>,
  settings: OperatorAccountOptions,
): { account: RegisteredAccount; password: string } {
  const fields = operatorFields(type, Object.keys(form));
  const result = validateRegistration(type, form, { now: settings.now, passwordPolicy: settings.passwordPolicy, fields });
  if (result.ok) return result;
  for (const [option, name] of options) {
    const error = result.errors[name];
    if (error === undefined) continue;
    const field = fields.find((candidate) => candidate.name === name);
    throw new AccountInputError(option, error, field?.options === undefined ? undefined : optionValues(field.options));
  }
  throw new Error(`registration fields refused without an option: ${Object.keys(result.errors).join(', ')}`);
}

/** The citizen account an operator's values make, by the registration rules; throws AccountInputError naming the option at fault. */
export function validateCitizenInput(input: CitizenInput, settings: OperatorAccountOptions): { account: RegisteredAccount; password: string } {
  return validated('citizen', CITIZEN_OPTIONS, {
    // The personal number (CCCD): the document registration offers first (SPEC R1).
    idType: 'cccd',
    idNumber: input.nationalId,
    fullName: input.fullName,
    birthdate: input.birthdate,
    gender: input.gender,
    phone: input.phone,
    password: input.password,
    username: input.username ?? '',
    email: input.email ?? '',
  }, settings);
}

/** The organization account an operator's values make, by the registration rules; throws AccountInputError naming the option at fault. */
export function validateOrganizationInput(input: OrganizationInput, settings: OperatorAccountOptions): { account: RegisteredAccount; password: string } {
  return validated('organization', ORGANIZATION_OPTIONS, {
    taxCode: input.taxCode,
    organizationName: input.orgName,
    phone: input.phone,
    password: input.password,
    username: input.username ?? '',
    email: input.email ?? '',
  }, settings);
}

/** What creating an account needs of the services (server.ts's Services has it). */
export interface OperatorCreateDeps {
  config: Pick<Config, 'argon2' | 'passwordPolicy'>;
  clock: Clock;
  accounts: AccountStore;
}

async function create(services: OperatorCreateDeps, { account, password }: { account: RegisteredAccount; password: string }, roles: string[], db?: Knex): Promise<Account> {
  return services.accounts.create({
    ...account,
    status: 'active',
    phoneVerified: true,
    roles,
    passwordHash: await hashPassword(password, services.config.argon2),
  }, db);
}

function settingsOf(services: OperatorCreateDeps): OperatorAccountOptions {
  return { now: services.clock.now(), passwordPolicy: services.config.passwordPolicy };
}

/** In `db` when given: a transaction the caller writes more in (the first-run set-up marks its link used in the same one). */
export async function createCitizenAccount(services: OperatorCreateDeps, input: CitizenInput & { roles?: string[] }, db?: Knex): Promise<Account> {
  return create(services, validateCitizenInput(input, settingsOf(services)), input.roles ?? [], db);
}

export async function createOrganizationAccount(services: OperatorCreateDeps, input: OrganizationInput): Promise<Account> {
  return create(services, validateOrganizationInput(input, settingsOf(services)), []);
}
