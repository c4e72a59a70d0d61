import type { Knex } from 'knex';

// The operator side (SPEC R10; Hue-S Art. 13, 15.1; Huế 2025 Art. 14.2): roles per management
// function instead of one "admin", agencies as data (an operator and a relying party belong to
// at most one), and the operator console's own sessions, shorter than a citizen's and ended
// when idle. A session is stored under a keyed hash of its cookie, never the cookie itself.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('agencies', (table) => {
    table.uuid('id').primary();
    table.text('name').notNullable().unique();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.alterTable('accounts', (table) => {
    table.uuid('agency_id').references('agencies.id');
  });
  // The one role there was: an administrator of everything.
  await knex.raw(`UPDATE accounts SET roles = (roles - 'admin') || '["super_admin"]'::jsonb WHERE roles \\? 'admin'`);
  await knex.schema.createTable('operator_sessions', (table) => {
    table.text('id').primary();
    table.uuid('account_id').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('authenticated_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.index(['account_id'], 'operator_sessions_account');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('operator_sessions');
  await knex.raw(`UPDATE accounts SET roles = (roles - 'super_admin') || '["admin"]'::jsonb WHERE roles \\? 'super_admin'`);
  await knex.schema.alterTable('accounts', (table) => {
    table.dropColumn('agency_id');
  });
  await knex.schema.dropTable('agencies');
}
