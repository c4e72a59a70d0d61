import type { Knex } from 'knex';

// Sessions and tokens by account: a password reset ends every session and refresh token of
// the account (issue: password reset revokes them all) without scanning JSON payloads.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oidc_models', (table) => {
    table.text('account_id');
    table.index(['account_id'], 'oidc_models_account_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oidc_models', (table) => {
    table.dropIndex(['account_id'], 'oidc_models_account_id');
    table.dropColumn('account_id');
  });
}
