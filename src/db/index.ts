import { setTimeout } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { lockDataDir } from './embedded-lock.ts';
import { renameRecordedMigrations } from './migration-names.ts';

export { DatabaseInUseError, isProcessAlive } from './embedded-lock.ts';
export { batched, prepared } from './batch.ts';
export { isDatabaseUnavailable } from './unavailable.ts';
export { lockQuotaKeys } from './quota.ts';
export { deferredWrites, flushDeferredWrites, forgetAllRows, readAhead, readsAhead, requestScope, rowsVersion, type DeferredWrites, type ReadAhead, type RequestScopeSettings } from './request-scope.ts';
export type { Knex };

export interface Database {
  knex: Knex;
  engine: 'postgresql' | 'pglite';
  close(): Promise<void>;
}

const migrationsDirectory = fileURLToPath(new URL('../../migrations', import.meta.url));
const MIGRATIONS_TABLE = 'knex_migrations';

const migrationConfig: Knex.MigratorConfig = {
  directory: migrationsDirectory,
  loadExtensions: ['.ts'],
  tableName: MIGRATIONS_TABLE,
};

/** knex's own warnings (a connection that broke, one that could not be opened) as JSON log lines, not console text. */
function knexLog(logger: Logger | undefined): Knex.Config['log'] {
  if (!logger) return undefined;
  const line = (level: 'warn' | 'error' | 'debug') => (message: unknown) => logger[level]({ source: 'knex', detail: message instanceof Error ? message.message : String(message) }, 'database driver');
  return { warn: line('warn'), error: line('error'), deprecate: line('warn'), debug: line('debug') };
}

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, logger?: Logger): Promise<Database> {
  if (config.databaseUrl) {
    const knex = knexFactory({
      client: 'pg',
      connection: config.databaseUrl,
      pool: { min: 0, max: 10 },
      migrations: migrationConfig,
      log: knexLog(logger),
    });
    return { knex, engine: 'postgresql', close: () => knex.destroy() };
  }
  const release = await lockDataDir(config.dataDir);
  const knex = knexFactory({
    client: ClientPgLite as unknown as typeof knexFactory.Client,
    dialect: 'postgres',
    connection: { filename: join(config.dataDir, 'pglite') } as Knex.StaticConnectionConfig,
    migrations: migrationConfig,
    log: knexLog(logger),
  });
  return {
    knex,
    engine: 'pglite',
    close: async () => {
      await knex.destroy();
      await release();
    },
  };
}

// Held while migrating, so nodes started together on a fresh PostgreSQL database queue up
// instead of racing to create knex's own bookkeeping tables.
const MIGRATION_LOCK = 0x78616375;
const MIGRATION_LOCK_POLL_MS = 200;

async function tryMigrationLock(knex: Knex, connection: unknown): Promise<boolean> {
  const { rows } = (await knex.raw('SELECT pg_try_advisory_lock(?) AS locked', [MIGRATION_LOCK]).connection(connection)) as { rows: Array<{ locked: boolean }> };
  return rows[0]?.locked === true;
}

export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const latest = async () => {
    await renameRecordedMigrations(knex, MIGRATIONS_TABLE);
    return ((await knex.migrate.latest(migrationConfig)) as [number, string[]])[1];
  };
  // PGlite has a single connection and a single process: nothing to race with.
  if (knex.client.config.client !== 'pg') return latest();
  const connection = await knex.client.acquireConnection();
  try {
    // Polled, not waited for in one statement: a node blocked in pg_advisory_lock holds a snapshot
    // for as long as it waits, and a migration of the node holding the lock that builds an index
    // CONCURRENTLY waits for every such snapshot to end: both would wait for ever, a deadlock
    // PostgreSQL cannot see (it runs through this code). Between polls the waiting node holds none.
    while (!(await tryMigrationLock(knex, connection))) await setTimeout(MIGRATION_LOCK_POLL_MS);
    try {
      return await latest();
    } finally {
      await knex.raw('SELECT pg_advisory_unlock(?)', [MIGRATION_LOCK]).connection(connection);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

/** True when every migration shipped with this build has been applied. */
export async function migrationsCurrent(knex: Knex): Promise<boolean> {
  const [, pending] = (await knex.migrate.list(migrationConfig)) as [unknown[], unknown[]];
  return pending.length === 0;
}
