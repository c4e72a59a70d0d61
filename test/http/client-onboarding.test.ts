// Relying-party onboarding (Hue-S Art. 15.2): an organization proposes an app from its page, a
// reviewer decides in the console, the requester is told by SMS and on its page; an approved
// app signs people in at once. Hostile requests change nothing.
import test from 'ava';
import { startTestServer, readOutbox, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, startAuthorization, signInThroughPages, RP_CALLBACK } from '../helpers/relying-party.ts';
import { createTestOperator, signInToConsole } from '../helpers/console.ts';
import { codesOn, PNG, postMultipart, requestFields, signedInOrganization, submitRequest } from '../helpers/onboarding.ts';
import { t as translate, type MessageKey } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';
import type { RegisteredClient } from '../../src/oidc/index.ts';

let now = Date.now();
const clock = { now: () => new Date(now) };
const epoch = () => Math.floor(now / 1000);
let server: TestServer;

test.before(async () => {
  server = await startTestServer({ clock });
});
test.after.always(async () => {
  await server?.stop();
});

const shows = (page: Page, key: MessageKey, params?: Record<string, string | number>) => page.body.includes(escapeHtml(translate('vi', key, params)));
const requestCount = async () => Number((await server.services.db.knex('integration_requests').count({ n: '*' }))[0]!.n);

/** A reviewer signed in to the console (each sign-in a clock step later: a TOTP code is used once). */
async function reviewer(roles = ['integration_reviewer']) {
  const operator = await createTestOperator(server, roles);
  now += 60_000;
  const agent = new UserAgent();
  await signInToConsole(server, agent, operator, epoch());
  return { operator, agent };
}

/** The pending request named `name`, opened from the console's list. */
async function openRequest(agent: UserAgent, name: string): Promise<Page> {
  const list = await agent.get(`${server.url}/admin/clients`);
  const href = new RegExp(`<a href="(/admin/clients/requests/[0-9a-f-]+)" aria-label="[^"]*">${escapeHtml(name)}</a>`).exec(list.body)?.[1];
  if (!href) throw new Error(`no request ${name} in the console`);
  return agent.get(`${server.url}${href}`);
}

test.serial('an organization’s request is reviewed and approved in the console, the secret shown once, and the new app signs a person in through openid-client', async (t) => {
  const { account, agent, phone } = await signedInOrganization(server);
  const submitted = await submitRequest(server, agent, '/integrations/new', requestFields(), { filename: 'logo.png', type: 'image/png', body: PNG });
  t.is(submitted.status, 200);
  t.true(shows(submitted, 'onboarding.submitted'));
  t.true(shows(submitted, 'onboarding.status.pending'));

  const { operator, agent: console_ } = await reviewer();
  const request = await openRequest(console_, 'Cổng tra cứu hồ sơ Huế');
  t.true(request.body.includes('https://rp.example.vn/callback'));
  t.true(request.body.includes('Gửi tin nhắn báo kết quả hồ sơ.'), 'the reason given for the phone number');
  t.true(request.body.includes('Công ty Cổ phần Số Huế ('), 'the requester, named');
  t.false(request.body.includes(account.taxCode!), 'its tax code masked');
  const logo = /<img class="client-logo" src="(\/assets\/client-logo\/[0-9a-f]{32}\.png)"/.exec(request.body)?.[1];
  t.truthy(logo, 'the uploaded logo, served here');

  const approve = readForm(request, 'approve-form');
  const credentials = await console_.submit(request, approve);
  t.is(credentials.status, 200);
  t.true(shows(credentials, 'clients.credentials_once'));
  const [clientId, secret] = codesOn(credentials);
  t.regex(clientId!, /^xt_/);
  t.true(secret!.length >= 43);
  t.false((await console_.get(`${server.url}/admin/clients/${clientId}`)).body.includes(secret!), 'shown once: not on the app’s page afterwards');
  const again = await console_.submit(request, approve);
  t.is(again.status, 409, 'a second approval registers nothing more');
  t.is(await server.services.db.knex('clients').whereRaw("metadata->>'client_name' = ?", ['Cổng tra cứu hồ sơ Huế']).count({ n: '*' }).then((rows) => Number(rows[0]!.n)), 1);

  const stored = await server.services.clients.metadataOf(clientId!);
  t.is(stored?.logo_uri, `${server.config.issuer}${logo}`);
  t.is(stored?.purpose, 'Nhận diện người tra cứu và báo kết quả qua điện thoại.', 'the purpose passed on to the registration');
  t.deepEqual(stored?.contacts, ['it@so-hue.example.vn']);
  t.is(stored?.scope, 'openid offline_access profile phone');

  const image = await fetch(`${server.url}${logo}`);
  t.is(image.headers.get('content-type'), 'image/png');
  t.is(image.headers.get('content-security-policy'), "default-src 'none'; sandbox");
  t.deepEqual(Buffer.from(await image.arrayBuffer()), PNG);

  const citizen = await createTestCitizen(server);
  const rp = await discover(server, { client_id: clientId!, client_secret: secret! } as RegisteredClient);
  const start = await startAuthorization(rp);
  const person = new UserAgent();
  const login = await person.get(start.url.href, RP_CALLBACK);
  t.true(login.body.includes(`<img class="client-logo" src="${logo}" alt="">`), 'the sign-in page shows the logo from xacthuc itself');
  const callback = await signInThroughPages(person, start, citizen.nationalId, citizen.password);
  const tokens = await completeFlow(rp, start, callback);
  const sub = tokens.claims()?.sub;
  t.truthy(sub, 'the approved app signs the person in');
  t.not(sub, citizen.account.id, 'and, as every new app, sees a pairwise subject of its own');

  const sms = (await readOutbox(server)).filter((message) => message.to === phone);
  t.is(sms.at(-1)?.body, translate('vi', 'sms.notice.integration_approved'));
  t.false(sms.some((message) => message.body.includes(secret!) || message.body.includes(clientId!)), 'no credential by SMS');
  const mine = await agent.get(`${server.url}/integrations`);
  t.true(shows(mine, 'onboarding.status.approved'));
  t.true(mine.body.includes(clientId!));

  const events = await server.services.db.knex('audit_events').where({ type: 'admin.client.approved', client_id: clientId });
  t.is(events.length, 1);
  t.is(events[0].details.operator, operator.account.id);
  t.false(JSON.stringify(events[0]).includes(secret!));
});

test.serial('a rejected request is refused with a reason its requester reads on its page and is told of by SMS', async (t) => {
  const { agent, phone } = await signedInOrganization(server);
  await submitRequest(server, agent, '/integrations/new', requestFields({ name: 'Ứng dụng thu thập dữ liệu' }));
  const { operator, agent: console_ } = await reviewer();
  const request = await openRequest(console_, 'Ứng dụng thu thập dữ liệu');
  const reject = readForm(request, 'reject-form');
  const empty = await console_.submit(request, { action: reject.action, fields: { ...reject.fields, reason: '   ' } });
  t.is(empty.status, 400, 'a refusal needs its reason');
  t.true(shows(empty, 'clients.reason_required'));
  const reason = 'Chưa nêu rõ vì sao cần số điện thoại.';
  const rejected = await console_.submit(request, { action: reject.action, fields: { ...reject.fields, reason } });
  t.is(rejected.status, 200);
  t.true(shows(rejected, 'clients.decided', { status: translate('vi', 'onboarding.status.rejected') }));

  const mine = await agent.get(`${server.url}/integrations`);
  t.true(shows(mine, 'onboarding.status.rejected'));
  t.true(shows(mine, 'onboarding.rejection_reason', { reason }));
  t.is((await readOutbox(server)).filter((message) => message.to === phone).at(-1)?.body, translate('vi', 'sms.notice.integration_rejected'));
  const approveAfter = await console_.submit(request, readForm(request, 'approve-form'));
  t.is(approveAfter.status, 409, 'a decided request is not approved afterwards');
  t.is(await server.services.db.knex('clients').whereRaw("metadata->>'client_name' = ?", ['Ứng dụng thu thập dữ liệu']).count({ n: '*' }).then((rows) => Number(rows[0]!.n)), 0);
  const events = await server.services.db.knex('audit_events').where({ type: 'admin.client.rejected' });
  t.true(events.some((event) => event.details.operator === operator.account.id && event.details.name === 'Ứng dụng thu thập dữ liệu'));
});

test.serial('only a signed-in organization account opens the request page', async (t) => {
  const anonymous = await new UserAgent().get(`${server.url}/integrations/new`);
  t.is(anonymous.status, 401);
  t.true(shows(anonymous, 'onboarding.sign_in_first'));
  const citizen = await createTestCitizen(server);
  const agent = new UserAgent();
  await signInThroughPages(agent, await startAuthorization(await discover(server, await createTestClient(server))), citizen.nationalId, citizen.password);
  const refused = await agent.get(`${server.url}/integrations/new`);
  t.is(refused.status, 403);
  t.true(shows(refused, 'onboarding.organizations_only'));
});

test.serial('hostile requests are refused with a clear error and store nothing: oversized, disguised or SVG logos, bad addresses, missing reasons, no CSRF token, a huge body', async (t) => {
  const { agent } = await signedInOrganization(server);
  const before = await requestCount();
  const cases: Array<{ what: string; fields?: Record<string, string>; logo?: { filename: string; type: string; body: Buffer }; field: string; key: MessageKey }> = [
    { what: 'a logo over 100 KiB', logo: { filename: 'big.png', type: 'image/png', body: Buffer.concat([PNG, Buffer.alloc(101 * 1024)]) }, field: 'logo', key: 'onboarding.error.logo_too_large' },
    { what: 'an SVG with a script', logo: { filename: 'logo.svg', type: 'image/svg+xml', body: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') }, field: 'logo', key: 'onboarding.error.logo_type' },
    { what: 'an HTML page named .png', logo: { filename: 'logo.png', type: 'image/png', body: Buffer.from('<html><script>alert(1)</script></html>') }, field: 'logo', key: 'onboarding.error.logo_type' },
    { what: 'a redirect URI with a fragment', fields: { redirect_uris: 'https://rp.example.vn/cb#x' }, field: 'redirect_uris', key: 'onboarding.error.redirect_uris' },
    { what: 'a plain-http redirect URI', fields: { redirect_uris: 'http://rp.example.vn/cb' }, field: 'redirect_uris', key: 'onboarding.error.redirect_uris' },
    { what: 'a wildcard', fields: { redirect_uris: 'https://*.example.vn/cb' }, field: 'redirect_uris', key: 'onboarding.error.redirect_uris' },
    { what: 'a javascript: back-channel URI', fields: { backchannel_logout_uri: 'javascript:alert(1)' }, field: 'backchannel_logout_uri', key: 'onboarding.error.server_uri' },
    { what: 'the personal number without a reason', fields: { scope_national_id: 'on' }, field: 'reason_national_id', key: 'onboarding.error.reason' },
    { what: 'a name with a bidi override', fields: { name: 'Cổng\u202Egnậc' }, field: 'name', key: 'onboarding.error.name' },
    { what: 'no contact', fields: { contacts: 'not-an-address' }, field: 'contacts', key: 'onboarding.error.contacts' },
    { what: 'an unknown kind', fields: { kind: 'robot' }, field: 'kind', key: 'onboarding.error.kind' },
  ];
  for (const example of cases) {
    const page = await submitRequest(server, agent, '/integrations/new', requestFields(example.fields), example.logo);
    t.is(page.status, 400, example.what);
    t.true(page.body.includes(`<a href="#${example.field}">`), `${example.what}: listed in the summary`);
    t.true(shows(page, example.key), `${example.what}: the field's message`);
    t.false(page.body.includes('<script>alert(1)</script>'), `${example.what}: nothing hostile echoed as markup`);
  }
  const form = await agent.get(`${server.url}/integrations/new`);
  t.true(form.body.includes('enctype="multipart/form-data"'));
  const noToken = await postMultipart(agent, `${server.url}/integrations/new`, requestFields());
  t.is(noToken.status, 403, 'no CSRF token');
  const forged = await postMultipart(agent, `${server.url}/integrations/new`, { ...requestFields(), _csrf: 'A'.repeat(43) });
  t.is(forged.status, 403, 'a made-up CSRF token');
  const huge = await postMultipart(agent, `${server.url}/integrations/new`, { ...requestFields(), _csrf: readForm(form, 'request-form').fields._csrf!, description: 'x'.repeat(600 * 1024) });
  t.is(huge.status, 413);
  const notMultipart = await agent.submit(form, { action: '/integrations/new', fields: { ...requestFields(), _csrf: readForm(form, 'request-form').fields._csrf! } });
  t.is(notMultipart.status, 415);
  t.is(await requestCount(), before, 'nothing stored');
  const missing = await fetch(`${server.url}/assets/client-logo/${'0'.repeat(32)}.png`);
  t.is(missing.status, 404);
  const traversal = await fetch(`${server.url}/assets/client-logo/..%2F..%2Fpackage.json`);
  t.is(traversal.status, 404);
});
