// Operator commands while `npm start` runs on the embedded database: the CLI cannot open
// DATA_DIR, so the server runs them, sent through its socket DATA_DIR/cli.sock (README,
// "Operator commands"). The server here is `node src/main.ts` in a process of its own, as
// `npm start` runs it; the commands run in this process through `main`, as `npm run cli` does.
// On PostgreSQL the CLI opens its own connection (test/http/cli.test.ts).
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as oidc from 'openid-client';
import { createTestDatabase, freePort, type TestDatabase, type TestServer } from '../helpers/server.ts';
import { operatorCli, type CliAnswer } from '../helpers/cli.ts';
import { completeFlow, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { readForm, UserAgent } from '../helpers/user-agent.ts';
import { t as translate } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';
import type { RegisteredClient } from '../../src/oidc/index.ts';

const embedded = process.env.DATABASE_URL ? test.skip : test.serial;

let served: TestDatabase;
let unserved: TestDatabase;
let serverEnv: Record<string, string>;
let unservedEnv: Record<string, string>;
let child: ChildProcess;
let exited: Promise<number | null>;
let log = '';
let socket: string;

test.before(async () => {
  if (process.env.DATABASE_URL) return;
  [served, unserved] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const port = await freePort();
  const common = { ...(process.env as Record<string, string>), NODE_ENV: 'test', ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1', LOCKOUT_MAX_FAILURES: '2' };
  serverEnv = { ...common, ...served.env, SECRET_KEY: randomBytes(32).toString('hex'), PORT: String(port), ISSUER: `http://localhost:${port}`, LOG_LEVEL: 'info' };
  unservedEnv = { ...common, ...unserved.env, SECRET_KEY: randomBytes(32).toString('hex') };
  socket = join(served.env.DATA_DIR, 'cli.sock');
  child = spawn(process.execPath, [fileURLToPath(new URL('../../src/main.ts', import.meta.url))], { env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  // The socket is opened once the server listens.
  for (let attempt = 0; attempt < 240 && !existsSync(socket) && child.exitCode === null; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 250));
  if (!existsSync(socket)) throw new Error(`the server did not open ${socket}:\n${log}`);
});
test.after.always(async () => {
  child?.kill('SIGKILL');
  await Promise.all([served?.drop(), unserved?.drop()]);
});

const withServer = operatorCli(() => serverEnv);
const withoutServer = operatorCli(() => unservedEnv);

/** The server that `npm start` runs, as the relying-party helpers address it. */
const server = () => ({ config: { issuer: serverEnv.ISSUER } }) as TestServer;

// Vietnamese by default; the password is sent on standard input.
const PASSWORD = 'Hoàng-Thành-Huế-1802';
const citizen = ['account:create', '--type', 'citizen', '--national-id', '046090000888', '--full-name', 'Võ Thị Sáu', '--birthdate', '1990-01-01', '--gender', 'male', '--phone', '0911888999', '--password', '-'];

/** What differs from one database to another (generated identifiers, secrets, times) named by its type. */
function comparable(answer: CliAnswer) {
  const VARYING = new Set(['id', 'client_id', 'client_secret', 'client_id_issued_at', 'introduced', 'signs_from', 'previous_keys_retire_at']);
  const stdout = answer.stdout ? JSON.parse(answer.stdout, (key, value) => (VARYING.has(key) ? typeof value : value)) : '';
  return { code: answer.code, stdout, stderr: answer.stderr };
}

/** Writes `data` straight to the socket; answers what comes back. */
function raw(data: string): Promise<string> {
  return new Promise((resolve) => {
    const connection = createConnection(socket, () => connection.write(data));
    let received = '';
    connection.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    connection.on('error', () => {});
    connection.on('close', () => resolve(received));
  });
}

embedded('the socket the server listens on for commands can be opened only by the user running it (mode 0600)', (t) => {
  const stat = statSync(socket);
  t.true(stat.isSocket());
  t.is(stat.mode & 0o777, 0o600);
});

embedded('every command gives the same output and exit code with the server running as without it', async (t) => {
  const commands: [input: string | undefined, args: string[]][] = [
    [undefined, ['migrate']],
    [`${PASSWORD}\n`, citizen],
    [`${PASSWORD}\n`, citizen], // a duplicate: 65
    [undefined, ['account:require-password-change', '--identifier', '046090000888']],
    [undefined, ['account:unlock', '--identifier', '0911888999']],
    [undefined, ['account:unlock', '--identifier', '001099000000']], // nobody: 64
    [undefined, ['account:create', '--type', 'citizen', '--national-id', '046090000889', '--full-name', 'Lý Văn Tám', '--birthdate', '1990-02-30', '--gender', 'male', '--phone', '0911888990', '--password', PASSWORD]],
    [undefined, ['client:create', '--name', 'Cổng dịch vụ công', '--redirect-uri', 'https://dichvucong.hue.gov.vn/cb', '--purpose', 'Giải quyết thủ tục hành chính trực tuyến']],
    [undefined, ['client:create', '--redirect-uri', 'https://dichvucong.hue.gov.vn/cb']], // no name: 64
    [undefined, ['keys:rotate']],
    [undefined, ['admin:create', '--national-id', '046085000321', '--full-name', 'Phan Văn Quản', '--birthdate', '1985-02-02', '--gender', 'male', '--phone', '0911222333', '--password', '-']], // nothing on standard input: 64
  ];
  const codes: number[] = [];
  for (const [input, args] of commands) {
    const alone = await withoutServer.withInput(input, ...args);
    const running = await withServer.withInput(input, ...args);
    t.deepEqual(comparable(running), comparable(alone), args.join(' '));
    codes.push(running.code);
  }
  t.deepEqual(codes, [0, 0, 65, 0, 0, 64, 64, 0, 64, 0, 64]);
});

embedded('what the commands do is what the running server then does', async (t) => {
  const created = await withServer.run('client:create', '--name', 'Cổng thử nghiệm', '--redirect-uri', RP_CALLBACK, '--scope', 'openid profile phone offline_access', '--purpose', 'Thử đăng nhập', '--subject-type', 'public', '--public-subject-reason', 'So khớp với tài khoản trong bài kiểm thử');
  t.is(created.code, 0, created.stderr);
  const rp = await discover(server(), JSON.parse(created.stdout) as RegisteredClient);
  const national = '046090000777';
  const account = await withServer.withInput(`${PASSWORD}\n`, 'account:create', '--type', 'citizen', '--national-id', national, '--full-name', 'Trần Văn Bảy', '--birthdate', '1990-07-07', '--gender', 'male', '--phone', '0911777666', '--password', '-');
  t.is(account.code, 0, account.stderr);
  const { id } = JSON.parse(account.stdout);

  // LOCKOUT_MAX_FAILURES=2: two wrong passwords lock the personal number, the right one is then refused.
  for (const password of ['Sai-mật-khẩu-1x', 'Sai-mật-khẩu-2x']) await signInThroughPages(new UserAgent(), await startAuthorization(rp), national, password);
  const locked = await signInThroughPages(new UserAgent(), await startAuthorization(rp), national, PASSWORD);
  t.is(locked.status, 429);
  t.true(locked.body.includes(escapeHtml(translate('vi', 'signin.locked', { minutes: 15 }))));

  const unlocked = await withServer.run('account:unlock', '--identifier', national);
  t.is(unlocked.code, 0, unlocked.stderr);
  t.true(JSON.parse(unlocked.stdout).unlocked);
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, national, PASSWORD));
  t.is(tokens.claims()!.sub, id, 'the account the server did not have a moment ago signs in to the client it did not have either');
  t.truthy(await oidc.fetchUserInfo(rp, tokens.access_token, id));

  const required = await withServer.run('account:require-password-change', '--identifier', national);
  t.is(required.code, 0, required.stderr);
  const next = await startAuthorization(rp);
  const agent = new UserAgent();
  const login = await agent.get(next.url.href, RP_CALLBACK);
  const form = readForm(login);
  const change = await agent.submit(login, { action: form.action, fields: { ...form.fields, identifier: national, password: PASSWORD } }, RP_CALLBACK);
  t.true(change.body.includes(escapeHtml(translate('vi', 'password_change.reason_required'))));

  t.false(log.includes(PASSWORD), 'the password sent on standard input is not in the server\'s log');
  t.true(log.split('\n').some((line) => line.includes('"msg":"operator command run"') && line.includes('"command":"account:create"')));
});

embedded('a request written straight to the socket that is not a command is refused, and nothing runs', async (t) => {
  const request = (fields: Record<string, unknown>) => `${JSON.stringify(fields)}\n`;
  const argv = ['account:create', '--type', 'organization', '--tax-code', '0100107518', '--org-name', 'Công ty Thử Nghiệm', '--phone', '+84987654321', '--password', '-'];
  for (const [label, data, reason] of [
    ['garbage', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', /not a line of JSON/],
    ['a line longer than 64 KiB', request({ argv, stdin: 'x'.repeat(64 * 1024) }), /larger than 64 KiB/],
    ['64 KiB and more without a line end', 'x'.repeat(64 * 1024 + 1), /larger than 64 KiB/],
    ['settings of its own', request({ argv, stdin: PASSWORD, env: { DATABASE_URL: 'postgres://elsewhere/db' } }), /fields other than argv and stdin/],
    ['arguments that are not strings', request({ argv: ['account:create', { $gt: '' }], stdin: PASSWORD }), /argv is not a list of strings/],
    ['not an object', request([argv] as unknown as Record<string, unknown>), /not a JSON object/],
    ['an unknown command', request({ argv: ['db:drop'] }), /unknown command "db:drop"/],
  ] as const) {
    const answer = JSON.parse(await raw(data));
    t.is(answer.code, 64, label);
    t.is(answer.stdout, '', label);
    t.regex(answer.stderr, reason, label);
  }
  const organization = await withServer.withInput(PASSWORD, ...argv);
  t.is(organization.code, 0, `none of the refused requests created the organization: ${organization.stderr}`);
});

embedded('once the server stops, its socket is gone and the CLI opens the database itself again', async (t) => {
  child.kill('SIGTERM');
  t.is(await exited, 0);
  t.false(existsSync(socket));
  const migrate = await withServer.run('migrate');
  t.is(migrate.code, 0, migrate.stderr);
  t.deepEqual(JSON.parse(migrate.stdout), { applied: [] });
  // The commands the server ran are recorded as the CLI's own are.
  const events = await withServer.withDatabase((knex) => knex('audit_events').whereIn('type', ['account.created', 'account.unlocked', 'password.change_required']));
  const count = (type: string) => events.filter((event) => event.type === type).length;
  t.deepEqual([count('account.created'), count('account.unlocked'), count('password.change_required')], [3, 2, 2]);
  t.true(events.every((event) => (typeof event.details === 'string' ? JSON.parse(event.details) : event.details).via === 'cli'));
});

embedded('with the database held by a process that does not answer on the socket, the refusal names the socket', async (t) => {
  const dataDir = unserved.env.DATA_DIR;
  // A process of another kind (here, one that only waits) holds DATA_DIR.
  const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const lock = join(dataDir, 'embedded-db.pid');
  await writeFile(lock, String(holder.pid));
  t.teardown(async () => {
    holder.kill('SIGKILL');
    await rm(lock, { force: true });
  });
  const answer = await withoutServer.run('account:unlock', '--identifier', '0911888999');
  t.is(answer.code, 75);
  t.regex(answer.stderr, new RegExp(`in use by another xacthuc process \\(pid ${holder.pid}\\).* its socket ${join(dataDir, 'cli.sock').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, which does not answer \\(ENOENT\\)`));
  t.is(answer.stderr.trim().split('\n').length, 1);
});
