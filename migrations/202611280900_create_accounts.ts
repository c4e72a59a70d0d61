import type { Knex } from 'knex';

// SPEC R1–R3. One row per citizen or organization. Personal identifiers are stored
// encrypted (`_enc`) and found through a keyed HMAC (`_hmac`); the unique indexes on the
// HMACs are what make "one account per person / per organization" hold under concurrency.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (table) => {
    table.uuid('id').primary();
    table.text('type').notNullable(); // 'citizen' | 'organization'
    table.text('status').notNullable().defaultTo('active'); // 'pending' | 'active' | 'disabled'
    table.text('username');
    table.text('national_id_kind'); // 'cccd' | 'cmnd' | 'passport'
    table.text('national_id_enc');
    table.text('national_id_hmac');
    table.text('tax_code_enc');
    table.text('tax_code_hmac');
    table.text('phone_enc');
    table.text('phone_hmac');
    table.boolean('phone_verified').notNullable().defaultTo(false);
    table.text('email');
    table.text('full_name').notNullable();
    table.date('birthdate');
    table.text('gender');
    // Address, representative and other registration details: personal data, sealed whole.
    table.text('profile_enc');
    table.text('password_hash');
    table.timestamp('password_changed_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX accounts_username ON accounts (username) WHERE username IS NOT NULL');
  await knex.raw('CREATE UNIQUE INDEX accounts_national_id ON accounts (national_id_hmac) WHERE national_id_hmac IS NOT NULL');
  await knex.raw('CREATE UNIQUE INDEX accounts_tax_code ON accounts (tax_code_hmac) WHERE tax_code_hmac IS NOT NULL');
  await knex.raw('CREATE INDEX accounts_phone ON accounts (phone_hmac) WHERE phone_hmac IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('accounts');
}
