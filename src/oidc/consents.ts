// A person's consents to apps (SPEC §2 Consent; Decree 13/2023 Art. 11): what they agreed an
// app may read, kept apart from oidc-provider's Grants. A Grant is the family of tokens of
// one browser session and ends with them (a reused code or refresh token, a logout); the
// consent it was built from stays, so the person is not asked again.
import type { Clock } from '../clock.ts';
import type { Knex } from '../db/index.ts';

export interface Consent {
  scopes: string[];
  claims: string[];
}

/** `?` bound to a JSON array of strings, as text[] (the same on PostgreSQL and PGlite). */
const TEXT_ARRAY = 'ARRAY(SELECT jsonb_array_elements_text(CAST(? AS jsonb)))';

/** The stored values and the new ones, once each; a withdrawn consent's values count for nothing. */
const widened = (column: string) =>
  `ARRAY(SELECT DISTINCT value FROM unnest(CASE WHEN consents.revoked_at IS NULL THEN consents.${column} ELSE '{}' END || excluded.${column}) AS value ORDER BY value)`;

export class ConsentStore {
  readonly #knex: Knex;
  readonly #clock: Clock;

  constructor(knex: Knex, clock: Clock) {
    this.#knex = knex;
    this.#clock = clock;
  }

  /** The consent in force of `accountId` for `clientId`, if any. */
  async find(accountId: string, clientId: string): Promise<Consent | undefined> {
    const row = await this.#knex('consents')
      .select('scopes', 'claims')
      .where({ account_id: accountId, client_id: clientId })
      .whereNull('revoked_at')
      .first();
    return row ? { scopes: row.scopes, claims: row.claims } : undefined;
  }

  /** Forgets every consent of the account (its erasure on the person's request), in `trx`. */
  async forgetAccount(accountId: string, trx: Knex.Transaction): Promise<void> {
    await trx('consents').where({ account_id: accountId }).delete();
  }

  /** Records a consent: added to what the person agreed to before, never narrowing it. In `trx` when given. */
  async give(accountId: string, clientId: string, consent: Consent, trx?: Knex.Transaction): Promise<void> {
    const now = this.#clock.now();
    await (trx ?? this.#knex).raw(
      `INSERT INTO consents (account_id, client_id, scopes, claims, given_at, updated_at)
       VALUES (?, ?, ${TEXT_ARRAY}, ${TEXT_ARRAY}, ?, ?)
       ON CONFLICT (account_id, client_id) DO UPDATE SET
         scopes = ${widened('scopes')},
         claims = ${widened('claims')},
         given_at = CASE WHEN consents.revoked_at IS NULL THEN consents.given_at ELSE excluded.given_at END,
         updated_at = excluded.updated_at,
         revoked_at = NULL`,
      [accountId, clientId, JSON.stringify(consent.scopes), JSON.stringify(consent.claims), now, now],
    );
  }
}
