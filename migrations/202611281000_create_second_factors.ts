import type { Knex } from 'knex';

// SPEC R6, §2 Verification: the TOTP second factor and its single-use recovery codes.
// The TOTP secret must be readable to compute codes (RFC 6238 §5.1 asks that it be
// protected), so it is sealed; recovery codes are only ever compared, so only their keyed
// hash is kept. No foreign keys, like every other table: whoever deletes an account also
// removes its factors.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('totp_factors', (table) => {
    table.uuid('account_id').primary();
    table.text('secret_enc').notNullable();
    // Null while enrolment waits for the first code from the authenticator app.
    table.timestamp('confirmed_at', { useTz: true });
    // The RFC 6238 time step last accepted; a code from this step or an earlier one is a
    // replay (RFC 6238 §5.2).
    table.bigInteger('last_used_step');
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('recovery_codes', (table) => {
    table.bigIncrements('id');
    table.uuid('account_id').notNullable();
    table.text('code_hash').notNullable();
    table.timestamp('used_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['account_id'], 'recovery_codes_account_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('recovery_codes');
  await knex.schema.dropTable('totp_factors');
}
