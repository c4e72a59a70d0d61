import type { Knex } from 'knex';

// Relying-party onboarding (SPEC R9; Hue-S Art. 15.2: a new integration is proposed and
// reviewed before it is admitted). A client has a status: `pending` (registered through RFC
// 7591 and awaiting review), `active`, `disabled`; only an active one is handed to
// oidc-provider. A rotated secret keeps working beside the new one until
// `previous_secret_expires_at`. Integration requests are what an organization or an agency
// asks for, with its reasons, until a reviewer decides. Logos are stored here, served by
// xacthuc itself (pages load nothing from other hosts). Initial access tokens themselves are
// oidc-provider's (oidc_models, under a keyed hash); `initial_access_tokens` says who issued
// each and for which agency, under another keyed hash of the same value.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (table) => {
    table.text('status').notNullable().defaultTo('active');
    table.text('previous_secret_enc');
    table.timestamp('previous_secret_expires_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE clients ADD CONSTRAINT clients_status CHECK (status IN ('pending', 'active', 'disabled'))`);
  await knex.schema.createTable('client_logos', (table) => {
    table.text('name').primary();
    table.text('content_type').notNullable();
    table.binary('body').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('integration_requests', (table) => {
    table.uuid('id').primary();
    table.text('status').notNullable().defaultTo('pending');
    // 'page' (the form), 'registration' (RFC 7591 with an initial access token).
    table.text('source').notNullable();
    table.uuid('requester_account_id');
    table.uuid('agency_id').references('agencies.id');
    table.jsonb('fields').notNullable();
    table.text('logo_name').references('client_logos.name');
    table.text('client_id');
    table.uuid('reviewer_account_id');
    table.timestamp('decided_at', { useTz: true });
    table.text('rejection_reason');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['status', 'created_at'], 'integration_requests_status');
    table.index(['requester_account_id'], 'integration_requests_requester');
  });
  await knex.raw(`ALTER TABLE integration_requests ADD CONSTRAINT integration_requests_status CHECK (status IN ('pending', 'approved', 'rejected'))`);
  await knex.schema.createTable('initial_access_tokens', (table) => {
    table.text('id_hmac').primary();
    table.uuid('agency_id').references('agencies.id');
    table.uuid('issued_by');
    table.text('issued_by_client');
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('initial_access_tokens');
  await knex.schema.dropTable('integration_requests');
  await knex.schema.dropTable('client_logos');
  await knex.raw('ALTER TABLE clients DROP CONSTRAINT clients_status');
  await knex.schema.alterTable('clients', (table) => {
    table.dropColumn('status');
    table.dropColumn('previous_secret_enc');
    table.dropColumn('previous_secret_expires_at');
  });
}
