// The endpoints a relying party serves to the provider (back-channel logout, jwks_uri),
// on a local port, recording every request the provider makes to them.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface EndpointResponse {
  status?: number;
  type?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RelyingPartyEndpoint {
  /** http://<host>:<port>, no trailing slash. */
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

// The endpoint listens on localhost: servers that call it must list it in
// OUTBOUND_PRIVATE_HOSTS (oidc-provider refuses private addresses otherwise).
export const ENDPOINT_HOSTS = { OUTBOUND_PRIVATE_HOSTS: 'localhost' };

/** Serves `routes` (by path; anything else answers 200 with no body) on `host` and records each request. */
export async function startRelyingPartyEndpoint(routes: Record<string, () => EndpointResponse> = {}, host = 'localhost'): Promise<RelyingPartyEndpoint> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ method: req.method ?? 'GET', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const response = routes[path]?.() ?? {};
      res.statusCode = response.status ?? 200;
      if (response.type) res.setHeader('content-type', response.type);
      for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
      res.end(response.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
