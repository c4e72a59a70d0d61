// The built-in demo application (development only): a person signs in to it through the
// provider's own pages, sees what it received, and signs out; in production it does not exist.
import test from 'ava';
import { t as translate, type MessageKey } from '../../src/i18n/index.ts';
import { DEMO_CLIENT_NAME } from '../../src/demo/index.ts';
import { escapeHtml } from '../../views/html.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createTestCitizen } from '../helpers/relying-party.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';

let server: TestServer;

test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.stop();
});

const shows = (page: Page, key: MessageKey, params?: Record<string, string | number>, locale: 'vi' | 'en' = 'vi') =>
  page.body.includes(escapeHtml(translate(locale, key, params)));

async function press(agent: UserAgent, page: Page, fields: Record<string, string> = {}): Promise<Page> {
  const form = readForm(page);
  return agent.submit(page, { action: form.action, fields: { ...form.fields, ...fields } });
}

/** From /demo to the sign-in page of the provider. */
async function startTrial(agent: UserAgent, query = ''): Promise<Page> {
  const demo = await agent.get(`${server.url}/demo${query}`);
  return press(agent, demo);
}

test.serial('a newcomer signs in to the demo application through the pages, sees what it received, and signs out back to it', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000201' });
  const agent = new UserAgent();
  const demo = await agent.get(`${server.url}/demo`);
  t.is(demo.status, 200);
  t.true(shows(demo, 'demo.intro', { client: DEMO_CLIENT_NAME }));
  t.regex(demo.body, /name="_csrf"/);

  const started = await agent.request(`${server.url}/demo`, { form: readForm(demo).fields });
  t.is(started.status, 303);
  const authorization = new URL(started.headers.get('location')!);
  t.is(authorization.origin, server.config.issuer);
  t.is(authorization.searchParams.get('client_id'), 'xacthuc-demo');
  t.is(authorization.searchParams.get('code_challenge_method'), 'S256');
  t.truthy(authorization.searchParams.get('state'));
  t.truthy(authorization.searchParams.get('nonce'));
  t.is(authorization.searchParams.get('redirect_uri'), `${server.config.issuer}/demo/callback`);
  const flowCookie = started.headers.getSetCookie().find((line) => line.startsWith('xt_demo='))!;
  t.regex(flowCookie, /httponly/i);
  t.regex(flowCookie, /path=\/demo/i);

  const login = await agent.follow(started);
  t.true(shows(login, 'login.heading'));
  const consent = await press(agent, login, { identifier: citizen.nationalId, password: citizen.password });
  t.true(shows(consent, 'consent.heading', { client: DEMO_CLIENT_NAME }), 'the newcomer sees the consent page');
  const result = await press(agent, consent, { decision: 'allow' });
  t.is(result.status, 200);
  t.true(shows(result, 'demo.result_title'));
  t.true(shows(result, 'demo.claim.sub'));
  t.true(result.body.includes(`<dd>${citizen.account.id}</dd>`), 'the ID token names the person (public subject)');
  t.true(result.body.includes(`<dd>${escapeHtml('Nguyễn Văn An')}</dd>`), 'userinfo has the name the profile scope releases');
  t.true(result.body.includes('<dd>urn:xacthuc:loa:1</dd>'));
  t.false(result.body.includes(citizen.nationalId), 'nothing beyond openid profile');
  t.false(/eyJ[A-Za-z0-9_-]{10,}\./.test(result.body), 'no token on the page, only what it says');
  t.false(agent.cookies.has('xt_demo'), 'the flow cookie is spent');

  // The sign-out is a GET form (RP-initiated logout), sent as a browser sends one.
  const signOut = readForm(result);
  t.is(new URL(signOut.action, result.url).pathname, '/session/end');
  const logout = await agent.get(`${new URL(signOut.action, result.url).href}?${new URLSearchParams(signOut.fields)}`);
  t.true(shows(logout, 'logout.question_client', { client: DEMO_CLIENT_NAME }));
  const back = await press(agent, logout, { logout: 'yes' });
  t.is(back.url, `${server.config.issuer}/demo?state=signed-out`);
  t.true(shows(back, 'demo.signed_out'));
});

test.serial('the trial keeps the language it began in, to the sign-in page and its last page', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000202' });
  const agent = new UserAgent();
  const login = await startTrial(agent, '?lang=en');
  t.regex(login.body, /<html lang="en">/);
  const consent = await press(agent, login, { identifier: citizen.nationalId, password: citizen.password });
  const result = await press(agent, consent, { decision: 'allow' });
  t.true(shows(result, 'demo.result_title', undefined, 'en'));
  t.regex(result.body, /href="\/demo\?lang=vi"/, 'the language switch leads to the start, not to the spent callback');
});

test.serial('declining on the consent page sends nothing to the demo application, and it says so', async (t) => {
  const citizen = await createTestCitizen(server, { phone: '0977000203' });
  const agent = new UserAgent();
  const login = await startTrial(agent);
  const consent = await press(agent, login, { identifier: citizen.nationalId, password: citizen.password });
  const declined = await press(agent, consent, { decision: 'deny' });
  t.is(declined.status, 200);
  t.true(shows(declined, 'demo.declined'));
});

test.serial('a callback without the flow it belongs to, or with a forged state, completes nothing', async (t) => {
  const stranger = await new UserAgent().get(`${server.url}/demo/callback?code=abc&state=def`);
  t.is(stranger.status, 400);
  t.true(shows(stranger, 'demo.failed'));

  const citizen = await createTestCitizen(server, { phone: '0977000204' });
  const agent = new UserAgent();
  const login = await startTrial(agent);
  const form = readForm(login);
  const answer = await agent.request(new URL(form.action, login.url).href, { form: { ...form.fields, identifier: citizen.nationalId, password: citizen.password } });
  const consentPage = await agent.follow(answer);
  const consentForm = readForm(consentPage);
  const redirect = await agent.follow(await agent.request(new URL(consentForm.action, consentPage.url).href, { form: { ...consentForm.fields, decision: 'allow' } }), `${server.config.issuer}/demo/callback`);
  const callback = new URL(redirect.url);
  callback.searchParams.set('state', 'forged');
  const forged = await agent.get(callback.href);
  t.is(forged.status, 400);
  t.true(shows(forged, 'demo.failed'));
  t.false(forged.body.includes(citizen.account.id));

  const tampered = new UserAgent();
  const started = await tampered.request(`${server.url}/demo`, { form: readForm(await tampered.get(`${server.url}/demo`)).fields });
  t.is(started.status, 303);
  const [body, mac] = tampered.cookies.get('xt_demo')!.split('.');
  const flow = JSON.parse(Buffer.from(body!, 'base64url').toString());
  tampered.cookies.set('xt_demo', `${Buffer.from(JSON.stringify({ ...flow, state: 'mine' })).toString('base64url')}.${mac}`);
  const refused = await tampered.get(`${server.url}/demo/callback?code=abc&state=mine`);
  t.is(refused.status, 400, 'an altered flow cookie is not believed');
});

test.serial('the demo start refuses a post without its CSRF token', async (t) => {
  const agent = new UserAgent();
  await agent.get(`${server.url}/demo`);
  const forged = await agent.request(`${server.url}/demo`, { form: { _csrf: 'forged' } });
  t.is(forged.status, 403);
  t.true(shows(forged, 'csrf.invalid'));
});

test.serial('the home page leads to the demo and to the operator console, and to no account console yet', async (t) => {
  const home = await new UserAgent().get(`${server.url}/`);
  t.regex(home.body, /<a class="button button--secondary" href="\/demo">/);
  t.regex(home.body, /<a href="\/admin">/);
  t.true(shows(home, 'home.admin'));
  t.false(home.body.includes('href="/account'));
});

test('in production there is no demo: its pages are not found, its client is unknown, the home page does not offer it', async (t) => {
  const production = await startTestServer({ env: { NODE_ENV: 'production', SMS_PROVIDER: 'http', SMS_HTTP_URL: 'http://localhost:9/unused' } });
  t.teardown(() => production.stop());
  const agent = new UserAgent();
  for (const path of ['/demo', '/demo/callback?code=a&state=b']) t.is((await agent.get(`${production.url}${path}`)).status, 404, path);
  t.is((await agent.request(`${production.url}/demo`, { form: { _csrf: 'x' } })).status, 404);
  const authorization = await agent.get(`${production.url}/auth?client_id=xacthuc-demo&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(`${production.config.issuer}/demo/callback`)}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`);
  t.is(authorization.status, 400);
  t.true(shows(authorization, 'oauth.invalid_client'), 'the client does not exist');
  const home = await agent.get(`${production.url}/`);
  t.false(home.body.includes('href="/demo"'));
  t.regex(home.body, /<a href="\/admin">/);
});
