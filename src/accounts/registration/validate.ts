// Server-side validation of a registration form, derived from the field declaration: every
// field is checked (all errors at once, SPEC §5 "bad input gets a clear error"), and a valid
// form becomes the account to create, each value at its field's target.
import type { AccountType, NewAccount } from '../store.ts';
import { defaultPasswordPolicy, type PasswordPolicy } from '../../passwords/index.ts';
import { registrationFields, type FieldContext, type FieldDefinition, type FieldError, type FieldResult } from './fields.ts';

export type RegisteredAccount = Omit<NewAccount, 'passwordHash' | 'status'>;

export type RegistrationResult =
  | { ok: true; account: RegisteredAccount; password: string }
  | {
      ok: false;
      errors: Record<string, FieldError>;
      /** What was typed, for the form shown again: never a password, invisible characters removed. */
      kept: Record<string, string>;
    };

export interface RegistrationOptions {
  /** From the Clock: dates of birth and issue may not lie in the future. */
  now: Date;
  /** Defaults to the regulation's rules. */
  passwordPolicy?: PasswordPolicy;
  /** Defaults to the declaration for the account type. */
  fields?: readonly FieldDefinition[];
}

// Any control, format (bidi overrides, zero-width), private-use or unassigned character, and
// lone surrogates: none belongs in a registration value, and some would make two different
// values look alike on screen.
const INVISIBLE = /\p{C}/u;
const INVISIBLE_ALL = /\p{C}/gu;

// Viet Nam keeps UTC+7 all year (no daylight saving), so the local date needs no time-zone data.
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

function vietnamDate(now: Date): string {
  return new Date(now.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

function stringOf(form: Readonly<Record<string, unknown>>, name: string): string {
  const value = Object.hasOwn(form, name) ? form[name] : undefined;
  return typeof value === 'string' ? value : '';
}

function lengthOf(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function check(field: FieldDefinition, raw: string, form: Readonly<Record<string, string>>, context: FieldContext): FieldResult {
  if (lengthOf(raw) > field.maxLength) return { ok: false, error: { code: 'field.too_long', params: { max: field.maxLength } } };
  if (INVISIBLE.test(raw)) return { ok: false, error: { code: 'field.invalid_characters' } };
  if (raw.trim() === '') {
    if (!field.required) return { ok: true, value: undefined };
    return { ok: false, error: { code: field.kind === 'select' ? 'field.choose' : 'field.required' } };
  }
  return field.validate(raw, form, context);
}

function keepable(raw: string, field: FieldDefinition): string {
  return [...raw.replace(INVISIBLE_ALL, '')].slice(0, field.maxLength).join('');
}

function setProfileValue(profile: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = profile;
  for (const key of path.slice(0, -1)) {
    if (!Object.hasOwn(node, key)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** What is shown again of a posted form: every declared value typed but the passwords, made safe to keep. */
export function keptValues(type: AccountType, form: Readonly<Record<string, unknown>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const field of registrationFields[type]) {
    if (field.kind !== 'password' && Object.hasOwn(form, field.name)) kept[field.name] = keepable(stringOf(form, field.name), field);
  }
  return kept;
}

/**
 * Checks a submitted registration form of the given account type. Names outside the
 * declaration are ignored; a value that is too long or carries invisible characters is an
 * error of its field, never an exception.
 */
export function validateRegistration(
  type: AccountType,
  form: Readonly<Record<string, string>>,
  options: RegistrationOptions,
): RegistrationResult {
  const fields = options.fields ?? registrationFields[type];
  const context: FieldContext = { today: vietnamDate(options.now), passwordPolicy: options.passwordPolicy ?? defaultPasswordPolicy };

  // Validators see only declared fields, each a string: nothing else submitted reaches them.
  const input: Record<string, string> = Object.create(null);
  for (const field of fields) input[field.name] = stringOf(form, field.name);

  const errors: Record<string, FieldError> = {};
  const kept: Record<string, string> = {};
  const profile: Record<string, unknown> = {};
  const account: Record<string, unknown> = { type, fullName: '', profile };
  let password = '';

  for (const field of fields) {
    const raw = input[field.name];
    if (field.kind !== 'password' && Object.hasOwn(form, field.name)) kept[field.name] = keepable(raw, field);
    const result = check(field, raw, input, context);
    if (!result.ok) {
      errors[field.name] = result.error;
      continue;
    }
    if (result.value === undefined || field.target === 'none') continue;
    if (field.target === 'password') password = String(result.value);
    else if (field.target.startsWith('profile.')) setProfileValue(profile, field.target.split('.').slice(1), result.value);
    else account[field.target] = result.value;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors, kept };
  return { ok: true, account: account as unknown as RegisteredAccount, password };
}
