// The bench's own database, created fresh for each run and removed after it: a PGlite
// directory by default, or with DATABASE_URL a new database on that PostgreSQL server (the
// database named in the URL is never touched).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface BenchDatabase {
  /** Settings for xacthuc: DATABASE_URL, or DATA_DIR with DATABASE_URL emptied. */
  env: Record<string, string>;
  description: string;
  remove(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(databaseUrl: string | undefined, keep: boolean): Promise<BenchDatabase> {
  // DATA_DIR also for PostgreSQL: whatever else the server keeps on disk stays out of the work tree.
  const dir = await mkdtemp(join(tmpdir(), 'xacthuc-bench-'));
  const removeDir = () => rm(dir, { recursive: true, force: true });
  if (!databaseUrl) return { env: { DATA_DIR: dir, DATABASE_URL: '' }, description: 'embedded PGlite', remove: removeDir };
  const name = `xacthuc_bench_${randomBytes(4).toString('hex')}`;
  const version = await withClient(databaseUrl, async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  });
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DATA_DIR: dir },
    description: `PostgreSQL ${version.split(' ')[0]} (database ${name}${keep ? ', kept' : ''})`,
    async remove() {
      await removeDir();
      if (!keep) await withClient(databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
