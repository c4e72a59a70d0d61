import type { Knex } from 'knex';

// SMS one-time codes (Ninh Thuận 2024 Art. 9.1) and the record of SMS sent, which the
// per-phone and per-IP hourly limits count. Codes are stored only as a keyed hash.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('otp_challenges', (table) => {
    table.uuid('id').primary();
    table.text('purpose').notNullable();
    table.text('subject');
    table.text('phone_enc');
    table.text('code_hash');
    table.integer('attempts').notNullable().defaultTo(0);
    table.integer('max_attempts').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('last_sent_at', { useTz: true });
    table.timestamp('consumed_at', { useTz: true });
    table.timestamp('completed_at', { useTz: true });
    table.index(['expires_at'], 'otp_challenges_expires_at');
  });
  await knex.schema.createTable('sms_sends', (table) => {
    table.bigIncrements('id');
    table.text('phone_hmac').notNullable();
    table.text('ip');
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.index(['phone_hmac', 'sent_at'], 'sms_sends_phone');
    table.index(['ip', 'sent_at'], 'sms_sends_ip');
  });
  await knex.schema.createTable('pending_registrations', (table) => {
    table.uuid('id').primary();
    table.text('type').notNullable();
    table.text('data_enc').notNullable();
    table.uuid('challenge_id').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.index(['expires_at'], 'pending_registrations_expires_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pending_registrations');
  await knex.schema.dropTable('sms_sends');
  await knex.schema.dropTable('otp_challenges');
}
