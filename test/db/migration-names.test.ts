import test from 'ava';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { migrateToLatest, migrationsCurrent } from '../../src/db/index.ts';
import { RENAMED_MIGRATIONS } from '../../src/db/migration-names.ts';
import { openMigratedTestDatabase } from '../helpers/server.ts';

const directory = fileURLToPath(new URL('../../migrations', import.meta.url));
const NAME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})_[a-z0-9_]+\.ts$/;

test('migration files are named YYYYMMDDHHMM_what_it_does.ts, each at its own real time, in the order they run', async (t) => {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.ts'));
  t.true(files.length > 0);
  for (const file of files) {
    const parts = NAME.exec(file);
    t.truthy(parts, file);
    if (!parts) continue;
    const [year, month, day, hour, minute] = parts.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
    t.deepEqual([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()], [year, month, day, hour, minute], file);
  }
  // knex runs them in file-name order: with every name one fixed-width time, that is time order.
  const stamps = files.map((file) => file.slice(0, 12));
  t.is(new Set(stamps).size, stamps.length, 'no two migrations share a time');
  t.deepEqual([...files].sort(), [...files].sort((a, b) => Number(a.slice(0, 12)) - Number(b.slice(0, 12))));
});

test('the renamed migrations keep the order they ran in under their earlier names', async (t) => {
  const files = new Set(await readdir(directory));
  for (const [, after] of RENAMED_MIGRATIONS) t.true(files.has(after), after);
  const before = RENAMED_MIGRATIONS.map(([name]) => name);
  const after = RENAMED_MIGRATIONS.map(([, name]) => name);
  t.deepEqual([...before].sort(), before, 'the list is in the order knex ran the earlier names');
  t.deepEqual([...after].sort(), after, 'and the new names sort the same way');
});

test('a database migrated under the earlier names runs nothing again, and its records take the new names', async (t) => {
  const db = await openMigratedTestDatabase();
  try {
    const recorded = () => db.knex('knex_migrations').select('id', 'name', 'batch').orderBy('id');
    const migrated = await recorded();
    // A deployment migrated before the renaming: its knex_migrations holds the earlier names.
    for (const [before, after] of RENAMED_MIGRATIONS) await db.knex('knex_migrations').where({ name: after }).update({ name: before });
    const earlier = await recorded();
    t.deepEqual(earlier.map((row) => row.name).slice(0, RENAMED_MIGRATIONS.length), RENAMED_MIGRATIONS.map(([before]) => before));
    await db.knex('accounts').insert({ id: '1c7a4c5e-4a0e-4f5a-9c61-2f0d8b1e3a77', type: 'citizen', full_name: 'Nguyễn Văn An' });

    t.deepEqual(await migrateToLatest(db.knex), [], 'no migration runs again');
    t.deepEqual(await recorded(), migrated, 'the same records, under the new names');
    t.true(await migrationsCurrent(db.knex));
    t.is(Number((await db.knex('accounts').count({ n: '*' }))[0].n), 1, 'no table was made afresh');

    t.deepEqual(await migrateToLatest(db.knex), [], 'and once renamed, a later start has nothing to do');
    t.deepEqual(await recorded(), migrated);
  } finally {
    await db.close();
  }
});
