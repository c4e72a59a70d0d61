import type { Knex } from 'knex';

// Decree 13/2023 Art. 11: a person's consent to an app is a record of its own, kept until the
// person (or an operator on their behalf) withdraws it. oidc-provider's Grant rows are the
// tokens' family and are revoked with them (a reused code, a reused refresh token, a
// logout); the consent they were built from stays here. One row per account and app: the
// scopes and claims agreed so far, widened by each later consent.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('consents', (table) => {
    table.uuid('account_id').notNullable();
    table.text('client_id').notNullable();
    table.specificType('scopes', 'text[]').notNullable();
    table.specificType('claims', 'text[]').notNullable();
    table.timestamp('given_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    // Set when the consent is withdrawn; a later consent clears it.
    table.timestamp('revoked_at', { useTz: true });
    table.primary(['account_id', 'client_id']);
  });
  // SPEC §5 "nothing lost": the consents given so far live in the Grants still in force.
  await knex.raw(`
    INSERT INTO consents (account_id, client_id, scopes, claims, given_at, updated_at)
    SELECT DISTINCT ON (account_id, payload ->> 'clientId')
           CAST(account_id AS uuid), payload ->> 'clientId',
           string_to_array(COALESCE(payload #>> '{openid,scope}', ''), ' '),
           ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(payload #> '{openid,claims}') = 'array' THEN payload #> '{openid,claims}' ELSE '[]' END)),
           CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
    FROM oidc_models
    WHERE model = 'Grant'
      AND account_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      AND payload ->> 'clientId' IS NOT NULL
      AND (expires_at IS NULL OR expires_at > CURRENT_TIMESTAMP)
    ORDER BY account_id, payload ->> 'clientId', expires_at DESC
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('consents');
}
