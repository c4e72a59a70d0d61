import { maskMiddle } from './masking.ts';
import { fail, ok, type IdentifierResult } from './result.ts';

export const phoneErrorCodes = [
  'phone.required',
  'phone.characters',
  'phone.country',
  'phone.format',
  'phone.prefix',
  'phone.length',
] as const;
export type PhoneErrorCode = (typeof phoneErrorCodes)[number];

export interface MobilePhone {
  /** `+84912345678`: the stored form. */
  e164: string;
  /** `0912345678`: the form people read. */
  national: string;
}

// IDENTIFIERS.md: mobile prefixes after the 2018 renumbering. They no longer tell the carrier
// (number portability), so only membership matters.
const MOBILE_PREFIXES: ReadonlySet<string> = new Set([
  '032', '033', '034', '035', '036', '037', '038', '039',
  '052', '055', '056', '058', '059',
  '070', '076', '077', '078', '079',
  '081', '082', '083', '084', '085', '086', '087', '088', '089',
  '090', '091', '092', '093', '094', '096', '097', '098', '099',
]);

/** A Vietnamese mobile number written `0…`, `84…`, `+84…` or `0084…`, with any grouping. */
export function parseMobilePhone(input: string): IdentifierResult<MobilePhone, PhoneErrorCode> {
  const compact = input.replace(/[\s.()-]/g, '');
  if (compact === '') return fail('phone.required');
  if (!/^\+?\d+$/.test(compact)) return fail('phone.characters');

  let afterCountryCode: string | undefined;
  if (compact.startsWith('+') || compact.startsWith('00')) {
    const international = compact.replace(/^(\+|00)/, '');
    if (!international.startsWith('84')) return fail('phone.country');
    afterCountryCode = international.slice(2);
  } else if (compact.startsWith('84')) {
    afterCountryCode = compact.slice(2);
  } else if (!compact.startsWith('0')) {
    return fail('phone.format');
  }
  // "+84 0912 345 678" is a common habit; no subscriber number starts with 0, so a trunk
  // prefix written after the country code can be dropped without ambiguity.
  const subscriber = afterCountryCode === undefined ? compact.slice(1) : afterCountryCode.replace(/^0/, '');

  const national = `0${subscriber}`;
  // The prefix is checked first: a landline (024 3825 1234) is also the wrong length, but
  // "not a mobile number" is what the person needs to hear.
  if (national.length >= 3 && !MOBILE_PREFIXES.has(national.slice(0, 3))) {
    return fail('phone.prefix', { prefix: national.slice(0, 3) });
  }
  if (national.length !== 10) return fail('phone.length');
  return ok({ e164: `+84${subscriber}`, national });
}

/** `+84912345678` → `091****678`: the national form people recognize, with its middle hidden. */
export function maskPhone(e164: string): string {
  return maskMiddle(e164.startsWith('+84') ? `0${e164.slice(3)}` : e164, 3, 3);
}
