import test from 'ava';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { escapeHtml } from '../../views/html.ts';
import { t as message } from '../../src/i18n/index.ts';
import type { RegisteredClient } from '../../src/oidc/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization } from '../helpers/relying-party.ts';
import { ENDPOINT_HOSTS, startRelyingPartyEndpoint } from '../helpers/relying-party-endpoint.ts';

const RP_BYE = 'https://rp.example.vn/bye';

let server: TestServer;
test.before(async () => {
  server = await startTestServer({ env: ENDPOINT_HOSTS });
});
test.after.always(async () => {
  await server?.stop();
});

async function signedIn(client: RegisteredClient) {
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(agent, start, citizen.nationalId, citizen.password));
  return { citizen, rp, agent, tokens };
}

async function askToLogOut(agent: UserAgent, rp: oidc.Configuration, idToken: string, state: string): Promise<Page> {
  const url = oidc.buildEndSessionUrl(rp, { id_token_hint: idToken, post_logout_redirect_uri: RP_BYE, state });
  return agent.get(url.href, RP_BYE);
}

async function answer(agent: UserAgent, page: Page, logout: boolean): Promise<Page> {
  const form = readForm(page, 'op.logoutForm');
  return agent.submit(page, { action: form.action, fields: { ...form.fields, ...(logout ? { logout: 'yes' } : {}) } }, RP_BYE);
}

/** The page a new authorization request from this browser lands on, or the callback. */
async function authorizeAgain(agent: UserAgent, rp: oidc.Configuration): Promise<Page> {
  const again = await startAuthorization(rp, { prompt: '' });
  return agent.get(again.url.href, RP_CALLBACK);
}

const isLoginPage = (page: Page) => page.status === 200 && /action="\/interaction\/[^"]+\/login/.test(page.body);
const isConsentPage = (page: Page) => page.status === 200 && /action="\/interaction\/[^"]+\/confirm/.test(page.body);

test('an app signs the person out: a confirmation in Vietnamese, back to the app with its state, the session ended', async (t) => {
  const client = await createTestClient(server);
  const { citizen, rp, agent, tokens } = await signedIn(client);
  const state = oidc.randomState();

  const confirmation = await askToLogOut(agent, rp, tokens.id_token!, state);
  t.is(confirmation.status, 200);
  t.regex(confirmation.headers.get('content-type') ?? '', /^text\/html/);
  t.true(confirmation.body.includes(escapeHtml(message('vi', 'logout.question_client', { client: client.client_name! }))));
  t.true(confirmation.body.includes(escapeHtml(message('vi', 'logout.confirm'))));
  t.truthy(readForm(confirmation, 'op.logoutForm').fields.xsrf, 'the form is protected against cross-site submission');

  const back = await answer(agent, confirmation, true);
  t.is(back.status, 303);
  t.is(back.url, `${RP_BYE}?state=${state}`);

  t.true(isLoginPage(await authorizeAgain(agent, rp)), 'the next request asks for the password again');

  const logouts = await eventually(() => server.services.db.knex('audit_events').where({ type: 'logout', client_id: client.client_id }));
  t.is(logouts.length, 1);
  t.is(logouts[0].account_id, citizen.account.id);
});

test('choosing to stay keeps the person signed in: the app gets them back without password or consent', async (t) => {
  const client = await createTestClient(server);
  const { citizen, rp, agent, tokens } = await signedIn(client);
  const state = oidc.randomState();

  const back = await answer(agent, await askToLogOut(agent, rp, tokens.id_token!, state), false);
  t.is(back.url, `${RP_BYE}?state=${state}`);

  // The provider's session stays (RP-Initiated Logout 1.0 §2 leaves it to the person), and
  // the consent is the person's: the next request comes straight back.
  const again = await startAuthorization(rp, { prompt: '' });
  const page = await agent.get(again.url.href, RP_CALLBACK);
  t.false(isLoginPage(page), 'no password asked');
  t.false(isConsentPage(page), 'no consent asked');
  const renewed = await completeFlow(rp, again, page);
  t.is(renewed.claims()!.sub, citizen.account.id);
});

test('an app allowed refresh tokens gets one without offline_access, bound to the session: it ends at logout, an offline one does not', async (t) => {
  const client = await createTestClient(server);
  // The first sign-in asks offline_access with prompt=consent: an offline refresh token.
  const { rp, agent, tokens: offline } = await signedIn(client);
  const start = await startAuthorization(rp, { prompt: '', scope: 'openid profile' });
  const bound = await completeFlow(rp, start, await agent.get(start.url.href, RP_CALLBACK));
  t.truthy(bound.refresh_token, 'a refresh token without offline_access');
  const refreshed = await oidc.refreshTokenGrant(rp, bound.refresh_token!);
  t.truthy(refreshed.refresh_token, 'it works while the person is signed in');

  await answer(agent, await askToLogOut(agent, rp, bound.id_token!, oidc.randomState()), true);
  const ended = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, refreshed.refresh_token!));
  t.is(ended?.error, 'invalid_grant', 'the session-bound token ended with the session');
  t.truthy((await oidc.refreshTokenGrant(rp, offline.refresh_token!)).access_token, 'the offline token outlives the logout');
});

test('a session-bound refresh token is revoked at logout, and the person\'s consent stays', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  const start = await startAuthorization(rp, { prompt: '', scope: 'openid profile' });
  const tokens = await completeFlow(rp, start, await signInThroughPages(agent, start, citizen.nationalId, citizen.password));
  t.truthy(tokens.refresh_token);

  await answer(agent, await askToLogOut(agent, rp, tokens.id_token!, oidc.randomState()), true);
  const ended = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, tokens.refresh_token!));
  t.is(ended?.error, 'invalid_grant');
  const revoked = await eventually(() => server.services.db.knex('audit_events').where({ type: 'token.revoked', client_id: client.client_id }));
  t.deepEqual(revoked.map((row) => row.account_id), [citizen.account.id], 'the revocation is audited under the account');

  const again = await startAuthorization(rp, { prompt: '', scope: 'openid profile' });
  const page = await signInThroughPages(agent, again, citizen.nationalId, citizen.password);
  t.true(page.url.startsWith(RP_CALLBACK), 'the password again, but no consent');
});

test('an app registered for back-channel logout receives a signed logout token when the person logs out', async (t) => {
  const endpoint = await startRelyingPartyEndpoint();
  t.teardown(() => endpoint.close());
  const client = await createTestClient(server, { backchannelLogoutUri: `${endpoint.url}/backchannel` });
  const { citizen, rp, agent, tokens } = await signedIn(client);
  const sid = tokens.claims()!.sid;
  t.truthy(sid, 'the ID token names the session, so the app can match the logout token to it');

  await answer(agent, await askToLogOut(agent, rp, tokens.id_token!, oidc.randomState()), true);

  // oidc-provider delivers before it redirects the browser back.
  const [delivery] = endpoint.received;
  t.truthy(delivery, 'the logout token was delivered');
  t.is(delivery.method, 'POST');
  t.is(delivery.path, '/backchannel');
  t.regex(delivery.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
  const logoutToken = new URLSearchParams(delivery.body).get('logout_token');
  t.truthy(logoutToken);

  // OpenID Connect Back-Channel Logout 1.0 §2.4 and §2.6.
  const jwks = createRemoteJWKSet(new URL(`${server.config.issuer}/jwks`));
  const { payload, protectedHeader } = await jwtVerify(logoutToken!, jwks, {
    issuer: server.config.issuer,
    audience: client.client_id,
    typ: 'logout+jwt',
  });
  t.is(protectedHeader.typ, 'logout+jwt');
  t.is(protectedHeader.alg, 'RS256');
  t.is(payload.sub, citizen.account.id);
  t.is(payload.sid, sid);
  t.deepEqual(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} });
  t.truthy(payload.jti);
  t.truthy(payload.iat);
  t.is(payload.nonce, undefined, 'a logout token must not carry a nonce');
});

/** The audit log is written after the response; wait for the row rather than for time. */
async function eventually<T extends unknown[]>(query: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const rows = await query();
    if (rows.length || attempt === 50) return rows;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
