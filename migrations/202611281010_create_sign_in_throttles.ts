import type { Knex } from 'knex';

// Failed sign-ins counted per key (an account, an IP address, an identifier, an
// identifier from one IP), in PostgreSQL so every node sees the same counts (SPEC §3).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sign_in_throttles', (table) => {
    table.text('key').primary();
    table.integer('failures').notNullable();
    table.timestamp('window_started_at', { useTz: true }).notNullable();
    table.timestamp('locked_until', { useTz: true });
    table.index(['window_started_at'], 'sign_in_throttles_window');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sign_in_throttles');
}
