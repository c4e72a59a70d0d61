// The first run (the operator-console issue, point 1): while no account holds an operator role,
// each start prints a single-use, expiring set-up link, through which the first
// super-administrator is made in a browser with the fields and rules of admin:create. The link
// is refused, and nothing made, once it is used, expired, unknown, or an administrator exists;
// in production also from an address that is neither this machine nor SETUP_ALLOWED_ADDRESSES.
import test, { type ExecutionContext } from 'ava';
import { pino } from 'pino';
import { loadConfig, ConfigError } from '../../src/config.ts';
import { createCitizenAccount } from '../../src/admin/index.ts';
import { firstRunLink, type SetupTokens } from '../../src/setup/index.ts';
import { t as translate, type MessageKey } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createTestClient, discover, RP_CALLBACK, startAuthorization } from '../helpers/relying-party.ts';
import { readForm, rulesNotMet, UserAgent, type Page } from '../helpers/user-agent.ts';

const ADMIN = {
  idNumber: '046088000555',
  fullName: 'Lê Quản Trị',
  birthdate: '08/08/1988',
  gender: 'male',
  phone: '0977000103',
  username: '',
  password: 'Sóng-Biển-Lăng-Cô-8',
  passwordConfirmation: 'Sóng-Biển-Lăng-Cô-8',
};
const OTHER_ADMIN = { ...ADMIN, idNumber: '046090000777', fullName: 'Trần Văn Bình', birthdate: '17/05/1990', phone: '0977000104' };

const shows = (page: Page, key: MessageKey, params?: Record<string, string | number>, locale: 'vi' | 'en' = 'vi') =>
  page.body.includes(escapeHtml(translate(locale, key, params)));

/** The server's log lines, as JSON objects, written where a test can read them. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

async function operators(server: TestServer): Promise<Array<{ id: string; roles: string[] }>> {
  return server.services.db.knex('accounts').select('id', 'roles').whereRaw("roles \\? 'super_admin'");
}

async function accountCount(server: TestServer): Promise<number> {
  const [{ count }] = await server.services.db.knex('accounts').count({ count: '*' });
  return Number(count);
}

/** Opens the link and posts the form with `values` over what the page holds. */
async function submitSetup(agent: UserAgent, link: string, values: Record<string, string>): Promise<Page> {
  const page = await agent.get(link);
  if (page.status !== 200) return page;
  const form = readForm(page);
  return agent.submit(page, { action: form.action, fields: { ...form.fields, ...values } });
}

async function withServer(t: ExecutionContext, options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  t.teardown(() => server.stop());
  return server;
}

test('a server with no administrator makes a set-up link at start and says it in one log line only', async (t) => {
  const { logger, lines } = capturedLog();
  const server = await withServer(t, { logger });
  t.truthy(server.setupLink);
  const link = server.setupLink!.url;
  t.regex(link, new RegExp(`^${server.config.issuer}/setup/[A-Za-z0-9_-]{43}$`));
  const token = link.split('/').at(-1)!;

  await submitSetup(new UserAgent(), link, { ...ADMIN, password: 'short' });
  await submitSetup(new UserAgent(), link, ADMIN);
  const holding = lines.filter((line) => JSON.stringify(line).includes(token));
  t.is(holding.length, 1, 'the announcement, and no request line');
  t.is(holding[0]!.setupLink, link);
  t.true(lines.some((line) => line.msg === 'request' && line.path === '/setup/…' && line.method === 'POST'), 'requests to it are logged without it');

  const stored = await server.services.db.knex('setup_tokens').select('*');
  t.is(stored.length, 1);
  t.false(JSON.stringify(stored).includes(token), 'stored only as a keyed hash');
});

test('the set-up page makes the first super-administrator once, who must then enrol an authenticator at the first sign-in', async (t) => {
  const server = await withServer(t);
  const link = server.setupLink!.url;
  const agent = new UserAgent();
  const form = await agent.get(link);
  t.is(form.status, 200);
  t.true(shows(form, 'setup.heading'));
  t.true(shows(form, 'setup.totp_note'));
  t.regex(form.body, /name="_csrf"/);
  t.deepEqual(['idNumber', 'fullName', 'birthdate', 'gender', 'phone', 'username', 'password', 'passwordConfirmation'].filter((name) => !form.body.includes(`name="${name}"`)), []);
  t.regex(form.body, /id="password-rules"/, 'the password rules as on registration');

  const done = await agent.submit(form, { action: readForm(form).action, fields: { ...readForm(form).fields, ...ADMIN } });
  t.is(done.status, 200);
  t.true(shows(done, 'setup.done_title'));
  t.true(shows(done, 'setup.done', { name: ADMIN.fullName }));
  t.regex(done.body, /<a class="button button--primary" href="\/admin">/);

  const made = await operators(server);
  t.is(made.length, 1);
  t.deepEqual(made[0]!.roles, ['super_admin']);
  const events = await server.services.db.knex('audit_events').where({ type: 'setup.admin_created' });
  t.is(events.length, 1);
  t.is(events[0].account_id, made[0]!.id);
  t.false(JSON.stringify(events).includes(ADMIN.password), 'no secret in the event');
  t.false(JSON.stringify(events).includes(link.split('/').at(-1)!));

  const again = await new UserAgent().get(link);
  t.is(again.status, 410);
  t.true(shows(again, 'setup.link_used'));
  const reposted = await agent.submit(done, { action: readForm(form).action, fields: { ...readForm(form).fields, ...OTHER_ADMIN } });
  t.is(reposted.status, 410, 'a used link makes no second administrator');
  t.is((await operators(server)).length, 1);

  // The administrator signs in (here at an app of the province): an authenticator first.
  const rp = await discover(server, await createTestClient(server));
  const start = await startAuthorization(rp);
  const signIn = new UserAgent();
  const login = await signIn.get(start.url.href, RP_CALLBACK);
  const loginForm = readForm(login);
  const next = await signIn.submit(login, { action: loginForm.action, fields: { ...loginForm.fields, identifier: ADMIN.idNumber, password: ADMIN.password } }, RP_CALLBACK);
  t.false(next.url.startsWith(RP_CALLBACK), 'no code before the authenticator');
  t.true(shows(next, 'totp.enrol_required'), 'enrolment is the only way on');
});

test('the set-up page speaks English with ?lang=en', async (t) => {
  const server = await withServer(t);
  const page = await new UserAgent().get(`${server.setupLink!.url}?lang=en`);
  t.is(page.status, 200);
  t.regex(page.body, /<html lang="en">/);
  t.true(shows(page, 'setup.heading', undefined, 'en'));
  t.regex(readForm(page).action, /\?lang=en$/);
});

test('a link is refused once it has expired, and makes nothing', async (t) => {
  let now = Date.now();
  const server = await withServer(t, { clock: { now: () => new Date(now) } });
  const link = server.setupLink!.url;
  const agent = new UserAgent();
  const form = await agent.get(link);
  t.is(form.status, 200);
  now += 59 * 60_000;
  t.is((await new UserAgent().get(link)).status, 200, 'still open before its hour is out');
  now += 2 * 60_000;
  const expired = await new UserAgent().get(link);
  t.is(expired.status, 410);
  t.true(shows(expired, 'setup.link_expired'));
  const posted = await agent.submit(form, { action: readForm(form).action, fields: { ...readForm(form).fields, ...ADMIN } });
  t.is(posted.status, 410);
  t.is(await accountCount(server), 0);
});

test('a link is refused once an administrator exists, made by admin:create meanwhile', async (t) => {
  const server = await withServer(t);
  const link = server.setupLink!.url;
  const agent = new UserAgent();
  const form = await agent.get(link);
  await createCitizenAccount(server.services, {
    nationalId: OTHER_ADMIN.idNumber, fullName: OTHER_ADMIN.fullName, birthdate: '1990-05-17', gender: 'male', phone: OTHER_ADMIN.phone, password: OTHER_ADMIN.password, roles: ['auditor'],
  });
  const opened = await new UserAgent().get(link);
  t.is(opened.status, 410);
  t.true(shows(opened, 'setup.admin_exists'));
  const posted = await agent.submit(form, { action: readForm(form).action, fields: { ...readForm(form).fields, ...ADMIN } });
  t.is(posted.status, 410);
  t.is(await accountCount(server), 1, 'only the one admin:create made');

  const { accounts, audit } = server.services;
  const setupTokens = { issue: () => t.fail('no link is made') } as unknown as SetupTokens;
  t.is(await firstRunLink({ issuer: server.config.issuer, accounts, audit, setupTokens }), undefined, 'a start with an operator makes no link');
});

// Two nodes on one embedded database would be two databases: the links of two nodes are
// raced on PostgreSQL only (DATABASE_URL), as the cluster tests are.
const postgres = Boolean(process.env.DATABASE_URL);

test(`posts at once${postgres ? ', through one link and the link of a second node,' : ' through one link'} make exactly one administrator`, async (t) => {
  const server = await withServer(t);
  const second = postgres ? await withServer(t, { shared: server }) : undefined;
  if (second) {
    t.truthy(second.setupLink, 'each node started without an administrator has a link of its own');
    t.not(second.setupLink!.url, server.setupLink!.url);
  }
  const prepare = async (link: string, values: Record<string, string>) => {
    const agent = new UserAgent();
    const page = await agent.get(link);
    const form = readForm(page);
    return () => agent.submit(page, { action: form.action, fields: { ...form.fields, ...values } });
  };
  const posts = await Promise.all([
    prepare(server.setupLink!.url, ADMIN),
    prepare(server.setupLink!.url, OTHER_ADMIN),
    prepare(second?.setupLink!.url ?? server.setupLink!.url, { ...OTHER_ADMIN, idNumber: '046090000778', phone: '0977000105' }),
  ]);
  const answers = await Promise.all(posts.map((post) => post()));
  t.deepEqual(answers.map((page) => page.status).sort(), [200, 410, 410]);
  t.is((await operators(server)).length, 1);
  t.is(await accountCount(server), 1);
  const [{ count }] = await server.services.db.knex('setup_tokens').whereNotNull('used_at').count({ count: '*' });
  t.is(Number(count), 1, 'the link that made it is used; another stays unused but leads nowhere');
  if (second) t.is((await new UserAgent().get(second.setupLink!.url)).status, 410);
});

test('hostile posts are refused with a clear page and change nothing: no CSRF token, malformed and oversized fields', async (t) => {
  const server = await withServer(t);
  const link = server.setupLink!.url;
  const agent = new UserAgent();
  const page = await agent.get(link);
  const form = readForm(page);

  const forged = await agent.submit(page, { action: form.action, fields: { ...form.fields, ...ADMIN, _csrf: 'forged' } });
  t.is(forged.status, 403);
  t.true(shows(forged, 'csrf.invalid'));
  const stranger = await new UserAgent().request(link, { form: { ...form.fields, ...ADMIN } });
  t.is(stranger.status, 403, 'a post without the cookie its token was made for');

  const malformed = await agent.submit(page, {
    action: form.action,
    fields: { ...form.fields, ...ADMIN, idNumber: '04608800055X', fullName: 'Lê\u202eQuản', birthdate: '31/02/1988', gender: 'robot', phone: '123', username: 'admin@x', password: 'abc', passwordConfirmation: 'abd' },
  });
  t.is(malformed.status, 400);
  for (const name of ['idNumber', 'fullName', 'birthdate', 'gender', 'phone', 'username']) t.regex(malformed.body, new RegExp(`id="${name}-error"`), name);
  t.deepEqual(rulesNotMet(malformed).sort(), ['digit', 'length', 'special', 'upper'].sort());
  t.false(malformed.body.includes('value="abc"'), 'a password is never sent back');

  const tooLong = await agent.submit(page, { action: form.action, fields: { ...form.fields, ...ADMIN, fullName: 'Lê'.repeat(200) } });
  t.is(tooLong.status, 400);
  t.regex(tooLong.body, /id="fullName-error"/);
  const oversized = await agent.submit(page, { action: form.action, fields: { ...form.fields, ...ADMIN, fullName: 'x'.repeat(70_000) } });
  t.is(oversized.status, 413);

  t.is(await accountCount(server), 0);
  const [row] = await server.services.db.knex('setup_tokens').select('used_at');
  t.is(row.used_at, null, 'the link still works after refused posts');
  t.is((await agent.submit(page, { action: form.action, fields: { ...form.fields, ...ADMIN } })).status, 200);
});

test('a token of the wrong shape or unknown is not found, and a citizen already holding the personal number is told', async (t) => {
  const server = await withServer(t);
  const base = `${server.config.issuer}/setup/`;
  for (const token of ['abc', 'x'.repeat(44), `${'a'.repeat(42)}!`, '%00'.repeat(15), 'A'.repeat(4000), 'B'.repeat(43)]) {
    const page = await new UserAgent().get(`${base}${token}`);
    t.is(page.status, 404, token.slice(0, 12));
    t.true(shows(page, 'setup.link_unknown'));
  }
  t.is((await new UserAgent().get(`${base}`)).status, 404);

  await createCitizenAccount(server.services, { nationalId: ADMIN.idNumber, fullName: ADMIN.fullName, birthdate: '1988-08-08', gender: 'male', phone: ADMIN.phone, password: ADMIN.password });
  const taken = await submitSetup(new UserAgent(), server.setupLink!.url, ADMIN);
  t.is(taken.status, 409);
  t.true(shows(taken, 'register.duplicate_national_id'));
  t.is((await operators(server)).length, 0);
  t.is((await submitSetup(new UserAgent(), server.setupLink!.url, OTHER_ADMIN)).status, 200, 'the link was not used up');
});

test('in production the link opens only from this machine or SETUP_ALLOWED_ADDRESSES, and the address is the one the load balancer saw', async (t) => {
  const production = { NODE_ENV: 'production', SMS_PROVIDER: 'http', SMS_HTTP_URL: 'http://localhost:9/unused', TRUST_PROXY: 'true' };
  const server = await withServer(t, { env: { ...production, SETUP_ALLOWED_ADDRESSES: '198.51.100.7, 2001:db8::/32' } });
  const link = server.setupLink!.url;
  const from = (address: string) => ({ 'x-forwarded-for': address, 'x-forwarded-proto': 'http', 'x-forwarded-host': new URL(link).host });
  const refused = await new UserAgent().request(link, { headers: from('203.0.113.9') });
  t.is(refused.status, 403);
  t.true(shows(refused, 'setup.address_refused'));
  t.is((await new UserAgent().request(link, { headers: from('10.0.0.1, 203.0.113.9') })).status, 403, 'an entry the client chose does not count');
  t.is((await new UserAgent().request(link, { headers: from('203.0.113.9, 198.51.100.7') })).status, 200);
  t.is((await new UserAgent().request(link, { headers: from('2001:db8::5') })).status, 200);
  t.is((await new UserAgent().request(link, { headers: from('127.0.0.1') })).status, 200, 'this machine');
  const agent = new UserAgent();
  const page = await agent.request(link, { headers: from('203.0.113.9, 198.51.100.7') });
  const form = readForm(page);
  const posted = await agent.request(link, { form: { ...form.fields, ...ADMIN }, headers: from('203.0.113.10') });
  t.is(posted.status, 403, 'a post from elsewhere is refused too');
  t.is(await accountCount(server), 0);
});

test('SETUP_ALLOWED_ADDRESSES takes addresses and networks, and names itself when one is not', (t) => {
  const base = { NODE_ENV: 'test' };
  t.deepEqual(loadConfig({ ...base, SETUP_ALLOWED_ADDRESSES: '10.0.8.0/24,::1' }).setupAllowedAddresses, [
    { address: '10.0.8.0', prefix: 24, family: 'ipv4' },
    { address: '::1', prefix: 128, family: 'ipv6' },
  ]);
  t.deepEqual(loadConfig(base).setupAllowedAddresses, []);
  for (const bad of ['10.0.8.0/33', 'sso.example.vn', '10.0.8.0/24/1', '10.0.8.0/x', '::1/129']) {
    const error = t.throws(() => loadConfig({ ...base, SETUP_ALLOWED_ADDRESSES: bad }), { instanceOf: ConfigError });
    t.regex(error!.message, /^SETUP_ALLOWED_ADDRESSES: /, bad);
  }
});
