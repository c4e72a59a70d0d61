// RFC 7591 registration with an initial access token an operator issued, and RFC 7592
// management with the registration access token: a registered app is an integration request,
// pending until a reviewer approves it, and passes the province's rules like any other.
import test from 'ava';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { grantAdminFunctions } from '../../src/admin/index.ts';
import { t as translate } from '../../src/i18n/index.ts';
import { escapeHtml } from '../../views/html.ts';
import type { RegisteredClient } from '../../src/oidc/index.ts';

let server: TestServer;
let adminToken: string;

test.before(async () => {
  server = await startTestServer();
  const service = await createTestClient(server, { name: 'Quản trị tích hợp', redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], authMethod: 'client_secret_basic' });
  await grantAdminFunctions(server.services, service.client_id, ['clients.read', 'clients.review', 'clients.manage'], { operator: null, via: 'test' });
  const configuration = await oidc.discovery(new URL(server.url), service.client_id, service.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  adminToken = (await oidc.clientCredentialsGrant(configuration, { scope: 'admin:clients.read admin:clients.review admin:clients.manage' })).access_token;
});
test.after.always(async () => {
  await server?.stop();
});

const admin = (path: string, body?: unknown) => fetch(`${server.url}/admin/api${path}`, {
  method: body === undefined ? 'GET' : 'POST',
  headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  body: body === undefined ? undefined : JSON.stringify(body),
});

async function initialAccessToken(): Promise<string> {
  const answer = await admin('/clients/initial-access-tokens', {});
  if (answer.status !== 201) throw new Error(`no initial access token (${answer.status})`);
  return (await answer.json()).initial_access_token;
}

const portal = {
  client_name: 'Ứng dụng Hue-S thử nghiệm',
  redirect_uris: [RP_CALLBACK],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'openid profile phone offline_access',
  purpose: 'Đăng nhập người dân vào ứng dụng.',
  contacts: ['dev@hue-s.example.vn'],
};

const register = (metadata: unknown, token?: string) => fetch(`${server.url}/reg`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
  body: JSON.stringify(metadata),
});

test.serial('registration without an initial access token, or with a made-up one, is refused (401) and registers nothing', async (t) => {
  const before = Number((await server.services.db.knex('clients').count({ n: '*' }))[0]!.n);
  const none = await register(portal);
  t.is(none.status, 401);
  t.is((await none.json()).error, 'invalid_token');
  for (const token of ['made-up', 'A'.repeat(43)]) {
    const answer = await register(portal, token);
    t.is(answer.status, 401, token);
    t.is((await answer.json()).error, 'invalid_token');
  }
  t.is(Number((await server.services.db.knex('clients').count({ n: '*' }))[0]!.n), before);
});

test.serial('a registration by the province’s rules is pending, readable and changeable by its registrant, then approved, and signs a person in', async (t) => {
  const token = await initialAccessToken();
  const answer = await register(portal, token);
  t.is(answer.status, 201);
  const registered = await answer.json();
  t.regex(registered.client_id, /^xt_/);
  t.truthy(registered.client_secret);
  t.truthy(registered.registration_access_token);
  t.is(registered.registration_client_uri, `${server.config.issuer}/reg/${registered.client_id}`);
  t.is(await server.services.clients.statusOf(registered.client_id), 'pending');
  t.is((await register({ ...portal, client_name: 'Lần hai' }, token)).status, 401, 'an initial access token registers one app');

  // Pending: it signs nobody in, and the person is told why.
  const rp = await discover(server, registered as RegisteredClient);
  const page = await new UserAgent().get((await startAuthorization(rp)).url.href);
  t.is(page.status, 400);
  t.true(page.body.includes(escapeHtml(translate('vi', 'oauth.client_pending'))));
  await t.throwsAsync(oidc.clientCredentialsGrant(rp), undefined, 'no token for a pending client');

  // RFC 7592: read, then change while under review (a new registration access token each time).
  const read = await fetch(registered.registration_client_uri, { headers: { authorization: `Bearer ${registered.registration_access_token}` } });
  t.is(read.status, 200);
  t.is((await read.json()).client_name, 'Ứng dụng Hue-S thử nghiệm');
  const update = await fetch(registered.registration_client_uri, {
    method: 'PUT',
    headers: { authorization: `Bearer ${registered.registration_access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...portal, client_id: registered.client_id, client_name: 'Hue-S thử nghiệm' }),
  });
  t.is(update.status, 200);
  const updated = await update.json();
  t.is(updated.client_name, 'Hue-S thử nghiệm');
  t.not(updated.registration_access_token, registered.registration_access_token);
  t.is((await fetch(registered.registration_client_uri, { headers: { authorization: `Bearer ${registered.registration_access_token}` } })).status, 401, 'the earlier registration access token is spent');
  const badUpdate = await fetch(registered.registration_client_uri, {
    method: 'PUT',
    headers: { authorization: `Bearer ${updated.registration_access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...portal, client_id: registered.client_id, redirect_uris: ['http://rp.example.vn/cb'] }),
  });
  t.is(badUpdate.status, 400, 'an update follows the province’s rules too');
  t.is((await badUpdate.json()).error, 'invalid_redirect_uri');

  // The request the reviewers see, then its approval.
  const list = await (await admin('/clients')).json();
  const request = list.requests.find((entry: { client_id: string }) => entry.client_id === registered.client_id);
  t.is(request.status, 'pending');
  t.is(request.source, 'registration');
  t.is(request.purpose, 'Đăng nhập người dân vào ứng dụng.');
  const approved = await admin(`/clients/requests/${request.id}/approve`, {});
  t.is(approved.status, 200);
  t.false('client_secret' in (await approved.json()), 'the registrant already holds its secret');
  t.is(await server.services.clients.statusOf(registered.client_id), 'active');
  t.is((await server.services.clients.metadataOf(registered.client_id))?.purpose, 'Đăng nhập người dân vào ứng dụng.');

  const citizen = await createTestCitizen(server);
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password));
  t.truthy(tokens.claims()?.sub);
  t.not(tokens.claims()?.sub, citizen.account.id, 'a dynamically registered app sees a pairwise subject, as every new app');

  const afterApproval = await fetch(registered.registration_client_uri, {
    method: 'PUT',
    headers: { authorization: `Bearer ${updated.registration_access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...portal, client_id: registered.client_id, client_name: 'Đổi tên sau khi duyệt' }),
  });
  t.is(afterApproval.status, 403, 'once approved, a change goes through the operator');
  t.is((await server.services.clients.metadataOf(registered.client_id))?.client_name, 'Hue-S thử nghiệm');
  const events = await server.services.db.knex('audit_events').where({ client_id: registered.client_id }).orderBy('id');
  t.deepEqual(events.map((event) => event.type).filter((type) => type.startsWith('client.') || type.startsWith('admin.client')), ['client.registration_requested', 'admin.client.approved']);
});

test.serial('a registration that breaks the province’s rules is refused with the field named, and registers nothing', async (t) => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a plain-http redirect URI', { redirect_uris: ['http://rp.example.vn/cb'] }, 'invalid_redirect_uri'],
    ['a wildcard redirect URI', { redirect_uris: ['https://*.example.vn/cb'] }, 'invalid_redirect_uri'],
    ['no name', { client_name: undefined }, 'invalid_client_metadata'],
    ['a name with a bidi override', { client_name: 'Hue\u202ES' }, 'invalid_client_metadata'],
    ['a scope the provider has not', { scope: 'openid root' }, 'invalid_client_metadata'],
    ['a logo on another host', { logo_uri: 'https://evil.example/logo.png' }, 'invalid_client_metadata'],
    ['redirect URIs that are not strings', { redirect_uris: [42] }, 'invalid_redirect_uri'],
    ['an authentication method not offered', { token_endpoint_auth_method: 'client_secret_jwt' }, 'invalid_client_metadata'],
  ];
  for (const [what, change, error] of cases) {
    const token = await initialAccessToken();
    const answer = await register({ ...portal, ...change }, token);
    t.is(answer.status, 400, what);
    t.is((await answer.json()).error, error, what);
  }
  t.is(Number((await server.services.db.knex('integration_requests').where({ source: 'registration' }).whereRaw("fields->>'name' = ?", ['Hue\u202ES']).count({ n: '*' }))[0]!.n), 0);
});

test.serial('a rejected registration stays unable to sign anyone in, and its registrant can no longer manage it', async (t) => {
  const registered = await (await register({ ...portal, client_name: 'Ứng dụng bị từ chối' }, await initialAccessToken())).json();
  const request = (await (await admin('/clients')).json()).requests.find((entry: { client_id: string }) => entry.client_id === registered.client_id);
  t.is((await admin(`/clients/requests/${request.id}/reject`, { reason: '' })).status, 400, 'a reason is needed');
  const rejected = await admin(`/clients/requests/${request.id}/reject`, { reason: 'Thiếu văn bản đề nghị của cơ quan.' });
  t.is(rejected.status, 200);
  t.is((await rejected.json()).rejection_reason, 'Thiếu văn bản đề nghị của cơ quan.');
  t.is(await server.services.clients.statusOf(registered.client_id), 'disabled');
  t.is((await admin(`/clients/requests/${request.id}/approve`, {})).status, 409);
  const read = await fetch(registered.registration_client_uri, { headers: { authorization: `Bearer ${registered.registration_access_token}` } });
  t.is(read.status, 401);
});

test.serial('a registrant withdraws its registration while it is under review (RFC 7592 §2.3)', async (t) => {
  const registered = await (await register({ ...portal, client_name: 'Ứng dụng rút lại' }, await initialAccessToken())).json();
  const removed = await fetch(registered.registration_client_uri, { method: 'DELETE', headers: { authorization: `Bearer ${registered.registration_access_token}` } });
  t.is(removed.status, 204);
  t.is(await server.services.clients.statusOf(registered.client_id), undefined);
  t.is((await fetch(registered.registration_client_uri, { headers: { authorization: `Bearer ${registered.registration_access_token}` } })).status, 401);
  const listed = (await (await admin('/clients')).json()).requests.some((entry: { client_id: string }) => entry.client_id === registered.client_id);
  t.false(listed, 'its request is no longer waiting for a reviewer');
});
