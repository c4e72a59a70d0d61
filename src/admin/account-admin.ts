// What an operator does with a person's account (issue "operator console" point 6), for the
// console's pages and the admin API alike: find it, read it, disable and enable it, require a new
// password, lift a lock, end every session, show one identifier in full, erase it on the
// person's request. Who may is asked by the caller (permissions.ts) before any of these runs;
// each change is one transaction with its audit event, and the apps whose sessions ended are
// told once it is committed (Back-Channel Logout 1.0).
import type { Provider } from 'oidc-provider';
import type { Clock } from '../clock.ts';
import { flushDeferredWrites, type Knex } from '../db/index.ts';
import {
  accountThrottleKeys, identifierCandidates, MAX_IDENTIFIER_LENGTH,
  type Account, type AccountStore, type PendingRegistrations,
} from '../accounts/index.ts';
import { forgetAccountModels, revokeAccountSessions, sendBackchannelLogouts, type ConsentStore, type EndedSession } from '../oidc/index.ts';
import { forgetOtpSubject, type TotpFactors } from '../otp/index.ts';
import type { SignInLockout } from '../passwords/index.ts';
import type { Sealer } from '../secrets/index.ts';
import type { OperatorSessions } from './operator-sessions.ts';

/** The services the accounts and operators areas use, beyond those every console page has. */
export interface AccountAdminDeps {
  knex: Knex;
  provider: Provider;
  accounts: AccountStore;
  sealer: Sealer;
  lockout: SignInLockout;
  totp: TotpFactors;
  consents: ConsentStore;
  pending: PendingRegistrations;
  operatorSessions: OperatorSessions;
  clock: Clock;
}

/** The caller's audit record (ConsoleKit#record or ApiKit#record with its request). */
export type RecordAction = (action: string, target: { accountId: string }, details: Record<string, string | number | boolean | null>, trx: Knex.Transaction) => Promise<void>;

/** At most this many accounts per search: a search that finds more asks for a narrower one. */
export const SEARCH_LIMIT = 50;
export const MAX_NAME_SEARCH_LENGTH = 100;
const MIN_NAME_SEARCH_LENGTH = 2;

export type SearchError = 'accounts.search_empty' | 'accounts.search_too_long' | 'accounts.search_too_short';

export interface SearchResult {
  accounts: Account[];
  /** More than SEARCH_LIMIT matched. */
  more: boolean;
}

/** The identifiers an operator may reveal one at a time. */
export const REVEALABLE = ['national_id', 'tax_code', 'phone'] as const;
export type Revealable = (typeof REVEALABLE)[number];

export function isRevealable(value: unknown): value is Revealable {
  return typeof value === 'string' && (REVEALABLE as readonly string[]).includes(value);
}

export interface AccountDetails {
  account: Account;
  createdAt: Date;
  /** When the lock on its identifiers or second factor ends; null when none is in force. */
  lockedUntil: Date | null;
  secondFactor: boolean;
}

/**
 * An action's end: done; nothing to do (already disabled, already deleted…); refused because it
 * would leave no active super-administrator.
 */
export type Outcome = 'done' | 'unchanged' | 'last_super_admin';

const CONTROL = /[\p{Cc}\p{Cf}]/u;

export class AccountAdmin {
  readonly #deps: AccountAdminDeps;

  constructor(deps: AccountAdminDeps) {
    this.#deps = deps;
  }

  /**
   * Accounts with the identifier typed, recognised by its shape (a personal or legacy ID
   * number, a passport, a tax code, a phone in any spelling, a username) and found through the
   * keyed HMAC indexes; or whose name contains the text typed.
   */
  async search(query: { identifier?: string; name?: string }): Promise<SearchResult | { error: SearchError }> {
    if (query.identifier !== undefined) {
      const typed = query.identifier.normalize('NFC').trim();
      if (typed === '') return { error: 'accounts.search_empty' };
      if (typed.length > MAX_IDENTIFIER_LENGTH || CONTROL.test(typed)) return { error: 'accounts.search_too_long' };
      return this.#bounded(await this.#deps.accounts.findByIdentifier(identifierCandidates(typed), SEARCH_LIMIT + 1));
    }
    const name = (query.name ?? '').normalize('NFC').trim();
    if (name === '') return { error: 'accounts.search_empty' };
    if ([...name].length > MAX_NAME_SEARCH_LENGTH || CONTROL.test(name)) return { error: 'accounts.search_too_long' };
    if ([...name].length < MIN_NAME_SEARCH_LENGTH) return { error: 'accounts.search_too_short' };
    return this.#bounded(await this.#deps.accounts.findByName(name, SEARCH_LIMIT + 1));
  }

  #bounded(accounts: Account[]): SearchResult {
    return { accounts: accounts.slice(0, SEARCH_LIMIT), more: accounts.length > SEARCH_LIMIT };
  }

  async details(id: string): Promise<AccountDetails | undefined> {
    const { accounts, lockout, sealer, totp } = this.#deps;
    const described = await accounts.describe(id);
    if (!described) return undefined;
    const { account } = described;
    const [lockedUntil, secondFactor] = await Promise.all([
      lockout.lockedUntil(account.id, accountThrottleKeys(sealer, account)),
      totp.isEnrolled(account.id),
    ]);
    return { ...described, lockedUntil, secondFactor };
  }

  /** The account can no longer sign in; every session, token and console session of it ends. */
  async disable(ctx: unknown, account: Account, record: RecordAction): Promise<Outcome> {
    return this.#endingSessions(ctx, async (trx, now) => {
      if (await this.#lastSuperAdmin(account.id, trx)) return 'last_super_admin';
      if (!(await this.#deps.accounts.setStatus(account.id, 'active', 'disabled', now, trx))) return 'unchanged';
      const ended = await this.#endSessions(account.id, trx);
      await record('account.disabled', { accountId: account.id }, { revoked: ended.revoked }, trx);
      return ended;
    });
  }

  async enable(account: Account, record: RecordAction): Promise<Outcome> {
    const { knex, accounts, clock } = this.#deps;
    return knex.transaction(async (trx) => {
      if (!(await accounts.setStatus(account.id, 'disabled', 'active', clock.now(), trx))) return 'unchanged';
      await record('account.enabled', { accountId: account.id }, {}, trx);
      return 'done';
    });
  }

  /** The person must choose a new password at the next sign-in (sign-in/next-step.ts). */
  async requirePasswordChange(account: Account, record: RecordAction): Promise<Outcome> {
    const { knex, accounts } = this.#deps;
    return knex.transaction(async (trx) => {
      if (!(await accounts.requirePasswordChange(account.id, trx))) return 'unchanged';
      await record('account.password_change_required', { accountId: account.id }, {}, trx);
      return 'done';
    });
  }

  /** Lifts the locks wrong passwords or codes left on the account's identifiers and second factor. */
  async unlock(account: Account, record: RecordAction): Promise<Outcome> {
    const { knex, lockout, sealer } = this.#deps;
    return knex.transaction(async (trx) => {
      const unlocked = await lockout.unlock(account.id, accountThrottleKeys(sealer, account), trx);
      await record('account.unlocked', { accountId: account.id }, { unlocked }, trx);
      return unlocked ? 'done' : 'unchanged';
    });
  }

  /** Ends every session, refresh and access token of the account, and its console sessions. */
  async revokeSessions(ctx: unknown, account: Account, record: RecordAction): Promise<Outcome> {
    return this.#endingSessions(ctx, async (trx) => {
      const ended = await this.#endSessions(account.id, trx);
      await record('account.sessions_revoked', { accountId: account.id }, { revoked: ended.revoked }, trx);
      return ended;
    });
  }

  /** One identifier in full, recorded as seen by the operator; undefined when the account has none. */
  async reveal(account: Account, identifier: Revealable, record: RecordAction): Promise<string | undefined> {
    const value = identifier === 'national_id' ? account.nationalId : identifier === 'tax_code' ? account.taxCode : account.phone;
    if (value === null) return undefined;
    await this.#deps.knex.transaction((trx) => record('account.revealed', { accountId: account.id }, { identifier }, trx));
    return value;
  }

  /**
   * Erases the account on the person's request (Decree 13/2023 Art. 16): every identifier,
   * sealed and indexed, the name, contact details, profile, password and its history, second
   * factor, sessions, tokens, grants, consents, the registration and SMS records that name it
   * or its phone, its lockout counts. Audit events stay (append-only) and name only the
   * account's id, which now points to an empty row.
   */
  async erase(ctx: unknown, account: Account, record: RecordAction): Promise<Outcome> {
    const { accounts, consents, pending, sealer, totp, lockout } = this.#deps;
    return this.#endingSessions(ctx, async (trx, now) => {
      if (await this.#lastSuperAdmin(account.id, trx)) return 'last_super_admin';
      const ended = await this.#endSessions(account.id, trx);
      await forgetAccountModels(trx, account.id);
      await totp.remove(account.id, trx);
      await consents.forgetAccount(account.id, trx);
      await pending.forgetAccount(account.id, trx);
      await forgetOtpSubject(trx, sealer, account.id, account.phone);
      await lockout.unlock(account.id, accountThrottleKeys(sealer, account), trx);
      if (!(await accounts.erase(account.id, now, trx))) return 'unchanged';
      await record('account.deleted', { accountId: account.id }, { revoked: ended.revoked }, trx);
      return ended;
    });
  }

  /** Whether the account is the one active super-administrator left (locked until `trx` ends). */
  async #lastSuperAdmin(accountId: string, trx: Knex.Transaction): Promise<boolean> {
    const holders = await this.#deps.accounts.lockHoldersOf('super_admin', trx);
    return holders.length === 1 && holders[0] === accountId;
  }

  async #endSessions(accountId: string, trx: Knex.Transaction): Promise<{ revoked: number; sessions: EndedSession[] }> {
    const ended = await revokeAccountSessions(trx, accountId);
    await this.#deps.operatorSessions.endAll(accountId, trx);
    return ended;
  }

  /**
   * Runs `change` in a transaction; the sessions it ended are told to their apps once it is
   * committed (an app told of a logout that is then rolled back would end a session that lives).
   */
  async #endingSessions(ctx: unknown, change: (trx: Knex.Transaction, now: Date) => Promise<Exclude<Outcome, 'done'> | { sessions: EndedSession[] }>): Promise<Outcome> {
    const { knex, clock, provider } = this.#deps;
    await flushDeferredWrites();
    const result = await knex.transaction((trx) => change(trx, clock.now()));
    if (typeof result === 'string') return result;
    await sendBackchannelLogouts(provider, ctx, result.sessions);
    return 'done';
  }
}
