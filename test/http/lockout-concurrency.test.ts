// Guesses sent all at once (SPEC R6): however many are in flight, no more than the
// limit are checked, and a right secret after them is refused while the lock holds. On
// PostgreSQL the guesses are spread over two nodes behind the balancer; on the embedded
// PGlite database, which one process alone may open, they all go to one node.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as oidc from 'openid-client';
import { generate } from 'otplib';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { latestCode, startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent, type Form, type Page } from '../helpers/user-agent.ts';
import { createTestCitizen, createTestClient, discover, RP_CALLBACK, startAuthorization } from '../helpers/relying-party.ts';

const postgres = Boolean(process.env.DATABASE_URL);
const IN_FLIGHT = 150;
const LIMIT = 5;

let cluster: Cluster | undefined;
let single: TestServer | undefined;
let outboxDir: string;
/** The node that seeds accounts and reads the database; the requests go to `issuer`. */
let seed: TestServer;
let rp: oidc.Configuration;

test.before(async () => {
  outboxDir = await mkdtemp(join(tmpdir(), 'xacthuc-lockout-'));
  // Every request of this file comes from one address: the address limits are set out of
  // the way, so what is tested is the account's, the identifier's and the second factor's.
  const env = { LOCKOUT_MAX_FAILURES_PER_IP: '100000', LOCKOUT_MAX_FAILURES_PER_IDENTIFIER_IP: '1000', SMS_OUTBOX: join(outboxDir, 'sms-outbox.jsonl') };
  if (postgres) {
    cluster = await startCluster({ env });
    cluster.route('alternate');
    seed = cluster.a;
  } else {
    single = await startTestServer({ env });
    seed = single;
  }
  rp = await discover(seed, await createTestClient(seed));
});
test.after.always(async () => {
  await cluster?.stop();
  await single?.stop();
  await rm(outboxDir, { recursive: true, force: true });
});

const knex = () => seed.services.db.knex;
const events = async (accountId: string, type: string) => Number((await knex()('audit_events').where({ account_id: accountId, type }).count({ n: '*' }))[0].n);

/** A sign-in page of a new authorization request, in a browser of its own. */
async function loginPage(params: Record<string, string> = {}) {
  const agent = new UserAgent();
  const start = await startAuthorization(rp, params);
  const page = await agent.get(start.url.href, RP_CALLBACK);
  return { agent, page, form: readForm(page) };
}

/** Posts `form` with `fields`, without following where the answer leads. */
function post(agent: UserAgent, page: Page, form: Form, fields: Record<string, string>) {
  return agent.request(new URL(form.action, page.url).href, { form: { ...form.fields, ...fields } });
}

/** Posts the same form `IN_FLIGHT` times at once, the `i`th with `fields(i)`. */
function allAtOnce(agent: UserAgent, page: Page, form: Form, fields: (i: number) => Record<string, string>) {
  return Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => post(agent, page, form, fields(i))));
}

const statuses = (answers: Page[]) => answers.map((answer) => answer.status).sort();
/** Every attempt within the limit is checked; the one that reaches it locks and says so (429). */
const checkedThenLocked = [...Array(LIMIT - 1).fill(401), ...Array(IN_FLIGHT - LIMIT + 1).fill(429)].sort();

test.serial(`${IN_FLIGHT} wrong passwords at once: ${LIMIT} are checked, and the right password after them is refused`, async (t) => {
  const citizen = await createTestCitizen(seed, { phone: '0977100201' });
  const { agent, page, form } = await loginPage();
  const answers = await allAtOnce(agent, page, form, (i) => ({ identifier: citizen.nationalId, password: `Sai-mật-khẩu-${i}x` }));
  t.deepEqual(statuses(answers), checkedThenLocked);
  if (cluster) t.deepEqual([...new Set(cluster.served.filter((request) => request.path.endsWith('/login')).map((request) => request.node))].sort(), ['a', 'b'], 'both nodes answered');
  t.is(await events(citizen.account.id, 'signin.failed'), LIMIT, 'passwords checked');
  t.is(await events(citizen.account.id, 'signin.throttled'), IN_FLIGHT - LIMIT, 'refused unchecked');
  t.is(await events(citizen.account.id, 'account.locked'), 1, 'the lock is announced once');

  const right = await loginPage();
  const refused = await post(right.agent, right.page, right.form, { identifier: citizen.nationalId, password: citizen.password });
  t.is(refused.status, 429);
  t.is(await events(citizen.account.id, 'signin.succeeded'), 0);
});

test.serial('an account\'s phone and an unknown phone, each typed in every spelling all at once, lock alike', async (t) => {
  await createTestCitizen(seed, { phone: '0977100202' });
  const spell = (local: string) => [local, `+84${local.slice(1)}`, `84${local.slice(1)}`, `84 ${local.slice(1, 4)} ${local.slice(4, 7)} ${local.slice(7)}`];
  const answersFor = async (local: string) => {
    const { agent, page, form } = await loginPage();
    return allAtOnce(agent, page, form, (i) => ({ identifier: spell(local)[i % 4], password: `Sai-mật-khẩu-${i}x` }));
  };
  const [known, unknown] = await Promise.all([answersFor('0977100202'), answersFor('0977100299')]);
  t.deepEqual(statuses(known), checkedThenLocked);
  t.deepEqual(statuses(unknown), checkedThenLocked);
});

test.serial(`${IN_FLIGHT} wrong authenticator and recovery codes at once: ${LIMIT} are checked, and the right codes after them are refused`, async (t) => {
  const citizen = await createTestCitizen(seed, { phone: '0977100203' });
  const { totp } = seed.services;
  const { secret } = await totp.beginEnrolment(citizen.account.id, 'an');
  // Confirmed with the previous step's code, so the current one is still unused.
  const recovery = await totp.confirmEnrolment(citizen.account.id, await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 30 }));
  const { agent, page, form } = await loginPage();
  const codePage = await post(agent, page, form, { identifier: citizen.nationalId, password: citizen.password });
  t.is(codePage.status, 200);
  const codeForm = readForm(codePage);
  const right = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
  const wrongCode = (i: number) => String((Number(right) + 7 + i) % 1_000_000).padStart(6, '0');
  const answers = await allAtOnce(agent, codePage, codeForm, (i) => ({ code: i % 2 ? wrongCode(i) : `zzzz-${String(i).padStart(4, '0').replace(/[1-9]/g, 'y')}` }));
  t.deepEqual(statuses(answers), [...Array(LIMIT - 1).fill(400), ...Array(IN_FLIGHT - LIMIT + 1).fill(429)].sort());
  t.is(await events(citizen.account.id, 'signin.failed'), LIMIT, 'codes checked');

  for (const code of [right, recovery[0]]) t.is((await post(agent, codePage, codeForm, { code })).status, 429, 'locked: even the right code is refused');
  t.is(Number((await knex()('recovery_codes').where({ account_id: citizen.account.id }).whereNotNull('used_at').count({ n: '*' }))[0].n), 0, 'no recovery code was used up');
});

test.serial(`${IN_FLIGHT} wrong SMS codes at once: ${LIMIT} are checked, and the right code after them is refused`, async (t) => {
  const citizen = await createTestCitizen(seed, { phone: '0977100204' });
  const { agent, page, form } = await loginPage({ acr_values: 'urn:xacthuc:loa:2' });
  const codePage = await post(agent, page, form, { identifier: citizen.nationalId, password: citizen.password });
  t.is(codePage.status, 200);
  const codeForm = readForm(codePage);
  const right = await latestCode(seed, '+84977100204');
  const answers = await allAtOnce(agent, codePage, codeForm, (i) => ({ code: String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0') }));
  t.deepEqual(statuses(answers), [...Array(LIMIT - 1).fill(400), ...Array(IN_FLIGHT - LIMIT + 1).fill(429)].sort());
  t.is(await events(citizen.account.id, 'otp.failed'), LIMIT, 'codes checked');
  const [challenge] = await knex()('otp_challenges').where({ subject: citizen.account.id, purpose: 'sign_in' });
  t.is(challenge.attempts, LIMIT, 'the code\'s own tries: only the checked ones');
  t.is((await post(agent, codePage, codeForm, { code: right })).status, 429, 'locked: even the right code is refused');
});
