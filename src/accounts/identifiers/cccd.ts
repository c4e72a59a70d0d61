import { birthRegistrationProvinces } from './cccd-provinces.ts';
import { fail, ok, type IdentifierResult } from './result.ts';

export const cccdErrorCodes = [
  'cccd.required',
  'cccd.characters',
  'cccd.length',
  'cccd.province',
  'cccd.birth_year_mismatch',
  'cccd.gender_mismatch',
] as const;
export type CccdErrorCode = (typeof cccdErrorCodes)[number];

export type Gender = 'male' | 'female';

export interface PersonalIdNumber {
  number: string;
  provinceCode: string;
  provinceName: string;
  gender: Gender;
  birthYear: number;
}

const BIRTHDATE = /^(\d{4})-\d{2}-\d{2}$/;

/**
 * The 12-digit personal identification number `PPP G YY RRRRRR` (IDENTIFIERS.md), checked
 * against the person's birth date and gender when they are given. A birth date that is not
 * `YYYY-MM-DD` is not cross-checked: its own field reports it, and the form is refused anyway.
 */
export function parsePersonalIdNumber(
  input: string,
  person: { birthdate?: string; gender?: Gender } = {},
): IdentifierResult<PersonalIdNumber, CccdErrorCode> {
  // People group the digits when they type them; any other character is reported rather than
  // guessed away, because a dot or letter usually means a different document was copied.
  const number = input.replace(/\s/g, '');
  if (number === '') return fail('cccd.required');
  if (!/^\d+$/.test(number)) return fail('cccd.characters');
  if (number.length !== 12) return fail('cccd.length', { length: number.length });

  const provinceCode = number.slice(0, 3);
  const provinceName = birthRegistrationProvinces.get(provinceCode);
  if (provinceName === undefined) return fail('cccd.province', { code: provinceCode });

  // IDENTIFIERS.md: the fourth digit pairs centuries from 1900 (0/1, 2/3, … 8/9), even for male.
  const centuryDigit = Number(number[3]);
  const gender: Gender = centuryDigit % 2 === 0 ? 'male' : 'female';
  const birthYear = 1900 + Math.floor(centuryDigit / 2) * 100 + Number(number.slice(4, 6));

  const birthdateYear = BIRTHDATE.exec(person.birthdate ?? '')?.[1];
  if (birthdateYear !== undefined && Number(birthdateYear) !== birthYear) {
    return fail('cccd.birth_year_mismatch', { idYear: birthYear, birthYear: Number(birthdateYear) });
  }
  if (person.gender !== undefined && person.gender !== gender) return fail('cccd.gender_mismatch');

  return ok({ number, provinceCode, provinceName, gender, birthYear });
}
