// A registration waits here, sealed, until its phone is proven by SMS OTP (Ninh Thuận 2024
// Art. 9.1); only then does it become an account. Pending registrations reserve nothing:
// the unique indexes on `accounts` decide, at activation, who registered first, so two
// simultaneous registrations of one person end in one account. They expire after 24 h.
// A registration that ended keeps its row, without its sealed form, until then: a code
// posted again after a lost answer learns how it ended (SPEC §5: nothing lost).
import { randomUUID } from 'node:crypto';
import { lockQuotaKeys, type Knex } from '../db/index.ts';
import type { Clock } from '../clock.ts';
import type { Sealer } from '../secrets/index.ts';
import type { DuplicateAccountError, NewAccount } from './store.ts';

const PURPOSE = 'pending_registrations.data';
const PENDING_REGISTRATION_TTL_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;

export interface PendingRegistration {
  id: string;
  challengeId: string;
  account: NewAccount;
  expiresAt: Date;
}

/** How a registration ended: its account made, or refused because one holds its identifier. */
export type RegistrationOutcome = 'activated' | `duplicate_${DuplicateAccountError['field']}`;

export interface FinishedRegistration {
  id: string;
  outcome: RegistrationOutcome;
  accountId: string | null;
}

export class PendingRegistrations {
  readonly #knex: Knex;
  readonly #sealer: Sealer;
  readonly #clock: Clock;
  readonly #maxPerIpPerHour: number;

  constructor(knex: Knex, sealer: Sealer, clock: Clock, limits: { maxPerIpPerHour: number }) {
    this.#knex = knex;
    this.#sealer = sealer;
    this.#clock = clock;
    this.#maxPerIpPerHour = limits.maxPerIpPerHour;
  }

  /**
   * Counts one registration from `ip`, or refuses it when the hour's limit is reached,
   * before the password is hashed or any row is made. Atomic across nodes.
   */
  async reserveAttempt(ip: string): Promise<boolean> {
    const now = this.#clock.now();
    return this.#knex.transaction(async (trx) => {
      await lockQuotaKeys(trx, [`registration-ip:${ip}`]);
      const [{ n }] = await trx('registration_attempts').where({ ip }).where('attempted_at', '>', new Date(now.getTime() - HOUR_MS)).count({ n: '*' });
      if (Number(n) >= this.#maxPerIpPerHour) return false;
      await trx('registration_attempts').insert({ ip, attempted_at: now });
      return true;
    });
  }

  async create(account: NewAccount, challengeId: string, id: string = randomUUID()): Promise<PendingRegistration> {
    const now = this.#clock.now();
    const pending = { id, challengeId, account, expiresAt: new Date(now.getTime() + PENDING_REGISTRATION_TTL_MS) };
    await this.#knex('pending_registrations').insert({
      id: pending.id,
      type: account.type,
      data_enc: this.#sealer.seal(JSON.stringify(account), PURPOSE),
      challenge_id: challengeId,
      created_at: now,
      expires_at: pending.expiresAt,
    });
    return pending;
  }

  /** A registration still waiting for its code. */
  async find(id: string): Promise<PendingRegistration | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const row = await this.#knex('pending_registrations').where({ id }).whereNull('outcome').where('expires_at', '>', this.#clock.now()).first();
    if (!row) return undefined;
    return { id: row.id, challengeId: row.challenge_id, account: JSON.parse(this.#sealer.open(row.data_enc, PURPOSE)), expiresAt: new Date(row.expires_at) };
  }

  /** A registration that ended, while its row lasts. */
  async findFinished(id: string): Promise<FinishedRegistration | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const row = await this.#knex('pending_registrations').where({ id }).whereNotNull('outcome').where('expires_at', '>', this.#clock.now()).first();
    return row ? { id: row.id, outcome: row.outcome, accountId: row.account_id } : undefined;
  }

  /**
   * Ends the registration in `trx` (the activation's transaction): the sealed form is
   * dropped, the outcome kept. False when it had ended already.
   */
  async finish(trx: Knex.Transaction, id: string, outcome: RegistrationOutcome, accountId: string | null): Promise<boolean> {
    const updated = await trx('pending_registrations').where({ id }).whereNull('outcome').update({ outcome, account_id: accountId, data_enc: null }).returning('id');
    return updated.length === 1;
  }

  /** Forgets the registration that made the account (its erasure on the person's request), in `trx`. */
  async forgetAccount(accountId: string, trx: Knex.Transaction): Promise<void> {
    await trx('pending_registrations').where({ account_id: accountId }).delete();
  }

  async sweep(): Promise<number> {
    const now = this.#clock.now();
    const removed = await this.#knex('pending_registrations').where('expires_at', '<=', now).delete().returning('id');
    const attempts = await this.#knex('registration_attempts').where('attempted_at', '<=', new Date(now.getTime() - HOUR_MS)).delete().returning('id');
    return removed.length + attempts.length;
  }
}
