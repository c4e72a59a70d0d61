import type { Knex } from 'knex';

// Relying parties. Metadata as registered (RFC 7591 names); the secret only encrypted.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('clients', (table) => {
    table.text('client_id').primary();
    table.jsonb('metadata').notNullable();
    table.text('client_secret_enc');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('clients');
}
