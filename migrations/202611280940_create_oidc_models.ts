import type { Knex } from 'knex';

// Every oidc-provider model (sessions, codes, tokens, grants, interactions...) in one table,
// keyed by (model, id). Secondary lookups the adapter contract needs are indexed.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_models', (table) => {
    table.text('model').notNullable();
    table.text('id').notNullable();
    table.jsonb('payload').notNullable();
    table.text('grant_id');
    table.text('user_code');
    table.text('uid');
    table.timestamp('expires_at', { useTz: true });
    table.timestamp('consumed_at', { useTz: true });
    table.primary(['model', 'id']);
    table.index(['grant_id'], 'oidc_models_grant_id');
    table.index(['expires_at'], 'oidc_models_expires_at');
  });
  await knex.raw('CREATE UNIQUE INDEX oidc_models_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL');
  await knex.raw('CREATE UNIQUE INDEX oidc_models_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_models');
}
