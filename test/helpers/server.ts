// Starts a real xacthuc for a test file: its own database (a fresh PostgreSQL database
// when DATABASE_URL is set, otherwise a fresh embedded PGlite directory) and its own port.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import type { Clock, Sleep } from '../../src/clock.ts';
import type { Logger } from '../../src/logger.ts';
import { copyPgliteTemplate, createFromPostgresTemplate } from './template-database.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A database of its own: PostgreSQL when DATABASE_URL is set, else a PGlite directory.
 * Migrated (a copy of the run's template database) unless `migrated: false` asks for an
 * empty one, for the tests of migrating itself.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `xacthuc_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      if (migrated) await createFromPostgresTemplate(base, admin, name);
      else await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      async drop() {
        const client = new pg.Client({ connectionString: base });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'xacthuc-test-'));
  if (migrated) await copyPgliteTemplate(dir);
  return { env: { DATA_DIR: dir, DATABASE_URL: '' }, drop: () => rm(dir, { recursive: true, force: true }) };
}

export interface TestServer extends RunningServer {
  config: Config;
  env: Record<string, string>;
  /** Every wait the server was asked for, in milliseconds (the delay after wrong passwords), oldest first: recorded, not waited. */
  waits: number[];
  stop(): Promise<void>;
}

/** A Sleep that returns at once and records each wait it was asked for. */
export function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    async sleep(milliseconds) {
      waits.push(milliseconds);
    },
  };
}

/** Starts a server; `shared` reuses another server's database and secret (a second node). */
export async function startTestServer(
  options: { env?: Record<string, string>; shared?: TestServer; clock?: Clock; logger?: Logger } = {},
): Promise<TestServer> {
  const database = options.shared ? undefined : await createTestDatabase();
  const port = await freePort();
  const outbox = options.shared ? undefined : join(await mkdtemp(join(tmpdir(), 'xacthuc-sms-')), 'sms-outbox.jsonl');
  const env: Record<string, string> = {
    ...(options.shared ? options.shared.env : { ...database!.env, SECRET_KEY: randomBytes(32).toString('hex'), SMS_OUTBOX: outbox! }),
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ARGON2_MEMORY_KIB: '8192',
    ARGON2_TIME_COST: '1',
    ...options.env,
    PORT: String(port),
    ISSUER: `http://localhost:${port}`,
  };
  const config = loadConfig(env);
  const { sleep, waits } = recordingSleep();
  const running = await startServer(config, { clock: options.clock, logger: options.logger, sleep });
  return {
    ...running,
    config,
    env,
    waits,
    async stop() {
      await running.close();
      await database?.drop();
      if (outbox) await rm(dirname(outbox), { recursive: true, force: true });
    },
  };
}

export interface OutboxMessage {
  to: string;
  body: string;
  at: string;
}

/**
 * The SMS the server has "sent" (the console sender's outbox), oldest first; once the
 * codes and notices it sends after their answer (password reset, account locked) are out.
 */
export async function readOutbox(server: TestServer): Promise<OutboxMessage[]> {
  await Promise.all([server.services.otp.settled(), server.services.notifier.settled()]);
  const text = await readFile(server.env.SMS_OUTBOX, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as OutboxMessage);
}

/** The code in the latest SMS to `phone` (E.164). */
export async function latestCode(server: TestServer, phone: string): Promise<string> {
  const message = (await readOutbox(server)).filter((entry) => entry.to === phone).at(-1);
  if (!message) throw new Error(`no SMS to ${phone}`);
  return /\b(\d{6})\b/.exec(message.body)![1];
}

export interface MigratedTestDatabase {
  knex: Database['knex'];
  close(): Promise<void>;
}

/** A fresh database of its own, opened and migrated, for tests below the HTTP layer. */
export async function openMigratedTestDatabase(): Promise<MigratedTestDatabase> {
  const database = await createTestDatabase();
  const db = await openDatabase({ databaseUrl: database.env.DATABASE_URL || undefined, dataDir: database.env.DATA_DIR ?? 'var' });
  return {
    knex: db.knex,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}
