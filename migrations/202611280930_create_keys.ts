import type { Knex } from 'knex';

// Signing keys (JWKS) and cookie-signing keys, encrypted with SECRET_KEY. A key is published
// from creation, signs from activates_at, and is no longer published after retires_at.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('keys', (table) => {
    table.text('kid').primary();
    table.text('kind').notNullable(); // 'signing' | 'cookie'
    table.text('alg');
    table.text('material_enc').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('activates_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('retires_at', { useTz: true });
    table.index(['kind', 'activates_at'], 'keys_kind_activates_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('keys');
}
