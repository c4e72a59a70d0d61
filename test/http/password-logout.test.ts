// A new password ends every session of the account, and the apps those sessions signed in
// to are told by back-channel logout (OpenID Connect Back-Channel Logout 1.0), as at an
// RP-initiated logout.
import test from 'ava';
import { Writable } from 'node:stream';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { pino } from 'pino';
import { latestCode, startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';
import { completeFlow, createTestCitizen, createTestClient, discover, RP_CALLBACK, signInThroughPages, startAuthorization, type FlowStart } from '../helpers/relying-party.ts';
import { ENDPOINT_HOSTS, startRelyingPartyEndpoint, type EndpointResponse, type RelyingPartyEndpoint } from '../helpers/relying-party-endpoint.ts';

const logLines: string[] = [];
const logger = pino({ level: 'warn' }, new Writable({
  write(chunk, _encoding, done) {
    logLines.push(String(chunk));
    done();
  },
}));

let server: TestServer;
test.before(async () => {
  server = await startTestServer({ env: ENDPOINT_HOSTS, logger });
});
test.after.always(async () => {
  await server?.stop();
});

const newPassword = 'Sông-Hương-núi-Ngự-7';

async function submit(agent: UserAgent, page: Page, fields: Record<string, string>) {
  const form = readForm(page);
  return agent.submit(page, { action: form.action, fields: { ...form.fields, ...fields } }, RP_CALLBACK);
}

/** An app registered for back-channel logout at a local endpoint of its own. */
async function appWithLogoutEndpoint(t: { teardown(fn: () => Promise<void>): void }, answer?: () => EndpointResponse) {
  const endpoint = await startRelyingPartyEndpoint(answer ? { '/backchannel': answer } : {});
  t.teardown(() => endpoint.close());
  const client = await createTestClient(server, { backchannelLogoutUri: `${endpoint.url}/backchannel` });
  return { endpoint, client, rp: await discover(server, client) };
}

/** A browser signed in to `rp`: its tokens (with the session's sid for the app). */
async function signedInElsewhere(rp: oidc.Configuration, identifier: string, password: string) {
  const agent = new UserAgent();
  const start = await startAuthorization(rp);
  const tokens = await completeFlow(rp, start, await signInThroughPages(agent, start, identifier, password));
  return { agent, tokens };
}

/** Consents if asked, and exchanges the code. */
async function tokensFrom(agent: UserAgent, rp: oidc.Configuration, start: FlowStart, page: Page) {
  const callback = page.url.startsWith(RP_CALLBACK) ? page : await submit(agent, page, { decision: 'allow' });
  return completeFlow(rp, start, callback);
}

/** The logout tokens the endpoint received, verified as Back-Channel Logout 1.0 §2.4 and §2.6 require. */
async function logoutTokens(endpoint: RelyingPartyEndpoint, clientId: string) {
  const jwks = createRemoteJWKSet(new URL(`${server.config.issuer}/jwks`));
  return Promise.all(endpoint.received.map(async (delivery) => {
    const logoutToken = new URLSearchParams(delivery.body).get('logout_token') ?? '';
    const { payload } = await jwtVerify(logoutToken, jwks, { issuer: server.config.issuer, audience: clientId, typ: 'logout+jwt' });
    return { path: delivery.path, payload };
  }));
}

const BACKCHANNEL_EVENT = { 'http://schemas.openid.net/event/backchannel-logout': {} };

test('a password changed at sign-in logs the person\'s other session out of its app, which is told by back-channel', async (t) => {
  const { endpoint, client, rp } = await appWithLogoutEndpoint(t);
  const citizen = await createTestCitizen(server, { phone: '0905112233' });
  const other = await signedInElsewhere(rp, citizen.nationalId, citizen.password);
  const sid = other.tokens.claims()!.sid;
  t.truthy(sid);
  t.is(endpoint.received.length, 0);

  await server.services.accounts.requirePasswordChange(citizen.account.id);
  const agent = new UserAgent();
  const start = await startAuthorization(rp);
  const page = await signInThroughPages(agent, start, citizen.nationalId, citizen.password);
  t.true(page.body.includes('name="passwordConfirmation"'), 'the password must be changed first');
  const changed = await submit(agent, page, { password: newPassword, passwordConfirmation: newPassword });
  const tokens = await tokensFrom(agent, rp, start, changed);
  t.is(tokens.claims()!.sub, citizen.account.id, 'the sign-in that changed the password goes on');

  const received = await logoutTokens(endpoint, client.client_id);
  t.is(received.length, 1, 'one logout token, for the one other session');
  t.is(received[0].path, '/backchannel');
  t.is(received[0].payload.sub, citizen.account.id);
  t.is(received[0].payload.sid, sid, 'names the session the app knows from its ID token');
  t.deepEqual(received[0].payload.events, BACKCHANNEL_EVENT);
  t.is(received[0].payload.nonce, undefined);

  const refused = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, other.tokens.refresh_token!));
  t.is(refused?.error, 'invalid_grant', 'the other session\'s refresh token no longer works');
  t.truthy((await oidc.refreshTokenGrant(rp, tokens.refresh_token!)).access_token, 'the new one does');
});

test('a password reset by SMS logs every session of the account out of its app, which is told by back-channel', async (t) => {
  const { endpoint, client, rp } = await appWithLogoutEndpoint(t);
  const citizen = await createTestCitizen(server, { phone: '0905112244' });
  const other = await signedInElsewhere(rp, citizen.nationalId, citizen.password);

  const person = new UserAgent();
  const forgot = await person.get(`${server.url}/forgot`);
  const codePage = await submit(person, forgot, { identifier: citizen.nationalId });
  const passwordPage = await submit(person, codePage, { code: await latestCode(server, '+84905112244') });
  const done = await submit(person, passwordPage, { password: newPassword, passwordConfirmation: newPassword });
  t.is(done.status, 200);

  const received = await logoutTokens(endpoint, client.client_id);
  t.is(received.length, 1);
  t.is(received[0].payload.sub, citizen.account.id);
  t.is(received[0].payload.sid, other.tokens.claims()!.sid);
  t.deepEqual(received[0].payload.events, BACKCHANNEL_EVENT);

  const refused = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, other.tokens.refresh_token!));
  t.is(refused?.error, 'invalid_grant');
});

test('an app that cannot take the logout token does not stop the password change: the failure is logged', async (t) => {
  const { endpoint, client, rp } = await appWithLogoutEndpoint(t, () => ({ status: 503 }));
  const citizen = await createTestCitizen(server, { phone: '0905112255' });
  const other = await signedInElsewhere(rp, citizen.nationalId, citizen.password);

  await server.services.accounts.requirePasswordChange(citizen.account.id);
  const agent = new UserAgent();
  const start = await startAuthorization(rp);
  const page = await signInThroughPages(agent, start, citizen.nationalId, citizen.password);
  const changed = await submit(agent, page, { password: newPassword, passwordConfirmation: newPassword });
  const tokens = await tokensFrom(agent, rp, start, changed);
  t.is(tokens.claims()!.sub, citizen.account.id);

  t.is(endpoint.received.length, 1, 'it was tried');
  const failures = logLines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'back-channel logout delivery failed' && line.clientId === client.client_id);
  t.is(failures.length, 1);
  const refused = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, other.tokens.refresh_token!));
  t.is(refused?.error, 'invalid_grant', 'the session ended all the same');
  const [event] = await server.services.db.knex('audit_events').where({ account_id: citizen.account.id, type: 'password.changed' });
  t.true(event.details.revoked >= 2, 'the change is stored, with what it revoked');
});
