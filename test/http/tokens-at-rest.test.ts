// SPEC R12: a copy of the database (a dump, a replica) holds no token, code or session
// cookie that can be presented; the values handed out keep working.
import test from 'ava';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';

let server: TestServer;
test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.stop();
});

async function signedIn() {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  const start = await startAuthorization(rp);
  const callback = await signInThroughPages(agent, start, citizen.nationalId, citizen.password);
  const code = new URL(callback.url).searchParams.get('code')!;
  const tokens = await completeFlow(rp, start, callback);
  return { client, rp, agent, code, tokens };
}

const rowsOf = (clientId: string, model: string) =>
  server.services.db.knex('oidc_models').where({ model }).whereRaw(`payload->>'clientId' = ?`, [clientId]);

const userinfo = (accessToken: string) => fetch(`${server.config.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });

test('no stored row holds a token, code or session cookie handed out, in its key or its payload', async (t) => {
  const { client, rp, agent, code, tokens } = await signedIn();
  const granted = await oidc.clientCredentialsGrant(rp);
  const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
  const session = agent.cookies.get('_session');
  t.truthy(session, 'the browser holds a session cookie');
  const handedOut = {
    code,
    'access token': tokens.access_token,
    'refresh token': tokens.refresh_token!,
    'client-credentials token': granted.access_token,
    'rotated refresh token': refreshed.refresh_token!,
    'access token from the refresh': refreshed.access_token,
    'session cookie': session!,
  };

  const rows = await server.services.db.knex('oidc_models').select('*');
  for (const model of ['AuthorizationCode', 'AccessToken', 'RefreshToken', 'ClientCredentials', 'Session']) {
    t.true(rows.some((row) => row.model === model), `${model} rows are stored`);
  }
  const dump = JSON.stringify(rows);
  for (const [what, value] of Object.entries(handedOut)) t.false(dump.includes(value), `the ${what} is nowhere in the database`);
  t.is((await rowsOf(client.client_id, 'RefreshToken')).length, 2, 'both refresh tokens are stored, under other keys');
});

test('a stored key presented as a token is refused; the token itself works for refresh, userinfo, introspection and revocation', async (t) => {
  const { client, rp, tokens } = await signedIn();
  const [storedRefresh] = await rowsOf(client.client_id, 'RefreshToken');
  const [storedAccess] = await rowsOf(client.client_id, 'AccessToken');

  const refused = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, storedRefresh.id));
  t.is(refused?.error, 'invalid_grant');
  t.is((await userinfo(storedAccess.id)).status, 401);
  t.false((await oidc.tokenIntrospection(rp, storedAccess.id)).active, 'introspection does not know the stored key');

  t.is((await userinfo(tokens.access_token)).status, 200);
  const introspected = await oidc.tokenIntrospection(rp, tokens.access_token);
  t.true(introspected.active);
  const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
  t.truthy(refreshed.access_token);
  t.is((await userinfo(refreshed.access_token)).status, 200);

  await oidc.tokenRevocation(rp, refreshed.refresh_token!);
  const revoked = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, refreshed.refresh_token!));
  t.is(revoked?.error, 'invalid_grant', 'revoking the token itself works');
});
