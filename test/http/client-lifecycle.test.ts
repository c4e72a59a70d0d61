// An operator's changes to a registered app: a rotated secret keeps working beside the new one
// for its overlap window, then stops; a disabled app signs nobody in (the person is told why),
// gets no token, and its tokens are inactive at once — on every node (PostgreSQL).
import test from 'ava';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { createTestClient, discover, startAuthorization } from '../helpers/relying-party.ts';
import { basicAuthorization, postForm } from '../helpers/hostile.ts';
import { createTestOperator, signInToConsole } from '../helpers/console.ts';
import { readForm } from '../helpers/user-agent.ts';
import { codesOn } from '../helpers/onboarding.ts';
import { t as translate } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';

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

async function consoleOf(roles: string[]) {
  const operator = await createTestOperator(server, roles);
  now += 60_000;
  const agent = new UserAgent();
  await signInToConsole(server, agent, operator, epoch());
  return { operator, agent };
}

const serviceClient = (name: string) => createTestClient(server, { name, redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], authMethod: 'client_secret_basic' });
const tokenWith = (clientId: string, secret: string) => postForm(`${server.url}/token`, { grant_type: 'client_credentials' }, basicAuthorization(clientId, secret));

test.serial('after a rotation both secrets work during the overlap window, then only the new one', async (t) => {
  const client = await serviceClient('Đồng bộ hồ sơ');
  const { operator, agent } = await consoleOf(['agency_admin', 'super_admin']);
  const confirm = await agent.get(`${server.url}/admin/clients/${client.client_id}/rotate`);
  t.is(confirm.status, 200);
  const form = readForm(confirm, 'confirm-form');
  const rotated = await agent.submit(confirm, { action: form.action, fields: { ...form.fields, overlap_hours: '1' } });
  t.is(rotated.status, 200);
  const [clientId, secret] = codesOn(rotated);
  t.is(clientId, client.client_id);
  t.not(secret, client.client_secret);

  t.is((await tokenWith(client.client_id, secret!)).status, 200, 'the new secret, at once');
  t.is((await tokenWith(client.client_id, client.client_secret!)).status, 200, 'the previous one, during the overlap');
  t.is((await tokenWith(client.client_id, 'wrong-secret')).status, 401, 'anything else, never');
  now += 59 * 60_000;
  t.is((await tokenWith(client.client_id, client.client_secret!)).status, 200, 'a minute before the overlap ends');
  now += 61_000;
  const late = await tokenWith(client.client_id, client.client_secret!);
  t.is(late.status, 401, 'the previous secret stops when the overlap ends');
  t.is(late.body.error, 'invalid_client');
  t.is((await tokenWith(client.client_id, secret!)).status, 200, 'the new one keeps working');

  const events = await server.services.db.knex('audit_events').where({ type: 'admin.client.secret_rotated', client_id: client.client_id });
  t.is(events.length, 1);
  t.is(events[0].details.operator, operator.account.id);
  t.is(events[0].details.overlapHours, 1);
  t.false(JSON.stringify(events).includes(secret!));
});

test.serial('a rotation or a disabling needs a recent sign-in, and an overlap within bounds', async (t) => {
  const client = await serviceClient('Đồng bộ thuế');
  const { agent } = await consoleOf(['super_admin']);
  const confirm = await agent.get(`${server.url}/admin/clients/${client.client_id}/rotate`);
  const form = readForm(confirm, 'confirm-form');
  for (const overlap of ['0', '169', '-1', 'abc', '1e3']) {
    const refused = await agent.submit(confirm, { action: form.action, fields: { ...form.fields, overlap_hours: overlap } });
    t.is(refused.status, 400, overlap);
  }
  t.is((await tokenWith(client.client_id, client.client_secret!)).status, 200, 'nothing changed');
  now += 6 * 60_000;
  const stale = await agent.get(`${server.url}/admin/clients/${client.client_id}/disable`);
  t.is(stale.status, 401);
  t.true(stale.body.includes(escapeHtml(translate('vi', 'console.reauth_heading'))));
  const late = await agent.submit(confirm, { action: form.action, fields: { ...form.fields, overlap_hours: '24' } });
  t.is(late.status, 401, 'the POST asks for it too');
  t.is((await tokenWith(client.client_id, client.client_secret!)).status, 200);
});

test.serial('a disabled app: its authorization requests get a clear page, it gets no token, and its tokens are inactive at once', async (t) => {
  const client = await createTestClient(server, { name: 'Ứng dụng tạm ngừng' });
  const issued = await tokenWith(client.client_id, client.client_secret!);
  const accessToken = String(issued.body.access_token);
  const introspect = () => postForm(`${server.url}/token/introspection`, { token: accessToken }, basicAuthorization(client.client_id, client.client_secret!));
  t.true((await introspect()).body.active);

  const { operator, agent } = await consoleOf(['super_admin']);
  const confirm = await agent.get(`${server.url}/admin/clients/${client.client_id}/disable`);
  t.true(confirm.body.includes(escapeHtml(translate('vi', 'clients.disable_explanation'))));
  const done = await agent.submit(confirm, readForm(confirm, 'confirm-form'));
  t.is(done.status, 200);
  t.true(done.body.includes(escapeHtml(translate('vi', 'clients.disabled_done', { name: 'Ứng dụng tạm ngừng', tokens: 1 }))));

  const inactive = await introspect();
  t.is(inactive.status, 200);
  t.false(inactive.body.active, 'introspection says inactive at once');
  t.is((await tokenWith(client.client_id, client.client_secret!)).status, 401, 'no new token');
  const rp = await discover(server, client);
  const page = await new UserAgent().get((await startAuthorization(rp)).url.href);
  t.is(page.status, 400);
  t.true(page.body.includes(escapeHtml(translate('vi', 'oauth.client_disabled'))), 'the person is told the app is disconnected');
  const enPage = await new UserAgent().get((await startAuthorization(rp, { ui_locales: 'en' })).url.href);
  t.true(enPage.body.includes(escapeHtml(translate('en', 'oauth.client_disabled'))));

  const again = await agent.submit(confirm, readForm(confirm, 'confirm-form'));
  t.is(again.status, 409, 'disabling twice changes nothing');
  const events = await server.services.db.knex('audit_events').where({ type: 'admin.client.disabled', client_id: client.client_id });
  t.is(events.length, 1);
  t.is(events[0].details.operator, operator.account.id);
  t.is(events[0].details.tokensRevoked, 1);
});

test.serial('xacthuc’s own console client cannot be rotated or disabled', async (t) => {
  const { agent } = await consoleOf(['super_admin']);
  for (const path of ['', '/disable', '/rotate']) t.is((await agent.get(`${server.url}/admin/clients/xacthuc-console${path}`)).status, 404, path);
  t.is(await server.services.clients.statusOf('xacthuc-console'), 'active');
});

// Two nodes share one PostgreSQL database: the embedded database is one process's only.
const onPostgres: typeof test.serial = process.env.DATABASE_URL ? test.serial : ((() => undefined) as unknown as typeof test.serial);

onPostgres('a client disabled through one node is refused by another at once, its tokens inactive there too', async (t) => {
  // Signed in before the second node starts: a node started on another ISSUER re-registers the console's redirect URI for itself.
  const { agent } = await consoleOf(['super_admin']);
  const second = await startTestServer({ shared: server, clock });
  try {
    const client = await serviceClient('Ứng dụng hai máy chủ');
    const at = (node: TestServer) => ({
      token: () => postForm(`${node.url}/token`, { grant_type: 'client_credentials' }, basicAuthorization(client.client_id, client.client_secret!)),
      introspect: (token: string) => postForm(`${node.url}/token/introspection`, { token }, basicAuthorization(client.client_id, client.client_secret!)),
    });
    const token = String((await at(second).token()).body.access_token);
    t.true((await at(second).introspect(token)).body.active, 'the second node has read the client');

    const confirm = await agent.get(`${server.url}/admin/clients/${client.client_id}/disable`);
    t.is((await agent.submit(confirm, readForm(confirm, 'confirm-form'))).status, 200);

    t.false((await at(second).introspect(token)).body.active, 'inactive on the other node at once');
    t.is((await at(second).token()).status, 401, 'and no new token there');
  } finally {
    await second.stop();
  }
});
