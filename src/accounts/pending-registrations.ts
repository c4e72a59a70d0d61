// A registration waits here, sealed, until its phone is proven by SMS OTP (Ninh Thuận 2024
// Art. 9.1); only then does it become an account. Pending registrations reserve nothing:
// the unique indexes on `accounts` decide, at activation, who registered first, so two
// simultaneous registrations of one person end in one account. They expire after 24 h.
import { randomUUID } from 'node:crypto';
import type { Knex } from '../db/index.ts';
import type { Clock } from '../clock.ts';
import type { Sealer } from '../secrets/index.ts';
import type { NewAccount } from './store.ts';

const PURPOSE = 'pending_registrations.data';
export const PENDING_REGISTRATION_TTL_MS = 24 * 3600_000;

export interface PendingRegistration {
  id: string;
  challengeId: string;
  account: NewAccount;
  expiresAt: Date;
}

export class PendingRegistrations {
  readonly #knex: Knex;
  readonly #sealer: Sealer;
  readonly #clock: Clock;

  constructor(knex: Knex, sealer: Sealer, clock: Clock) {
    this.#knex = knex;
    this.#sealer = sealer;
    this.#clock = clock;
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

  async find(id: string): Promise<PendingRegistration | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const row = await this.#knex('pending_registrations').where({ id }).where('expires_at', '>', this.#clock.now()).first();
    if (!row) return undefined;
    return { id: row.id, challengeId: row.challenge_id, account: JSON.parse(this.#sealer.open(row.data_enc, PURPOSE)), expiresAt: new Date(row.expires_at) };
  }

  async remove(id: string): Promise<void> {
    await this.#knex('pending_registrations').where({ id }).delete();
  }

  async sweep(): Promise<number> {
    const removed = await this.#knex('pending_registrations').where('expires_at', '<=', this.#clock.now()).delete().returning('id');
    return removed.length;
  }
}
