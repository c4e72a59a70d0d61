import type { Knex } from 'knex';

// The first-run set-up links (src/setup/): while no account holds an operator role, each start
// prints a single-use link through which the first super-administrator is made in a browser.
// The link's token is stored only as a keyed hash of it, so a database dump holds no link that
// works; `account_id` is the administrator the link made.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('setup_tokens', (table) => {
    table.text('token_hmac').primary();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('used_at', { useTz: true });
    table.uuid('account_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('setup_tokens');
}
