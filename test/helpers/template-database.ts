// One migrated database per test run, copied for every test server: migrating a fresh
// database (and, on PGlite, creating it) takes seconds, copying one takes a fraction.
// A run is one ava process: its test files run in worker processes whose parent it is,
// so the template is named after that parent, and a later run removes the templates of
// runs that have ended. The name also carries a fingerprint of the migrations, so a
// template never outlives the migrations it was made with.
import { createHash } from 'node:crypto';
import { access, cp, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { isProcessAlive, migrateToLatest, openDatabase } from '../../src/db/index.ts';

const migrations = fileURLToPath(new URL('../../migrations', import.meta.url));
const pglitePackage = fileURLToPath(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url));

/** The migrations' names and contents, and the PGlite release that lays out the files. */
async function fingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(migrations)).sort()) hash.update(`${name}\0`).update(await readFile(join(migrations, name))).update('\0');
  hash.update(JSON.parse(await readFile(pglitePackage, 'utf8')).version);
  return hash.digest('hex').slice(0, 12);
}

const run = process.ppid;

// --- PGlite: a migrated data directory under the system temporary directory -------------

const PGLITE_PREFIX = 'xacthuc-template-';
let pgliteTemplate: Promise<string> | undefined;

async function buildPgliteTemplate(): Promise<string> {
  const root = tmpdir();
  for (const entry of await readdir(root)) {
    const owner = new RegExp(`^${PGLITE_PREFIX}(\\d+)-`).exec(entry);
    if (owner && !isProcessAlive(Number(owner[1]))) await rm(join(root, entry), { recursive: true, force: true }).catch(() => {});
  }
  const final = join(root, `${PGLITE_PREFIX}${run}-${await fingerprint()}`);
  if (await access(final).then(() => true, () => false)) return final;
  // Made aside and renamed into place, so no test ever copies a half-made template; when
  // two test files make it at once, the first rename wins and the other copy is dropped.
  const building = await mkdtemp(`${final}.building-`);
  const db = await openDatabase({ databaseUrl: undefined, dataDir: building });
  try {
    await migrateToLatest(db.knex);
  } finally {
    // Closed before it is copied: PGlite writes its files out when it shuts down.
    await db.close();
  }
  await rename(building, final).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    await rm(building, { recursive: true, force: true });
  });
  return final;
}

/** Copies the run's migrated PGlite data directory into `dataDir` (made if missing). */
export async function copyPgliteTemplate(dataDir: string): Promise<void> {
  pgliteTemplate ??= buildPgliteTemplate();
  const template = await pgliteTemplate.catch((error) => {
    pgliteTemplate = undefined;
    throw error;
  });
  await cp(join(template, 'pglite'), join(dataDir, 'pglite'), { recursive: true });
}

// --- PostgreSQL: a migrated database, the TEMPLATE of every test database ---------------

const POSTGRES_PREFIX = 'xacthuc_template_';
let postgresTemplate: Promise<string> | undefined;

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `statement` again while PostgreSQL answers 55006: a session was still on the database. */
async function whileInUse(admin: pg.Client, statement: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await admin.query(statement);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 100) throw error;
      await sleep(50);
    }
  }
}

async function buildPostgresTemplate(base: string): Promise<string> {
  const name = `${POSTGRES_PREFIX}${run}_${await fingerprint()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    // One maker per template; the other test files of the run wait for it.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    const existing = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'xacthuc\\_template\\_%'");
    for (const { datname } of existing.rows) {
      const owner = /^xacthuc_template_(\d+)_/.exec(datname);
      if (owner && !isProcessAlive(Number(owner[1]))) await admin.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => {});
    }
    if (existing.rows.some((row) => row.datname === name)) return name;
    const building = `${name}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${building}`);
    const db = await openDatabase({ databaseUrl: databaseUrl(base, building), dataDir: 'var' });
    try {
      await migrateToLatest(db.knex);
    } finally {
      await db.close();
    }
    // Renamed once migrated and left alone: CREATE DATABASE … TEMPLATE refuses a template
    // any session is connected to.
    await whileInUse(admin, `ALTER DATABASE ${building} RENAME TO ${name}`);
    return name;
  } finally {
    await admin.end();
  }
}

/** Creates the database `name` as a copy of the run's migrated template. */
export async function createFromPostgresTemplate(base: string, admin: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    postgresTemplate ??= buildPostgresTemplate(base);
    const template = await postgresTemplate.catch((error) => {
      postgresTemplate = undefined;
      throw error;
    });
    try {
      await whileInUse(admin, `CREATE DATABASE ${name} TEMPLATE ${template}`);
      return;
    } catch (error) {
      // 3D000: the template is gone (removed by another run that took this one for ended).
      if ((error as { code?: string }).code !== '3D000' || attempt > 0) throw error;
      postgresTemplate = undefined;
    }
  }
}
