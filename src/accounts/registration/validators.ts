// The rules behind each registration field. Each takes the field's raw text and the whole
// form (some fields are checked against others) and returns the value to store or an error
// code; the generic checks every field shares (required, length, invisible characters) run
// before these, in validate.ts.
import { checkPassword } from '../../passwords/index.ts';
import {
  normalizePersonName,
  parseLegacyIdNumber,
  parseMobilePhone,
  parsePassport,
  parsePersonalIdNumber,
  parseTaxCode,
  type Gender,
} from '../identifiers/index.ts';
import { findProvince } from '../provinces.ts';
import { normalizeUsername, usernameReadsAsIdentifier } from '../username.ts';
import { normalizeEmail } from '../email.ts';
import type { FieldContext, FieldError, FieldResult } from './fields.ts';
import { isOption, type OptionSource } from './options.ts';

type Form = Readonly<Record<string, string>>;

function ok(value: unknown): FieldResult {
  return { ok: true, value };
}

function fail(code: string, params?: FieldError['params'], list?: readonly string[]): FieldResult {
  return { ok: false, error: { code, ...(params === undefined ? {} : { params }), ...(list === undefined ? {} : { list }) } };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// A browser without a date picker shows a text box, where people write the date the way it is
// printed on Vietnamese documents: day/month/year.
const DAY_MONTH_YEAR = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** `YYYY-MM-DD` for a real calendar date written `YYYY-MM-DD` or `DD/MM/YYYY`; otherwise undefined. */
function parseDate(input: string): string | undefined {
  const text = input.trim();
  const iso = ISO_DATE.exec(text);
  const dmy = iso === null ? DAY_MONTH_YEAR.exec(text) : null;
  if (iso === null && dmy === null) return undefined;
  const [year, month, day] = iso !== null ? [iso[1], iso[2], iso[3]].map(Number) : [dmy![3], dmy![2], dmy![1]].map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

// The fourth digit of a personal number encodes births from 1900 on (IDENTIFIERS.md).
const EARLIEST_BIRTHDATE = '1900-01-01';

export function birthdate(raw: string, _form: Form, { today }: FieldContext): FieldResult {
  const date = parseDate(raw);
  if (date === undefined) return fail('date.format');
  if (date > today) return fail('birthdate.future');
  if (date < EARLIEST_BIRTHDATE) return fail('birthdate.too_old');
  return ok(date);
}

export function issueDate(raw: string, form: Form, { today }: FieldContext): FieldResult {
  const date = parseDate(raw);
  if (date === undefined) return fail('date.format');
  if (date > today) return fail('issue_date.future');
  const born = parseDate(form.birthdate ?? '');
  if (born !== undefined && date < born) return fail('issue_date.before_birth');
  return ok(date);
}

export function username(raw: string): FieldResult {
  const value = normalizeUsername(raw);
  if (value === undefined) return fail('username.format');
  return usernameReadsAsIdentifier(value) ? fail('username.reads_as_identifier') : ok(value);
}

/**
 * Hue-S Art. 9.1, Smart-HaiDuong Art. 8.1 (SPEC R5): every broken rule is listed at once, so the
 * person fixes them in one go, including a password made of what the same form says about them
 * (SPEC R6). The password is returned as typed: it is hashed, never stored.
 */
export function newPassword(raw: string, form: Form, context: FieldContext): FieldResult {
  const broken: readonly string[] = checkPassword(raw, context.passwordPolicy, {
    username: form.username,
    nationalId: form.idNumber || form.representativeNationalId,
    taxCode: form.taxCode,
    phone: form.phone,
    fullName: form.fullName || form.representativeName,
  });
  return broken.length === 0 ? ok(raw) : fail('password.weak', undefined, broken);
}

export function passwordConfirmation(raw: string, form: Form): FieldResult {
  return raw === (form.password ?? '') ? ok(undefined) : fail('password.mismatch');
}

export function personName(raw: string): FieldResult {
  return normalizePersonName(raw);
}

export function mobilePhone(raw: string): FieldResult {
  const result = parseMobilePhone(raw);
  return result.ok ? ok(result.value.e164) : result;
}

/** A plain address (accounts/email.ts): the app receiving it must not get markup or quotes. */
export function email(raw: string): FieldResult {
  const value = normalizeEmail(raw);
  return value === undefined ? fail('email.format') : ok(value);
}

export function oneOf(source: OptionSource): (raw: string) => FieldResult {
  return (raw) => (isOption(source, raw) ? ok(raw) : fail('field.invalid_option'));
}

/** Stored as code and name: the code survives a later renaming, the name is what claims show. */
export function province(raw: string): FieldResult {
  const found = findProvince(raw);
  return found === undefined ? fail('field.invalid_option') : ok({ code: found.code, name: found.name });
}

function knownGender(value: string | undefined): Gender | undefined {
  return value === 'male' || value === 'female' ? value : undefined;
}

/**
 * The number of the document chosen in `idType` (SPEC R1). A personal number is checked against
 * the birth date and gender given on the same form. A foreign passport number is stored with its
 * country, `FR:12AB34567`, because passport numbers repeat across countries; a Vietnamese one is
 * stored bare, as sign-in looks it up. When `idType` or `nationality` is itself invalid, that
 * field carries the error and the number is not judged against a guess.
 */
export function identityDocumentNumber(raw: string, form: Form): FieldResult {
  switch (form.idType) {
    case 'cccd': {
      const result = parsePersonalIdNumber(raw, { birthdate: parseDate(form.birthdate ?? ''), gender: knownGender(form.gender) });
      return result.ok ? ok(result.value.number) : result;
    }
    case 'cmnd': {
      const result = parseLegacyIdNumber(raw);
      return result.ok ? ok(result.value.number) : result;
    }
    case 'passport': {
      const country = (form.nationality ?? '').trim().toUpperCase();
      if (country !== '' && !isOption('countries', country)) return ok(undefined);
      const result = parsePassport(raw, country);
      if (!result.ok) return result;
      const { number, nationality } = result.value;
      return ok(nationality === 'VN' ? number : `${nationality}:${number}`);
    }
    default:
      return ok(undefined);
  }
}

/** Only a passport names a nationality; for the other documents the field is ignored. */
export function passportNationality(raw: string, form: Form): FieldResult {
  if (form.idType !== 'passport') return ok(undefined);
  const country = raw.trim().toUpperCase();
  return isOption('countries', country) ? ok(country) : fail('passport.nationality');
}

export function personalIdNumber(raw: string): FieldResult {
  const result = parsePersonalIdNumber(raw);
  return result.ok ? ok(result.value.number) : result;
}

export function taxCode(raw: string): FieldResult {
  const result = parseTaxCode(raw);
  return result.ok ? ok(result.value.code) : result;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{M}\p{N}]$/u;

/**
 * Free text such as a street or an organization's name: NFC, one space between words, the
 * punctuation phones substitute (’ ‐ “ ”) folded to its plain form, and only letters, digits
 * and the punctuation listed. Anything else is named in the error, so the person can find it.
 */
function freeText(punctuation: string): (raw: string) => FieldResult {
  return (raw) => {
    const text = raw
      .normalize('NFC')
      .replace(/[\u2018\u2019\u02BC]/g, "'")
      .replace(/[\u2010-\u2015]/g, '-')
      .replace(/[\u201C\u201D]/g, '"')
      .replace(/\s+/g, ' ')
      .trim();
    for (const char of text) {
      if (char !== ' ' && !punctuation.includes(char) && !LETTER_OR_DIGIT.test(char)) {
        return fail('text.characters', { character: char });
      }
    }
    return ok(text);
  };
}

/** "Số 12/3A", "Kiệt 5", "Tổ 3, khu phố 2", "Công an tỉnh (PC06)". */
export const addressText = freeText(".,-/'()#&");

/** "Công ty TNHH Thương mại & Dịch vụ A.B.C", "Hợp tác xã \"Nông nghiệp 1-5\"". */
export const organizationName = freeText(".,-/'()&+:;\"");
