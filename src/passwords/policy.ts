// Password rules of SPEC R5 (Hue-S Art. 9.1; Smart-HaiDuong Art. 8.1): longer than
// 8 characters, with upper case, lower case, a digit and a special character, changed at
// least every 90 days, never a password used before. Every broken rule is reported at
// once, so a person fixes them in one go. One module for every place a password is set:
// registration, reset, change, operator-created accounts, import.
import { readFileSync } from 'node:fs';

export interface PasswordPolicy {
  /** Hue-S Art. 9.1: "trên 8 kí tự", so 9. */
  minLength: number;
  /** argon2 takes any length; the cap keeps one request from buying seconds of hashing. */
  maxLength: number;
  /** Hue-S Art. 9.1: changed at least every 90 days. 0: passwords never expire. */
  maxAgeDays: number;
  /** Days before expiry from which the person is warned and offered to change now. */
  warnDays: number;
  /** How many of the latest passwords a new one must differ from (Hue-S Art. 9.1: all). */
  historyDepth: number | 'all';
}

export const defaultPasswordPolicy: PasswordPolicy = {
  minLength: 9,
  maxLength: 128,
  maxAgeDays: 90,
  warnDays: 14,
  historyDepth: 'all',
};

export type PasswordRule =
  | 'password.too_short'
  | 'password.too_long'
  | 'password.needs_upper'
  | 'password.needs_lower'
  | 'password.needs_digit'
  | 'password.needs_special'
  | 'password.contains_personal'
  | 'password.common';

/** What the account is known by: the first guesses of anyone trying to take it over (SPEC R6). */
export interface PersonalData {
  /** CCCD, CMND or passport number; a foreign passport stored as `FR:12AB34567` counts without its country. */
  nationalId?: string | null;
  taxCode?: string | null;
  /** E.164, `+84912345678`. */
  phone?: string | null;
  username?: string | null;
  fullName?: string | null;
}

export function checkPassword(password: string, policy: PasswordPolicy = defaultPasswordPolicy, personal?: PersonalData): PasswordRule[] {
  // An NFD keyboard (macOS, some Vietnamese input methods) types "ấ" as three code points;
  // the rules judge what the person sees.
  const text = password.normalize('NFC');
  const broken: PasswordRule[] = [];
  const length = [...text].length;
  if (length < policy.minLength) broken.push('password.too_short');
  if (length > policy.maxLength) broken.push('password.too_long');
  if (!/\p{Lu}/u.test(text)) broken.push('password.needs_upper');
  if (!/\p{Ll}/u.test(text)) broken.push('password.needs_lower');
  if (!/\p{Nd}/u.test(text)) broken.push('password.needs_digit');
  if (!/[^\p{L}\p{M}\p{Nd}\s]/u.test(text)) broken.push('password.needs_special');
  if (personal !== undefined && containsPersonalData(text, personal)) broken.push('password.contains_personal');
  if (isCommonPassword(text)) broken.push('password.common');
  return broken;
}

/** Lower case without diacritics: "Nguyễn" and "NGUYEN" are the same guess. */
function fold(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/đ/g, 'd');
}

/** Letters and digits only: "046.090.001234" and "anh-yeu-em" are typed to dodge a check, not to add strength. */
function squash(value: string): string {
  return value.replace(/[^\p{L}\p{N}]/gu, '');
}

// Three is the shortest username there is (accounts/username.ts), and the shortest number
// or code worth refusing.
const MIN_PERSONAL_LENGTH = 3;
// Name parts count from four letters (Nguyễn, Trần → "tran", Hương): the syllables of three
// or fewer (Văn, Thị, Anh, Lan, An) sit inside too many unrelated words and names ("Vân",
// "nothing") to refuse them all. The whole name, joined, always counts.
const MIN_NAME_PART_LENGTH = 4;

function personalValues(personal: PersonalData): string[] {
  const values: string[] = [];
  const { nationalId, taxCode, phone, username, fullName } = personal;
  if (nationalId) values.push(squash(fold(nationalId.slice(nationalId.lastIndexOf(':') + 1))));
  if (taxCode) {
    const code = squash(taxCode);
    values.push(code);
    // A branch's 13-digit code is its parent's 10 digits plus 3: the parent's is public too.
    if (code.length === 13) values.push(code.slice(0, 10));
  }
  // The 9-digit subscriber number is inside both the national form (0912345678) and the
  // E.164 digits (84912345678), so it alone catches all three ways of writing the phone.
  if (phone) values.push(phone.replace(/\D/g, '').slice(-9));
  if (username) values.push(squash(fold(username)));
  if (fullName) {
    const parts = fold(fullName).split(/[\s'-]+/).map(squash);
    values.push(...parts.filter((part) => part.length >= MIN_NAME_PART_LENGTH), parts.join(''));
  }
  return values.filter((value) => value.length >= MIN_PERSONAL_LENGTH);
}

function containsPersonalData(password: string, personal: PersonalData): boolean {
  const haystack = squash(fold(password));
  return personalValues(personal).some((value) => haystack.includes(value));
}

let commonPasswords: Set<string> | undefined;

// Read on first use, not at import, so code that never checks a password never pays for it.
function loadCommonPasswords(): Set<string> {
  commonPasswords ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  return commonPasswords;
}

// The symbols people put for the letters they look like, as in "P@ssw0rd".
const LEET: Record<string, string> = { '@': 'a', '4': 'a', '3': 'e', '1': 'i', '!': 'i', '0': 'o', '$': 's', '5': 's', '7': 't' };

function unleet(value: string): string {
  return value.replace(/[@4310!$57]/g, (char) => LEET[char]);
}

/**
 * A common password is refused as typed, and also dressed the ways guessing tools dress it
 * first (their "rules"), because those add nothing a guesser does not try in the first
 * minutes: any case and diacritics ("MẬTKHẨU"); digits and symbols only before or after it
 * ("Matkhau@123", "2024@Qwerty", "1q2w3e4r!"); separators inside it ("Anh.Yeu.Em@2024");
 * symbols for look-alike letters ("P@ssw0rd!"). A look-alike at either end counts as
 * decoration, so "4dmin" is not read as "admin". A common password with a letter added is
 * a different password and is left to the other rules.
 */
function isCommonPassword(password: string): boolean {
  const list = loadCommonPasswords();
  const plain = fold(password);
  const withoutSymbols = plain.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  const core = plain.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const candidates = [plain, withoutSymbols, core, squash(withoutSymbols), squash(core), squash(unleet(core))];
  return candidates.some((candidate) => candidate !== '' && list.has(candidate));
}
