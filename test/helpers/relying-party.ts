// The relying party side of a test: a registered client, and openid-client driving the
// flow against the test server while a UserAgent plays the person filling the forms.
import * as oidc from 'openid-client';
import { registerClient } from '../../src/admin/register-client.ts';
import type { NewClient, RegisteredClient } from '../../src/oidc/clients.ts';
import { createCitizenAccount } from '../../src/admin/operator-create.ts';
import type { Account } from '../../src/accounts/index.ts';
import type { TestServer } from './server.ts';
import { readForm, UserAgent, type Page } from './user-agent.ts';

export const RP_CALLBACK = 'https://rp.example.vn/callback';

/**
 * A portal the operator allowed the contact scopes the tests ask for; `national_id` is granted
 * explicitly by the tests that need it, as an operator would (README, relying parties). Its
 * subjects are public, with the reason the tests have (they compare `sub` with the account's
 * id): a test of pairwise subjects registers its client without `subjectType`.
 */
export async function createTestClient(server: TestServer, input: Partial<NewClient> = {}): Promise<RegisteredClient> {
  const grantTypes = input.grantTypes ?? ['authorization_code', 'refresh_token', 'client_credentials'];
  return registerClient(server.services, {
    name: 'Cổng dịch vụ công thử nghiệm',
    redirectUris: [RP_CALLBACK],
    postLogoutRedirectUris: ['https://rp.example.vn/bye'],
    grantTypes,
    authMethod: 'client_secret_basic',
    scope: `openid profile email phone address${grantTypes.includes('refresh_token') ? ' offline_access' : ''}`,
    purpose: 'Giải quyết thủ tục hành chính trực tuyến cho người dân và doanh nghiệp',
    ...(grantTypes.includes('authorization_code') ? { subjectType: 'public' as const, publicSubjectReason: 'Cổng thử nghiệm: các phép thử so sánh sub với mã tài khoản' } : {}),
    ...input,
  }, 'test');
}

export async function discover(server: TestServer, client: RegisteredClient, auth?: oidc.ClientAuth): Promise<oidc.Configuration> {
  const clientAuth = auth ?? (client.client_secret ? oidc.ClientSecretBasic(client.client_secret) : oidc.None());
  return oidc.discovery(new URL(server.config.issuer), client.client_id, { id_token_signed_response_alg: 'RS256' }, clientAuth, {
    execute: [oidc.allowInsecureRequests],
  });
}

let citizenSerial = 0;

/** An active citizen with a valid personal number (Thừa Thiên Huế, male, born 1990). */
export async function createTestCitizen(server: TestServer, overrides: { password?: string; phone?: string } = {}) {
  citizenSerial += 1;
  const nationalId = `046090${String(process.pid % 1000).padStart(3, '0')}${String(citizenSerial).padStart(3, '0')}`;
  const password = overrides.password ?? 'Mật-khẩu-An-2026';
  const account: Account = await createCitizenAccount(server.services, {
    nationalId,
    fullName: 'Nguyễn Văn An',
    birthdate: '1990-05-17',
    gender: 'male',
    phone: overrides.phone ?? '0912345678',
    password,
  });
  return { account, nationalId, password };
}

export interface FlowStart {
  url: URL;
  state: string;
  nonce: string;
  verifier: string;
}

export async function startAuthorization(rp: oidc.Configuration, params: Record<string, string> = {}): Promise<FlowStart> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(rp, {
    redirect_uri: RP_CALLBACK,
    scope: 'openid profile phone offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    prompt: 'consent',
    ...params,
  });
  return { url, state, nonce, verifier };
}

/**
 * The person signs in and consents; returns the page that reached the relying party's callback
 * (`callback`, for an app registered on another host).
 */
export async function signInThroughPages(agent: UserAgent, start: FlowStart, identifier: string, password: string, callback = RP_CALLBACK): Promise<Page> {
  let page = await agent.get(start.url.href, callback);
  if (page.url.startsWith(callback)) return page;
  const login = readForm(page);
  page = await agent.submit(page, { action: login.action, fields: { ...login.fields, identifier, password } }, callback);
  if (page.url.startsWith(callback) || page.status !== 200 || page.body.includes('name="password"')) return page;
  const consent = readForm(page);
  return agent.submit(page, { action: consent.action, fields: { ...consent.fields, decision: 'allow' } }, callback);
}

export async function completeFlow(rp: oidc.Configuration, start: FlowStart, callback: Page) {
  return oidc.authorizationCodeGrant(rp, new URL(callback.url), {
    pkceCodeVerifier: start.verifier,
    expectedState: start.state,
    expectedNonce: start.nonce,
    idTokenExpected: true,
  });
}
