import type { Knex } from 'knex';

// Tokens, codes and sessions are now stored under a keyed hash of their value (SPEC
// R12). Rows written before are keyed by the value itself: no look-up finds them any more,
// and a migration cannot rewrite them (it has no SECRET_KEY, and a hashed key looks like a
// token). They are removed rather than left in clear until they expire, with the
// interactions that held their session's cookie value: everyone signs in once more; consent
// (Grant) is kept, and so is the replay record of client assertions.
export async function up(knex: Knex): Promise<void> {
  await knex('oidc_models').whereNotIn('model', ['Grant', 'ReplayDetection']).delete();
}

export async function down(): Promise<void> {
  // What was deleted cannot come back; nothing to undo.
}
