// Password sign-in by personal ID number, tax code, username or phone (SPEC §2).
// A wrong identifier and a wrong password are indistinguishable, in answer and in time.
import { createDecoyVerifier, type Argon2Parameters, hashPassword, needsRehash, verifyPassword, type CountedKey, type CountingSql, type ThrottleKey } from '../passwords/index.ts';
import type { Sealer } from '../secrets/index.ts';
import { parseLegacyIdNumber, parseMobilePhone, parsePassport, parsePersonalIdNumber, parseTaxCode } from './identifiers/index.ts';
import type { Account, AccountStore, AttemptKeys, IdentifierCandidates } from './store.ts';
import { normalizeUsername } from './username.ts';

export const MAX_IDENTIFIER_LENGTH = 256;
export const MAX_PASSWORD_LENGTH = 1024;

/** Every column a typed-in identifier could mean: `0100107518` is a tax code and could be a phone. */
export function identifierCandidates(input: string): IdentifierCandidates {
  const candidates: IdentifierCandidates = {};
  const personal = parsePersonalIdNumber(input);
  if (personal.ok) candidates.nationalId = personal.value.number;
  else {
    const legacy = parseLegacyIdNumber(input);
    if (legacy.ok) candidates.nationalId = legacy.value.number;
    else {
      const passport = parsePassport(input);
      if (passport.ok) candidates.nationalId = passport.value.number;
    }
  }
  const taxCode = parseTaxCode(input);
  if (taxCode.ok) candidates.taxCode = taxCode.value.code;
  const phone = parseMobilePhone(input);
  if (phone.ok) candidates.phone = phone.value.e164;
  const username = normalizeUsername(input);
  if (username) candidates.username = username;
  return candidates;
}

/**
 * The lockout keys of what was typed (passwords/lockout.ts): one keyed hash per identifier
 * the text can be, of its canonical form, so `079301000123`, `0356001122`, `+84356001122`
 * and `84 356 001 122` each give the key of the one personal number or phone they name.
 * Made from the text alone, never from whether an account has it (SPEC §6: a lock tells
 * nothing). Text that parses as nothing is keyed as typed (case-folded).
 */
export function identifierThrottleKeys(sealer: Sealer, identifier: string): ThrottleKey[] {
  const typed = identifier.normalize('NFC').trim();
  const candidates = identifierCandidates(typed);
  const canonical = (Object.keys(candidates) as Array<keyof IdentifierCandidates>).sort().map((kind) => `${kind}:${candidates[kind]}`);
  const keyed = canonical.length ? canonical : [`text:${typed.toLowerCase()}`];
  return keyed.map((value) => `identifier:${sealer.lookup(value, 'signin.identifier')}` as const);
}

/**
 * Every key an account's own identifiers count under, whichever spelling was typed (the
 * phone as +84…, 0… or 84…): what an operator's unlock lifts.
 */
export function accountThrottleKeys(sealer: Sealer, account: Pick<Account, 'nationalId' | 'taxCode' | 'phone' | 'username'>): ThrottleKey[] {
  const phone = account.phone ? [account.phone, `0${account.phone.slice(3)}`, account.phone.slice(1)] : [];
  const spellings = [account.nationalId, account.taxCode, account.username, ...phone].filter((value): value is string => Boolean(value));
  return [...new Set(spellings.flatMap((spelling) => identifierThrottleKeys(sealer, spelling)))];
}

export type SignInResult =
  | { ok: true; account: Account }
  | { ok: false; reason: 'no_account' }
  | { ok: false; reason: 'wrong_password' | 'no_password'; accountId: string };

export class PasswordSignIn {
  readonly #accounts: AccountStore;
  readonly #argon2: Argon2Parameters;
  readonly #sealer: Sealer;
  readonly #decoy: (password: string) => Promise<void>;

  constructor(accounts: AccountStore, argon2: Argon2Parameters, sealer: Sealer) {
    this.#accounts = accounts;
    this.#argon2 = argon2;
    this.#sealer = sealer;
    this.#decoy = createDecoyVerifier(argon2);
  }

  /**
   * The account the identifier names, found in the same statement that counts this attempt
   * (passwords/lockout.ts) before any password is checked; several matches name none.
   */
  async findCounting(identifier: string, keys: AttemptKeys, counting: CountingSql): Promise<{ account: Account | undefined; counted: CountedKey[] }> {
    const { accounts, counted } = await this.#accounts.findForSignIn(identifierCandidates(identifier.normalize('NFC').trim()), keys, counting);
    return { account: accounts.length === 1 ? accounts[0] : undefined, counted };
  }

  /**
   * The keys a password attempt with `identifier` from `ip` counts under: each identifier
   * the text can be, each of those from this address, and the address. The same keys
   * whether or not an account has the identifier, so an unknown one slows down and locks at
   * the same count as a known one, in every spelling (SPEC §6).
   */
  attemptKeys(identifier: string, ip: string): AttemptKeys {
    const identifiers = identifierThrottleKeys(this.#sealer, identifier);
    return {
      identifiers,
      pairs: identifiers.map((key) => `identifier-ip:${key.slice('identifier:'.length)}:${ip}` as const),
      ip: `ip:${ip}`,
    };
  }

  async check(account: Account | undefined, password: string): Promise<SignInResult> {
    if (!account?.passwordHash) {
      await this.#decoy(password);
      return account ? { ok: false, reason: 'no_password', accountId: account.id } : { ok: false, reason: 'no_account' };
    }
    if (!(await verifyPassword(account.passwordHash, password))) return { ok: false, reason: 'wrong_password', accountId: account.id };
    // Stronger argon2 parameters in configuration reach every account at its next sign-in.
    if (needsRehash(account.passwordHash, this.#argon2)) {
      await this.#accounts.upgradePasswordHash(account.id, account.passwordHash, await hashPassword(password, this.#argon2));
    }
    return { ok: true, account };
  }
}
