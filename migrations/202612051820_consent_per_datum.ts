import type { Knex } from 'knex';

// Consent per datum (Decree 13/2023 Art. 11; Law 91/2025 on personal data protection): a person
// may refuse an app any datum but who they are, and the app receives only what was granted.
// - `consents` keeps what was refused too, so the person is not asked again for it at each
//   sign-in (oidc-provider's Grant records it as rejected).
// - `consent_records`: every decision as the person saw it — what was granted and refused, the
//   app's name, agency and purpose shown, and when — kept after tokens expire and after a
//   withdrawal, so a consent can be proven (Art. 11.7).
// - The tax code leaves `national_id` for a scope of its own, `organization`: clients allowed
//   `national_id`, and consents to it (worded "personal number / tax code" when given), keep
//   what they had by gaining `organization`.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('consents', (table) => {
    table.specificType('refused_scopes', 'text[]').notNullable().defaultTo('{}');
    table.specificType('refused_claims', 'text[]').notNullable().defaultTo('{}');
  });
  await knex.schema.createTable('consent_records', (table) => {
    table.bigIncrements('id');
    table.uuid('account_id').notNullable();
    table.text('client_id').notNullable();
    table.text('decision').notNullable();
    table.specificType('scopes', 'text[]').notNullable();
    table.specificType('claims', 'text[]').notNullable();
    table.specificType('refused_scopes', 'text[]').notNullable();
    table.specificType('refused_claims', 'text[]').notNullable();
    table.text('client_name_shown');
    table.text('agency_shown');
    table.text('purpose_shown');
    table.timestamp('decided_at', { useTz: true }).notNullable();
    table.index(['account_id', 'client_id', 'decided_at'], 'consent_records_account_client');
  });
  await knex.raw(`ALTER TABLE consent_records ADD CONSTRAINT consent_records_decision CHECK (decision IN ('given', 'withdrawn'))`);

  const withOrganization = (column: string) => `ARRAY(SELECT DISTINCT value FROM unnest(${column} || ARRAY['organization']) AS value ORDER BY value)`;
  await knex.raw(`
    UPDATE clients SET metadata = jsonb_set(metadata, '{scope}', to_jsonb(metadata ->> 'scope' || ' organization'))
    WHERE ' ' || (metadata ->> 'scope') || ' ' LIKE '% national_id %' AND ' ' || (metadata ->> 'scope') || ' ' NOT LIKE '% organization %'`);
  await knex.raw(`UPDATE consents SET scopes = ${withOrganization('scopes')} WHERE 'national_id' = ANY(scopes) AND NOT 'organization' = ANY(scopes)`);
  // The consents in force, recorded as given when they were: what was shown then is not known.
  await knex.raw(`
    INSERT INTO consent_records (account_id, client_id, decision, scopes, claims, refused_scopes, refused_claims, decided_at)
    SELECT account_id, client_id, 'given', scopes, claims, '{}', '{}', given_at FROM consents WHERE revoked_at IS NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('consent_records');
  await knex.schema.alterTable('consents', (table) => {
    table.dropColumn('refused_scopes');
    table.dropColumn('refused_claims');
  });
}
