import test from 'ava';
import * as oidc from 'openid-client';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { ACR } from '../../src/oidc/configuration.ts';
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
  type FlowStart,
} from '../helpers/relying-party.ts';
import { ENDPOINT_HOSTS, startRelyingPartyEndpoint } from '../helpers/relying-party-endpoint.ts';
import { postForm } from '../helpers/hostile.ts';

let server: TestServer;
test.before(async () => {
  server = await startTestServer({ env: ENDPOINT_HOSTS });
});
test.after.always(async () => {
  await server?.stop();
});

/** A fresh client, a fresh citizen and a browser, signed in with `params` added to the request. */
async function signIn(params: Record<string, string> = {}) {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const start = await startAuthorization(rp, params);
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password));
  return { client, citizen, rp, tokens };
}

test('discovery describes the provider completely (OpenID Connect Discovery 1.0 §3)', async (t) => {
  const response = await fetch(`${server.config.issuer}/.well-known/openid-configuration`);
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^application\/json/);
  const metadata = await response.json();
  const issuer = server.config.issuer;

  t.is(metadata.issuer, issuer);
  for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint']) {
    t.true(String(metadata[field]).startsWith(`${issuer}/`), `${field} is on the issuer`);
  }
  t.deepEqual(metadata.response_types_supported, ['code']);
  t.deepEqual(metadata.subject_types_supported, ['public', 'pairwise']);
  t.true(metadata.id_token_signing_alg_values_supported.includes('RS256'), 'RS256 is required by Discovery §3');
  t.true(metadata.id_token_signing_alg_values_supported.includes('ES256'));

  for (const field of ['introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint', 'pushed_authorization_request_endpoint']) {
    t.true(String(metadata[field]).startsWith(`${issuer}/`), `${field} is advertised`);
  }
  t.true(metadata.backchannel_logout_supported);
  t.true(metadata.backchannel_logout_session_supported);
  t.true(metadata.claims_parameter_supported);
  t.true(metadata.acr_values_supported.includes(ACR.password));
  t.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
  t.true(metadata.ui_locales_supported.includes('vi'));
  t.true(metadata.scopes_supported.includes('openid'));
  t.true(metadata.claims_supported.includes('sub'));
  t.true(metadata.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
  t.true(metadata.authorization_response_iss_parameter_supported, 'RFC 9207: responses name the issuer');
});

test('the JWKS publishes an ES256 and an RS256 signing key, and nothing private', async (t) => {
  const response = await fetch(`${server.config.issuer}/jwks`);
  t.is(response.status, 200);
  const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
  const es256 = keys.find((key) => key.alg === 'ES256');
  const rs256 = keys.find((key) => key.alg === 'RS256');
  t.like(es256, { kty: 'EC', crv: 'P-256', use: 'sig' });
  t.like(rs256, { kty: 'RSA', use: 'sig' });
  t.is(new Set(keys.map((key) => key.kid)).size, keys.length, 'every key has its own kid');
  for (const key of keys) {
    t.truthy(key.kid);
    for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) t.false(part in key, `${key.kid} has no "${part}"`);
  }
});

test('a pushed authorization request (RFC 9126) completes to tokens', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = await oidc.buildAuthorizationUrlWithPAR(rp, {
    redirect_uri: RP_CALLBACK,
    scope: 'openid profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  t.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri'], 'only a reference travels through the browser');
  t.regex(url.searchParams.get('request_uri')!, /^urn:ietf:params:oauth:request_uri:/);

  const start: FlowStart = { url, state, nonce, verifier };
  const tokens = await completeFlow(rp, start, await signInThroughPages(new UserAgent(), start, citizen.nationalId, citizen.password));
  t.is(tokens.claims()!.sub, citizen.account.id);
  t.is(tokens.scope, 'openid profile');
});

test('a client authenticating with private_key_jwt is served with its own key and refused with another', async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'rp-2026', alg: 'ES256', use: 'sig' }] };
  const endpoint = await startRelyingPartyEndpoint({ '/jwks': () => ({ type: 'application/json', body: JSON.stringify(jwks) }) });
  t.teardown(() => endpoint.close());
  const client = await createTestClient(server, { authMethod: 'private_key_jwt', jwksUri: `${endpoint.url}/jwks` });
  t.is(client.client_secret, undefined, 'no secret is issued to a client that signs its assertions');

  const granted = await oidc.clientCredentialsGrant(await discover(server, client, oidc.PrivateKeyJwt(privateKey)));
  t.truthy(granted.access_token);
  t.true(endpoint.received.some((request) => request.method === 'GET' && request.path === '/jwks'), 'the keys came from the jwks_uri');

  const impostor = await generateKeyPair('ES256');
  const refused = await t.throwsAsync<oidc.ResponseBodyError>(
    oidc.clientCredentialsGrant(await discover(server, client, oidc.PrivateKeyJwt(impostor.privateKey))),
  );
  t.is(refused?.error, 'invalid_client');
});

test('a private_key_jwt assertion valid for longer than 5 minutes is refused with invalid_client; a shorter one is accepted', async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'rp-lifetime', alg: 'ES256', use: 'sig' }] };
  const endpoint = await startRelyingPartyEndpoint({ '/jwks': () => ({ type: 'application/json', body: JSON.stringify(jwks) }) });
  t.teardown(() => endpoint.close());
  const client = await createTestClient(server, { authMethod: 'private_key_jwt', jwksUri: `${endpoint.url}/jwks` });
  const now = Math.floor(Date.now() / 1000);
  const assertion = (expiresIn: number) => new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid: 'rp-lifetime' })
    .setIssuer(client.client_id)
    .setSubject(client.client_id)
    .setAudience(server.config.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .sign(privateKey);
  const grant = async (expiresIn: number) => postForm(`${server.config.issuer}/token`, {
    grant_type: 'client_credentials',
    client_id: client.client_id,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await assertion(expiresIn),
  });

  for (const [label, expiresIn] of [['a year', 365 * 24 * 3600], ['an hour', 3600], ['six minutes', 6 * 60]] as const) {
    const refused = await grant(expiresIn);
    t.is(refused.status, 401, label);
    t.is(refused.body.error, 'invalid_client', label);
    t.is(refused.body.access_token, undefined, label);
  }
  const accepted = await grant(4 * 60);
  t.is(accepted.status, 200);
  t.truthy(accepted.body.access_token);
});

test('an essential claim asked for with the claims parameter is in the ID token after consent', async (t) => {
  const { tokens } = await signIn({ scope: 'openid', claims: JSON.stringify({ id_token: { name: { essential: true } } }) });
  const claims = tokens.claims()!;
  t.is(claims.name, 'Nguyễn Văn An');
  t.is(claims.birthdate, undefined, 'only the claim asked for, not the rest of the profile scope');
});

test('acr_values for password assurance: the ID token carries that acr, and amr pwd', async (t) => {
  const { tokens } = await signIn({ acr_values: ACR.password });
  const claims = tokens.claims()!;
  t.is(claims.acr, ACR.password);
  t.deepEqual(claims.amr, ['pwd']);
});

test('acr_values asking for a level not offered yet is answered with the level reached, for the app to check', async (t) => {
  const { tokens } = await signIn({ acr_values: ACR.vneid });
  t.is(tokens.claims()!.acr, ACR.password);
});

test('an essential acr the provider cannot reach ends the request with unmet_authentication_requirements, not an endless sign-in', async (t) => {
  const client = await createTestClient(server);
  const citizen = await createTestCitizen(server);
  const rp = await discover(server, client);
  const agent = new UserAgent();
  // OpenID Connect Core §5.5.1.1: an essential acr that cannot be met is a failed authentication.
  const start = await startAuthorization(rp, { claims: JSON.stringify({ id_token: { acr: { essential: true, values: [ACR.vneid] } } }) });

  let page: Page = await agent.get(start.url.href, RP_CALLBACK);
  if (!page.url.startsWith(RP_CALLBACK)) {
    const login = readForm(page);
    page = await agent.submit(page, { action: login.action, fields: { ...login.fields, identifier: citizen.nationalId, password: citizen.password } }, RP_CALLBACK);
  }
  t.true(page.url.startsWith(RP_CALLBACK), 'the password is asked once at most, then the app hears back');
  t.is(new URL(page.url).searchParams.get('error'), 'unmet_authentication_requirements');
});

test('userinfo refuses a revoked access token with 401 invalid_token', async (t) => {
  const { rp, tokens } = await signIn();
  const userinfo = () => fetch(`${server.config.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  t.is((await userinfo()).status, 200);

  await oidc.tokenRevocation(rp, tokens.access_token);
  const refused = await userinfo();
  t.is(refused.status, 401);
  t.regex(refused.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
});

test('a refresh token is bound to its client: another client is refused with invalid_grant, the owner is not', async (t) => {
  const { rp, tokens } = await signIn();
  const other = await discover(server, await createTestClient(server, { name: 'Ứng dụng khác' }));

  const refused = await t.throwsAsync<oidc.ResponseBodyError>(oidc.refreshTokenGrant(other, tokens.refresh_token!));
  t.is(refused?.error, 'invalid_grant');
  const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token!);
  t.truthy(refreshed.access_token, 'another client trying it does not revoke the owner’s token');
});
