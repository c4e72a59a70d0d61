import test from 'ava';
import * as oidc from 'openid-client';
import { exportJWK, generateKeyPair } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent } from '../helpers/user-agent.ts';
import { ENDPOINT_HOSTS, startRelyingPartyEndpoint, type EndpointResponse } from '../helpers/relying-party-endpoint.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';

let server: TestServer;
/** A server that may call `localhost` (OUTBOUND_PRIVATE_HOSTS), and no other private address. */
let internal: TestServer;
test.before(async () => {
  [server, internal] = await Promise.all([startTestServer(), startTestServer({ env: ENDPOINT_HOSTS })]);
});
test.after.always(async () => {
  await server?.stop();
  await internal?.stop();
});

/** A private_key_jwt client of `internal` whose jwks_uri answers with `jwks`, and its client-credentials grant. */
async function grantWithKeysFrom(t: import('ava').ExecutionContext, jwks: (keys: object) => EndpointResponse) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: 'rp-2026', alg: 'ES256', use: 'sig' }] };
  const endpoint = await startRelyingPartyEndpoint({ '/jwks': () => jwks(keys) });
  t.teardown(() => endpoint.close());
  const client = await createTestClient(internal, { authMethod: 'private_key_jwt', jwksUri: `${endpoint.url}/jwks` });
  const rp = await discover(internal, client, oidc.PrivateKeyJwt(privateKey));
  return { endpoint, grant: () => oidc.clientCredentialsGrant(rp) };
}

test('the provider does not call private addresses the operator has not listed (server-side request forgery)', async (t) => {
  const endpoint = await startRelyingPartyEndpoint();
  t.teardown(() => endpoint.close());
  const client = await createTestClient(server, { backchannelLogoutUri: `${endpoint.url}/backchannel` });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(agent, start, citizen.nationalId, citizen.password));

  const bye = 'https://rp.example.vn/bye';
  const confirm = await agent.get(oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: bye }).href, bye);
  const form = readForm(confirm, 'op.logoutForm');
  const done = await agent.submit(confirm, { action: form.action, fields: { ...form.fields, logout: 'yes' } }, bye);
  t.true(done.url.startsWith(bye), 'the person is still logged out and sent back');
  t.deepEqual(endpoint.received, [], 'nothing was sent to localhost');
});

test('a jwks_uri on a listed internal host that redirects to an unlisted private address is not followed', async (t) => {
  let keys: object = {};
  const elsewhere = await startRelyingPartyEndpoint({ '/jwks': () => ({ type: 'application/json', body: JSON.stringify(keys) }) }, '127.0.0.1');
  t.teardown(() => elsewhere.close());
  const { endpoint, grant } = await grantWithKeysFrom(t, (jwks) => {
    keys = jwks;
    return { status: 302, headers: { location: `${elsewhere.url}/jwks` } };
  });
  const refused = await t.throwsAsync<oidc.ResponseBodyError>(grant());
  t.is(refused?.error, 'invalid_client');
  t.true(endpoint.received.some((request) => request.path === '/jwks'), 'the listed host was asked');
  t.deepEqual(elsewhere.received, [], 'nothing was sent where it redirected');
});

test('an oversized key set from a jwks_uri is refused, not read whole', async (t) => {
  const { grant } = await grantWithKeysFrom(t, (jwks) => ({ type: 'application/json', body: JSON.stringify({ ...jwks, padding: 'x'.repeat(512 * 1024) }) }));
  const refused = await t.throwsAsync<oidc.ResponseBodyError>(grant());
  t.is(refused?.error, 'invalid_client');
});

test('a key set of ordinary size from a listed internal host is used', async (t) => {
  const { grant } = await grantWithKeysFrom(t, (jwks) => ({ type: 'application/json', body: JSON.stringify(jwks) }));
  t.truthy((await grant()).access_token);
});
