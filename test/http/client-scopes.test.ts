// A client asks only for the scopes its operator allowed it (SPEC R9): without
// `--scope` that is openid and profile, and the personal number is granted explicitly.
import test from 'ava';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { UserAgent } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';

let server: TestServer;
test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.stop();
});

/** Where the browser lands for an authorization request: the sign-in page, or back at the app. */
async function answerTo(rp: oidc.Configuration, scope: string) {
  const page = await new UserAgent().get((await startAuthorization(rp, { scope })).url.href, RP_CALLBACK);
  return { page, callback: page.url.startsWith(RP_CALLBACK) ? new URL(page.url) : undefined };
}

test('a client registered without scopes is refused the personal number, phone and email, and told why', async (t) => {
  const client = await createTestClient(server, { scope: undefined });
  t.is(client.scope, 'openid profile offline_access');
  const rp = await discover(server, client);
  for (const scope of ['openid profile national_id', 'openid phone', 'openid email', 'openid address']) {
    const { callback } = await answerTo(rp, scope);
    t.is(callback?.searchParams.get('error'), 'invalid_scope', scope);
    t.regex(callback?.searchParams.get('error_description') ?? '', /not allowed/, scope);
  }
  const { page, callback } = await answerTo(rp, 'openid profile offline_access');
  t.is(callback, undefined, 'what it is allowed reaches the sign-in page');
  t.regex(page.body, /name="password"/);
});

test('a client allowed national_id receives the personal number after the person consents', async (t) => {
  const client = await createTestClient(server, { scope: 'openid profile national_id' });
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const start = await startAuthorization(rp, { scope: 'openid profile national_id' });
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password));
  const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, citizen.account.id);
  t.is(userinfo.national_id, citizen.nationalId);
});

test('client credentials are refused a scope the client is not allowed', async (t) => {
  const client = await createTestClient(server, { scope: undefined });
  const rp = await discover(server, client);
  const refused = await t.throwsAsync<oidc.ResponseBodyError>(oidc.clientCredentialsGrant(rp, { scope: 'national_id' }));
  t.is(refused?.error, 'invalid_scope');
});

test('the claims parameter cannot ask for a claim of a scope the client is not allowed', async (t) => {
  const client = await createTestClient(server, { scope: undefined });
  const rp = await discover(server, client);
  for (const claims of [{ userinfo: { national_id: null } }, { id_token: { tax_code: { essential: true } } }, { userinfo: { phone_number: null } }]) {
    const page = await new UserAgent().get((await startAuthorization(rp, { scope: 'openid', claims: JSON.stringify(claims) })).url.href, RP_CALLBACK);
    const callback = new URL(page.url);
    t.is(callback.searchParams.get('error'), 'invalid_request', JSON.stringify(claims));
    t.regex(callback.searchParams.get('error_description') ?? '', /claims not allowed/);
  }
  const allowed = await new UserAgent().get((await startAuthorization(rp, { scope: 'openid', claims: JSON.stringify({ userinfo: { name: null, birthdate: null } }) })).url.href, RP_CALLBACK);
  t.regex(allowed.body, /name="password"/, 'claims of an allowed scope reach the sign-in page');
});
