// SPEC §5 and R11: while the database cannot be reached, every route family says so truthfully
// — 503 with Retry-After, our page in the person's language for browsers, an OAuth error for
// apps — and the request log and /metrics record the 503 that was sent. When the database is
// back, the same requests succeed without a restart.
import test from 'ava';
import { Writable } from 'node:stream';
import * as oidc from 'openid-client';
import { pino } from 'pino';
import { startServerWithOutage, type DatabaseOutage } from '../helpers/database-outage.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { t as translate } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';
import { citizenRegistration } from '../helpers/registration-form.ts';

const logLines: Array<Record<string, unknown>> = [];
const logger = pino({ level: 'info' }, new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    done();
  },
}));

let outage: DatabaseOutage;
test.before(async () => {
  outage = await startServerWithOutage({ logger });
});
test.after.always(async () => {
  await outage?.stop();
});

const validCitizen = citizenRegistration({ username: `tran-thi-binh-${process.pid}`, fullName: 'Trần Thị Bình', gender: 'female', phone: '0912000111', idNumber: '046190001234' });

const unavailable = (locale: 'vi' | 'en') => escapeHtml(translate(locale, 'error.unavailable'));

/** The request log line of the answer `headers` came with. */
function loggedStatus(headers: Headers): unknown {
  const id = headers.get('x-request-id');
  return logLines.find((line) => line.msg === 'request' && line.requestId === id)?.status;
}

function assertUnavailablePage(t: import('ava').ExecutionContext, page: Page, locale: 'vi' | 'en', what: string) {
  t.is(page.status, 503, what);
  t.is(page.headers.get('retry-after'), '5', what);
  t.regex(page.headers.get('content-type') ?? '', /^text\/html/, what);
  t.true(page.body.includes(unavailable(locale)), `${what}: the outage page in ${locale}`);
  t.is(page.headers.get('location'), null, what);
  t.deepEqual(page.headers.getSetCookie().filter((cookie) => !cookie.startsWith('lang=')), [], `${what}: no cookie of the failed work`);
  t.is(loggedStatus(page.headers), 503, `${what}: logged as 503`);
}

async function assertUnavailableJson(t: import('ava').ExecutionContext, response: Response, what: string) {
  t.is(response.status, 503, what);
  t.is(response.headers.get('retry-after'), '5', what);
  t.regex(response.headers.get('content-type') ?? '', /^application\/json/, what);
  t.is((await response.json()).error, 'temporarily_unavailable', what);
  t.is(loggedStatus(response.headers), 503, `${what}: logged as 503`);
}

test.serial('with the database unreachable every route family answers 503 with Retry-After, in the right language and format, and says so in the log and the metrics', async (t) => {
  const { server } = outage;
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;

  // Before the outage: a person with tokens, a person half-way through a sign-in, a registration form and a reset form open.
  const signedIn = new UserAgent();
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(signedIn, start, citizen.nationalId, citizen.password));
  const halfway = new UserAgent();
  const login = await halfway.get((await startAuthorization(rp)).url.href, RP_CALLBACK);
  const loginForm = readForm(login);
  const registering = new UserAgent();
  const registration = await registering.get(`${server.url}/register/citizen?lang=en`);
  const registrationForm = readForm(registration);
  const resetting = new UserAgent();
  const forgot = await resetting.get(`${server.url}/forgot`);
  const forgotForm = readForm(forgot);

  await outage.cut();
  try {
    assertUnavailablePage(t, await new UserAgent().request((await startAuthorization(rp, { ui_locales: 'en' })).url.href), 'en', 'authorization request, ui_locales=en');
    assertUnavailablePage(t, await signedIn.request((await startAuthorization(rp)).url.href), 'vi', 'authorization request with a session');
    assertUnavailablePage(t, await halfway.request(new URL(loginForm.action, login.url).href.replace(/\/login(\?.*)?$/, '')), 'vi', 'sign-in page');
    assertUnavailablePage(t, await halfway.request(new URL(loginForm.action, login.url).href, { form: { ...loginForm.fields, identifier: citizen.nationalId, password: citizen.password } }), 'vi', 'sign-in post');
    assertUnavailablePage(t, await registering.request(new URL(registrationForm.action, registration.url).href, { form: { ...registrationForm.fields, ...validCitizen } }), 'en', 'registration post');
    assertUnavailablePage(t, await resetting.request(new URL(forgotForm.action, forgot.url).href, { form: { ...forgotForm.fields, identifier: citizen.nationalId } }), 'vi', 'password reset post');

    const refresh = await fetch(`${server.url}/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }) });
    await assertUnavailableJson(t, refresh, 'refresh at the token endpoint');
    await assertUnavailableJson(t, await fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } }), 'userinfo');
    const introspection = await fetch(`${server.url}/token/introspection`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: tokens.access_token }) });
    await assertUnavailableJson(t, introspection, 'introspection');
    t.is((await fetch(`${server.url}/readyz`)).status, 503, 'not ready');
    t.is((await fetch(`${server.url}/healthz`)).status, 200, 'the process itself is alive');

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    for (const route of ['authorization', 'interaction', 'self_service', 'token', 'userinfo', 'token_introspection']) {
      t.regex(metrics, new RegExp(`^xacthuc_http_requests_total\\{route="${route}",status="5xx"\\} [1-9]`, 'm'), `${route}: 5xx counted`);
    }
    t.true(logLines.some((line) => line.msg === 'database unavailable'), 'the cause is logged');
  } finally {
    await outage.mend();
  }
  const again = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
  t.truthy(again.access_token, 'a refresh succeeds once the database is back');
  const page = await new UserAgent().get((await startAuthorization(rp)).url.href, RP_CALLBACK);
  t.is(page.status, 200, 'the sign-in page is served again');
});

test.serial('a statement that the database refuses is a 500 page, not a 503, and is logged with the status sent', async (t) => {
  const { server } = outage;
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, await createTestClient(server));
  const agent = new UserAgent();
  const login = await agent.get((await startAuthorization(rp)).url.href, RP_CALLBACK);
  const form = readForm(login);
  // A fault of the request, not an outage: the table it reads is gone for a moment.
  const knex = server.services.db.knex;
  await knex.raw('ALTER TABLE accounts RENAME TO accounts_away');
  try {
    const page = await agent.request(new URL(form.action, login.url).href, { form: { ...form.fields, identifier: citizen.nationalId, password: citizen.password } });
    t.is(page.status, 500);
    t.is(page.headers.get('retry-after'), null);
    t.regex(page.headers.get('content-type') ?? '', /^text\/html/);
    t.true(page.body.includes(escapeHtml(translate('vi', 'oauth.server_error'))));
    t.is(loggedStatus(page.headers), 500);
  } finally {
    await knex.raw('ALTER TABLE accounts_away RENAME TO accounts');
  }
});
