// A write the database refuses, for proving that what belongs together is written together:
// a trigger raises on the rows `when` names, on PostgreSQL and on the embedded database alike,
// while `work` runs; it is removed afterwards whatever happened.
import type { Knex } from 'knex';

let serial = 0;

export async function withFailingInsert<T>(knex: Knex, table: string, when: string, work: () => Promise<T>): Promise<T> {
  serial += 1;
  const name = `xacthuc_test_failure_${process.pid}_${serial}`;
  await knex.raw(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'failure injected by the test'; END $$`);
  await knex.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}()`);
  try {
    return await work();
  } finally {
    await knex.raw(`DROP TRIGGER ${name} ON ${table}`);
    await knex.raw(`DROP FUNCTION ${name}()`);
  }
}
