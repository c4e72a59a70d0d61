// The baseline: oidc-provider as its README starts it — same version as xacthuc, its
// in-memory adapter, no middleware of ours — with the bench's client. Besides client
// credentials it signs people in as plainly as the library allows: a one-field page whose
// post is checked against the bench's argon2id hash (the same parameters as xacthuc's) and
// answers login and consent at once. Its adapter keeps the 1,000 newest models (oidc-
// provider's own LRU): the bench signs its people in again before measuring refresh. What a sign-in costs here beyond argon2 is what the
// library itself costs, whatever the identity provider built on it.
// Forked by run.ts; tells it the port over IPC.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import argon2 from 'argon2';
import { Provider, type ClientMetadata } from 'oidc-provider';

const client = JSON.parse(process.env.BENCH_CLIENT ?? '') as ClientMetadata;
const passwordHash = process.env.BENCH_PASSWORD_HASH ?? '';

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
const { port } = server.address() as AddressInfo;

const provider = new Provider(`http://localhost:${port}`, {
  clients: [client],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // xacthuc's refresh policy, so that both do the same work per grant: the old token
  // consumed, a new one issued.
  rotateRefreshToken: true,
  async findAccount(_ctx, sub) {
    return { accountId: sub, claims: () => ({ sub }) };
  },
});

async function form(request: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return new URLSearchParams(body);
}

const page = (uid: string) =>
  `<!doctype html><form method="post" action="/interaction/${uid}/login"><input type="hidden" name="_csrf" value="-">` +
  '<input name="identifier"><input type="password" name="password"><button>OK</button></form>';

const handle = provider.callback();
server.on('request', (request, response) => {
  const path = /^\/interaction\/([\w-]+)(\/login)?$/.exec(request.url ?? '');
  if (!path) return handle(request, response);
  (async () => {
    const details = await provider.interactionDetails(request, response);
    if (!path[2]) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(details.uid));
      return;
    }
    const fields = await form(request);
    if (!(await argon2.verify(passwordHash, fields.get('password') ?? ''))) {
      response.writeHead(401, { 'content-type': 'text/html; charset=utf-8' }).end(page(details.uid));
      return;
    }
    const accountId = fields.get('identifier') ?? '';
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    await provider.interactionFinished(request, response, { login: { accountId }, consent: { grantId: await grant.save() } });
  })().catch((error: Error) => {
    process.stderr.write(`${error.stack}\n`);
    if (!response.headersSent) response.writeHead(500).end();
  });
});
server.keepAliveTimeout = 65_000;

process.send!({ port });
process.on('disconnect', () => server.close(() => process.exit(0)));
