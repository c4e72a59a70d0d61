// The operator console signs operators in through xacthuc itself (code + PKCE, password and a
// second factor, always afresh), keeps a session of its own that ends when idle or too old,
// and shows each operator the sections of their roles only.
import test from 'ava';
import { startTestServer, latestCode, type TestServer } from '../helpers/server.ts';
import { UserAgent, readForm, type Page } from '../helpers/user-agent.ts';
import { createTestCitizen } from '../helpers/relying-party.ts';
import { createTestOperator, signInToConsole } from '../helpers/console.ts';
import { t as translate, type MessageKey } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
const epoch = () => Math.floor(now / 1000);
let server: TestServer;

test.before(async () => {
  server = await startTestServer({ clock, env: { OPERATOR_IDLE_MINUTES: '15', OPERATOR_SESSION_MINUTES: '60' } });
});
test.after.always(async () => {
  await server?.stop();
});

const shows = (page: Page, key: MessageKey, params?: Record<string, string | number>) => page.body.includes(escapeHtml(translate('vi', key, params)));
/** Whether this browser's console session opens the overview, or sends it to sign in. */
async function consoleOpens(agent: UserAgent): Promise<boolean> {
  const page = await agent.request(`${server.url}/admin`);
  return page.status === 200 && shows(page, 'console.nav.home');
}

test.serial('an operator signs in to the console with a password and an authenticator, enrolled the first time, and sees only their roles’ sections', async (t) => {
  const reviewer = await createTestOperator(server, ['integration_reviewer']);
  const agent = new UserAgent();
  const first = await agent.request(`${server.url}/admin`);
  t.is(first.status, 303, 'no console session: to the sign-in');
  const authorize = new URL((await agent.follow(first, `${server.url}/auth`)).url);
  t.is(authorize.searchParams.get('client_id'), 'xacthuc-console');
  t.is(authorize.searchParams.get('code_challenge_method'), 'S256');
  t.is(authorize.searchParams.get('prompt'), 'login');
  t.is(authorize.searchParams.get('acr_values'), 'urn:xacthuc:loa:2');

  const page = await signInToConsole(server, agent, reviewer, epoch());
  t.is(page.status, 200);
  t.is(page.url, `${server.url}/admin`);
  t.true(shows(page, 'console.home_heading', { name: 'Lê Thị Quản' }));
  t.true(shows(page, 'console.role.integration_reviewer'));
  t.true(page.body.includes('href="/admin/clients"'), 'a reviewer sees the apps');
  t.false(page.body.includes('href="/admin/accounts"'), 'and not the accounts');
  t.false(page.body.includes('href="/admin/audit"'), 'nor the audit log');
  t.truthy(reviewer.secret, 'an operator cannot reach the console without enrolling an authenticator');
  t.false(shows(page, 'consent.heading', { client: translate('vi', 'console.title') }), 'xacthuc’s own console asks no consent');

  const admin = await createTestOperator(server, ['super_admin']);
  now += 60_000;
  const adminPage = await signInToConsole(server, new UserAgent(), admin, epoch());
  for (const section of ['/admin/accounts', '/admin/clients', '/admin/audit']) t.true(adminPage.body.includes(`href="${section}"`), section);

  const events = await server.services.db.knex('audit_events').where({ type: 'admin.operator.signed_in', account_id: reviewer.account.id });
  t.is(events.length, 1);
  t.is(events[0].details.operator, reviewer.account.id);
});

test.serial('the console’s session cookie is HttpOnly, SameSite=Strict, for /admin only, and not what the database stores', async (t) => {
  const operator = await createTestOperator(server, ['auditor']);
  now += 60_000;
  const agent = new UserAgent();
  const page = await signInToConsole(server, agent, operator, epoch(), '/admin', `${server.url}/admin/callback`);
  const answer = await agent.request(page.url);
  const cookie = answer.headers.getSetCookie().find((line) => line.startsWith('xt_console='));
  t.truthy(cookie);
  t.regex(cookie!, /; path=\/admin/i);
  t.regex(cookie!, /; samesite=strict/i);
  t.regex(cookie!, /; httponly/i);
  const value = /^xt_console=([^;]+)/.exec(cookie!)![1]!;
  const stored = await server.services.db.knex('operator_sessions').where({ account_id: operator.account.id });
  t.is(stored.length, 1);
  t.not(stored[0].id, value, 'the session is stored under a keyed hash of its cookie');
  t.is(answer.headers.get('location'), '/admin');
});

test.serial('a citizen who signs in at the console is refused, and no console session is made', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0978111222' });
  now += 60_000;
  const agent = new UserAgent();
  const login = await agent.get(`${server.url}/admin`);
  const form = readForm(login);
  // The console asks for a second factor: a citizen without an authenticator gets an SMS code.
  const smsPage = await agent.submit(login, { action: form.action, fields: { ...form.fields, identifier: citizen.nationalId, password: citizen.password } });
  t.true(shows(smsPage, 'sms_code.heading'));
  const sms = readForm(smsPage);
  const refused = await agent.submit(smsPage, { action: sms.action, fields: { ...sms.fields, code: await latestCode(server, '+84978111222') } });
  t.is(refused.status, 403);
  t.true(shows(refused, 'console.not_operator'));
  t.false(await consoleOpens(agent));
  t.is((await server.services.db.knex('operator_sessions').where({ account_id: citizen.account.id })).length, 0);
  t.is((await server.services.db.knex('audit_events').where({ type: 'admin.console.refused', account_id: citizen.account.id })).length, 1);
});

test.serial('the console session ends after the idle time, and at its time limit however busy', async (t) => {
  const operator = await createTestOperator(server, ['account_operator']);
  now += 60_000;
  const agent = new UserAgent();
  await signInToConsole(server, agent, operator, epoch());
  t.true(await consoleOpens(agent));
  now += 14 * 60_000;
  t.true(await consoleOpens(agent), 'used within 15 minutes: still open');
  now += 16 * 60_000;
  const idle = await agent.request(`${server.url}/admin?lang=en`);
  t.is(idle.status, 303, 'idle 16 minutes: ended');
  t.is(idle.headers.get('location'), '/admin/login?return=%2Fadmin%3Flang%3Den', 'the sign-in comes back to the page asked for');

  const busy = new UserAgent();
  now += 60_000;
  await signInToConsole(server, busy, operator, epoch());
  for (let minutes = 10; minutes < 60; minutes += 10) {
    now += 10 * 60_000;
    t.true(await consoleOpens(busy), `used every 10 minutes: open at ${minutes}`);
  }
  now += 10 * 60_000;
  t.false(await consoleOpens(busy), 'at 60 minutes (OPERATOR_SESSION_MINUTES) it ends however busy');
});

test.serial('signing out ends the session; its cookie opens nothing afterwards, and a sign-out without its token is refused', async (t) => {
  const operator = await createTestOperator(server, ['auditor']);
  now += 60_000;
  const agent = new UserAgent();
  const home = await signInToConsole(server, agent, operator, epoch());
  const kept = new UserAgent();
  for (const [name, value] of agent.cookies) kept.cookies.set(name, value);

  const forged = await agent.request(`${server.url}/admin/logout`, { form: { _csrf: 'x'.repeat(43) } });
  t.is(forged.status, 403);
  t.true(await consoleOpens(agent), 'a forged sign-out changes nothing');

  const signedOut = await agent.submit(home, readForm(home));
  t.true(shows(signedOut, 'console.signed_out'));
  t.false(await consoleOpens(agent));
  t.false(await consoleOpens(kept), 'a copy of the cookie is dead too');
  t.is((await server.services.db.knex('audit_events').where({ type: 'admin.operator.signed_out', account_id: operator.account.id })).length, 1);
});

test.serial('a sign-in asked for again refreshes the same session’s time of proof; the return address stays on the console', async (t) => {
  const operator = await createTestOperator(server, ['super_admin']);
  now += 60_000;
  const agent = new UserAgent();
  await signInToConsole(server, agent, operator, epoch());
  const cookie = agent.cookies.get('xt_console');
  const before = (await server.services.db.knex('operator_sessions').where({ account_id: operator.account.id }).first()).authenticated_at;
  now += 10 * 60_000;
  const page = await signInToConsole(server, agent, operator, epoch(), '/admin/login?reauth=1&return=%2F%2Fevil.example%2Fadmin');
  t.is(page.url, `${server.url}/admin`, 'a return address off the console leads to the overview');
  t.is(agent.cookies.get('xt_console'), cookie, 'the same session');
  const after = (await server.services.db.knex('operator_sessions').where({ account_id: operator.account.id }).first()).authenticated_at;
  t.is(new Date(after).getTime() - new Date(before).getTime(), 10 * 60_000);

  for (const hostile of ['https://evil.example/admin', '/admin\\@evil.example', '/adminx', 'javascript:alert(1)']) {
    const start = await new UserAgent().request(`${server.url}/admin/login?return=${encodeURIComponent(hostile)}`);
    const state = JSON.parse(Buffer.from(/xt_console_login=([^;]+)/.exec(start.headers.getSetCookie().join(';'))![1]!, 'base64url').toString('utf8'));
    t.is(state.returnTo, '/admin', hostile);
  }
});

test.serial('a callback with a forged state, another browser’s state, a code made up or used twice opens no session', async (t) => {
  const operator = await createTestOperator(server, ['super_admin']);
  now += 60_000;
  const agent = new UserAgent();
  const atCallback = await signInToConsole(server, agent, operator, epoch(), '/admin', `${server.url}/admin/callback`);
  const callback = new URL(atCallback.url);

  const forged = new URL(callback);
  forged.searchParams.set('state', 'forged');
  const twin = new UserAgent();
  for (const [name, value] of agent.cookies) twin.cookies.set(name, value);
  t.is((await twin.request(forged.href)).status, 400, 'a forged state');
  t.false(await consoleOpens(twin));

  const other = new UserAgent();
  await other.request(`${server.url}/admin/login`);
  t.is((await other.request(callback.href)).status, 400, 'the code in another browser, whose PKCE verifier is not the one');
  t.false(await consoleOpens(other));

  const replay = new UserAgent();
  for (const [name, value] of agent.cookies) replay.cookies.set(name, value);
  t.is((await agent.request(callback.href)).status, 303, 'the code used once');
  t.true(await consoleOpens(agent));
  t.is((await replay.request(callback.href)).status, 400, 'the same code, state and verifier used again');
  t.false(await consoleOpens(replay));

  const stranger = new UserAgent();
  const strangerStart = await stranger.request(`${server.url}/admin/login`);
  const strangerState = new URL(strangerStart.headers.get('location')!, server.url).searchParams.get('state')!;
  t.is((await stranger.request(`${server.url}/admin/callback?code=${'A'.repeat(43)}&state=${strangerState}`)).status, 400, 'a made-up code');
  t.false(await consoleOpens(stranger));
  t.is((await server.services.db.knex('operator_sessions').where({ account_id: operator.account.id })).length, 1, 'one session: the one signed in');
});

test.serial('the console session ends when the operator loses the role, the account is disabled, or the password is changed', async (t) => {
  for (const change of ['role', 'status', 'password'] as const) {
    const operator = await createTestOperator(server, ['account_operator']);
    now += 60_000;
    const agent = new UserAgent();
    await signInToConsole(server, agent, operator, epoch());
    t.true(await consoleOpens(agent), change);
    now += 1_000;
    const accounts = server.services.db.knex('accounts').where({ id: operator.account.id });
    if (change === 'role') await accounts.update({ roles: JSON.stringify([]) });
    if (change === 'status') await accounts.update({ status: 'disabled' });
    if (change === 'password') await server.services.accounts.setPassword(operator.account.id, operator.account.passwordHash!, new Date(now));
    t.false(await consoleOpens(agent), `after the ${change} changed`);
  }
});
