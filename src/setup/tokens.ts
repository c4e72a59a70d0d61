// SQL for the setup_tokens table: the single-use first-run links. A token is 32 random bytes
// (base64url, 43 characters) and is stored only as HMAC-SHA-256 under a key derived from
// SECRET_KEY, as oidc-provider's tokens are (README, Health and operations).
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Knex } from '../db/index.ts';

/** How long a printed link works (Keycloak's first-admin link on localhost lives as long). */
export const SETUP_TOKEN_LIFETIME_SECONDS = 60 * 60;

/** The only shape a token has; anything else names no link and is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type SetupTokenState =
  | { state: 'valid'; expiresAt: Date }
  | { state: 'unknown' | 'expired' | 'used' };

export interface IssuedSetupToken {
  token: string;
  expiresAt: Date;
}

export class SetupTokens {
  readonly #knex: Knex;
  readonly #clock: Clock;
  readonly #hashKey: Buffer;

  constructor(knex: Knex, clock: Clock, hashKey: Buffer) {
    this.#knex = knex;
    this.#clock = clock;
    this.#hashKey = hashKey;
  }

  #hmac(token: string): string {
    return createHmac('sha256', this.#hashKey).update(token).digest('base64url');
  }

  /** A new link's token; only its hash is stored. */
  async issue(): Promise<IssuedSetupToken> {
    const token = randomBytes(32).toString('base64url');
    const now = this.#clock.now();
    const expiresAt = new Date(now.getTime() + SETUP_TOKEN_LIFETIME_SECONDS * 1000);
    await this.#knex('setup_tokens').insert({ token_hmac: this.#hmac(token), created_at: now, expires_at: expiresAt });
    return { token, expiresAt };
  }

  /** What the link with `token` is now; in `db` when given (the transaction that would use it). */
  async state(token: string, db: Knex = this.#knex): Promise<SetupTokenState> {
    if (!TOKEN_SHAPE.test(token)) return { state: 'unknown' };
    // Found by its keyed hash: an index look-up on a value no guess can steer, nothing compared byte by byte here.
    const row = await db('setup_tokens').select('expires_at', 'used_at').where({ token_hmac: this.#hmac(token) }).first();
    if (row === undefined) return { state: 'unknown' };
    if (row.used_at !== null) return { state: 'used' };
    const expiresAt = new Date(row.expires_at);
    if (expiresAt.getTime() <= this.#clock.now().getTime()) return { state: 'expired' };
    return { state: 'valid', expiresAt };
  }

  /** Marks the link used by the account it made, in the caller's transaction; false if it was not valid any more. */
  async use(trx: Knex.Transaction, token: string, accountId: string): Promise<boolean> {
    const now = this.#clock.now();
    const updated = await trx('setup_tokens')
      .where({ token_hmac: this.#hmac(token) })
      .whereNull('used_at')
      .where('expires_at', '>', now)
      .update({ used_at: now, account_id: accountId })
      .returning('token_hmac');
    return updated.length === 1;
  }

  /** Removes the links that can no longer be used (expired, used or not); the audit log keeps what one made. */
  async sweep(): Promise<number> {
    return this.#knex('setup_tokens').where('expires_at', '<=', this.#clock.now()).delete();
  }
}
