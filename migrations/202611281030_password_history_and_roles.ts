import type { Knex } from 'knex';

// Hue-S Art. 9.1: no password used before may be used again — earlier hashes are kept.
// Operators can require a change at the next sign-in. Roles mark administrators, who may
// not sign in without a second factor.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_history', (table) => {
    table.bigIncrements('id');
    table.uuid('account_id').notNullable();
    table.text('password_hash').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['account_id', 'created_at'], 'password_history_account');
  });
  await knex.schema.alterTable('accounts', (table) => {
    table.boolean('password_change_required').notNullable().defaultTo(false);
    table.jsonb('roles').notNullable().defaultTo('[]');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (table) => {
    table.dropColumn('roles');
    table.dropColumn('password_change_required');
  });
  await knex.schema.dropTable('password_history');
}
