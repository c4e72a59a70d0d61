import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import type { Config } from '../config.ts';
import { lockDataDir } from './embedded-lock.ts';

export { DatabaseInUseError } from './embedded-lock.ts';
export type { Knex };

export interface Database {
  knex: Knex;
  engine: 'postgresql' | 'pglite';
  close(): Promise<void>;
}

const migrationsDirectory = fileURLToPath(new URL('../../migrations', import.meta.url));

export const migrationConfig: Knex.MigratorConfig = {
  directory: migrationsDirectory,
  loadExtensions: ['.ts'],
  tableName: 'knex_migrations',
};

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  if (config.databaseUrl) {
    const knex = knexFactory({
      client: 'pg',
      connection: config.databaseUrl,
      pool: { min: 0, max: 10 },
      migrations: migrationConfig,
    });
    return { knex, engine: 'postgresql', close: () => knex.destroy() };
  }
  const release = await lockDataDir(config.dataDir);
  const knex = knexFactory({
    client: ClientPgLite as unknown as typeof knexFactory.Client,
    dialect: 'postgres',
    connection: { filename: join(config.dataDir, 'pglite') } as Knex.StaticConnectionConfig,
    migrations: migrationConfig,
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

export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

/** True when every migration shipped with this build has been applied. */
export async function migrationsCurrent(knex: Knex): Promise<boolean> {
  const [, pending] = (await knex.migrate.list(migrationConfig)) as [unknown[], unknown[]];
  return pending.length === 0;
}
