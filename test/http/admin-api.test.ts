// The admin API: a service client a super-administrator trusts with some functions gets a token by
// the client credentials grant; the API answers only what that token's admin scopes allow.
import test from 'ava';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createTestClient } from '../helpers/relying-party.ts';
import { grantAdminFunctions, ServiceClientError } from '../../src/admin/index.ts';

let server: TestServer;

test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.stop();
});

async function serviceClient(functions: string[]) {
  const client = await createTestClient(server, { name: 'Hệ thống đồng bộ tài khoản', redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], authMethod: 'client_secret_basic' });
  await grantAdminFunctions(server.services, client.client_id, functions, { operator: null, via: 'test' });
  const configuration = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  return { client, configuration };
}

const call = (path: string, token?: string) => fetch(`${server.url}/admin/api${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

test('a service client’s token carries the admin functions it asked for among those granted, and the API tells it so', async (t) => {
  const { client, configuration } = await serviceClient(['accounts.read', 'audit.read']);
  const tokens = await oidc.clientCredentialsGrant(configuration, { scope: 'admin:accounts.read' });
  const me = await call('/me', tokens.access_token);
  t.is(me.status, 200);
  t.is(me.headers.get('cache-control'), 'no-store');
  t.deepEqual(await me.json(), { client_id: client.client_id, functions: ['accounts.read'] });
  const refused = await t.throwsAsync<oidc.ResponseBodyError>(oidc.clientCredentialsGrant(configuration, { scope: 'admin:accounts.delete' }));
  t.is(refused?.error, 'invalid_scope', 'a function not granted cannot be asked for');
});

test('no token, a made-up token, a token without admin scopes or of a client since removed: 401 invalid_token', async (t) => {
  const missing = await call('/me');
  t.is(missing.status, 401);
  t.is(missing.headers.get('www-authenticate'), 'Bearer');
  for (const token of ['made-up', 'A'.repeat(43), `${'A'.repeat(600)}`]) {
    const answer = await call('/me', token);
    t.is(answer.status, 401, token.slice(0, 10));
    t.is(answer.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    t.is((await answer.json()).error, 'invalid_token');
  }
  const { client, configuration } = await serviceClient(['dashboard.read']);
  const tokens = await oidc.clientCredentialsGrant(configuration, { scope: 'admin:dashboard.read' });
  t.is((await call('/me', tokens.access_token)).status, 200);
  await server.services.db.knex('clients').where({ client_id: client.client_id }).delete();
  await new Promise((resolve) => setTimeout(resolve, 5_100)); // the client cache (oidc/clients.ts) keeps a client 5 s
  t.is((await call('/me', tokens.access_token)).status, 401, 'a removed client’s token opens nothing');
});

test('admin functions go only to a confidential client of the client credentials grant, and only known ones', async (t) => {
  const app = await createTestClient(server, { name: 'Cổng dịch vụ công' });
  await t.throwsAsync(grantAdminFunctions(server.services, app.client_id, ['accounts.read'], { operator: null, via: 'test' }), { instanceOf: ServiceClientError });
  const service = await createTestClient(server, { name: 'Đồng bộ', redirectUris: [], postLogoutRedirectUris: [], grantTypes: ['client_credentials'], authMethod: 'client_secret_basic' });
  await t.throwsAsync(grantAdminFunctions(server.services, service.client_id, ['accounts.read', 'root'], { operator: null, via: 'test' }), { message: /"root" is not an admin function/ });
  const stored = await server.services.clients.metadataOf(service.client_id);
  t.false(String(stored?.scope).includes('admin:'), 'a refused grant changes nothing');
});

test('the OpenAPI document is served without a token; an unknown API path is a JSON 404 for a caller with a token', async (t) => {
  const document = await call('/openapi.json');
  t.is(document.status, 200);
  const body = await document.json();
  t.is(body.openapi, '3.1.0');
  t.truthy(body.paths['/me']);
  const { configuration } = await serviceClient(['audit.read']);
  const tokens = await oidc.clientCredentialsGrant(configuration, { scope: 'admin:audit.read' });
  const unknown = await call('/nothing-here', tokens.access_token);
  t.is(unknown.status, 404);
  t.is((await unknown.json()).error, 'not_found');
});
