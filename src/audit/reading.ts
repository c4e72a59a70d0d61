// Reading the log back (SPEC R12; the operator console's audit section and the admin API):
// newest first, by keyset on the id (`before`: events older than that id), so a page is found
// through an index whatever its depth and no event is skipped or shown twice between pages.
// Which index serves which filter (migrations 202611280910 and 202612051850):
// account → (account_id, at); client → (client_id, id); operator → ((details->>'operator'), id)
// and ((details->>'serviceClient'), id); a named type → (type, at); every operator action →
// (id) WHERE type LIKE 'admin.%'; the time range alone → BRIN (at).
import type { Knex } from '../db/index.ts';

export interface AuditFilter {
  /** Events about one of these accounts; an empty list matches nothing. */
  accountIds?: readonly string[];
  clientId?: string;
  /** Events an operator did: one of these accounts, or this admin API service client. */
  operator?: { accountIds: readonly string[]; serviceClient?: string };
  /** One type exactly. */
  type?: string;
  /** Every operator action (`admin.…`). */
  anyAdminAction?: boolean;
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

export interface StoredAuditEvent {
  id: string;
  at: Date;
  type: string;
  accountId: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

const COLUMNS = ['id', 'at', 'type', 'account_id', 'client_id', 'ip', 'user_agent', 'details'];

function toEvent(row: Record<string, any>): StoredAuditEvent {
  return {
    id: String(row.id),
    at: row.at instanceof Date ? row.at : new Date(row.at),
    type: row.type,
    accountId: row.account_id ?? null,
    clientId: row.client_id ?? null,
    ip: row.ip ?? null,
    userAgent: row.user_agent ?? null,
    details: typeof row.details === 'string' ? JSON.parse(row.details) : (row.details ?? {}),
  };
}

export class AuditReader {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** At most `limit` events matching `filter`, newest first, older than the event `before` when given. */
  async events(filter: AuditFilter, page: { before?: string; limit: number }): Promise<StoredAuditEvent[]> {
    if (filter.accountIds?.length === 0) return [];
    if (filter.operator && filter.operator.accountIds.length === 0 && filter.operator.serviceClient === undefined) return [];
    const query = this.#knex('audit_events').select(COLUMNS).orderBy('id', 'desc').limit(page.limit);
    if (page.before !== undefined) query.whereRaw('id < CAST(? AS bigint)', [page.before]);
    if (filter.accountIds) query.whereRaw('account_id = ANY (CAST(? AS uuid[]))', [[...filter.accountIds]]);
    if (filter.clientId !== undefined) query.where('client_id', filter.clientId);
    if (filter.operator) {
      query.whereRaw(`((details->>'operator') = ANY (CAST(? AS text[])) OR (details->>'serviceClient') = ?)`, [[...filter.operator.accountIds], filter.operator.serviceClient ?? null]);
    }
    if (filter.type !== undefined) query.where('type', filter.type);
    // Written as the partial index's predicate, so the planner uses it.
    if (filter.anyAdminAction) query.whereRaw(`type LIKE 'admin.%'`);
    if (filter.from) query.where('at', '>=', filter.from);
    if (filter.to) query.where('at', '<', filter.to);
    const rows: Array<Record<string, any>> = await query;
    return rows.map(toEvent);
  }

  /**
   * Every event matching `filter`, newest first, read `batchSize` at a time: a batch is read
   * when the one before has been taken, so an export of the whole log never holds more than one.
   */
  async *batches(filter: AuditFilter, batchSize: number): AsyncGenerator<StoredAuditEvent[]> {
    let before: string | undefined;
    for (;;) {
      const batch = await this.events(filter, { before, limit: batchSize });
      if (batch.length > 0) yield batch;
      if (batch.length < batchSize) return;
      before = batch.at(-1)!.id;
    }
  }
}
