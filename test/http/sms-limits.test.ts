// Limits on what a stranger can make the server do to someone else's phone or database
// (SPEC R6): they answer the same for an account and for none (SPEC §6), they hold with
// many requests in flight at once (one node; and two nodes on one PostgreSQL database),
// and they never lock a person out of their own sign-in or reset.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { startFakeTwilio } from '../helpers/fake-twilio.ts';
import { readOutbox, startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';
import { createTestCitizen, createTestClient, discover, RP_CALLBACK, startAuthorization } from '../helpers/relying-party.ts';
import { t as translate } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';
import { citizenRegistration } from '../helpers/registration-form.ts';

const postgres = Boolean(process.env.DATABASE_URL);

/** Where the requests of a test go: one node, or two nodes behind a balancer. */
interface Target {
  url: string;
  /** The node whose services the test uses to set up accounts and read the database. */
  node: TestServer;
  nodes: TestServer[];
}

let single: TestServer;
let cluster: Cluster | undefined;
let clusterOutbox: string | undefined;

test.before(async () => {
  // The per-address limits are tested from addresses of the test's choosing (the last
  // X-Forwarded-For entry, as behind the province's load balancer).
  single = await startTestServer({ env: { TRUST_PROXY: 'true' } });
  if (postgres) {
    clusterOutbox = await mkdtemp(join(tmpdir(), 'xacthuc-sms-'));
    cluster = await startCluster({ env: { TRUST_PROXY: 'true', SMS_OUTBOX: join(clusterOutbox, 'sms-outbox.jsonl') } });
    cluster.route('alternate');
  }
});
test.after.always(async () => {
  await single?.stop();
  await cluster?.stop();
  if (clusterOutbox) await rm(clusterOutbox, { recursive: true, force: true });
});

const targets: Array<[string, () => Target]> = [
  ['one node', () => ({ url: single.url, node: single, nodes: [single] })],
  ...(postgres ? [['two nodes', () => ({ url: cluster!.issuer, node: cluster!.a, nodes: [cluster!.a, cluster!.b] })] as [string, () => Target]] : []),
];

/** Each test its own address, so the hourly per-address limits of one never touch another. */
let addressSerial = 0;
const newAddress = () => `203.0.113.${(addressSerial += 1)}`;

/** Codes and notices go out after their answer: wait for them before reading the outbox. */
async function settled(target: Target) {
  await Promise.all(target.nodes.map((node) => node.services.otp.settled()));
}

/** A phone (national form 0…) as people type it: 0…, +84…, 84…. */
const spellings = (phone: string) => [phone, `+84${phone.slice(1)}`, `84${phone.slice(1)}`];

/** A /forgot form opened from `address` (its CSRF token in hand), to be posted later. */
async function forgotForm(target: Target, address?: string) {
  const agent = new UserAgent();
  const headers: Record<string, string> = address ? { 'x-forwarded-for': address } : {};
  const page = await agent.request(`${target.url}/forgot`, { headers });
  const form = readForm(page);
  return (identifier: string) => agent.request(new URL(form.action, page.url).href, { form: { ...form.fields, identifier }, headers });
}

/** Posts every identifier to /forgot from `address`, all requests in flight at once. */
async function forgotAtOnce(target: Target, identifiers: string[], address: string) {
  const posts = await Promise.all(identifiers.map(() => forgotForm(target, address)));
  return Promise.all(posts.map((post, index) => post(identifiers[index])));
}

/** An answer with what any two answers differ in (ids, tokens, dates, the text typed) taken out. */
function comparable(page: Page, typed: string) {
  const strip = (text: string) => text.replace(/\/forgot\/verify\/[0-9a-f-]+/g, '/forgot/verify/ID').replace(/name="_csrf" value="[^"]*"/g, '').replaceAll(escapeHtml(typed), 'TYPED');
  const headers = Object.fromEntries([...page.headers].filter(([name]) => !['date', 'set-cookie', 'x-request-id', 'content-length'].includes(name)).map(([name, value]) => [name, strip(value)]));
  return JSON.stringify({ status: page.status, headers, body: strip(page.body) });
}

const statuses = (pages: Page[]) => pages.map((page) => page.status).sort();
const smsTo = async (target: Target, phone: string, what: string) => (await readOutbox(target.node)).filter((message) => message.to === phone && message.body.includes(what)).length;

let phoneSerial = 0;
/** A fresh mobile number (national form), different for every test and every target. */
const newPhone = () => `0936${String(process.pid % 1000).padStart(3, '0')}${String((phoneSerial += 1)).padStart(3, '0')}`;
let unknownSerial = 0;
/** A personal number that belongs to no account (IDENTIFIERS.md: province 001, born 1999). */
const unknownNationalId = () => `001099${String(process.pid % 1000).padStart(3, '0')}${String((unknownSerial += 1)).padStart(3, '0')}`;

for (const [name, target] of targets) {
  test.serial(`${name}: /forgot with a phone in every spelling answers alike for an account and for none, under the same limit`, async (t) => {
    const known = newPhone();
    await createTestCitizen(target().node, { phone: known });
    const unknown = newPhone();
    // Each spelling three times, all at once: 9 requests for one identifier.
    const typedFor = (phone: string) => spellings(phone).flatMap((spelling) => [spelling, spelling, spelling]);
    const knownAnswers = await forgotAtOnce(target(), typedFor(known), newAddress());
    const unknownAnswers = await forgotAtOnce(target(), typedFor(unknown), newAddress());
    t.deepEqual(statuses(knownAnswers), [...Array(5).fill(303), ...Array(4).fill(429)]);
    t.deepEqual(
      knownAnswers.map((page, index) => comparable(page, typedFor(known)[index])).sort(),
      unknownAnswers.map((page, index) => comparable(page, typedFor(unknown)[index])).sort(),
      'status, headers and body the same, whatever the spelling',
    );
    await settled(target());
    t.is(await smsTo(target(), `+84${known.slice(1)}`, 'dat lai mat khau'), 5, 'one SMS per answer that said it was sent');
  });

  test.serial(`${name}: /forgot with a personal number answers alike for an account and for none, under the same limit`, async (t) => {
    const citizen = await createTestCitizen(target().node, { phone: newPhone() });
    const unknown = unknownNationalId();
    const knownAnswers = await forgotAtOnce(target(), Array(7).fill(citizen.nationalId), newAddress());
    const unknownAnswers = await forgotAtOnce(target(), Array(7).fill(unknown), newAddress());
    t.deepEqual(statuses(knownAnswers), [...Array(5).fill(303), ...Array(2).fill(429)]);
    t.deepEqual(knownAnswers.map((page) => comparable(page, citizen.nationalId)).sort(), unknownAnswers.map((page) => comparable(page, unknown)).sort());
  });

  test.serial(`${name}: a stranger's reset requests use up neither the person's sign-in code nor their own reset`, async (t) => {
    const phone = newPhone();
    const e164 = `+84${phone.slice(1)}`;
    const citizen = await createTestCitizen(target().node, { phone });
    const stranger = await forgotAtOnce(target(), Array(6).fill(citizen.nationalId), newAddress());
    t.deepEqual(statuses(stranger), [303, 303, 303, 303, 303, 429]);

    // The person signs in at an app that asks for more than a password: the SMS step works.
    const rp = await discover(target().node, await createTestClient(target().node));
    const agent = new UserAgent();
    const start = await startAuthorization(rp, { acr_values: 'urn:xacthuc:loa:2' });
    const login = await agent.get(start.url.href, RP_CALLBACK);
    const signInForm = readForm(login);
    const step = await agent.submit(login, { action: signInForm.action, fields: { ...signInForm.fields, identifier: citizen.nationalId, password: citizen.password } }, RP_CALLBACK);
    t.is(step.status, 200);
    t.true(step.body.includes('autocomplete="one-time-code"'));
    t.false(step.body.includes(escapeHtml(translate('vi', 'otp.rate_limited'))));
    t.is(await smsTo(target(), e164, 'dang nhap'), 1);

    // And asks for a reset from their own address: answered, and the code comes.
    await settled(target());
    const before = await smsTo(target(), e164, 'dat lai mat khau');
    const own = await (await forgotForm(target(), newAddress()))(citizen.nationalId);
    t.is(own.status, 303);
    await settled(target());
    t.is(await smsTo(target(), e164, 'dat lai mat khau'), before + 1);
  });

  test.serial(`${name}: at most 20 reset requests per address per hour, with 30 in flight at once`, async (t) => {
    const address = newAddress();
    const citizens = await Promise.all(Array.from({ length: 6 }, () => createTestCitizen(target().node, { phone: newPhone() })));
    const identifiers = [...citizens.map((citizen) => citizen.nationalId), ...Array.from({ length: 24 }, unknownNationalId)];
    const answers = await forgotAtOnce(target(), identifiers, address);
    t.deepEqual(statuses(answers), [...Array(20).fill(303), ...Array(10).fill(429)]);
    const counted = await target().node.services.db.knex('sms_sends').where({ ip: address }).count({ n: '*' });
    t.is(Number(counted[0].n), 20);
  });

  test.serial(`${name}: at most 10 registrations per address per hour, with 30 in flight at once, before any password is hashed`, async (t) => {
    const address = newAddress();
    const headers = { 'x-forwarded-for': address };
    const knex = target().node.services.db.knex;
    const pendingBefore = Number((await knex('pending_registrations').count({ n: '*' }))[0].n);
    const posts = await Promise.all(Array.from({ length: 30 }, async (_, index) => {
      const agent = new UserAgent();
      const page = await agent.request(`${target().url}/register/citizen`, { headers });
      const form = readForm(page);
      return () => agent.request(new URL(form.action, page.url).href, { form: { ...form.fields, ...citizenForm(index) }, headers });
    }));
    const answers = await Promise.all(posts.map((post) => post()));
    t.deepEqual(statuses(answers), [...Array(10).fill(303), ...Array(20).fill(429)]);
    t.true(answers.filter((page) => page.status === 429).every((page) => page.body.includes(escapeHtml(translate('vi', 'register.rate_limited')))));
    t.is(Number((await knex('pending_registrations').count({ n: '*' }))[0].n) - pendingBefore, 10, 'a pending row (and a hash) for the 10 counted only');
  });
}

let registrationSerial = 0;
/** A valid citizen registration, with its own personal number, username and phone. */
function citizenForm(index: number) {
  registrationSerial += 1;
  const serial = String(registrationSerial).padStart(3, '0');
  const pid = String(process.pid % 1000).padStart(3, '0');
  return citizenRegistration({
    username: `dang-ky-${pid}-${serial}-${index}`,
    fullName: 'Trần Thị Bình',
    gender: 'female',
    phone: newPhone(),
    idNumber: `046190${pid}${serial}`,
  });
}

test.serial('a reset is answered while the SMS gateway still holds the code, which then arrives; a failed send is logged; shutdown waits for it', async (t) => {
  const fake = await startFakeTwilio();
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } }));
  const server = await startTestServer({
    logger,
    env: { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: fake.accountSid, TWILIO_AUTH_TOKEN: fake.authToken, TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: fake.url },
  });
  const target: Target = { url: server.url, node: server, nodes: [server] };
  try {
    const phone = newPhone();
    const citizen = await createTestCitizen(server, { phone });
    fake.hold();
    const known = await (await forgotForm(target))(citizen.nationalId);
    t.is(known.status, 303, 'answered although the gateway has not answered');
    await fake.whenHeld(1);
    t.is(fake.messages.length, 0);
    const unknown = await (await forgotForm(target))(unknownNationalId());
    t.is(comparable(known, ''), comparable(unknown, ''));
    fake.release();
    await server.services.otp.settled();
    t.is(fake.messages.length, 1);
    t.is(fake.messages[0].to, `+84${phone.slice(1)}`);
    // The code works: the reset goes on to the new password.
    const agent = new UserAgent();
    const codePage = await agent.get(new URL(known.headers.get('location')!, server.url).href);
    t.is(codePage.status, 200);

    // The gateway fails after the answer: the answer was the same, the failure is logged
    // (without the phone or the code), and nothing is counted for it.
    fake.failWith('unavailable');
    const other = await createTestCitizen(server, { phone: newPhone() });
    t.is((await (await forgotForm(target))(other.nationalId)).status, 303);
    await server.services.otp.settled();
    fake.failWith(undefined);
    const logged = lines.filter((line) => line.includes('SMS code not sent after its answer'));
    t.is(logged.length, 1);
    t.false(logged[0].includes(other.account.phone!.slice(3)), 'no phone in the log');

    // A code still on its way when the server is told to stop is sent before it stops.
    const third = await createTestCitizen(server, { phone: newPhone() });
    fake.hold();
    t.is((await (await forgotForm(target))(third.nationalId)).status, 303);
    await fake.whenHeld(1);
    let stopped = false;
    const closing = server.close().then(() => { stopped = true; });
    await new Promise((resolve) => setTimeout(resolve, 200));
    t.false(stopped, 'shutdown waits for the SMS being sent');
    fake.release();
    await closing;
    t.is(fake.messages.length, 2);
  } finally {
    await server.stop();
    await fake.close();
  }
});
