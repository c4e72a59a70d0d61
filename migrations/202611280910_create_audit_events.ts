import type { Knex } from 'knex';

// Security events (SPEC R12). Append-only: the database itself refuses UPDATE and DELETE.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_events', (table) => {
    table.bigIncrements('id');
    table.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('type').notNullable();
    table.uuid('account_id');
    table.text('client_id');
    table.text('ip');
    table.text('user_agent');
    table.jsonb('details').notNullable().defaultTo('{}');
    table.index(['account_id', 'at'], 'audit_events_account_at');
    table.index(['type', 'at'], 'audit_events_type_at');
  });
  await knex.raw(`
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events is append-only';
    END;
    $$`);
  await knex.raw(`
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_events');
  await knex.raw('DROP FUNCTION audit_events_append_only()');
}
