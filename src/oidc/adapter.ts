// One knex adapter for every oidc-provider model (oidc-provider "Adapter" contract).
// Rows live in `oidc_models`; `Client` is answered from the `clients` table instead.
import { errors, Provider, type Adapter, type AdapterPayload } from 'oidc-provider';
import { batched, deferredWrites, flushDeferredWrites, forgetAllRows, prepared, readAhead, readsAhead, rowsVersion, type DeferredWrites, type Knex, type ReadAhead } from '../db/index.ts';
import { ACCOUNT_OF, ACCOUNT_ROW_JSON, accountRow, accountRows } from '../accounts/index.ts';
import type { Sealer } from '../secrets/index.ts';
import type { ClientStore } from './clients.ts';

const TABLE = 'oidc_models';

/**
 * Models whose id is stored as it is: a Grant's id is a reference that tokens, sessions and
 * the grant_id column name, and authorizes nothing on its own; an Interaction's is in every
 * interaction URL (and its own returnTo) and works only with the signed interaction cookie;
 * a ReplayDetection's is already a hash of an assertion's issuer and jti.
 */
const CLEAR_ID_MODELS = new Set(['Grant', 'Interaction', 'ReplayDetection']);

/**
 * The key a model's row is stored under. The id of a token, a code or a session is the
 * secret its holder presents: it is stored as a keyed hash (SPEC R12), so a copy of
 * the database or a replica holds nothing that can be presented. Every statement below
 * receives this key, never the id itself.
 */
export function storedModelId(sealer: Sealer, model: string, id: string): string {
  return CLEAR_ID_MODELS.has(model) ? id : sealer.lookup(id, `oidc.${model}`);
}

/**
 * The payload as stored: without the secret it would repeat in clear. oidc-provider puts a
 * model's id in its payload (`jti`), given back on a look-up by id; a session found by uid
 * is only read, never saved. An interaction keeps its session's cookie value (`session.cookie`),
 * which nothing reads.
 */
function storedPayload(model: string, payload: AdapterPayload): AdapterPayload {
  if (!CLEAR_ID_MODELS.has(model)) {
    const { jti: _id, ...stored } = payload;
    return stored;
  }
  const session = payload.session as Record<string, unknown> | undefined;
  if (model === 'Interaction' && session && typeof session === 'object' && 'cookie' in session) {
    const { cookie: _cookie, ...kept } = session;
    return { ...payload, session: kept };
  }
  return payload;
}

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

/** A row read ahead for the request (db/request-scope.ts): its kind, and how to keep it. */
interface NextRow {
  kind: string;
  keep(since: number): void;
}

/** A row, and the rows the same request is about to look up. */
interface RowWithNext extends Row {
  next: NextRow[];
}

/** Each model's rows read ahead, one kind per model; a write of a model forgets them (`write`). */
const readAheadOf = new Map<string, ReadAhead<Row>>();
function modelRows(model: string): ReadAhead<Row> {
  let rows = readAheadOf.get(model);
  if (!rows) readAheadOf.set(model, (rows = readAhead<Row>(model)));
  return rows;
}

/** `row`, read ahead as the request's next look-up of `rows` by `key`. */
/**
 * A row read ahead, to keep for the request it is handed to. Each keep stores a copy of its
 * own: the requests of one turn that asked for the same row share this, and oidc-provider
 * changes what it is given (a Grant's scopes).
 */
const nextRow = <T>(rows: ReadAhead<T>, key: string, row: T | undefined): NextRow => ({ kind: rows.kind, keep: (since) => rows.keep(key, row === undefined ? row : structuredClone(row), since) });

/** How rows read ahead are kept: a model's rows by id or by uid, an account's by its id. */
const kept = {
  byId: (id: string) => `id:${id}`,
  byUid: (uid: string) => `uid:${uid}`,
};

const COLUMNS = ['model', 'id', 'payload', 'grant_id', 'user_code', 'uid', 'account_id', 'expires_at'] as const;
const TYPES = ['text', 'text', 'jsonb', 'text', 'text', 'text', 'text', 'timestamptz'] as const;
const UPDATED = COLUMNS.slice(2).map((column) => `${column} = excluded.${column}`).join(', ');

/**
 * The (model, key) pairs of a batch as a relation, from two array bindings (`keyColumns`):
 * one statement text whatever the batch size (db/batch.ts `prepared`).
 */
const KEYS = 'SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]))';

type StoredRow = Record<(typeof COLUMNS)[number], Knex.Value>;

/**
 * A write of one row, deferred to the end of its request or made at once. An upsert that
 * follows a destroy of its row `replaces` it: the row is deleted and inserted anew (nothing
 * of the old one, such as its consumption, survives), as the two statements would do.
 */
type PendingWrite = { key: string; model: string; id: string } & ({ kind: 'upsert'; row: StoredRow; replaces?: boolean } | { kind: 'destroy' });

/** Adds `write` to `writes` (by row, in order of last write): the last write of a row wins. */
function addWrite(writes: Map<string, PendingWrite>, write: PendingWrite): void {
  const previous = writes.get(write.key);
  writes.delete(write.key);
  const replaces = write.kind === 'upsert' && previous !== undefined && (previous.kind === 'destroy' || previous.replaces === true);
  writes.set(write.key, replaces ? { ...write, replaces } : write);
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

/** The (model, key) pairs of a batch, for `WHERE (model, column) IN (${KEYS})`, in key order: the models, then the keys. */
const keyColumns = (keys: Key[]): [string[], string[]] => {
  const ordered = inKeyOrder(keys, ({ model, value }) => keyOf(model, value));
  return [ordered.map(({ model }) => model), ordered.map(({ value }) => value)];
};

/** A stored row's value as an element of its column's array binding (a null element is SQL NULL; knex's types know no such array). */
const element = (value: Knex.Value): string | null => (value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : String(value));

/**
 * One answer per caller: oidc-provider changes what it is given (a Session's authorizations,
 * a Grant's scopes), so two requests that asked for the same row in one turn each get a copy.
 */
function perCaller<T extends Row>(keys: Key[], found: Map<string, T>): Array<T | undefined> {
  const handed = new Set<string>();
  return keys.map(({ model, value }) => {
    const key = keyOf(model, value);
    const row = found.get(key);
    if (row === undefined) return undefined;
    if (!handed.has(key)) {
      handed.add(key);
      return row;
    }
    // The row's own data is copied; what it reads ahead copies itself when kept (nextRow).
    return { ...row, payload: structuredClone(row.payload) };
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
      .whereRaw(`(model, ${column}) IN (${KEYS})`, keyColumns(keys))
      .whereRaw(alive(TABLE))
      .options(prepared(`oidc_find_by_${column}`));
    const found = new Map<string, Row>();
    for (const row of rows) if (!found.has(keyOf(row.model, row.key))) found.set(keyOf(row.model, row.key), { payload: row.payload, consumed_at: row.consumed_at });
    return perCaller(keys, found);
  });

  /**
   * By id, with what the request will look up next (db/request-scope.ts): a token's or
   * code's Grant, the Session an interaction belongs to or a code is bound to, a session's
   * Grants (one per app it signed in to), and the account of the row (a session's, a
   * token's, the one an interaction signed in), which oidc-provider asks for through
   * findAccount right after.
   */
  const findById = batched<Key, RowWithNext | undefined>(async (keys) => {
    const { rows } = (await knex.raw(
      `SELECT t.model, t.id AS key, t.payload, t.consumed_at,
              t.grant_id AS next_grant, g.id AS grant_found, g.payload AS grant_payload, g.consumed_at AS grant_consumed_at,
              w.uid AS next_session, s.uid AS session_found, s.payload AS session_payload, s.consumed_at AS session_consumed_at,
              a.id AS next_account, ${ACCOUNT_ROW_JSON('a')} AS account_row, sg.grants AS session_grants
       FROM ${TABLE} t
       CROSS JOIN LATERAL (SELECT CASE
         WHEN t.model = 'Interaction' THEN t.payload #>> '{session,uid}'
         WHEN t.payload ->> 'expiresWithSession' = 'true' THEN t.payload ->> 'sessionUid'
       END AS uid) w
       LEFT JOIN ${TABLE} g ON g.model = 'Grant' AND g.id = t.grant_id AND ${alive('g')}
       LEFT JOIN ${TABLE} s ON s.model = 'Session' AND s.uid = w.uid AND ${alive('s')}
       ${ACCOUNT_OF('a', 't.account_id')}
       LEFT JOIN LATERAL (
         SELECT jsonb_agg(jsonb_build_array(e.value ->> 'grantId', sgr.payload, sgr.consumed_at)) AS grants
         FROM jsonb_each(CASE WHEN t.model = 'Session' AND jsonb_typeof(t.payload -> 'authorizations') = 'object' THEN t.payload -> 'authorizations' ELSE '{}' END) e
         LEFT JOIN ${TABLE} sgr ON sgr.model = 'Grant' AND sgr.id = e.value ->> 'grantId' AND ${alive('sgr')}
         WHERE e.value ->> 'grantId' IS NOT NULL
       ) sg ON true
       WHERE (t.model, t.id) IN (${KEYS}) AND ${alive('t')}`,
      keyColumns(keys),
    ).options(prepared('oidc_find_by_id'))) as { rows: Array<Record<string, any>> };
    const found = new Map<string, RowWithNext>(rows.map((row) => {
      const next: RowWithNext['next'] = [];
      if (row.next_grant) next.push(nextRow(modelRows('Grant'), kept.byId(row.next_grant), row.grant_found ? { payload: row.grant_payload, consumed_at: row.grant_consumed_at } : undefined));
      if (row.next_session) next.push(nextRow(modelRows('Session'), kept.byUid(row.next_session), row.session_found ? { payload: row.session_payload, consumed_at: row.session_consumed_at } : undefined));
      if (row.next_account) next.push(nextRow(accountRows, row.next_account, row.account_row ? accountRow(row.account_row) : undefined));
      // Read as JSON, a timestamp is its ISO text: made a Date, as the columns give it, so a Row has one shape.
      for (const [grantId, payload, consumedAt] of row.session_grants ?? []) next.push(nextRow(modelRows('Grant'), kept.byId(grantId), payload ? { payload, consumed_at: consumedAt ? new Date(consumedAt) : null } : undefined));
      return [keyOf(row.model, row.key), { payload: row.payload, consumed_at: row.consumed_at, next }];
    }));
    return perCaller(keys, found);
  });

  return {
    findById,
    find: { uid: finder('uid'), user_code: finder('user_code') },

    /**
     * The writes of the requests of one turn, in one statement: rows destroyed and rows
     * upserted. The last write of a row wins, as it would one statement after another.
     */
    write: batched<PendingWrite[], void>(async (lists) => {
      const last = new Map<string, PendingWrite>();
      for (const write of lists.flat()) addWrite(last, write);
      const writes = inKeyOrder([...last.values()], (write) => write.key);
      const gone = writes.filter((write) => write.kind === 'destroy' || write.replaces);
      const rows = writes.flatMap((write) => (write.kind === 'upsert' ? [write.row] : []));
      // One statement for any mix of destroys and upserts, its rows as one array per column.
      // A session that gets a new id keeps its uid, and a replaced row keeps its key: the
      // old rows must be gone before the new ones are checked against the unique indexes,
      // so the insert reads the delete. Rows go in key order (WITH ORDINALITY), so that two
      // batches never lock the same rows crosswise.
      await knex.raw(
        `WITH gone AS (DELETE FROM ${TABLE} WHERE (model, id) IN (${KEYS}) RETURNING 1)
         INSERT INTO ${TABLE} (${COLUMNS.join(', ')})
         SELECT ${COLUMNS.map((column) => `v.${column}`).join(', ')}
         FROM unnest(${TYPES.map((type) => `CAST(? AS ${type}[])`).join(', ')}) WITH ORDINALITY AS v (${COLUMNS.join(', ')}, position)
         WHERE (SELECT count(*) FROM gone) >= 0
         ORDER BY v.position
         ON CONFLICT (model, id) DO UPDATE SET ${UPDATED}`,
        [gone.map((write) => write.model), gone.map((write) => write.id), ...COLUMNS.map((column) => rows.map((row) => element(row[column])) as string[])],
      ).options(prepared('oidc_write'));
      return lists.map(() => undefined);
    }),

    /** True for the one request that marked the row consumed; false for every other. */
    consume: batched<Key, boolean>(async (keys) => {
      const updated: Array<{ model: string; id: string }> = await knex(TABLE)
        .whereRaw(`(model, id) IN (${KEYS})`, keyColumns(keys))
        .whereNull('consumed_at')
        .update({ consumed_at: knex.fn.now() })
        .returning(['model', 'id'])
        .options(prepared('oidc_consume'));
      const unclaimed = new Set(updated.map((row) => keyOf(row.model, row.id)));
      return keys.map(({ model, value }) => unclaimed.delete(keyOf(model, value)));
    }),

  };
}

/** One request's writes of oidc-provider models, made together before its answer (db/request-scope.ts). */
class PendingWrites implements DeferredWrites {
  readonly #writes = new Map<string, PendingWrite>();
  /** Writes sent to the database and not yet answered: a look-up of them waits too. */
  readonly #sent = new Set<PendingWrite[]>();
  /** The last flush; flushes run one after another, in the order the writes were made. */
  #last: Promise<void> = Promise.resolve();
  readonly #write: (writes: PendingWrite[]) => Promise<void>;

  constructor(write: (writes: PendingWrite[]) => Promise<void>) {
    this.#write = write;
  }

  add(write: PendingWrite): void {
    addWrite(this.#writes, write);
  }

  /** Whether a look-up of `model` (by `key`, or by any other column when not given) must see a write first. */
  awaits(model: string, key?: string): boolean {
    const matches = (write: PendingWrite) => (key === undefined ? write.model === model : write.key === key);
    for (const write of this.#writes.values()) if (matches(write)) return true;
    for (const writes of this.#sent) if (writes.some(matches)) return true;
    return false;
  }

  /** Sends what is pending; resolves when every write made so far is stored (or rejects). */
  flush(): Promise<void> {
    if (this.#writes.size > 0) {
      const writes = [...this.#writes.values()];
      this.#writes.clear();
      this.#sent.add(writes);
      this.#last = this.#last
        .catch(() => undefined)
        .then(() => this.#write(writes))
        .finally(() => this.#sent.delete(writes));
    }
    return this.#last;
  }
}

/**
 * What revoking a grant may remove: its codes and tokens, one model per revokeByGrantId
 * call. Not the interactions that carry its id: when a second person signs in on a shared
 * browser, the first one's session is logged out (and its grant revoked) in the middle of
 * the second one's interaction. Nor the Grant row, which oidc-provider destroys itself when
 * its policy says so.
 */
const GRANT_TOKENS = ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode'];

/** The account of each grant a request revoked tokens of: its Grant may be gone before the audit row is written. */
const revokedGrantAccounts = new WeakMap<object, Map<string, string>>();

/** The account whose grant `grantId` this request (`ctx`) revoked, if it revoked it. */
export function accountOfRevokedGrant(ctx: object, grantId: string): string | undefined {
  return revokedGrantAccounts.get(ctx)?.get(grantId);
}

export function createAdapterClass(knex: Knex, clients: ClientStore, sealer: Sealer) {
  const statements = modelStatements(knex);

  /** A row by id alone, for a request that reads nothing ahead (db/request-scope.ts). */
  const findAlone = batched<Key, Row | undefined>(async (keys) => {
    const rows: Array<Row & { model: string; id: string }> = await knex(TABLE)
      .select('model', 'id', 'payload', 'consumed_at')
      .whereRaw(`(model, id) IN (${KEYS})`, keyColumns(keys))
      .whereRaw(alive(TABLE))
      .options(prepared('oidc_find_alone_by_id'));
    return perCaller(keys, new Map(rows.map((row) => [keyOf(row.model, row.id), { payload: row.payload, consumed_at: row.consumed_at }])));
  });

  /**
   * Deletes one model's rows of a grant, for the requests of one turn in one statement:
   * oidc-provider revokes a grant with one call per model it issues, all at once. Gives
   * each the grant's account, from its Grant or else from a removed token (the Grant may
   * be destroyed at the same moment).
   */
  const revokeTokens = batched<{ grantId: string; model: string }, string | undefined>(async (inputs) => {
    const grantIds = [...new Set(inputs.map((input) => input.grantId))];
    const { rows } = (await knex.raw(
      `WITH removed AS (DELETE FROM ${TABLE} WHERE (model, grant_id) IN (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]))) RETURNING grant_id, account_id)
       SELECT v.grant_id, COALESCE(
         (SELECT g.account_id FROM ${TABLE} g WHERE g.model = 'Grant' AND g.id = v.grant_id),
         (SELECT r.account_id FROM removed r WHERE r.grant_id = v.grant_id AND r.account_id IS NOT NULL LIMIT 1)) AS account_id
       FROM unnest(CAST(? AS text[])) AS v (grant_id)`,
      [inputs.map((input) => input.model), inputs.map((input) => input.grantId), grantIds],
    )) as { rows: Array<{ grant_id: string; account_id: string | null }> };
    const accounts = new Map(rows.map((row) => [row.grant_id, row.account_id ?? undefined]));
    return inputs.map((input) => accounts.get(input.grantId));
  });

  /** Deletes the `models` rows of a grant, noting the grant's account for the request. */
  async function revokeGrantTokens(grantId: string, models: string[]): Promise<void> {
    const accountId = (await Promise.all(models.map((model) => revokeTokens({ grantId, model })))).find(Boolean);
    const ctx = Provider.ctx;
    if (ctx && accountId) {
      const accounts = revokedGrantAccounts.get(ctx) ?? new Map<string, string>();
      revokedGrantAccounts.set(ctx, accounts.set(grantId, accountId));
    }
  }

  /** This request's pending writes, if it made any (a look-up never starts them). */
  const pending = () => deferredWrites<PendingWrites>(statements);

  /** Defers `write` to the end of the request, or makes it now outside one. */
  async function write(model: string, write: PendingWrite): Promise<void> {
    // What was read ahead of this model may be what is being changed.
    modelRows(model).forget();
    const writes = deferredWrites(statements, () => new PendingWrites(statements.write));
    if (writes) writes.add(write);
    else await statements.write([write]);
  }

  /** Before a look-up: this request's own writes it must see go to the database first. */
  async function seeOwnWrites(model: string, key?: string): Promise<boolean> {
    const writes = pending();
    if (!writes?.awaits(model, key)) return false;
    await writes.flush();
    return true;
  }

  return class KnexAdapter implements Adapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    /** The stored key of `id` (storedModelId). */
    #key(id: string): string {
      return storedModelId(sealer, this.model, id);
    }

    /** A payload read by id, with the id it was stored without (storedPayload). */
    #withId(id: string, payload: AdapterPayload | undefined): AdapterPayload | undefined {
      return payload && !CLEAR_ID_MODELS.has(this.model) ? { ...payload, jti: id } : payload;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      // RFC 7591 registration and RFC 7592 update: pending until a reviewer approves it.
      if (this.model === 'Client') {
        if (!(await clients.putRegistered({ ...payload, client_id: id }))) throw new errors.InvalidRequest('this client is no longer under review: ask the operator to change its registration', 403);
        return;
      }
      // An interaction's account is the one it signed in, so that resuming it reads that
      // account along; its own accountId is the session's it began in, which is someone
      // else's when another person signs in on that browser.
      const login = this.model === 'Interaction' ? (payload.result as { login?: { accountId?: string } } | undefined)?.login : undefined;
      const accountId = login?.accountId ?? payload.accountId ?? (payload.session as { accountId?: string } | undefined)?.accountId;
      const key = this.#key(id);
      await write(this.model, {
        key: keyOf(this.model, key),
        model: this.model,
        id: key,
        kind: 'upsert',
        row: {
          model: this.model,
          id: key,
          payload: serialize(storedPayload(this.model, payload)),
          grant_id: payload.grantId ?? null,
          user_code: payload.userCode ?? null,
          uid: payload.uid ?? null,
          account_id: accountId ?? null,
          expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
        },
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (hasNul(id)) return undefined;
      if (this.model === 'Client') return clients.findMetadata(id, Provider.ctx?.oidc.route);
      const key = this.#key(id);
      if (!readsAhead()) {
        await seeOwnWrites(this.model, keyOf(this.model, key));
        return this.#withId(id, withConsumed(await findAlone({ model: this.model, value: key })));
      }
      if (!(await seeOwnWrites(this.model, keyOf(this.model, key)))) {
        const read = modelRows(this.model).take(kept.byId(key));
        if (read) return this.#withId(id, withConsumed(read.row));
      }
      const since = rowsVersion();
      const found = await statements.findById({ model: this.model, value: key });
      // Not a row of a kind this request is writing: the database does not have it yet.
      const writes = pending();
      for (const next of found?.next ?? []) if (!writes?.awaits(next.kind)) next.keep(since);
      return this.#withId(id, withConsumed(found));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      if (hasNul(uid)) return undefined;
      if (!(await seeOwnWrites(this.model))) {
        const read = modelRows(this.model).take(kept.byUid(uid));
        if (read) return withConsumed(read.row);
      }
      return withConsumed(await statements.find.uid({ model: this.model, value: uid }));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      if (hasNul(userCode)) return undefined;
      await seeOwnWrites(this.model);
      return withConsumed(await statements.find.user_code({ model: this.model, value: userCode }));
    }

    /**
     * Atomic: of two concurrent token requests with one authorization code, exactly one
     * marks it consumed; the other is told the code was already used (RFC 6749 §4.1.2).
     * Made at once, never deferred: the answer depends on it.
     */
    async consume(id: string): Promise<void> {
      const key = this.#key(id);
      await seeOwnWrites(this.model, keyOf(this.model, key));
      modelRows(this.model).forget();
      if (await statements.consume({ model: this.model, value: key })) return;
      // RFC 6749 §4.1.2: a code used twice revokes what was issued with it, also when the
      // two uses arrive at the same moment and the other one won.
      if (this.model === 'AuthorizationCode') {
        await flushDeferredWrites();
        forgetAllRows();
        const row = await knex(TABLE).select('grant_id').where({ model: this.model, id: key }).first();
        if (row?.grant_id) {
          await revokeGrantTokens(row.grant_id, GRANT_TOKENS.filter((model) => model !== this.model));
          await knex(TABLE).where({ model: 'Grant', id: row.grant_id }).delete();
          // Audited as oidc-provider's own revocation of a reused code is.
          const ctx = Provider.ctx;
          ctx?.oidc.provider.emit('grant.revoked', ctx, row.grant_id);
        }
      }
      throw new errors.InvalidGrant(`${this.model} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      if (hasNul(id)) return;
      // RFC 7592 §2.3: a registrant withdraws its registration while it is under review only.
      if (this.model === 'Client') {
        if (!(await clients.removePending(id))) throw new errors.InvalidRequest('this client is no longer under review: ask the operator to remove it', 403);
        return;
      }
      const key = this.#key(id);
      await write(this.model, { key: keyOf(this.model, key), model: this.model, kind: 'destroy', id: key });
    }

    /** This model's rows of the grant only: oidc-provider calls it on each model it revokes (helpers/revoke.js). */
    async revokeByGrantId(grantId: string): Promise<void> {
      if (!GRANT_TOKENS.includes(this.model)) return;
      // Tokens of the grant this request is about to write are revoked with the others.
      await flushDeferredWrites();
      forgetAllRows();
      await revokeGrantTokens(grantId, [this.model]);
    }
  };
}

/** A session ended outside oidc-provider's logout: the apps it signed in to, each with the session's id for it (sid). */
export interface EndedSession {
  accountId: string;
  apps: Array<{ clientId: string; sid: string }>;
}

/**
 * Ends everything that keeps an account signed in: sessions, refresh and access tokens,
 * unredeemed codes. Consent (consents.ts) and Grants are kept: the person's decision, not a
 * credential. Gives the number of rows removed and the sessions ended, whose apps are told
 * once the caller's transaction is committed (backchannel-logout.ts). Sessions are found by
 * their account: their ids are stored as keyed hashes (storedModelId).
 */
export async function revokeAccountSessions(knex: Knex, accountId: string): Promise<{ revoked: number; sessions: EndedSession[] }> {
  await flushDeferredWrites();
  forgetAllRows();
  const removed: Array<{ model: string; payload: AdapterPayload }> = await knex(TABLE)
    .where({ account_id: accountId })
    .whereIn('model', ['Session', 'RefreshToken', 'AccessToken', 'AuthorizationCode', 'DeviceCode', 'BackchannelAuthenticationRequest'])
    .delete()
    .returning(['model', 'payload']);
  const sessions = removed.filter((row) => row.model === 'Session').map((row) => {
    const authorizations = (row.payload.authorizations ?? {}) as Record<string, { sid?: unknown }>;
    const apps = Object.entries(authorizations).flatMap(([clientId, authorization]) => (typeof authorization?.sid === 'string' ? [{ clientId, sid: authorization.sid }] : []));
    return { accountId, apps };
  });
  return { revoked: removed.length, sessions };
}

/**
 * Ends what one app holds of an account, for a withdrawn consent: its Grants, refresh and
 * access tokens and unredeemed codes, and its place in the account's sessions (the session
 * stays signed in to the other apps; this one is asked for consent again). Gives the sessions
 * it left, with their `sid` for the app, to be told once the caller's transaction is committed
 * (backchannel-logout.ts).
 */
export async function revokeClientAuthorizations(knex: Knex, accountId: string, clientId: string): Promise<EndedSession[]> {
  await flushDeferredWrites();
  forgetAllRows();
  await knex(TABLE)
    .where({ account_id: accountId })
    .whereIn('model', ['Grant', ...GRANT_TOKENS])
    .whereRaw(`payload ->> 'clientId' = ?`, [clientId])
    .delete();
  const { rows } = (await knex.raw(
    `WITH left_behind AS (
       SELECT id, payload -> 'authorizations' -> ? ->> 'sid' AS sid FROM ${TABLE}
       WHERE model = 'Session' AND account_id = ? AND payload -> 'authorizations' -> ? IS NOT NULL
       FOR UPDATE)
     UPDATE ${TABLE} AS session SET payload = session.payload #- ARRAY['authorizations', ?]
     FROM left_behind WHERE session.model = 'Session' AND session.id = left_behind.id
     RETURNING left_behind.sid`,
    [clientId, accountId, clientId, clientId],
  )) as { rows: Array<{ sid: string | null }> };
  const apps = rows.flatMap(({ sid }) => (typeof sid === 'string' ? [{ clientId, sid }] : []));
  return apps.length ? [{ accountId, apps }] : [];
}

/**
 * Every row that still names the account once its sessions are revoked (`revokeAccountSessions`):
 * its Grants, interactions in progress. For the account's erasure on the person's request.
 */
export async function forgetAccountModels(knex: Knex, accountId: string): Promise<number> {
  await flushDeferredWrites();
  forgetAllRows();
  const removed = await knex(TABLE).where({ account_id: accountId }).delete().returning('id');
  return removed.length;
}

/** Tokens and codes a client holds, and its registration access tokens (a disabled client keeps none). */
const CLIENT_TOKENS = ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'ClientCredentials', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PushedAuthorizationRequest', 'RegistrationAccessToken'];

/**
 * Removes every token and code issued to `clientId`, so that none is accepted any more, nor
 * introspected as active, on any node (their rows are gone). Grants and consent are kept.
 * Gives the number of rows removed.
 */
export async function revokeClientTokens(knex: Knex, clientId: string): Promise<number> {
  await flushDeferredWrites();
  forgetAllRows();
  const removed = await knex(TABLE).whereIn('model', CLIENT_TOKENS).whereRaw("payload->>'clientId' = ?", [clientId]).delete().returning('id');
  return removed.length;
}

/** Deletes rows past their expiry; run periodically by every node (idempotent). */
export async function sweepExpiredModels(knex: Knex): Promise<number> {
  const removed = await knex(TABLE).where('expires_at', '<', knex.fn.now()).delete().returning('id');
  return removed.length;
}
