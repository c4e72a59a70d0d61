import { fail, ok, type IdentifierResult } from './result.ts';

export const passportErrorCodes = [
  'passport.required',
  'passport.nationality',
  'passport.vn_format',
  'passport.foreign_format',
] as const;
export type PassportErrorCode = (typeof passportErrorCodes)[number];

export interface Passport {
  number: string;
  /** ISO 3166-1 alpha-2, upper case. */
  nationality: string;
}

/**
 * A passport number. Without a nationality (or with `VN`) it is a Vietnamese passport: one
 * upper-case letter and 7 digits (IDENTIFIERS.md). A foreign passport is only identified
 * together with its issuing country, since numbers repeat across countries.
 */
export function parsePassport(input: string, nationality?: string): IdentifierResult<Passport, PassportErrorCode> {
  const compact = input.replace(/\s/g, '');
  if (compact === '') return fail('passport.required');
  // Checked as ASCII before upper-casing: toUpperCase turns some letters into others ('ﬀ' → 'FF').
  const number = /^[A-Za-z0-9]+$/.test(compact) ? compact.toUpperCase() : undefined;

  const country = (nationality ?? '').trim();
  if (country === '' || country.toUpperCase() === 'VN') {
    return number !== undefined && /^[A-Z]\d{7}$/.test(number)
      ? ok({ number, nationality: 'VN' })
      : fail('passport.vn_format');
  }
  if (!/^[A-Za-z]{2}$/.test(country)) return fail('passport.nationality');
  if (number === undefined || number.length < 6 || number.length > 20) return fail('passport.foreign_format');
  return ok({ number, nationality: country.toUpperCase() });
}
