import { fail, ok, type IdentifierResult } from './result.ts';

export const taxCodeErrorCodes = [
  'tax_code.required',
  'tax_code.characters',
  'tax_code.format',
  'tax_code.length',
  'tax_code.personal_number',
  'tax_code.check_digit',
  'tax_code.branch',
] as const;
export type TaxCodeErrorCode = (typeof taxCodeErrorCodes)[number];

export interface TaxCode {
  /** `NNNNNNNNNN`, or `NNNNNNNNNN-NNN` for a dependent unit. */
  code: string;
  parent: string;
  branch?: string;
}

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

// IDENTIFIERS.md: N10 = 10 − (Σ wᵢ·Nᵢ mod 11); where that gives 10 we accept 0, because the
// check only exists to catch typos and refusing a real company's code is the worse error.
function checkDigit(parent: string): number {
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(parent[i]), 0);
  return (10 - (sum % 11)) % 10;
}

/**
 * An organization's tax code, which is also its enterprise code (SPEC R2): 10 digits, or a
 * dependent unit's 13 written `NNNNNNNNNN-NNN` (accepted without the dash, returned with it).
 */
export function parseTaxCode(input: string): IdentifierResult<TaxCode, TaxCodeErrorCode> {
  // Dashes pasted from word processors are typographic (‐ ‑ ‒ – — ―, −), not U+002D.
  const compact = input.replace(/\s/g, '').replace(/[\u2010-\u2015\u2212]/g, '-');
  if (compact === '') return fail('tax_code.required');
  if (!/^[\d-]+$/.test(compact)) return fail('tax_code.characters');

  let parent: string;
  let branch: string | undefined;
  const dashed = /^(\d{10})-(\d{3})$/.exec(compact);
  if (dashed !== null) {
    [, parent, branch] = dashed;
  } else if (compact.includes('-')) {
    return fail('tax_code.format');
  } else if (compact.length === 10) {
    parent = compact;
  } else if (compact.length === 13) {
    parent = compact.slice(0, 10);
    branch = compact.slice(10);
  } else if (compact.length === 12) {
    // IDENTIFIERS.md: 12 digits is a person's identification number, which is now also
    // their tax code; an organization account is never identified by one.
    return fail('tax_code.personal_number');
  } else {
    return fail('tax_code.length', { length: compact.length });
  }

  if (Number(parent[9]) !== checkDigit(parent)) return fail('tax_code.check_digit');
  if (branch === '000') return fail('tax_code.branch');
  return ok(branch === undefined ? { code: parent, parent } : { code: `${parent}-${branch}`, parent, branch });
}
