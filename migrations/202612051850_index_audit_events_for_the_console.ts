import type { Knex } from 'knex';

// The audit section of the operator console and the admin API (src/audit/reading.ts) filter by
// client, by operator (or service client) and by time, and page newest first by id; the
// account and type filters use the indexes the table was made with. The log is written at
// every sign-in, so the indexes are built CONCURRENTLY (outside a transaction), without
// holding sign-ins back while a large table is indexed, and kept small: partial where most
// rows have no value, and a BRIN index for the time, which follows the order rows are written in.
export const config = { transaction: false };

const INDEXES: ReadonlyArray<readonly [name: string, definition: string]> = [
  ['audit_events_client_id', `(client_id, id) WHERE client_id IS NOT NULL`],
  ['audit_events_operator', `((details->>'operator'), id) WHERE (details->>'operator') IS NOT NULL`],
  ['audit_events_service_client', `((details->>'serviceClient'), id) WHERE (details->>'serviceClient') IS NOT NULL`],
  ['audit_events_admin_actions', `(id) WHERE type LIKE 'admin.%'`],
  ['audit_events_at_brin', `USING brin (at)`],
];

export async function up(knex: Knex): Promise<void> {
  for (const [name, definition] of INDEXES) {
    // An index a failed concurrent build left invalid is built again.
    await knex.raw(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    await knex.raw(`CREATE INDEX CONCURRENTLY ${name} ON audit_events ${definition}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [name] of INDEXES) await knex.raw(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
}
