// What the load generator asks of a provider, one call per operation: a password sign-in
// through the pages (as a browser and a relying party do it), and each token endpoint.
import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, type HttpTarget, type Reply } from './http-client.ts';

/** Endpoint paths, from the provider's discovery document. */
export interface Endpoints {
  authorization: string;
  token: string;
  userinfo: string;
  introspection: string;
  jwks: string;
}

export interface RelyingParty {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** A person with a browser of their own; tokens kept from their last sign-in or refresh. */
export interface Person {
  identifier: string;
  jar: CookieJar;
  refreshToken?: string;
  accessToken?: string;
}

/** A failed operation; `key` groups failures of one kind for the report. */
export class FlowError extends Error {
  readonly key: string;
  /** True when the server answered outside 2xx/3xx. */
  readonly httpError: boolean;
  constructor(key: string, httpError: boolean, detail = '') {
    super(detail ? `${key}: ${detail}` : key);
    this.name = 'FlowError';
    this.key = key;
    this.httpError = httpError;
  }
}

export async function discoverEndpoints(target: HttpTarget): Promise<Endpoints> {
  const reply = await target.request('GET', '/.well-known/openid-configuration');
  expectStatus(reply, 'GET discovery', [200]);
  const metadata = JSON.parse(reply.body) as Record<string, string>;
  const path = (url: string) => new URL(url).pathname;
  return {
    authorization: path(metadata.authorization_endpoint),
    token: path(metadata.token_endpoint),
    userinfo: path(metadata.userinfo_endpoint),
    introspection: path(metadata.introspection_endpoint ?? `${metadata.token_endpoint}/introspection`),
    jwks: path(metadata.jwks_uri),
  };
}

function expectStatus(reply: Reply, route: string, expected: number[]): void {
  if (expected.includes(reply.status)) return;
  const httpError = reply.status < 200 || reply.status >= 400;
  const detail = reply.body.slice(0, 200).replace(/\s+/g, ' ');
  throw new FlowError(`${httpError ? 'HTTP' : 'unexpected'} ${reply.status} ${route}`, httpError, detail);
}

const REDIRECT = [302, 303];

function location(reply: Reply, route: string): string {
  const value = reply.headers.location;
  if (!value) throw new FlowError(`no Location ${route}`, false);
  return value;
}

function decodeEntities(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The post form of a sign-in or consent page: its action, CSRF token, and which page it is. */
function readPageForm(page: Reply, route: string): { action: string; csrf: string; login: boolean } {
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!action || !csrf) throw new FlowError(`no form ${route}`, false);
  return { action: decodeEntities(action), csrf, login: page.body.includes('name="password"') };
}

function basic(rp: Pick<RelyingParty, 'clientId' | 'clientSecret'>): string {
  // RFC 6749 §2.3.1: both parts form-encoded before base64.
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(rp.clientId)}:${encode(rp.clientSecret)}`).toString('base64')}`;
}

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
}

function tokens(reply: Reply, route: string, expect: Array<keyof TokenResponse>): TokenResponse {
  expectStatus(reply, route, [200]);
  const body = JSON.parse(reply.body) as TokenResponse;
  for (const name of expect) if (!body[name]) throw new FlowError(`no ${name} ${route}`, false);
  return body;
}

/**
 * A password sign-in as a relying party and a browser perform it: authorization request with
 * PKCE (S256), the sign-in page, the posted form, the redirect back with a code, the code
 * exchanged at the token endpoint. `firstTime` also gives consent (and asks for
 * offline_access, so the person gets a refresh token); otherwise a consent page is an error,
 * since consent was already given.
 */
export async function signIn(
  target: HttpTarget,
  endpoints: Endpoints,
  rp: RelyingParty,
  person: Person,
  password: string,
  firstTime = false,
): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const query = new URLSearchParams({
    client_id: rp.clientId,
    response_type: 'code',
    redirect_uri: rp.redirectUri,
    scope: firstTime ? 'openid profile offline_access' : 'openid profile',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    // OpenID Connect Core §3.1.2.1: login forces the password even with a live session;
    // consent is what offline_access requires (§11).
    prompt: firstTime ? 'consent' : 'login',
  });
  let reply = await target.request('GET', `${endpoints.authorization}?${query}`, { jar: person.jar });
  let route = 'GET /auth';
  // Each pass: a redirect to follow, or a page whose form to submit; at most login + consent.
  for (let step = 0; step < 8; step += 1) {
    if (REDIRECT.includes(reply.status)) {
      const next = location(reply, route);
      if (next.startsWith(rp.redirectUri)) {
        const callback = new URL(next).searchParams;
        if (callback.get('state') !== state) throw new FlowError('state mismatch at callback', false);
        const code = callback.get('code');
        if (!code) throw new FlowError(`no code at callback (${callback.get('error') ?? 'no error'})`, false);
        const token = await target.request('POST', endpoints.token, {
          headers: { authorization: basic(rp) },
          form: { grant_type: 'authorization_code', code, redirect_uri: rp.redirectUri, code_verifier: verifier },
        });
        const body = tokens(token, 'POST /token (code)', ['access_token', 'id_token']);
        if (firstTime) {
          person.accessToken = body.access_token;
          person.refreshToken = body.refresh_token;
        }
        return;
      }
      route = `GET ${routeName(next)}`;
      reply = await target.request('GET', next, { jar: person.jar });
      continue;
    }
    expectStatus(reply, route, [200]);
    const form = readPageForm(reply, route);
    if (form.login) {
      route = 'POST /interaction/:uid/login';
      reply = await target.request('POST', form.action, { jar: person.jar, form: { _csrf: form.csrf, identifier: person.identifier, password } });
    } else if (firstTime) {
      route = 'POST /interaction/:uid/confirm';
      reply = await target.request('POST', form.action, { jar: person.jar, form: { _csrf: form.csrf, decision: 'allow' } });
    } else {
      throw new FlowError('consent asked although already given', false);
    }
  }
  throw new FlowError('sign-in did not reach the callback', false);
}

function routeName(url: string): string {
  const path = url.startsWith('/') ? url.split('?')[0] : new URL(url).pathname;
  return path.replace(/^\/(interaction|auth)\/[^/]+/, '/$1/:uid');
}

/** Refresh-token grant; the token rotates, so the person keeps the new one. */
export async function refresh(target: HttpTarget, endpoints: Endpoints, rp: RelyingParty, person: Person): Promise<void> {
  if (!person.refreshToken) throw new FlowError('person has no refresh token', false);
  const reply = await target.request('POST', endpoints.token, {
    headers: { authorization: basic(rp) },
    form: { grant_type: 'refresh_token', refresh_token: person.refreshToken },
  });
  const body = tokens(reply, 'POST /token (refresh)', ['access_token', 'refresh_token']);
  person.refreshToken = body.refresh_token;
  person.accessToken = body.access_token;
}

export async function clientCredentials(target: HttpTarget, endpoints: Endpoints, rp: Pick<RelyingParty, 'clientId' | 'clientSecret'>): Promise<void> {
  const reply = await target.request('POST', endpoints.token, {
    headers: { authorization: basic(rp) },
    form: { grant_type: 'client_credentials' },
  });
  tokens(reply, 'POST /token (client_credentials)', ['access_token']);
}

export async function userinfo(target: HttpTarget, endpoints: Endpoints, person: Person): Promise<void> {
  const reply = await target.request('GET', endpoints.userinfo, { headers: { authorization: `Bearer ${person.accessToken}` } });
  expectStatus(reply, 'GET /me', [200]);
  if (!(JSON.parse(reply.body) as { sub?: string }).sub) throw new FlowError('no sub GET /me', false);
}

export async function introspect(target: HttpTarget, endpoints: Endpoints, rp: RelyingParty, person: Person): Promise<void> {
  const reply = await target.request('POST', endpoints.introspection, {
    headers: { authorization: basic(rp) },
    form: { token: person.accessToken ?? '', token_type_hint: 'access_token' },
  });
  expectStatus(reply, 'POST /token/introspection', [200]);
  if ((JSON.parse(reply.body) as { active?: boolean }).active !== true) throw new FlowError('inactive token POST /token/introspection', false);
}

export async function jwks(target: HttpTarget, endpoints: Endpoints): Promise<void> {
  const reply = await target.request('GET', endpoints.jwks);
  expectStatus(reply, 'GET /jwks', [200]);
}

export function newPerson(identifier: string): Person {
  return { identifier, jar: new CookieJar() };
}
