// Account names chosen at registration: lower-case ASCII so they read the same on every
// keyboard and cannot be confused with a personal number or a tax code.
import { parseLegacyIdNumber, parseMobilePhone, parsePassport, parsePersonalIdNumber, parseTaxCode } from './identifiers/index.ts';

const USERNAME = /^[a-z][a-z0-9._-]{2,31}$/;

export function normalizeUsername(input: string): string | undefined {
  const value = input.trim().toLowerCase();
  return USERNAME.test(value) ? value : undefined;
}

/**
 * Whether a name reads as an identifier of another kind. Sign-in looks a typed text up as
 * every kind it parses as, and a text naming two accounts names none: a username
 * `c7103092` would stop the holder of passport C7103092 from signing in by passport number
 * (SPEC R1). So no new username may parse as any identifier kind.
 */
export function usernameReadsAsIdentifier(username: string): boolean {
  return [parsePersonalIdNumber, parseLegacyIdNumber, (value: string) => parsePassport(value), parseTaxCode, parseMobilePhone].some((parse) => parse(username).ok);
}
