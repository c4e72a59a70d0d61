// Password sign-in by personal ID number, tax code, username or phone (SPEC §2).
// A wrong identifier and a wrong password are indistinguishable, in answer and in time.
import type { Argon2Parameters } from '../config.ts';
import { createDecoyVerifier, hashPassword, needsRehash, verifyPassword } from '../passwords/index.ts';
import type { Sealer } from '../secrets/index.ts';
import { parseLegacyIdNumber, parseMobilePhone, parsePassport, parsePersonalIdNumber, parseTaxCode } from './identifiers/index.ts';
import type { Account, AccountStore, IdentifierCandidates } from './store.ts';
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
   * The one active account the identifier names; several matches name none. With
   * `throttleKeys`, the failure counts a sign-in checks next come along (AccountStore).
   */
  async find(identifier: string, throttleKeys?: string[]): Promise<Account | undefined> {
    const matches = await this.#accounts.findActiveByIdentifier(identifierCandidates(identifier.normalize('NFC').trim()), throttleKeys);
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** A keyed hash of the identifier as typed, for counting failures without storing it. */
  identifierKey(identifier: string): string {
    return this.#sealer.lookup(identifier.normalize('NFC').trim().toLowerCase(), 'signin.identifier');
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

  async authenticate(identifier: string, password: string): Promise<SignInResult> {
    return this.check(await this.find(identifier), password);
  }
}
