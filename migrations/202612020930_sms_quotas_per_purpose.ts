import type { Knex } from 'knex';

// SMS limits are counted per purpose (a flood of reset requests must not use up
// the sign-in or registration codes of the same phone). SPEC §6: a password-reset
// challenge keeps the key of the identifier it was asked for, so the request limits (and
// their resends) count the same for an account and for none.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sms_sends', (table) => {
    table.text('purpose');
    table.index(['phone_hmac', 'purpose', 'sent_at'], 'sms_sends_phone_purpose');
  });
  await knex.schema.alterTable('otp_challenges', (table) => {
    table.text('request_key');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('otp_challenges', (table) => {
    table.dropColumn('request_key');
  });
  await knex.schema.alterTable('sms_sends', (table) => {
    table.dropIndex(['phone_hmac', 'purpose', 'sent_at'], 'sms_sends_phone_purpose');
    table.dropColumn('purpose');
  });
}
