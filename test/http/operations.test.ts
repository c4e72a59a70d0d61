import test from 'ava';
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase, freePort, startTestServer } from '../helpers/server.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

test('the server starts, reports health and readiness, logs JSON with request ids, and stops cleanly on SIGTERM', async (t) => {
  const database = await createTestDatabase();
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...database.env, PORT: String(port), ISSUER: `http://localhost:${port}`, LOG_LEVEL: 'info', NODE_ENV: 'development', SECRET_KEY: randomBytes(32).toString('hex') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let terminal = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (terminal += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    let health: Response | undefined;
    for (let attempt = 0; attempt < 120 && !health; attempt += 1) {
      health = await fetch(`http://localhost:${port}/healthz`).catch(() => undefined);
      if (!health) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    t.is(health?.status, 200);
    const ready = await fetch(`http://localhost:${port}/readyz`, { headers: { 'x-request-id': 'probe-42' } });
    t.is(ready.status, 200);
    t.deepEqual(await ready.json(), { status: 'ready', database: 'ok' });
    t.is(ready.headers.get('x-request-id'), 'probe-42');
    const metrics = await (await fetch(`http://localhost:${port}/metrics`)).text();
    t.regex(metrics, /^xacthuc_http_requests_total\{route="other",status="2xx"\} [1-9]/m, 'requests counted by route family and status class');
    t.regex(metrics, /^xacthuc_process_resident_memory_bytes \d+/m);
    t.regex(metrics, /^xacthuc_database_statements_total [1-9]\d*$/m, 'statements sent to the database, the readiness check among them');

    child.kill('SIGTERM');
    t.is(await exited, 0);
    // Standard output is the log, JSON lines only; the development banner (no administrator yet:
    // the set-up link) goes to the terminal on standard error.
    const lines = output.trim().split('\n').map((line) => JSON.parse(line));
    t.regex(terminal, new RegExp(`http://localhost:${port}/setup/`), 'a new development server prints its set-up link');
    t.true(lines.some((line) => line.requestId === 'probe-42' && line.path === '/readyz' && line.status === 200));
    t.true(lines.some((line) => line.msg === 'shutting down'));
    if (database.env.DATA_DIR) t.false(existsSync(join(database.env.DATA_DIR, 'embedded-db.pid')), 'the embedded database is released');
  } finally {
    child.kill('SIGKILL');
    await database.drop();
  }
});

test('a bad setting stops the start with one line naming the variable', async (t) => {
  const error = await promisify(execFile)(process.execPath, [main], { env: { ...process.env, ISSUER: 'not-a-url' } }).catch((failure) => failure);
  t.is(error.code, 78);
  t.is(error.stderr.trim(), 'xacthuc: invalid configuration: ISSUER: "not-a-url" is not a URL');
});

test.serial('with METRICS_TOKEN set, /metrics answers only the bearer of that token', async (t) => {
  const token = randomBytes(32).toString('hex');
  const server = await startTestServer({ env: { METRICS_TOKEN: token } });
  t.teardown(() => server.stop());
  const scrape = (authorization?: string) => fetch(`${server.config.issuer}/metrics`, { headers: authorization ? { authorization } : {} });

  for (const [label, authorization] of [['no token', undefined], ['a wrong token', `Bearer ${randomBytes(32).toString('hex')}`], ['a prefix of the token', `Bearer ${token.slice(0, 10)}`], ['the token as a password', `Basic ${token}`]] as const) {
    const refused = await scrape(authorization);
    t.is(refused.status, 401, label);
    t.is(refused.headers.get('www-authenticate'), 'Bearer realm="metrics"', label);
    t.false((await refused.text()).includes('xacthuc_'), `${label}: no metrics`);
  }
  const served = await scrape(`Bearer ${token}`);
  t.is(served.status, 200);
  t.regex(await served.text(), /^xacthuc_database_statements_total \d+$/m);
});

test.serial('in production without METRICS_TOKEN, /metrics is not served; health checks are', async (t) => {
  const server = await startTestServer({ env: { NODE_ENV: 'production', SMS_PROVIDER: 'http', SMS_HTTP_URL: 'http://localhost:9/unused' } });
  t.teardown(() => server.stop());
  const metrics = await fetch(`${server.config.issuer}/metrics`);
  t.is(metrics.status, 404);
  t.false((await metrics.text()).includes('xacthuc_'));
  t.is((await fetch(`${server.config.issuer}/healthz`)).status, 200);
});

test.serial('HOST chooses the one address the server listens on; without it, every interface', async (t) => {
  const local = await startTestServer({ env: { HOST: '127.0.0.1' } });
  t.teardown(() => local.stop());
  t.is((local.server.address() as AddressInfo).address, '127.0.0.1');
  t.is((await fetch(`http://127.0.0.1:${local.config.port}/healthz`)).status, 200);

  const everywhere = await startTestServer();
  t.teardown(() => everywhere.stop());
  t.true(['::', '0.0.0.0'].includes((everywhere.server.address() as AddressInfo).address));
});
