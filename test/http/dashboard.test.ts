// The dashboard (issue point 7): per Vietnamese calendar day over the last 30 days, the
// registrations, sign-ins, failed sign-ins, lockouts and SMS codes sent, as the log counts
// them; in the console as SVG charts with their tables, in the admin API as JSON.
import test from 'ava';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent, readForm } from '../helpers/user-agent.ts';
import { createTestCitizen, createTestClient } from '../helpers/relying-party.ts';
import { createTestOperator, signInToConsole } from '../helpers/console.ts';
import { grantAdminFunctions } from '../../src/admin/index.ts';
import { addDays, startOfVietnamDay, vietnamDay } from '../../src/admin/vietnam-time.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
let server: TestServer;

test.before(async () => {
  server = await startTestServer({ clock });
});
test.after.always(async () => {
  await server?.stop();
});

const minutes = (count: number) => count * 60_000;

async function seed(events: Array<{ at: Date; type: string; details?: Record<string, unknown> }>): Promise<void> {
  await server.services.db.knex('audit_events').insert(events.map((event) => ({ at: event.at, type: event.type, details: JSON.stringify(event.details ?? {}) })));
}

interface ApiDay {
  date: string;
  registrations: number;
  sign_ins: number;
  sign_in_failures: number;
  lockouts: number;
  sms_sent: number;
}

test.serial('counts fall on the Vietnamese day they happened: 23:30 and 00:30 local are two days; decoy SMS and days outside the 30 are not counted', async (t) => {
  const today = vietnamDay(clock.now());
  // Three and two days back: well away from what the test's own sign-in adds today.
  const earlier = addDays(today, -3);
  const later = addDays(today, -2);
  const midnight = startOfVietnamDay(later);
  const lateEvening = new Date(midnight.getTime() - minutes(30));
  const earlyMorning = new Date(midnight.getTime() + minutes(30));
  await seed([
    { at: lateEvening, type: 'account.activated' },
    { at: lateEvening, type: 'signin.succeeded' },
    { at: lateEvening, type: 'signin.succeeded' },
    { at: lateEvening, type: 'otp.sent', details: { purpose: 'registration' } },
    { at: lateEvening, type: 'otp.sent', details: { purpose: 'password_reset', matched: false } },
    { at: earlyMorning, type: 'signin.failed', details: { reason: 'wrong_password' } },
    { at: earlyMorning, type: 'account.locked' },
    { at: earlyMorning, type: 'otp.sent', details: { purpose: 'password_reset', matched: true } },
    { at: earlyMorning, type: 'otp.sent', details: { purpose: 'sign_in' } },
    { at: earlyMorning, type: 'signin.throttled' },
    { at: earlyMorning, type: 'registration.started' },
    // The day before the first day shown, at its last minute.
    { at: new Date(startOfVietnamDay(addDays(today, -29)).getTime() - minutes(1)), type: 'signin.succeeded' },
    { at: startOfVietnamDay(addDays(today, -29)), type: 'signin.failed' },
  ]);

  const client = await createTestClient(server, { name: 'Bảng số liệu', redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], authMethod: 'client_secret_basic' });
  await grantAdminFunctions(server.services, client.client_id, ['dashboard.read'], { operator: null, via: 'test' });
  const configuration = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  const { access_token: token } = await oidc.clientCredentialsGrant(configuration, { scope: 'admin:dashboard.read' });
  const answer = await fetch(`${server.url}/admin/api/dashboard`, { headers: { authorization: `Bearer ${token}` } });
  t.is(answer.status, 200);
  const body = (await answer.json()) as { time_zone: string; from: string; to: string; days: ApiDay[] };
  t.is(body.time_zone, 'Asia/Ho_Chi_Minh');
  t.is(body.to, today);
  t.is(body.from, addDays(today, -29));
  t.deepEqual(body.days.map((day) => day.date), Array.from({ length: 30 }, (_, index) => addDays(today, index - 29)));
  const day = (date: string) => body.days.find((entry) => entry.date === date)!;
  t.deepEqual(day(earlier), { date: earlier, registrations: 1, sign_ins: 2, sign_in_failures: 0, lockouts: 0, sms_sent: 1 });
  t.deepEqual(day(later), { date: later, registrations: 0, sign_ins: 0, sign_in_failures: 1, lockouts: 1, sms_sent: 2 });
  t.deepEqual(day(body.from), { date: body.from, registrations: 0, sign_ins: 0, sign_in_failures: 1, lockouts: 0, sms_sent: 0 }, 'the first day from its first instant, nothing before');

  // The console shows the same numbers, in each chart's table.
  const operator = await createTestOperator(server, ['integration_reviewer']);
  const agent = new UserAgent();
  await signInToConsole(server, agent, operator, Math.floor(now / 1000));
  const page = await agent.request(`${server.url}/admin/dashboard`);
  t.is(page.status, 200);
  const shownDay = (date: string) => date.split('-').reverse().join('/');
  const cell = (figure: string, date: string) => {
    const chart = new RegExp(`<figure class="card chart" aria-labelledby="figure-${figure}">[\\s\\S]*?</figure>`).exec(page.body)![0];
    return new RegExp(`<time datetime="${date}">${shownDay(date)}</time></th><td>(\\d+)</td>`).exec(chart)?.[1];
  };
  t.is(cell('signIns', earlier), '2');
  t.is(cell('signIns', later), '0');
  t.is(cell('signInFailures', later), '1');
  t.is(cell('smsSent', earlier), '1');
  t.is(cell('smsSent', later), '2');
  t.is(cell('registrations', earlier), '1');
  t.is(cell('lockouts', later), '1');
});

test.serial('the dashboard page is five charts of plain SVG with their text; no script and nothing from another host', async (t) => {
  const operator = await createTestOperator(server, ['auditor']);
  now += 60_000;
  const agent = new UserAgent();
  await signInToConsole(server, agent, operator, Math.floor(now / 1000));
  const page = await agent.request(`${server.url}/admin/dashboard?lang=en`);
  t.is(page.status, 200);
  t.is(page.body.match(/<svg /g)?.length, 5);
  t.is(page.body.match(/<details class="chart__table">/g)?.length, 5);
  t.notRegex(page.body, /<script(?![^>]*src="\/assets\/)|style=|https?:\/\/(?!localhost)[a-z]/i);
  t.regex(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  t.true(page.body.includes('href="/admin/dashboard" aria-current="page"'), 'in the console’s sections');
});

test.serial('an SMS code sent at sign-in is in the log as otp.sent, once per code, so the dashboard counts it', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0978555666' });
  now += 60_000;
  const agent = new UserAgent();
  // The console asks for a second factor: a person without an authenticator gets an SMS code.
  const login = await agent.get(`${server.url}/admin`);
  const form = readForm(login);
  const codePage = await agent.submit(login, { action: form.action, fields: { ...form.fields, identifier: citizen.nationalId, password: citizen.password } });
  t.is(codePage.status, 200);
  const sent = () => server.services.db.knex('audit_events').where({ type: 'otp.sent', account_id: citizen.account.id });
  t.deepEqual((await sent()).map((event) => event.details.purpose), ['sign_in']);
  now += 61_000;
  const resend = readForm(codePage, undefined, 1);
  await agent.submit(codePage, resend);
  t.is((await sent()).length, 2, 'a code sent again is another SMS');
});
