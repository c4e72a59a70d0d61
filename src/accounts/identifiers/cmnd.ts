import { fail, ok, type IdentifierResult } from './result.ts';

export const cmndErrorCodes = ['cmnd.required', 'cmnd.characters', 'cmnd.length'] as const;
export type CmndErrorCode = (typeof cmndErrorCodes)[number];

export interface LegacyIdNumber {
  number: string;
  legacy: true;
}

/**
 * The 9-digit identity card number (CMND). The cards expired at the end of 2024, so the number
 * is only an alternative identifier for matching old records (IDENTIFIERS.md; SPEC R1).
 */
export function parseLegacyIdNumber(input: string): IdentifierResult<LegacyIdNumber, CmndErrorCode> {
  const number = input.replace(/\s/g, '');
  if (number === '') return fail('cmnd.required');
  if (!/^\d+$/.test(number)) return fail('cmnd.characters');
  if (number.length !== 9) return fail('cmnd.length', { length: number.length });
  return ok({ number, legacy: true });
}
