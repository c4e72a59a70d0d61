// Migrations were first named by day only (`20261128_create_accounts.ts`): knex runs them in
// file-name order, and those of one day ran in the order they must only because their names
// happened to sort that way. They are named `YYYYMMDDHHMM_what_it_does.ts` now, in the same
// order. knex refuses a database whose `knex_migrations` names a file that no longer exists
// ("The migration directory is corrupt"), so the names a database recorded under the old
// scheme are rewritten first, in the migration lock, before knex compares them with the files.
import type { Knex } from 'knex';

/** Each migration's earlier name and its name now; applied in this order, as before. */
export const RENAMED_MIGRATIONS: ReadonlyArray<readonly [before: string, after: string]> = [
  ['20261128_create_accounts.ts', '202611280900_create_accounts.ts'],
  ['20261128_create_audit_events.ts', '202611280910_create_audit_events.ts'],
  ['20261128_create_clients.ts', '202611280920_create_clients.ts'],
  ['20261128_create_keys.ts', '202611280930_create_keys.ts'],
  ['20261128_create_oidc_models.ts', '202611280940_create_oidc_models.ts'],
  ['20261128_create_otp_challenges.ts', '202611280950_create_otp_challenges.ts'],
  ['20261128_create_second_factors.ts', '202611281000_create_second_factors.ts'],
  ['20261128_create_sign_in_throttles.ts', '202611281010_create_sign_in_throttles.ts'],
  ['20261128_index_oidc_models_by_account.ts', '202611281020_index_oidc_models_by_account.ts'],
  ['20261128_password_history_and_roles.ts', '202611281030_password_history_and_roles.ts'],
  ['20261202_create_consents.ts', '202612020900_create_consents.ts'],
  ['20261202_delete_oidc_rows_keyed_by_clear_tokens.ts', '202612020910_delete_oidc_rows_keyed_by_clear_tokens.ts'],
  ['20261202_registration_outcome_and_attempts.ts', '202612020920_registration_outcome_and_attempts.ts'],
  ['20261202_sms_quotas_per_purpose.ts', '202612020930_sms_quotas_per_purpose.ts'],
];

/**
 * Gives the migrations a database recorded under their earlier names their names now, in
 * one statement; a database with none of the earlier names (new, or already renamed) is
 * left as it is.
 */
export async function renameRecordedMigrations(knex: Knex, tableName: string): Promise<void> {
  if (!(await knex.schema.hasTable(tableName))) return;
  const pairs = RENAMED_MIGRATIONS.map(() => '(?, ?)').join(', ');
  await knex.raw(
    `UPDATE ?? AS recorded SET name = renamed.new_name FROM (VALUES ${pairs}) AS renamed(old_name, new_name) WHERE recorded.name = renamed.old_name`,
    [tableName, ...RENAMED_MIGRATIONS.flat()],
  );
}
