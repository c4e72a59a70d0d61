// The baseline: oidc-provider as its README starts it — same version as xacthuc, its
// in-memory adapter, no middleware of ours — with the bench's client-credentials client.
// Forked by run.ts; tells it the port over IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider, type ClientMetadata } from 'oidc-provider';

const client = JSON.parse(process.env.BENCH_CLIENT ?? '') as ClientMetadata;

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
const { port } = server.address() as AddressInfo;

const provider = new Provider(`http://localhost:${port}`, {
  clients: [client],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
  },
});
server.on('request', provider.callback());
server.keepAliveTimeout = 65_000;

process.send!({ port });
process.on('disconnect', () => server.close(() => process.exit(0)));
