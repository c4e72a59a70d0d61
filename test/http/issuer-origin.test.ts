// Every URL the provider hands out is on ISSUER, whatever Host (or, behind a
// trusted proxy, X-Forwarded-Host) a request carries; discovery and JWKS may be cached.
import test from 'ava';
import { request, type IncomingHttpHeaders } from 'node:http';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createTestClient, discover, startAuthorization } from '../helpers/relying-party.ts';

let server: TestServer;
let proxied: TestServer;
test.before(async () => {
  [server, proxied] = await Promise.all([startTestServer(), startTestServer({ env: { TRUST_PROXY: 'true' } })]);
});
test.after.always(async () => {
  await server?.stop();
  await proxied?.stop();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with headers of our choosing (fetch sets Host itself); `target` may be absolute. */
function send(to: TestServer, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: 'localhost', port: to.config.port, path: target, method, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const own = (to: TestServer) => new URL(to.config.issuer).host;
const mentionsEvil = (answer: Answer) => `${JSON.stringify(answer.headers)}${answer.body}`.includes('evil.example');

async function pathsOfAFlow() {
  const client = await createTestClient(server);
  const rp = await discover(server, client);
  const pathOf = (url: URL) => `${url.pathname}${url.search}`;
  return {
    discovery: '/.well-known/openid-configuration',
    jwks: '/jwks',
    authorization: pathOf((await startAuthorization(rp)).url),
    logout: pathOf(oidc.buildEndSessionUrl(rp, { post_logout_redirect_uri: 'https://rp.example.vn/bye' })),
  };
}

test('a request for another host is refused with 421, and names that host nowhere: discovery, authorization, logout', async (t) => {
  const paths = await pathsOfAFlow();
  for (const [what, path] of Object.entries(paths)) {
    const answer = await send(server, path, { host: 'evil.example' });
    t.is(answer.status, 421, what);
    t.is(answer.headers.location, undefined, `${what}: no redirect`);
    t.false(mentionsEvil(answer), `${what}: the foreign host appears nowhere`);
    t.true(answer.body.includes(server.config.issuer), `${what}: the answer points to the issuer`);
  }
  const answered = await send(server, paths.authorization, { host: own(server) });
  t.is(answered.status, 303);
  const next = new URL(answered.headers.location!, server.config.issuer);
  t.is(next.origin, server.config.issuer, 'the same request on the issuer’s host goes on to sign-in there');
  t.true(next.pathname.startsWith('/interaction/'));
});

test('an absolute request target on another host is refused like a foreign Host header', async (t) => {
  const answer = await send(server, 'http://evil.example/.well-known/openid-configuration', { host: own(server) });
  t.is(answer.status, 421);
  t.false(mentionsEvil(answer));
});

test('behind a trusted proxy, a foreign X-Forwarded-Host is refused and the issuer’s is served', async (t) => {
  const refused = await send(proxied, '/.well-known/openid-configuration', { host: own(proxied), 'x-forwarded-host': 'evil.example' });
  t.is(refused.status, 421);
  t.false(mentionsEvil(refused));
  const served = await send(proxied, '/.well-known/openid-configuration', { host: '10.0.0.7:3000', 'x-forwarded-host': own(proxied), 'x-forwarded-proto': 'http' });
  t.is(served.status, 200);
  t.is(JSON.parse(served.body).authorization_endpoint, `${proxied.config.issuer}/auth`);
});

test('health and readiness answer a load balancer that probes a node by its address', async (t) => {
  for (const path of ['/healthz', '/readyz']) {
    t.is((await send(server, path, { host: '10.0.0.7:3000' })).status, 200, path);
  }
});

test('discovery and the JWKS may be cached, the JWKS for less than a key takes to start signing', async (t) => {
  const discovery = await fetch(`${server.config.issuer}/.well-known/openid-configuration`);
  t.is(discovery.headers.get('cache-control'), 'public, max-age=300');
  const jwks = await fetch(`${server.config.issuer}/jwks`);
  t.is(jwks.headers.get('cache-control'), 'public, max-age=60');
});
