// Requests a careful attacker, a broken relying party or a confused browser sends. Each test
// checks what a person or an integrator would notice (the status, the message, where the
// browser is sent) and that nothing was stored on the way.
import test from 'ava';
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { escapeHtml } from '../../views/html.ts';
import { hasMessage } from '../../src/i18n/index.ts';
import { storedModelId } from '../../src/oidc/adapter.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readForm, UserAgent, type Page } from '../helpers/user-agent.ts';
import {
  completeFlow,
  createTestCitizen,
  createTestClient,
  discover,
  RP_CALLBACK,
  signInThroughPages,
  startAuthorization,
} from '../helpers/relying-party.ts';
import {
  basicAuthorization,
  cookieHeader,
  countAuditEvents,
  countModels,
  errorSummary,
  interactionOutcome,
  postForm,
  showsMessage,
  withoutCookies,
} from '../helpers/hostile.ts';

let server: TestServer;
test.before(async () => {
  server = await startTestServer();
});
test.after.always(async () => {
  await server?.stop();
});

const EVIL_CALLBACK = 'https://evil.example/cb';

async function relyingParty(input: Parameters<typeof createTestClient>[1] = {}) {
  const client = await createTestClient(server, input);
  return { client, rp: await discover(server, client) };
}

/** A browser at the sign-in page of a new authorization request. */
async function atSignInPage(rp: oidc.Configuration, agent = new UserAgent()) {
  const page = await agent.get((await startAuthorization(rp)).url.href);
  const form = readForm(page);
  return { agent, page, form, action: new URL(form.action, page.url).href };
}

function tokenEndpoint(rp: oidc.Configuration): string {
  return rp.serverMetadata().token_endpoint!;
}

/** The provider's own error page: HTML, the Vietnamese title, the OAuth error code, no redirect. */
function assertErrorPage(t: import('ava').ExecutionContext, page: Page, code: string, label: string): void {
  t.is(page.status, 400, label);
  t.is(page.headers.get('location'), null, `${label}: no redirect`);
  t.regex(page.headers.get('content-type') ?? '', /^text\/html/, label);
  t.true(showsMessage(page, 'error.title'), `${label}: Vietnamese page`);
  const key = `oauth.${code}`;
  t.true(hasMessage(key) && showsMessage(page, key), `${label}: explained in Vietnamese`);
  t.true(page.body.includes(`<code>${code}: `), `${label}: shows ${code} with its description`);
}

function codeRow(code: string) {
  return server.services.db.knex('oidc_models').where({ model: 'AuthorizationCode', id: storedModelId(server.services.sealer, 'AuthorizationCode', code) }).first();
}

test('a wrong client secret at the token endpoint is invalid_client (401), issues nothing and leaves the code usable', async (t) => {
  const { client, rp } = await relyingParty();
  const { client: otherClient } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const start = await startAuthorization(rp);
  const callback = await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password);
  const code = new URL(callback.url).searchParams.get('code')!;
  const exchange = { grant_type: 'authorization_code', code, redirect_uri: RP_CALLBACK, code_verifier: start.verifier };

  const attempts: Array<[label: string, authorization: string, status: number, error: string]> = [
    ['a wrong secret', basicAuthorization(client.client_id, 'not-the-secret'), 401, 'invalid_client'],
    ["another client's secret", basicAuthorization(client.client_id, otherClient.client_secret!), 401, 'invalid_client'],
    ['an unknown client_id', basicAuthorization('xt_does_not_exist', client.client_secret!), 401, 'invalid_client'],
    ['an empty secret', basicAuthorization(client.client_id, ''), 400, 'invalid_request'],
  ];
  for (const [label, authorization, status, error] of attempts) {
    const refused = await postForm(tokenEndpoint(rp), exchange, authorization);
    t.is(refused.status, status, label);
    t.is(refused.body.error, error, label);
    t.is(refused.body.access_token, undefined, label);
  }
  t.is(await countModels(server, 'AccessToken', { clientId: client.client_id }), 0);
  t.is(await countModels(server, 'RefreshToken', { clientId: client.client_id }), 0);
  t.is((await codeRow(code)).consumed_at, null, 'the code was not spent by the failed attempts');

  const tokens = await completeFlow(rp, start, callback);
  t.truthy(tokens.access_token, 'the rightful client still exchanges it');
});

test('an unregistered redirect URI, however close to the registered one, gets an error page and never a redirect', async (t) => {
  const { client, rp } = await relyingParty();
  const agent = new UserAgent();
  for (const redirectUri of [
    EVIL_CALLBACK,
    'https://rp.example.vn/callback/../x',
    'https://rp.example.vn/callback?x=1',
    'https://rp.example.vn/callback#',
    'https://rp.example.vn/callback/',
    'https://rp.example.vn.evil.example/callback',
    'http://rp.example.vn/callback',
  ]) {
    const page = await agent.request((await startAuthorization(rp, { redirect_uri: redirectUri })).url.href);
    assertErrorPage(t, page, 'invalid_redirect_uri', redirectUri);
  }
  t.is(await countModels(server, 'Interaction', { clientId: client.client_id }), 0, 'no interaction was started');
});

test('other errors in a request with an unregistered redirect URI are shown on the page, never sent to that URI', async (t) => {
  const { client, rp } = await relyingParty();
  const agent = new UserAgent();
  const cases: Array<[label: string, params: Record<string, string>]> = [
    ['implicit response type', { response_type: 'token' }],
    ['plain PKCE', { code_challenge_method: 'plain' }],
    ['unknown prompt', { prompt: 'bogus' }],
    ['form_post response mode', { response_mode: 'form_post' }],
  ];
  for (const [label, params] of cases) {
    const page = await agent.request((await startAuthorization(rp, { ...params, redirect_uri: EVIL_CALLBACK })).url.href);
    assertErrorPage(t, page, 'invalid_redirect_uri', label);
    t.false(/<form[^>]*action="https:\/\/evil\.example/.test(page.body), `${label}: no auto-submitted form to the attacker`);
  }
  t.is(await countModels(server, 'Interaction', { clientId: client.client_id }), 0);
});

test('a reused authorization code is refused, and the tokens first issued with it are revoked', async (t) => {
  const { rp } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const start = await startAuthorization(rp);
  const callback = await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password);
  const tokens = await completeFlow(rp, start, callback);
  t.true((await oidc.tokenIntrospection(rp, tokens.access_token)).active);

  const reused = await t.throwsAsync<oidc.ResponseBodyError>(completeFlow(rp, start, callback));
  t.is(reused?.status, 400);
  t.is(reused?.error, 'invalid_grant');

  // RFC 6749 §4.1.2: the server SHOULD revoke the tokens issued with a code that is used twice.
  t.false((await oidc.tokenIntrospection(rp, tokens.access_token)).active, 'access token revoked');
  t.false((await oidc.tokenIntrospection(rp, tokens.refresh_token!)).active, 'refresh token revoked');
  const refresh = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(rp, tokens.refresh_token!));
  t.is(refresh?.error, 'invalid_grant');
  await t.throwsAsync(oidc.fetchUserInfo(rp, tokens.access_token, citizen.account.id), undefined, 'userinfo refuses the revoked token');
});

test('of two simultaneous token requests with one code, exactly one gets tokens, and they are revoked', async (t) => {
  const { client, rp } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const authorization = basicAuthorization(client.client_id, client.client_secret!);
  for (let round = 1; round <= 5; round += 1) {
    const start = await startAuthorization(rp);
    const callback = await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password);
    const code = new URL(callback.url).searchParams.get('code')!;
    const exchange = { grant_type: 'authorization_code', code, redirect_uri: RP_CALLBACK, code_verifier: start.verifier };
    const before = await countModels(server, 'AccessToken', { clientId: client.client_id });

    const responses = await Promise.all([postForm(tokenEndpoint(rp), exchange, authorization), postForm(tokenEndpoint(rp), exchange, authorization)]);

    t.deepEqual(responses.map((response) => response.status).sort(), [200, 400], `round ${round}`);
    t.is(responses.find((response) => response.status === 400)?.body.error, 'invalid_grant', `round ${round}`);
    const winner = responses.find((response) => response.status === 200)?.body.access_token as string;
    t.truthy(winner, `round ${round}`);
    // RFC 6749 §4.1.2: the second use revokes what the first obtained, even in a tie.
    t.false((await oidc.tokenIntrospection(rp, winner)).active, `round ${round}: the winner's token is revoked`);
    const issued = (await countModels(server, 'AccessToken', { clientId: client.client_id })) - before;
    t.true(issued <= 1, `round ${round}: at most one access token stored, found ${issued}`);
  }
  // Audit rows are written after the answer: wait for them rather than for time.
  const revocations = () => server.services.db.knex('audit_events').where({ type: 'token.revoked', client_id: client.client_id });
  for (let attempt = 0; (await revocations()).length < 5 && attempt < 50; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  t.deepEqual((await revocations()).map((row) => row.account_id), Array(5).fill(citizen.account.id), 'each revocation is audited under the account, a tie too');
});

test('PKCE with S256 is required: a public client without code_challenge, or with the plain method, is refused', async (t) => {
  const { client, rp } = await relyingParty({ authMethod: 'none', grantTypes: ['authorization_code'] });
  const { client: confidential, rp: confidentialRp } = await relyingParty();
  const agent = new UserAgent();

  const withoutChallenge = async (party: oidc.Configuration) => {
    const url = (await startAuthorization(party)).url;
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    return url;
  };
  const plain = (await startAuthorization(rp, { code_challenge: oidc.randomPKCECodeVerifier(), code_challenge_method: 'plain' })).url;
  const cases: Array<[label: string, url: URL, description: RegExp]> = [
    ['public client, no code_challenge', await withoutChallenge(rp), /PKCE/],
    ['public client, plain method', plain, /code_challenge_method/],
    ['confidential client, no code_challenge', await withoutChallenge(confidentialRp), /PKCE/],
  ];
  for (const [label, url, description] of cases) {
    const page = await agent.request(url.href);
    // The redirect URI is registered, so the error goes back to the app (RFC 6749 §4.1.2.1).
    t.is(page.status, 303, label);
    const location = new URL(page.headers.get('location')!);
    t.is(`${location.origin}${location.pathname}`, RP_CALLBACK, label);
    t.is(location.searchParams.get('error'), 'invalid_request', label);
    t.regex(location.searchParams.get('error_description') ?? '', description, label);
    t.is(location.searchParams.get('code'), null, label);
  }
  t.is(await countModels(server, 'Interaction', { clientId: client.client_id }), 0);
  t.is(await countModels(server, 'Interaction', { clientId: confidential.client_id }), 0);
});

test('the relying party refuses a callback whose state is not the one it sent, and the code stays unused', async (t) => {
  const { client, rp } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const start = await startAuthorization(rp);
  const callback = await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password);
  const tampered = new URL(callback.url);
  tampered.searchParams.set('state', oidc.randomState());

  const refusals = [
    await t.throwsAsync<oidc.ClientError>(completeFlow(rp, start, { ...callback, url: tampered.href })),
    await t.throwsAsync<oidc.ClientError>(
      oidc.authorizationCodeGrant(rp, new URL(callback.url), { pkceCodeVerifier: start.verifier, expectedState: oidc.randomState() }),
    ),
  ];
  for (const refusal of refusals) {
    t.is(refusal?.code, 'OAUTH_INVALID_RESPONSE');
    t.regex((refusal?.cause as Error).message, /unexpected "state"/);
  }
  t.is((await codeRow(tampered.searchParams.get('code')!)).consumed_at, null, 'the code never reached the token endpoint');
  t.is(await countModels(server, 'AccessToken', { clientId: client.client_id }), 0);
});

test.serial('a forged or mismatched interaction uid gets the expired-interaction page and creates nothing', async (t) => {
  const { knex } = server.services.db;
  const totals = async () => ({
    models: Number((await knex('oidc_models').count({ count: '*' }))[0].count),
    audit: Number((await knex('audit_events').count({ count: '*' }))[0].count),
  });
  const citizen = await createTestCitizen(server);
  const credentials = { identifier: citizen.nationalId, password: citizen.password };
  const forged = `${server.url}/interaction/${randomBytes(32).toString('base64url')}`;

  const stranger = new UserAgent();
  const before = await totals();
  const strangerAttempts = [await stranger.request(forged), await stranger.request(`${forged}/login`, { form: credentials })];
  for (const page of strangerAttempts) {
    t.is(page.status, 400);
    t.true(showsMessage(page, 'interaction.expired'));
  }
  t.deepEqual(await totals(), before, 'a browser without an interaction creates no rows');

  // A browser in a real interaction, pointed at another uid.
  const { client, rp } = await relyingParty();
  const { agent, page: signInPage, form, action } = await atSignInPage(rp);
  const fields = { ...form.fields, ...credentials };
  const mismatched = [
    await agent.request(forged),
    await agent.request(`${forged}/login`, { form: fields }),
    await agent.request(`${forged}/confirm`, { form: { ...form.fields, decision: 'allow' } }),
  ];
  for (const page of mismatched) {
    t.is(page.status, 400);
    t.true(showsMessage(page, 'interaction.expired'));
    t.is(page.headers.get('location'), null);
  }
  t.is(await countModels(server, 'Session', { accountId: citizen.account.id }), 0);
  t.is(await countModels(server, 'Grant', { clientId: client.client_id }), 0);
  t.is(await countAuditEvents(server, client.client_id, 'signin.'), 0);
  t.is(await interactionOutcome(server, signInPage), undefined, 'the real interaction is untouched');

  const accepted = await agent.request(action, { form: fields });
  t.is(accepted.status, 303, 'the same fields at the real uid sign in');
});

test('the sign-in form is refused without a valid CSRF token from the same browser, and no one is signed in', async (t) => {
  const { client, rp } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const credentials = { identifier: citizen.nationalId, password: citizen.password };
  const { agent, page, form, action } = await atSignInPage(rp);
  const elsewhere = await atSignInPage(rp);
  // This browser's interaction cookies, but not the CSRF cookie the page's token was issued for.
  const withoutCsrfCookie = withoutCookies(agent, 'xt_csrf');

  const attempts: Array<[label: string, browser: UserAgent, fields: Record<string, string>]> = [
    ['no token', agent, credentials],
    ['an empty token', agent, { _csrf: '', ...credentials }],
    ['a made-up token', agent, { _csrf: randomBytes(32).toString('base64url'), ...credentials }],
    ["another browser's token", agent, { _csrf: elsewhere.form.fields._csrf, ...credentials }],
    ["the page's token without its cookie", withoutCsrfCookie, { ...form.fields, ...credentials }],
  ];
  for (const [label, browser, fields] of attempts) {
    const refused = await browser.request(action, { form: fields });
    t.is(refused.status, 403, label);
    t.true(showsMessage(refused, 'csrf.invalid'), label);
    t.is(refused.headers.get('location'), null, label);
  }
  t.is(await countAuditEvents(server, client.client_id, 'signin.'), 0, 'no sign-in was attempted');
  t.is(await interactionOutcome(server, page), undefined, 'no sign-in recorded on the interaction');
  t.is(await countModels(server, 'Session', { accountId: citizen.account.id }), 0, 'no session');

  const accepted = await agent.request(action, { form: { ...form.fields, ...credentials } });
  t.is(accepted.status, 303, 'the same form with its own token is accepted');
  t.regex((await agent.follow(accepted)).body, /name="decision"/);
  t.is(await countModels(server, 'Session', { accountId: citizen.account.id }), 1, 'and a session begins');
});

test('the consent form is refused without a valid CSRF token from the same browser, and nothing is granted', async (t) => {
  const { client, rp } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const credentials = { identifier: citizen.nationalId, password: citizen.password };
  const toConsent = async () => {
    const { agent, page, form } = await atSignInPage(rp);
    const consent = await agent.submit(page, { action: form.action, fields: { ...form.fields, ...credentials } });
    t.regex(consent.body, /name="decision"/);
    const consentForm = readForm(consent);
    return { agent, form: consentForm, action: new URL(consentForm.action, consent.url).href };
  };
  const { agent, form, action } = await toConsent();
  const elsewhere = await toConsent();
  const withoutCsrfCookie = withoutCookies(agent, 'xt_csrf');

  const attempts: Array<[label: string, browser: UserAgent, fields: Record<string, string>]> = [
    ['no token', agent, { decision: 'allow' }],
    ['a made-up token', agent, { _csrf: randomBytes(32).toString('base64url'), decision: 'allow' }],
    ["another browser's token", agent, { _csrf: elsewhere.form.fields._csrf, decision: 'allow' }],
    ["the page's token without its cookie", withoutCsrfCookie, { ...form.fields, decision: 'allow' }],
  ];
  for (const [label, browser, fields] of attempts) {
    const refused = await browser.request(action, { form: fields });
    t.is(refused.status, 403, label);
    t.true(showsMessage(refused, 'csrf.invalid'), label);
    t.is(refused.headers.get('location'), null, label);
  }
  t.is(await countModels(server, 'Grant', { clientId: client.client_id }), 0, 'no grant');
  t.is(await countModels(server, 'AuthorizationCode', { clientId: client.client_id }), 0, 'no code');
  t.is(await countAuditEvents(server, client.client_id, 'consent.'), 0, 'no consent recorded');

  const accepted = await agent.request(action, { form: { ...form.fields, decision: 'allow' } });
  t.is(accepted.status, 303, 'the same form with its own token is accepted');
  t.true((await agent.follow(accepted, RP_CALLBACK)).url.startsWith(RP_CALLBACK));
  t.is(await countModels(server, 'Grant', { clientId: client.client_id }), 1);
  t.is(await countModels(server, 'AuthorizationCode', { clientId: client.client_id }), 1);
});

test.serial('SQL-looking identifiers are an ordinary failed sign-in, audited without the typed text', async (t) => {
  const { client, rp } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const { knex } = server.services.db;
  const accountsBefore = Number((await knex('accounts').count({ count: '*' }))[0].count);
  const { agent, form, action } = await atSignInPage(rp);

  for (const identifier of [`' OR '1'='1`, `046090001234'; DROP TABLE accounts;--`, `admin'--`, `${citizen.nationalId}' --`]) {
    const failedBefore = await countAuditEvents(server, client.client_id, 'signin.failed');
    const page = await agent.request(action, { form: { ...form.fields, identifier, password: citizen.password } });
    t.is(page.status, 401, identifier);
    t.true(showsMessage(page, 'signin.failed'), identifier);
    t.true(page.body.includes(`value="${escapeHtml(identifier)}"`), `${identifier}: shown back as text`);
    t.is(await countAuditEvents(server, client.client_id, 'signin.failed'), failedBefore + 1, identifier);
    const event = await knex('audit_events').where({ client_id: client.client_id, type: 'signin.failed' }).orderBy('id', 'desc').first();
    const recorded = JSON.stringify(event);
    t.false(recorded.includes(identifier), `${identifier}: not in the audit row`);
    t.false(/DROP TABLE|OR '1'/.test(recorded), `${identifier}: no fragment of it either`);
  }
  t.is(Number((await knex('accounts').count({ count: '*' }))[0].count), accountsBefore, 'accounts intact');
  t.is(await countModels(server, 'Session', { accountId: citizen.account.id }), 0);

  const accepted = await agent.request(action, { form: { ...form.fields, identifier: citizen.nationalId, password: citizen.password } });
  t.is(accepted.status, 303, 'the real account still signs in');
});

test('an identifier or password of 10 kB is refused as too long, before any password check', async (t) => {
  const { client, rp } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const { agent, page: signInPage, form, action } = await atSignInPage(rp);
  const tenKilobytes = '0'.repeat(10 * 1024);

  for (const [label, fields] of [
    ['identifier', { identifier: tenKilobytes, password: citizen.password }],
    ['password', { identifier: citizen.nationalId, password: tenKilobytes }],
  ] as const) {
    const page = await agent.request(action, { form: { ...form.fields, ...fields } });
    t.is(page.status, 400, label);
    t.true(showsMessage(page, 'signin.input_too_long'), label);
    t.false(page.body.includes(tenKilobytes), `${label}: not echoed back`);
  }
  t.is(await countAuditEvents(server, client.client_id, 'signin.'), 0, 'no sign-in was attempted');
  t.is(await interactionOutcome(server, signInPage), undefined);
  t.is(await countModels(server, 'Session', { accountId: citizen.account.id }), 0);
});

test('a form body over 64 kB is refused with 413, and a JSON body with 415', async (t) => {
  const { client, rp } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const { agent, page: signInPage, form, action } = await atSignInPage(rp);
  const huge = 'a'.repeat(100 * 1024);
  const send = async (contentType: string, body: string | ReadableStream<Uint8Array>): Promise<Page> => {
    const response = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': contentType, cookie: cookieHeader(agent) },
      body,
      duplex: 'half',
      redirect: 'manual',
    } as RequestInit);
    return { status: response.status, url: action, headers: response.headers, body: await response.text() };
  };
  const fields = new URLSearchParams({ ...form.fields, identifier: citizen.nationalId, password: huge }).toString();
  const chunks = fields.match(/[\s\S]{1,8192}/g)!;
  // Without a Content-Length the limit is enforced while reading.
  const streamed = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks.shift();
      if (chunk === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(chunk));
    },
  });

  for (const [label, page] of [
    ['declared length', await send('application/x-www-form-urlencoded', fields)],
    ['streamed', await send('application/x-www-form-urlencoded', streamed)],
  ] as const) {
    t.is(page.status, 413, label);
    t.true(showsMessage(page, 'request.too_large'), label);
  }
  const json = await send('application/json', JSON.stringify({ ...form.fields, identifier: citizen.nationalId, password: citizen.password }));
  t.is(json.status, 415);
  t.true(showsMessage(json, 'request.invalid'));
  t.is(await countAuditEvents(server, client.client_id, 'signin.'), 0);
  t.is(await interactionOutcome(server, signInPage), undefined);
  t.is(await countModels(server, 'Session', { accountId: citizen.account.id }), 0);
});

test('control characters in the typed identifier are an ordinary failed sign-in, not a server error', async (t) => {
  const { client, rp } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const { agent, form, action } = await atSignInPage(rp);
  const attempts: Array<[identifier: string, password: string]> = [
    ['0460\u0000', citizen.password],
    [`${citizen.nationalId}\u0000`, citizen.password],
    [`\u202e${citizen.nationalId}`, citizen.password],
    ['0460\u0007\u0008\u001b[2J', citizen.password],
    ['admin\r\nSet-Cookie: x=1', citizen.password],
    [citizen.nationalId, `${citizen.password}\u0000`],
  ];
  for (const [identifier, password] of attempts) {
    const label = JSON.stringify(identifier);
    const page = await agent.request(action, { form: { ...form.fields, identifier, password } });
    t.is(page.status, 401, label);
    t.true(showsMessage(page, 'signin.failed'), label);
  }
  t.is(await countAuditEvents(server, client.client_id, 'signin.failed'), attempts.length);
  t.is(await countModels(server, 'Session', { accountId: citizen.account.id }), 0);
});

// PostgreSQL text and jsonb cannot hold U+0000, so such a value must be turned away before
// it reaches a query; an integrator should see a 4xx naming the problem, never server_error.
test('a NUL byte in a parameter of the authorization or logout endpoint gets a clear error, not a 500', async (t) => {
  const { client, rp } = await relyingParty();
  const agent = new UserAgent();
  const endSession = rp.serverMetadata().end_session_endpoint!;
  const requests: Array<[label: string, url: string]> = [
    ['login_hint', (await startAuthorization(rp, { login_hint: '0460\u0000' })).url.href],
    ['state', (await startAuthorization(rp, { state: 'a\u0000b' })).url.href],
    ['nonce', (await startAuthorization(rp, { nonce: '\u0000' })).url.href],
    ['client_id', (await startAuthorization(rp, { client_id: 'xt_\u0000' })).url.href],
    ['logout client_id', `${endSession}?client_id=xt_%00`],
    ['logout state', `${endSession}?client_id=${client.client_id}&state=%00`],
  ];
  const answers = new Map<string, Page>();
  for (const [label, url] of requests) answers.set(label, await agent.request(url));

  const serverErrors = [...answers].filter(([, page]) => page.status >= 500).map(([label, page]) => `${label}: ${page.status}`);
  t.deepEqual(serverErrors, [], 'no parameter makes the server fail');
  for (const [label, page] of answers) {
    if (page.status === 303) {
      // A registered client and redirect URI: the error may go back to the app (RFC 6749 §4.1.2.1).
      const location = new URL(page.headers.get('location')!);
      t.is(`${location.origin}${location.pathname}`, RP_CALLBACK, label);
      t.truthy(location.searchParams.get('error'), label);
    } else {
      t.true(page.status >= 400 && page.status < 500, `${label}: ${page.status}`);
    }
  }
  assertErrorPage(t, answers.get('client_id')!, 'invalid_client', 'client_id');
  t.is(await countModels(server, 'Interaction', { clientId: client.client_id }), 0, 'no interaction was started');
});

test('a NUL byte in a code, token or client_id at the token endpoints gets a clear error, not a 500', async (t) => {
  const { client, rp } = await relyingParty();
  const authorization = basicAuthorization(client.client_id, client.client_secret!);
  const { introspection_endpoint: introspection, revocation_endpoint: revocation } = rp.serverMetadata();
  const requests: Array<[label: string, url: string, fields: Record<string, string>, authorization?: string]> = [
    ['code', tokenEndpoint(rp), { grant_type: 'authorization_code', code: 'abc\u0000', redirect_uri: RP_CALLBACK, code_verifier: oidc.randomPKCECodeVerifier() }, authorization],
    ['refresh token', tokenEndpoint(rp), { grant_type: 'refresh_token', refresh_token: 'abc\u0000' }, authorization],
    ['client_id', tokenEndpoint(rp), { grant_type: 'client_credentials', client_id: 'xt_\u0000', client_secret: 'x' }],
    ['introspected token', introspection!, { token: 'abc\u0000' }, authorization],
    ['revoked token', revocation!, { token: 'abc\u0000' }, authorization],
  ];
  const answers = new Map<string, Awaited<ReturnType<typeof postForm>>>();
  for (const [label, url, fields, auth] of requests) answers.set(label, await postForm(url, fields, auth));

  const serverErrors = [...answers].filter(([, answer]) => answer.status >= 500).map(([label, answer]) => `${label}: ${answer.status}`);
  t.deepEqual(serverErrors, [], 'no parameter makes the server fail');
  for (const [label, answer] of answers) {
    t.not(answer.body.error, 'server_error', label);
    t.is(answer.body.access_token, undefined, label);
    t.not(answer.body.active, true, label);
  }
});

test('an unknown client_id gets an error page, not a redirect', async (t) => {
  const { rp } = await relyingParty();
  const page = await new UserAgent().request((await startAuthorization(rp, { client_id: 'xt_does_not_exist' })).url.href);
  assertErrorPage(t, page, 'invalid_client', 'unknown client');
  t.is(await countModels(server, 'Interaction', { clientId: 'xt_does_not_exist' }), 0);
});

test('the implicit and hybrid response types are refused: the app gets an error, never a token', async (t) => {
  const { client, rp } = await relyingParty();
  const agent = new UserAgent();
  for (const responseType of ['token', 'id_token token', 'code token', 'id_token']) {
    const page = await agent.request((await startAuthorization(rp, { response_type: responseType })).url.href);
    t.is(page.status, 303, responseType);
    const location = new URL(page.headers.get('location')!);
    t.is(`${location.origin}${location.pathname}`, RP_CALLBACK, responseType);
    const answer = new URLSearchParams(location.hash.slice(1) || location.search);
    t.is(answer.get('error'), 'unsupported_response_type', responseType);
    t.is(answer.get('access_token'), null, responseType);
    t.is(answer.get('id_token'), null, responseType);
  }
  t.is(await countModels(server, 'Interaction', { clientId: client.client_id }), 0);
  t.is(await countModels(server, 'AccessToken', { clientId: client.client_id }), 0);
});

test('a wrong identifier and a wrong password show the same page', async (t) => {
  const { rp } = await relyingParty();
  const citizen = await createTestCitizen(server);
  const { agent, form, action } = await atSignInPage(rp);
  // A well-formed personal number from another province that no account has.
  const unknownIdentifier = '001090123456';
  const wrongIdentifier = await agent.request(action, { form: { ...form.fields, identifier: unknownIdentifier, password: citizen.password } });
  const wrongPassword = await agent.request(action, { form: { ...form.fields, identifier: citizen.nationalId, password: 'Sai-mật-khẩu-2026' } });

  t.is(wrongIdentifier.status, 401);
  t.is(wrongPassword.status, 401);
  t.truthy(errorSummary(wrongIdentifier));
  t.is(errorSummary(wrongIdentifier), errorSummary(wrongPassword));
  t.true(showsMessage(wrongIdentifier, 'signin.failed'));
  const withoutTypedIdentifier = (page: Page, identifier: string) => page.body.replace(`value="${escapeHtml(identifier)}"`, 'value=""');
  t.is(withoutTypedIdentifier(wrongIdentifier, unknownIdentifier), withoutTypedIdentifier(wrongPassword, citizen.nationalId), 'nothing else on the page differs');
});

test('a CSRF token of multi-byte characters is an ordinary refusal, not a server error', async (t) => {
  const { rp } = await relyingParty();
  const { agent, form, action } = await atSignInPage(rp);
  const response = await agent.request(action, { form: { ...form.fields, _csrf: 'é'.repeat(43), identifier: '046090001234', password: 'x' } });
  t.is(response.status, 403);
});
