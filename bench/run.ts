// `npm run bench`: starts xacthuc as an operator would, seeds it, drives it over HTTP from
// a separate load process, measures the machine's own ceilings in the same run (argon2id
// verifications, a bare oidc-provider's token endpoint), and prints one table; the same
// figures go to bench/results/latest.json. With --compare-scope it measures instead the
// request-scope variants side by side (compare-scope.ts). Exits 1 when the server errored or
// any request failed: a benchmark that hides errors is worthless. A missed target is printed,
// with where the time goes, but does not change the exit code: figures on a shared machine
// are noisy.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { openServices } from '../src/server.ts';
import { hashPassword } from '../src/passwords/index.ts';
import type { RegisteredClient } from '../src/oidc/clients.ts';
import { createBenchDatabase, type BenchDatabase } from './database.ts';
import type { RelyingParty } from './flows.ts';
import { nationalIdOf } from './identities.ts';
import type { LoadJob, LoadResult, Scenario } from './load.ts';
import { parseBenchOptions, USAGE, UsageError, type BenchOptions } from './options.ts';
import { Argon2Ceiling, BareProvider, cpuOf, databaseCpuMs, freePort, LoadGenerator, ServerProcess, threadPoolSize, type Memory } from './processes.ts';
import { benchFigures, combineSlices, type Measured, type Runs } from './figures.ts';
import { COMPARED_FLOWS, interleave, SCOPE_VARIANTS, scopeFigures, scopeTable, type ScopeRuns } from './compare-scope.ts';
import { judge, missedTargetNotes, table } from './report.ts';
import { REDIRECT_URI, seedAccounts, seedClient } from './seed.ts';
import { median } from './stats.ts';

const PASSWORD = 'Mật-khẩu-Đo-2026';
const say = (text: string) => process.stderr.write(`bench: ${text}\n`);
const count = (value: number) => value.toLocaleString('en-US');

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message ? `${error.message}\n\n` : ''}${USAGE}\n`);
  process.exit(error.message ? 64 : 0);
}

const failures = new Map<string, number>();
let httpErrors = 0;

function tally(label: string, result: LoadResult): LoadResult {
  for (const [key, times] of Object.entries(result.errors)) failures.set(`${label}: ${key}`, (failures.get(`${label}: ${key}`) ?? 0) + times);
  httpErrors += result.httpErrors;
  return result;
}

/** People spread evenly over the seeded serials, so lookups touch the whole index. */
function spreadIdentifiers(people: number, accounts: number): string[] {
  return Array.from({ length: people }, (_, index) => nationalIdOf(Math.floor(((index + 0.5) * accounts) / people)));
}

const secretKey = randomBytes(32).toString('hex');
/** PostgreSQL's CPU is counted only when the bench's databases are on this machine's server. */
const localPostgres = ((url) => {
  if (!url) return false;
  const host = URL.parse(url)?.hostname ?? '';
  return ['', 'localhost', '127.0.0.1', '[::1]'].includes(host);
})(process.env.DATABASE_URL);
const profiles = options.cpuProfile ? resolve('bench/results/profiles') : undefined;
if (profiles) await mkdir(profiles, { recursive: true });

/** xacthuc's settings for one database: what an operator would set, on a free local port. */
async function serverEnv(database: BenchDatabase): Promise<Record<string, string>> {
  const port = await freePort();
  return {
    ...(process.env as Record<string, string>),
    ...database.env,
    // Not production: its start-up checks (an SMS gateway, https) refuse settings a local
    // run cannot have, and no request is served differently for it.
    NODE_ENV: 'development',
    PORT: String(port),
    ISSUER: `http://localhost:${port}`,
    SECRET_KEY: secretKey,
    LOG_LEVEL: 'warn',
    UV_THREADPOOL_SIZE: String(threadPoolSize(process.env)),
  };
}

/** Seeds accounts [0, accounts); registers the relying party, or copies one registered before. */
async function seed(env: Record<string, string>, accounts: number, client?: RegisteredClient) {
  const services = await openServices(loadConfig(env), { logger: createLogger({ logLevel: 'warn' }) });
  try {
    const registered = client ?? await seedClient(services);
    if (client) {
      const { client_secret: secret, client_id_issued_at: _issued, client_secret_expires_at: _expires, ...metadata } = client;
      await services.clients.insert(metadata, secret);
    }
    const started = performance.now();
    await seedAccounts(services, 0, accounts, passwordHash);
    const seconds = (performance.now() - started) / 1000;
    say(`seeded ${count(accounts)} accounts in ${seconds.toFixed(1)} s (${count(Math.round(accounts / seconds))}/s)`);
    return { client: registered, seconds };
  } finally {
    await services.db.close();
  }
}

const databases: BenchDatabase[] = [];
const helpers: Array<{ stop(): Promise<unknown> }> = [];
const servers: ServerProcess[] = [];
const runs: Runs = { argon2: [], signIn: [], bareSignIn: [], tokens: {}, latency: [], small: [], large: [], memory: [] };
const scopeRuns: ScopeRuns = {};
/** Seconds spent seeding, by number of accounts (by variant with --compare-scope). */
const seeding: Record<string, number> = {};
let largeMemory: Memory | undefined;
let halfPeak = Number.NaN;
let description = '';
const { argon2 } = loadConfig(process.env);
const passwordHash = await hashPassword(PASSWORD, argon2);
const load = new LoadGenerator();
helpers.push(load);
const people = 2 * Math.max(options.concurrency, options.tokenConcurrency);
const warmup = options.quick ? 500 : 1000;

/**
 * Points the load generator at a provider and signs its people in; returns who they are.
 * `bare`: the bare provider's origin, whose client credentials are measured beside xacthuc's.
 */
async function prepare(target: string, origin: string, accounts: number, rp: RelyingParty, bare?: string): Promise<string[]> {
  const identifiers = spreadIdentifiers(people, accounts);
  const withBare = bare ? { origin: bare, clientId: rp.clientId, clientSecret: rp.clientSecret } : undefined;
  await load.run({ kind: 'target', target, xacthuc: origin, rp, password: PASSWORD, bare: withBare });
  // First sign-ins: consent given, a browser session and a refresh token per person.
  tally('first sign-in', await load.run({ kind: 'prepare', target, identifiers, concurrency: 4 }));
  return identifiers;
}

/** A closed-loop run, with the CPU the measured server spent per operation meanwhile. */
async function closed(target: string, pid: number, scenario: Scenario, concurrency: number, durationMs: number): Promise<Measured> {
  const job: LoadJob = { kind: 'closed', target, scenario, concurrency, warmupMs: scenario === 'sign-in' ? warmup : warmup / 2, durationMs };
  const databaseCpu = () => (localPostgres ? databaseCpuMs() : Number.NaN);
  const measured = servers.find((server) => server.pid === pid);
  const statements = () => (measured ? measured.statements() : Number.NaN);
  const [before, databaseBefore, statementsBefore] = [await cpuOf(pid), await databaseCpu(), await statements()];
  const result = tally(scenario, await load.run(job));
  const [after, databaseAfter, statementsAfter] = [await cpuOf(pid), await databaseCpu(), await statements()];
  const per = (ms: number) => ms / result.operations;
  return {
    ...result,
    serverMainMs: per(after.mainMs - before.mainMs),
    serverTotalMs: per(after.totalMs - before.totalMs),
    generatorMs: per(result.generatorCpuMs),
    databaseMs: per(databaseAfter - databaseBefore),
    statements: per(statementsAfter - statementsBefore),
  };
}

/** The full bench: ceilings, sign-in, tokens, latency, scale, memory. */
async function benchEverything(): Promise<void> {
  const small = await createBenchDatabase(process.env.DATABASE_URL, options.keepDatabase);
  databases.push(small);
  description = small.description;
  say(`database: ${description}; argon2id m=${argon2.memoryCost} KiB, t=${argon2.timeCost}, p=${argon2.parallelism}`);
  const smallEnv = await serverEnv(small);
  const { client, seconds } = await seed(smallEnv, options.accounts);
  seeding[String(options.accounts)] = seconds;
  const rp: RelyingParty = { clientId: client.client_id, clientSecret: client.client_secret!, redirectUri: REDIRECT_URI };

  const server = await ServerProcess.start(smallEnv, { cpuProfileDir: profiles });
  servers.push(server);
  const bare = await BareProvider.start({
    client_id: client.client_id,
    client_secret: client.client_secret,
    grant_types: client.grant_types,
    redirect_uris: client.redirect_uris,
    response_types: client.response_types,
    token_endpoint_auth_method: client.token_endpoint_auth_method,
  }, passwordHash);
  helpers.push(bare);
  const ceiling = await Argon2Ceiling.start(smallEnv);
  helpers.push(ceiling);
  await prepare('small', server.url, options.accounts, rp, bare.origin);
  // The bare provider signs in the same people, so that its refresh tokens exist too.
  const bareIdentifiers = await prepare('bare', bare.origin, options.accounts, rp);

  /** Token figures by name: xacthuc's endpoints and, beside them, the bare provider's. */
  const tokenRuns: Array<{ name: string; target: string; pid: number; scenario: Scenario }> = [
    { name: 'bare-client-credentials', target: 'small', pid: bare.pid, scenario: 'bare-client-credentials' },
    { name: 'bare-refresh', target: 'bare', pid: bare.pid, scenario: 'refresh' },
    ...(['client-credentials', 'refresh', 'userinfo', 'introspection', 'jwks'] as const).map((scenario) => ({ name: scenario, target: 'small', pid: server.pid, scenario })),
  ];

  // Each round alternates short slices of the figures compared with each other: the argon2id
  // ceiling with sign-in, the bare provider with xacthuc's token endpoints.
  const slices = options.quick ? 2 : 4;
  const slice = async (target: string, pid: number, scenario: Scenario, concurrency: number, seconds: number) =>
    ({ ...await closed(target, pid, scenario, concurrency, (seconds * 1000) / slices), seconds: seconds / slices });
  for (let round = 1; round <= options.runs; round += 1) {
    say(`round ${round}/${options.runs}: argon2id ceiling and sign-in, bare provider and token endpoints`);
    const argon: Array<{ perSecond: number; cpuMsPerVerify: number }> = [];
    const signIn = [];
    const bareSignIn = [];
    for (let index = 0; index < slices; index += 1) {
      const measured = await ceiling.measure(warmup / 2, (options.signInSeconds * 1000) / slices);
      if (measured.wrong) failures.set('argon2 ceiling: verification failed', measured.wrong);
      argon.push(measured);
      signIn.push(await slice('small', server.pid, 'sign-in', options.concurrency, options.signInSeconds));
      bareSignIn.push(await slice('bare', bare.pid, 'sign-in', options.concurrency, options.signInSeconds));
    }
    runs.bareSignIn.push(combineSlices(bareSignIn));
    runs.argon2.push({
      perSecond: argon.reduce((sum, measured) => sum + measured.perSecond, 0) / slices,
      cpuMsPerVerify: argon.reduce((sum, measured) => sum + measured.cpuMsPerVerify, 0) / slices,
    });
    runs.signIn.push(combineSlices(signIn));
    const tokens = new Map<string, Parameters<typeof combineSlices>[0]>(tokenRuns.map(({ name }) => [name, []]));
    for (let index = 0; index < slices; index += 1) {
      for (const { name, target, pid, scenario } of tokenRuns) {
        // The bare provider's in-memory store forgot its refresh tokens during the sign-ins.
        if (target === 'bare') tally('bare sign-in', await load.run({ kind: 'prepare', target, identifiers: bareIdentifiers, concurrency: 4 }));
        tokens.get(name)!.push(await slice(target, pid, scenario, options.tokenConcurrency, options.tokenSeconds));
      }
    }
    for (const [name, measured] of tokens) (runs.tokens[name] ??= []).push(combineSlices(measured));
    runs.memory.push(await server.memory());
    say(`  argon2id ${runs.argon2.at(-1)!.perSecond.toFixed(1)}/s, sign-in ${runs.signIn.at(-1)!.perSecond.toFixed(1)}/s (bare ${runs.bareSignIn.at(-1)!.perSecond.toFixed(1)}/s), bare client-credentials ${Math.round(runs.tokens['bare-client-credentials'].at(-1)!.perSecond)}/s`);
  }

  // Half of the peak measured just before each latency run: on a shared machine the peak of
  // a minute ago may no longer be there.
  const rates: number[] = [];
  for (let round = 1; round <= options.runs; round += 1) {
    const peak = await closed('small', server.pid, 'sign-in', options.concurrency, (options.signInSeconds * 1000) / 2);
    rates.push(peak.perSecond / 2);
    say(`round ${round}/${options.runs}: sign-in latency at ${rates.at(-1)!.toFixed(1)}/s, half the peak of ${peak.perSecond.toFixed(1)}/s just measured`);
    runs.latency.push(tally('sign-in at half peak', await load.run({ kind: 'open', target: 'small', rate: rates.at(-1)!, warmupMs: warmup, durationMs: options.latencySeconds * 1000 })));
  }
  halfPeak = median(rates);
  runs.memory.push(await server.memory());
  await server.stop();

  // The same relying party and secret key on a second database with every account; then
  // two fresh servers, warmed alike, measured in turn so that drift hits both sizes alike.
  const large = await createBenchDatabase(process.env.DATABASE_URL, options.keepDatabase);
  databases.push(large);
  const largeEnv = await serverEnv(large);
  seeding[String(options.largeAccounts)] = (await seed(largeEnv, options.largeAccounts, client)).seconds;
  const sizes = [
    { target: 'small', server: await ServerProcess.start(smallEnv, { cpuProfileDir: profiles }), accounts: options.accounts, results: runs.small },
    { target: 'large', server: await ServerProcess.start(largeEnv, { cpuProfileDir: profiles }), accounts: options.largeAccounts, results: runs.large },
  ];
  for (const size of sizes) {
    servers.push(size.server);
    await prepare(size.target, size.server.url, size.accounts, rp, bare.origin);
    tally('warm-up', await load.run({ kind: 'closed', target: size.target, scenario: 'sign-in', concurrency: options.concurrency, warmupMs: 0, durationMs: options.signInSeconds * 1000 }));
  }
  for (let round = 1; round <= options.runs; round += 1) {
    say(`round ${round}/${options.runs}: one sign-in at a time, ${count(options.accounts)} and ${count(options.largeAccounts)} accounts`);
    for (const size of round % 2 ? sizes : [...sizes].reverse()) {
      size.results.push(await closed(size.target, size.server.pid, 'sign-in', 1, options.latencySeconds * 1000));
    }
  }
  largeMemory = await sizes[1].server.memory();
}

/**
 * `--compare-scope`: a server per request-scope variant, each on its own database seeded
 * alike (the embedded database serves one process only), the same relying party and secret
 * key, warmed alike, then every flow measured on each variant in turn, round after round.
 */
async function compareScope(): Promise<void> {
  let client: RegisteredClient | undefined;
  const variants = [];
  for (const variant of SCOPE_VARIANTS) {
    const database = await createBenchDatabase(process.env.DATABASE_URL, options.keepDatabase);
    databases.push(database);
    const env = { ...await serverEnv(database), ...variant.env };
    const seeded = await seed(env, options.accounts, client);
    client ??= seeded.client;
    seeding[variant.name] = seeded.seconds;
    variants.push({ ...variant, env });
  }
  description = `${databases.length} databases seeded alike: ${databases.map((database) => database.description).join(', ')}`;
  say(`${description}; argon2id m=${argon2.memoryCost} KiB, t=${argon2.timeCost}, p=${argon2.parallelism}`);
  const rp: RelyingParty = { clientId: client!.client_id, clientSecret: client!.client_secret!, redirectUri: REDIRECT_URI };
  const started = [];
  for (const variant of variants) {
    const server = await ServerProcess.start(variant.env, { cpuProfileDir: profiles });
    servers.push(server);
    started.push({ name: variant.name, server });
  }
  for (const { name, server } of started) {
    await prepare(name, server.url, options.accounts, rp);
    tally('warm-up', await load.run({ kind: 'closed', target: name, scenario: 'sign-in', concurrency: options.concurrency, warmupMs: 0, durationMs: options.signInSeconds * 1000 }));
    scopeRuns[name] = { 'sign-in': [], refresh: [], 'client-credentials': [] };
  }
  for (const { round, flow, variant } of interleave(started, COMPARED_FLOWS, options.runs)) {
    if (flow === COMPARED_FLOWS[0] && variant === started[0]) say(`round ${round}/${options.runs}: ${COMPARED_FLOWS.join(', ')}, each on ${started.map(({ name }) => name).join(', ')} in turn`);
    const [concurrency, seconds] = flow === 'sign-in' ? [options.concurrency, options.signInSeconds] : [options.tokenConcurrency, options.tokenSeconds];
    const measured = await closed(variant.name, variant.server.pid, flow, concurrency, seconds * 1000);
    scopeRuns[variant.name][flow].push(combineSlices([{ ...measured, seconds }]));
  }
}

try {
  if (options.compareScope) await compareScope();
  else await benchEverything();
} finally {
  for (const server of servers) await server.stop();
  for (const helper of helpers.reverse()) await helper.stop().catch(() => undefined);
  for (const database of databases) await database.remove();
}

const serverErrors = servers.flatMap((server) => server.errors);
const serverWarnings = servers.flatMap((server) => server.warnings);
const exitCodes = servers.map((server) => server.exitCode);
const errorCount = [...failures.values()].reduce((sum, value) => sum + value, 0);

const title = [
  `xacthuc bench ${new Date().toISOString().slice(0, 19)}Z — ${description}`,
  `argon2id m=${argon2.memoryCost} KiB, t=${argon2.timeCost}, p=${argon2.parallelism} | ${availableParallelism()} cores (${cpus()[0]?.model.trim()}) | Node ${process.version}`,
  options.compareScope
    ? `${options.runs} runs, the variants in turn: sign-in ${options.concurrency} users × ${options.signInSeconds} s; refresh and client credentials ${options.tokenConcurrency} users × ${options.tokenSeconds} s; ${count(options.accounts)} accounts each`
    : `${options.runs} runs: sign-in ${options.concurrency} users × ${options.signInSeconds} s; tokens ${options.tokenConcurrency} users × ${options.tokenSeconds} s; latency ${options.latencySeconds} s`,
];
const notes = [
  options.compareScope
    ? `seed: ${count(options.accounts)} accounts for each variant, in ${Object.entries(seeding).map(([variant, seconds]) => `${seconds.toFixed(1)} s (${variant})`).join(', ')}`
    : `seed: ${Object.entries(seeding).map(([accounts, seconds]) => `${count(Number(accounts))} accounts in ${seconds.toFixed(1)} s`).join('; ')}`,
  `requests answered outside 2xx/3xx: ${httpErrors}; failed operations: ${errorCount}${errorCount ? ` (${[...failures].map(([key, times]) => `${key} ×${times}`).join('; ')})` : ''}`,
  `server: ${serverErrors.length} error log lines, ${serverWarnings.length} warnings; exit codes ${exitCodes.join(', ')}`,
  ...serverErrors.slice(0, 5).map((line) => `  ${line.slice(0, 300)}`),
  ...(profiles ? [`CPU profiles of the servers: ${profiles}`] : []),
];
const header = {
  at: new Date().toISOString(),
  database: description,
  argon2,
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model.trim(), node: process.version },
  options,
  seedSeconds: seeding,
};
const outcome = {
  failures: Object.fromEntries(failures),
  httpErrors,
  server: { exitCodes, errorLines: serverErrors, warningLines: serverWarnings.slice(0, 50) },
};
let output: Record<string, unknown>;
if (options.compareScope) {
  const compared = scopeFigures(SCOPE_VARIANTS.map((variant) => variant.name), scopeRuns);
  process.stdout.write(`${scopeTable(title, compared, notes)}\n`);
  output = { ...header, compareScope: { variants: SCOPE_VARIANTS, figures: compared, raw: scopeRuns }, ...outcome };
} else {
  const judged = benchFigures(runs, options, { halfPeak, threads: threadPoolSize(process.env), largeMemory }).map(judge);
  process.stdout.write(`${table(title, judged, [...notes, ...missedTargetNotes(judged)])}\n`);
  output = { ...header, halfPeakRate: halfPeak, figures: judged, ...outcome, raw: runs };
}

await mkdir(dirname(resolve(options.output)), { recursive: true });
await writeFile(resolve(options.output), `${JSON.stringify(output, null, 2)}\n`);
say(`figures written to ${options.output}`);

if (errorCount > 0 || serverErrors.length > 0 || exitCodes.some((code) => code !== 0)) {
  say('the server errored or requests failed during the run: see above');
  process.exit(1);
}
