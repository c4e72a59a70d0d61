// One knex adapter for every oidc-provider model (oidc-provider "Adapter" contract).
// Rows live in `oidc_models`; `Client` is answered from the `clients` table instead.
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { batched, prepared, type Knex } from '../db/index.ts';
import type { ClientStore } from './clients.ts';
import { forgetReadAhead, keepReadAhead, readAheadKey, takeReadAhead } from './read-ahead.ts';

const TABLE = 'oidc_models';

interface Row {
  payload: AdapterPayload;
  consumed_at: Date | null;
}

// PostgreSQL text and jsonb cannot hold U+0000: a NUL in a request parameter is refused as
// a bad request, and no stored key can contain one.
const hasNul = (value: string) => value.includes('\u0000');

function serialize(payload: AdapterPayload): string {
  return JSON.stringify(payload, (key, value) => {
    if (hasNul(key) || (typeof value === 'string' && hasNul(value))) {
      throw new errors.InvalidRequest('request parameters must not contain NUL characters');
    }
    return value;
  });
}

function withConsumed(row: Row | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  if (row.consumed_at) return { ...row.payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) };
  return row.payload;
}

type Lookup = 'uid' | 'user_code';

/** A row, and the rows the same request is about to look up (read-ahead.ts). */
interface RowWithNext extends Row {
  next: Array<[string, Row | undefined]>;
}

interface Key {
  model: string;
  value: string;
}

const keyOf = (model: string, value: string) => `${model}\u0000${value}`;

/** Not past its expiry: `table` is the row's table or its alias in the statement. */
const alive = (table: string) => `(${table}.expires_at IS NULL OR ${table}.expires_at > CURRENT_TIMESTAMP)`;

/** Rows and keys in one order, so that two statements never lock the same rows crosswise. */
const inKeyOrder = <T>(items: T[], key: (item: T) => string) => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** The (model, key) pairs of a batch, for `WHERE (model, column) IN (…)`, in key order. */
const pairs = (keys: Key[]) => inKeyOrder(keys, ({ model, value }) => keyOf(model, value)).map(({ model, value }) => [model, value]);

/**
 * One answer per caller: oidc-provider changes what it is given (a Session's authorizations,
 * a Grant's scopes), so two requests that asked for the same row in one turn each get a copy.
 */
function perCaller<T>(keys: Key[], found: Map<string, T>): Array<T | undefined> {
  const handed = new Set<string>();
  return keys.map(({ model, value }) => {
    const key = keyOf(model, value);
    const row = found.get(key);
    if (row === undefined) return undefined;
    if (!handed.has(key)) {
      handed.add(key);
      return row;
    }
    return structuredClone(row);
  });
}

/**
 * The adapter's statements, each shared by the concurrent requests of one event-loop turn
 * (db/batch.ts): a sign-in under load costs a fraction of its two dozen round trips.
 */
function modelStatements(knex: Knex) {
  const finder = (column: Lookup) => batched<Key, Row | undefined>(async (keys) => {
    const rows: Array<Row & { model: string; key: string }> = await knex(TABLE)
      .select('model', { key: column }, 'payload', 'consumed_at')
      .whereIn(['model', column], pairs(keys))
      .whereRaw(alive(TABLE))
      .options(prepared(`oidc_find_by_${column}_${keys.length}`));
    const found = new Map<string, Row>();
    for (const row of rows) if (!found.has(keyOf(row.model, row.key))) found.set(keyOf(row.model, row.key), { payload: row.payload, consumed_at: row.consumed_at });
    return perCaller(keys, found);
  });

  /**
   * By id, with what the request will look up next (read-ahead.ts): a token's or code's
   * Grant, and the Session an interaction belongs to or a code is bound to.
   */
  const findById = batched<Key, RowWithNext | undefined>(async (keys) => {
    const { rows } = (await knex.raw(
      `SELECT t.model, t.id AS key, t.payload, t.consumed_at,
              t.grant_id AS next_grant, g.id AS grant_found, g.payload AS grant_payload, g.consumed_at AS grant_consumed_at,
              w.uid AS next_session, s.uid AS session_found, s.payload AS session_payload, s.consumed_at AS session_consumed_at
       FROM ${TABLE} t
       CROSS JOIN LATERAL (SELECT CASE
         WHEN t.model = 'Interaction' THEN t.payload #>> '{session,uid}'
         WHEN t.payload ->> 'expiresWithSession' = 'true' THEN t.payload ->> 'sessionUid'
       END AS uid) w
       LEFT JOIN ${TABLE} g ON g.model = 'Grant' AND g.id = t.grant_id AND ${alive('g')}
       LEFT JOIN ${TABLE} s ON s.model = 'Session' AND s.uid = w.uid AND ${alive('s')}
       WHERE (t.model, t.id) IN (${keys.map(() => '(?, ?)').join(', ')}) AND ${alive('t')}`,
      pairs(keys).flat(),
    ).options(prepared(`oidc_find_by_id_${keys.length}`))) as { rows: Array<Record<string, any>> };
    const found = new Map<string, RowWithNext>(rows.map((row) => {
      const next: RowWithNext['next'] = [];
      if (row.next_grant) next.push([readAheadKey.grant(row.next_grant), row.grant_found ? { payload: row.grant_payload, consumed_at: row.grant_consumed_at } : undefined]);
      if (row.next_session) next.push([readAheadKey.sessionByUid(row.next_session), row.session_found ? { payload: row.session_payload, consumed_at: row.session_consumed_at } : undefined]);
      return [keyOf(row.model, row.key), { payload: row.payload, consumed_at: row.consumed_at, next }];
    }));
    return perCaller(keys, found);
  });

  return {
    findById,
    find: { uid: finder('uid'), user_code: finder('user_code') },

    upsert: batched<Record<string, unknown>, void>(async (rows) => {
      // The last write of a row in one turn wins, as it would one statement after another.
      const unique = new Map(rows.map((row) => [keyOf(String(row.model), String(row.id)), row]));
      await knex(TABLE).insert(inKeyOrder([...unique.values()], (row) => keyOf(String(row.model), String(row.id)))).onConflict(['model', 'id']).merge(['payload', 'grant_id', 'user_code', 'uid', 'account_id', 'expires_at'])
        .options(prepared(`oidc_upsert_${unique.size}`));
      return rows.map(() => undefined);
    }),

    /** True for the one request that marked the row consumed; false for every other. */
    consume: batched<Key, boolean>(async (keys) => {
      const updated: Array<{ model: string; id: string }> = await knex(TABLE)
        .whereIn(['model', 'id'], pairs(keys))
        .whereNull('consumed_at')
        .update({ consumed_at: knex.fn.now() })
        .returning(['model', 'id'])
        .options(prepared(`oidc_consume_${keys.length}`));
      const unclaimed = new Set(updated.map((row) => keyOf(row.model, row.id)));
      return keys.map(({ model, value }) => unclaimed.delete(keyOf(model, value)));
    }),

    destroy: batched<Key, void>(async (keys) => {
      await knex(TABLE).whereIn(['model', 'id'], pairs(keys)).delete().options(prepared(`oidc_destroy_${keys.length}`));
      return keys.map(() => undefined);
    }),
  };
}

export function createAdapterClass(knex: Knex, clients: ClientStore) {
  const statements = modelStatements(knex);

  return class KnexAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are managed with the operator CLI, not through the adapter');
      forgetReadAhead();
      await statements.upsert({
        model: this.model,
        id,
        payload: serialize(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        account_id: payload.accountId ?? null,
        expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (hasNul(id)) return undefined;
      if (this.model === 'Client') return clients.findMetadata(id);
      const kept = this.model === 'Grant' ? takeReadAhead(readAheadKey.grant(id)) : undefined;
      if (kept) return withConsumed(kept.row);
      const found = await statements.findById({ model: this.model, value: id });
      for (const [key, row] of found?.next ?? []) keepReadAhead(key, row);
      return withConsumed(found);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      if (hasNul(uid)) return undefined;
      const kept = this.model === 'Session' ? takeReadAhead(readAheadKey.sessionByUid(uid)) : undefined;
      if (kept) return withConsumed(kept.row);
      return withConsumed(await statements.find.uid({ model: this.model, value: uid }));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      if (hasNul(userCode)) return undefined;
      return withConsumed(await statements.find.user_code({ model: this.model, value: userCode }));
    }

    /**
     * Atomic: of two concurrent token requests with one authorization code, exactly one
     * marks it consumed; the other is told the code was already used (RFC 6749 §4.1.2).
     */
    async consume(id: string): Promise<void> {
      forgetReadAhead();
      if (await statements.consume({ model: this.model, value: id })) return;
      // RFC 6749 §4.1.2: a code used twice revokes what was issued with it, also when the
      // two uses arrive at the same moment and the other one won.
      if (this.model === 'AuthorizationCode') {
        const row = await knex(TABLE).select('grant_id').where({ model: this.model, id }).first();
        if (row?.grant_id) {
          await knex(TABLE).where({ grant_id: row.grant_id }).whereNot({ model: this.model }).delete();
          await knex(TABLE).where({ model: 'Grant', id: row.grant_id }).delete();
        }
      }
      throw new errors.InvalidGrant(`${this.model} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      if (hasNul(id)) return;
      forgetReadAhead();
      await statements.destroy({ model: this.model, value: id });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      forgetReadAhead();
      await knex(TABLE).where({ grant_id: grantId }).delete();
    }
  };
}

/**
 * The newest live consent (Grant) of an account for a client, whichever browser gave it:
 * a person is not asked again on a new phone for what they already granted.
 */
export async function findGrantId(knex: Knex, accountId: string, clientId: string): Promise<string | undefined> {
  const row = await knex(TABLE)
    .select('id')
    .where({ model: 'Grant', account_id: accountId })
    .whereRaw("payload->>'clientId' = ?", [clientId])
    .whereRaw(alive(TABLE))
    .orderBy('expires_at', 'desc')
    .first();
  return row?.id;
}

/**
 * Ends everything that keeps an account signed in: sessions, refresh and access tokens,
 * unredeemed codes. Consent (Grant) is kept: it is the person's decision, not a credential.
 */
export async function revokeAccountSessions(knex: Knex, accountId: string): Promise<number> {
  const removed = await knex(TABLE)
    .where({ account_id: accountId })
    .whereIn('model', ['Session', 'RefreshToken', 'AccessToken', 'AuthorizationCode', 'DeviceCode', 'BackchannelAuthenticationRequest'])
    .delete()
    .returning('id');
  return removed.length;
}

/** Deletes rows past their expiry; run periodically by every node (idempotent). */
export async function sweepExpiredModels(knex: Knex): Promise<number> {
  const removed = await knex(TABLE).where('expires_at', '<', knex.fn.now()).delete().returning('id');
  return removed.length;
}
