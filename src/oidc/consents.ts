// A person's consents to apps (SPEC §2 Consent; Decree 13/2023 Art. 11; Law 91/2025): what they
// agreed an app may read and what they refused it, kept apart from oidc-provider's Grants. A
// Grant is the family of tokens of one browser session and ends with them (a reused code or
// refresh token, a logout); the consent it was built from stays, so the person is not asked
// again. Every decision is also kept as a record of what the person was shown (consent_records).
import type { Clock } from '../clock.ts';
import type { Knex } from '../db/index.ts';

/** Scopes and claims, as oidc-provider's Grant counts them. */
export interface ConsentItems {
  scopes: string[];
  claims: string[];
}

/** The consent in force: what the app may read, and what the person refused it. */
export interface Consent extends ConsentItems {
  refused: ConsentItems;
}

/** What the consent page showed the person about the app when they decided. */
export interface ConsentShown {
  clientName: string;
  agency?: string;
  purpose?: string;
}

/** One decision, as recorded: granted and refused items, what was shown, and when. */
export interface ConsentRecord {
  decision: 'given' | 'withdrawn';
  granted: ConsentItems;
  refused: ConsentItems;
  shown: Partial<ConsentShown>;
  decidedAt: Date;
}

/** `?` bound to a JSON array of strings, as text[] (the same on PostgreSQL and PGlite). */
const TEXT_ARRAY = 'ARRAY(SELECT jsonb_array_elements_text(CAST(? AS jsonb)))';

/** The stored value of `column` while the consent is in force; a withdrawn consent's values count for nothing. */
const inForce = (column: string) => `CASE WHEN consents.revoked_at IS NULL THEN consents.${column} ELSE '{}' END`;

/** The stored values and the new ones, once each. */
const widened = (column: string) => `ARRAY(SELECT DISTINCT value FROM unnest(${inForce(column)} || excluded.${column}) AS value ORDER BY value)`;

/** What was refused before or now, less what is granted now or was before: a later yes undoes a no. */
const stillRefused = (column: 'scopes' | 'claims') =>
  `ARRAY(SELECT DISTINCT value FROM unnest(${inForce(`refused_${column}`)} || excluded.refused_${column}) AS value
         WHERE NOT value = ANY(excluded.${column} || ${inForce(column)}) ORDER BY value)`;

/** Once each, sorted: as the merged values are stored. */
const json = (values: readonly string[]) => JSON.stringify([...new Set(values)].sort());

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
      .select('scopes', 'claims', 'refused_scopes', 'refused_claims')
      .where({ account_id: accountId, client_id: clientId })
      .whereNull('revoked_at')
      .first();
    return row ? { scopes: row.scopes, claims: row.claims, refused: { scopes: row.refused_scopes, claims: row.refused_claims } } : undefined;
  }

  /** Forgets every consent of the account (its erasure on the person's request), in `trx`. */
  async forgetAccount(accountId: string, trx: Knex.Transaction): Promise<void> {
    await trx('consents').where({ account_id: accountId }).delete();
  }

  /**
   * Records a decision: what is granted is added to what the person agreed to before, never
   * narrowing it; what is refused is remembered until the person grants it. In `trx` when given.
   */
  async give(accountId: string, clientId: string, decision: { granted: ConsentItems; refused: ConsentItems; shown: ConsentShown }, trx?: Knex.Transaction): Promise<void> {
    const now = this.#clock.now();
    const { granted, refused, shown } = decision;
    const knex = trx ?? this.#knex;
    await knex.raw(
      `INSERT INTO consents (account_id, client_id, scopes, claims, refused_scopes, refused_claims, given_at, updated_at)
       VALUES (?, ?, ${TEXT_ARRAY}, ${TEXT_ARRAY}, ${TEXT_ARRAY}, ${TEXT_ARRAY}, ?, ?)
       ON CONFLICT (account_id, client_id) DO UPDATE SET
         scopes = ${widened('scopes')},
         claims = ${widened('claims')},
         refused_scopes = ${stillRefused('scopes')},
         refused_claims = ${stillRefused('claims')},
         given_at = CASE WHEN consents.revoked_at IS NULL THEN consents.given_at ELSE excluded.given_at END,
         updated_at = excluded.updated_at,
         revoked_at = NULL`,
      [accountId, clientId, json(granted.scopes), json(granted.claims), json(refused.scopes), json(refused.claims), now, now],
    );
    await knex.raw(
      `INSERT INTO consent_records (account_id, client_id, decision, scopes, claims, refused_scopes, refused_claims, client_name_shown, agency_shown, purpose_shown, decided_at)
       VALUES (?, ?, 'given', ${TEXT_ARRAY}, ${TEXT_ARRAY}, ${TEXT_ARRAY}, ${TEXT_ARRAY}, ?, ?, ?, ?)`,
      [accountId, clientId, json(granted.scopes), json(granted.claims), json(refused.scopes), json(refused.claims), shown.clientName, shown.agency ?? null, shown.purpose ?? null, now],
    );
  }

  /**
   * Withdraws the consent in force (Decree 13/2023 Art. 12), recording what it covered; the
   * caller ends what it still authorizes (consent-withdrawal.ts). Whether there was one.
   */
  async withdraw(accountId: string, clientId: string, trx: Knex.Transaction): Promise<Consent | undefined> {
    const now = this.#clock.now();
    const { rows } = (await trx.raw(
      `WITH withdrawn AS (
         UPDATE consents SET revoked_at = ?, updated_at = ?
         WHERE account_id = ? AND client_id = ? AND revoked_at IS NULL
         RETURNING account_id, client_id, scopes, claims, refused_scopes, refused_claims)
       INSERT INTO consent_records (account_id, client_id, decision, scopes, claims, refused_scopes, refused_claims, decided_at)
       SELECT account_id, client_id, 'withdrawn', scopes, claims, refused_scopes, refused_claims, ? FROM withdrawn
       RETURNING scopes, claims, refused_scopes, refused_claims`,
      [now, now, accountId, clientId, now],
    )) as { rows: Array<{ scopes: string[]; claims: string[]; refused_scopes: string[]; refused_claims: string[] }> };
    const row = rows[0];
    return row ? { scopes: row.scopes, claims: row.claims, refused: { scopes: row.refused_scopes, claims: row.refused_claims } } : undefined;
  }

  /** Every decision of `accountId` about `clientId`, oldest first. */
  async records(accountId: string, clientId: string): Promise<ConsentRecord[]> {
    const rows = await this.#knex('consent_records')
      .where({ account_id: accountId, client_id: clientId })
      .orderBy([{ column: 'decided_at' }, { column: 'id' }]);
    return rows.map((row) => ({
      decision: row.decision,
      granted: { scopes: row.scopes, claims: row.claims },
      refused: { scopes: row.refused_scopes, claims: row.refused_claims },
      shown: {
        ...(row.client_name_shown === null ? {} : { clientName: row.client_name_shown }),
        ...(row.agency_shown === null ? {} : { agency: row.agency_shown }),
        ...(row.purpose_shown === null ? {} : { purpose: row.purpose_shown }),
      },
      decidedAt: new Date(row.decided_at),
    }));
  }
}
