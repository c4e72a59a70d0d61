// Several nodes on one database: PostgreSQL runs them; the embedded PGlite database, which
// one process alone may open, refuses a second one. Each engine tests what is true of it.
import test from 'ava';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as oidc from 'openid-client';
import { DatabaseInUseError } from '../../src/db/index.ts';
import { startCluster, type Cluster, type NodeName } from '../helpers/cluster.ts';
import { startTestServer } from '../helpers/server.ts';
import { readForm, UserAgent } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';

const postgres = Boolean(process.env.DATABASE_URL);
// Each engine registers only the tests that are true of it. The balancer's routing is
// shared state, so the cluster tests run one at a time.
const onPostgres: typeof test.serial = postgres ? test.serial : ((() => undefined) as unknown as typeof test.serial);
const onEmbedded: typeof test = postgres ? ((() => undefined) as unknown as typeof test) : test;

let cluster: Cluster;
test.before(async () => {
  if (postgres) cluster = await startCluster();
});
test.after.always(async () => {
  await cluster?.stop();
});

async function newRelyingParty() {
  const client = await createTestClient(cluster.a);
  const citizen = await createTestCitizen(cluster.a);
  return { client, citizen, rp: await discover(cluster.a, client) };
}

/** The nodes that served the requests forwarded since `from` (up to `to`), each once. */
function nodesSince(from: number, to = cluster.served.length) {
  return [...new Set(cluster.served.slice(from, to).map((request) => request.node))];
}

/** Which node served each `method` request to a matching path since `from`. */
function servedBy(from: number, method: string, path: RegExp) {
  return cluster.served.slice(from).filter((request) => request.method === method && path.test(request.path)).map((request) => request.node);
}

onPostgres('whichever node answers, relying parties see the same discovery document and the same keys', async (t) => {
  const fromNode = async (node: NodeName, path: string) => {
    cluster.route(node);
    return (await fetch(`${cluster.issuer}${path}`)).json();
  };
  const discovery = await fromNode('a', '/.well-known/openid-configuration');
  t.is(discovery.issuer, cluster.issuer);
  t.deepEqual(discovery, await fromNode('b', '/.well-known/openid-configuration'));
  t.deepEqual(await fromNode('a', '/jwks'), await fromNode('b', '/jwks'));
  cluster.route('a');
});

onPostgres('a second node finishes a flow the first began', async (t) => {
  const { citizen, rp } = await newRelyingParty();
  const agent = new UserAgent();
  const start = await startAuthorization(rp);
  const begun = cluster.served.length;

  cluster.route('a');
  const loginPage = await agent.get(start.url.href, RP_CALLBACK);
  t.is(loginPage.status, 200);
  const handedOver = cluster.served.length;

  cluster.route('b');
  const login = readForm(loginPage);
  const consentPage = await agent.submit(loginPage, { action: login.action, fields: { ...login.fields, identifier: citizen.nationalId, password: citizen.password } }, RP_CALLBACK);
  t.is(consentPage.status, 200, 'node B accepts the interaction cookie node A set, and the CSRF token A issued');
  const consent = readForm(consentPage);
  const callback = await agent.submit(consentPage, { action: consent.action, fields: { ...consent.fields, decision: 'allow' } }, RP_CALLBACK);
  t.true(callback.url.startsWith(RP_CALLBACK));

  const finished = cluster.served.length;

  cluster.route('a');
  const tokens = await completeFlow(rp, start, callback);
  t.is(tokens.claims()!.sub, citizen.account.id);

  t.deepEqual(nodesSince(begun, handedOver), ['a'], 'authorization request and sign-in page from node A');
  t.deepEqual(nodesSince(handedOver, finished), ['b'], 'password, consent and the code from node B');
  t.deepEqual(servedBy(finished, 'POST', /^\/token$/), ['a']);

  cluster.route('b');
  const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, citizen.account.id);
  t.is(userinfo.name, 'Nguyễn Văn An', 'node B serves userinfo for an access token node A issued');
  const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
  t.truthy(refreshed.access_token);
});

onPostgres('a code issued by one node is redeemed once, at the other', async (t) => {
  const { citizen, rp } = await newRelyingParty();
  const start = await startAuthorization(rp);
  cluster.route('a');
  const callback = await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password);
  const mark = cluster.served.length;

  cluster.route('b');
  const tokens = await completeFlow(rp, start, callback);
  t.is(tokens.claims()!.sub, citizen.account.id);
  t.deepEqual(servedBy(mark, 'POST', /^\/token$/), ['b']);

  cluster.route('a');
  const replay = await t.throwsAsync<oidc.ResponseBodyError>(completeFlow(rp, start, callback));
  t.is(replay?.error, 'invalid_grant');
  // RFC 6749 §4.1.2: tokens issued with a code that is used twice should be revoked.
  const introspection = await oidc.tokenIntrospection(rp, tokens.access_token);
  t.false(introspection.active);
});

onPostgres('wrong passwords spread over two nodes count together and lock the account on both', async (t) => {
  const { citizen, rp } = await newRelyingParty();
  const attempt = async (node: NodeName, password: string) => {
    cluster.route(node);
    const agent = new UserAgent();
    const page = await agent.get((await startAuthorization(rp)).url.href, RP_CALLBACK);
    const login = readForm(page);
    return agent.submit(page, { action: login.action, fields: { ...login.fields, identifier: citizen.nationalId, password } }, RP_CALLBACK);
  };
  const nodes: NodeName[] = ['a', 'b', 'a', 'b'];
  for (const [index, node] of nodes.entries()) t.is((await attempt(node, `Sai-mật-khẩu-${index}x`)).status, 401);
  t.is((await attempt('b', 'Sai-mật-khẩu-9x')).status, 429, 'the fifth failure, wherever it lands, locks');
  t.is((await attempt('a', citizen.password)).status, 429, 'and node A knows it');
  cluster.route('a');
});

onPostgres('the same code redeemed at both nodes at the same moment: exactly one succeeds', async (t) => {
  const { citizen, rp } = await newRelyingParty();
  const start = await startAuthorization(rp);
  cluster.route('a');
  const callback = await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password);
  const mark = cluster.served.length;

  cluster.route('alternate');
  const results = await Promise.allSettled([completeFlow(rp, start, callback), completeFlow(rp, start, callback)]);
  cluster.route('a');

  t.deepEqual(servedBy(mark, 'POST', /^\/token$/).sort(), ['a', 'b'], 'one request reached each node');
  t.is(results.filter((result) => result.status === 'fulfilled').length, 1);
  const [rejected] = results.filter((result) => result.status === 'rejected');
  t.is((rejected?.reason as oidc.ResponseBodyError | undefined)?.error, 'invalid_grant');
});

onPostgres('two nodes starting at the same moment on a fresh database both come up', async (t) => {
  // The race is in the first migration; a few fresh databases make it show reliably.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const together = await startCluster({ startTogether: true });
    t.is((await fetch(`${together.a.url}/readyz`)).status, 200);
    t.is((await fetch(`${together.b.url}/readyz`)).status, 200);
    await together.stop();
  }
});

onEmbedded('the embedded database refuses a second process on its data directory, and names the directory', async (t) => {
  const first = await startTestServer();
  t.teardown(() => first.stop());
  const dataDir = first.config.dataDir;

  const second = spawn(process.execPath, [fileURLToPath(new URL('../../src/main.ts', import.meta.url))], {
    env: { ...process.env, ...first.env, PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 20_000,
  });
  let stderr = '';
  second.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exitCode = await new Promise<number | null>((resolve) => second.on('close', resolve));

  t.is(exitCode, 75, 'EX_TEMPFAIL: try again once the other process has stopped');
  t.is(stderr, `xacthuc: ${new DatabaseInUseError(dataDir, process.pid).message}\n`);
  t.true(stderr.includes(dataDir));
  t.is((await fetch(`${first.url}/readyz`)).status, 200, 'the first process keeps serving');
});
