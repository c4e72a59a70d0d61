// Masked forms for screens, messages and logs, where a person must recognize their own
// identifier without the whole of it being disclosed (Decree 13/2023 on personal data).

/** Fewer hidden characters than this would leave the value guessable, so all of it is hidden. */
const MIN_HIDDEN = 4;

export function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  const chars = [...value];
  const hidden = chars.length - keepStart - keepEnd;
  if (hidden < MIN_HIDDEN) return '*'.repeat(chars.length);
  return chars.slice(0, keepStart).join('') + '*'.repeat(hidden) + chars.slice(chars.length - keepEnd).join('');
}

/**
 * `046090001234` → `0460******34`. The first four digits of a personal identification number
 * are only the province of birth registration, century and gender (IDENTIFIERS.md); other
 * identifiers (CMND, passports) have no such prefix and keep two characters at each end.
 */
export function maskNationalId(value: string): string {
  return /^\d{12}$/.test(value) ? maskMiddle(value, 4, 2) : maskMiddle(value, 2, 2);
}

/**
 * `0100107518-001` → `0100****18-001`. A 10-digit tax code may be an individual's or a household
 * business's, issued before personal identification numbers became tax codes (IDENTIFIERS.md),
 * so it is treated as personal data; the branch suffix identifies nobody.
 */
export function maskTaxCode(code: string): string {
  const [parent, branch] = code.split('-');
  return maskMiddle(parent, 4, 2) + (branch === undefined ? '' : `-${branch}`);
}
