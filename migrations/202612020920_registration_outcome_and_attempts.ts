import type { Knex } from 'knex';

// SPEC §5 (nothing lost): a registration that ended (an account made, or refused as a duplicate) keeps
// its row, without the sealed form, until it expires, so a code posted again after a lost
// answer finds how it ended instead of a dead end. Registration attempts are
// counted per IP address before any password hashing or pending row.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('pending_registrations', (table) => {
    table.text('data_enc').nullable().alter();
    table.text('outcome');
    table.uuid('account_id');
  });
  await knex.schema.createTable('registration_attempts', (table) => {
    table.bigIncrements('id');
    table.text('ip').notNullable();
    table.timestamp('attempted_at', { useTz: true }).notNullable();
    table.index(['ip', 'attempted_at'], 'registration_attempts_ip');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('registration_attempts');
  await knex('pending_registrations').whereNull('data_enc').delete();
  await knex.schema.alterTable('pending_registrations', (table) => {
    table.dropColumn('account_id');
    table.dropColumn('outcome');
    table.text('data_enc').notNullable().alter();
  });
}
