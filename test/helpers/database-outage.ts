// A database that stops answering while a test server runs. On PostgreSQL the server is
// connected through a TCP relay that the test cuts (open connections are dropped, new ones
// refused: what a stopped server or a broken link does) and mends. The embedded database
// runs in the server's own process and cannot be unplugged, so there a connection is refused
// the way pg refuses it (ECONNREFUSED) while the outage lasts.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createTestDatabase, freePort, startTestServer, type TestServer } from './server.ts';
import type { Logger } from '../../src/logger.ts';

export interface DatabaseOutage {
  server: TestServer;
  cut(): Promise<void>;
  mend(): Promise<void>;
  stop(): Promise<void>;
}

function relay(port: number, target: URL): { open(): Promise<void>; close(): Promise<void> } {
  let listener: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    async open() {
      listener = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => listener!.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      const closed = new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      listener = undefined;
    },
  };
}

export async function startServerWithOutage(options: { logger?: Logger } = {}): Promise<DatabaseOutage> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const server = await startTestServer(options);
    const client = server.services.db.knex.client as { acquireConnection: () => Promise<unknown> };
    const acquire = client.acquireConnection;
    return {
      server,
      async cut() {
        client.acquireConnection = async () => {
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
        };
      },
      async mend() {
        client.acquireConnection = acquire;
      },
      stop: () => server.stop(),
    };
  }
  const database = await createTestDatabase();
  const direct = new URL(database.env.DATABASE_URL);
  const port = await freePort();
  const link = relay(port, direct);
  await link.open();
  const relayed = new URL(direct);
  relayed.hostname = '127.0.0.1';
  relayed.port = String(port);
  const server = await startTestServer({ ...options, env: { DATABASE_URL: relayed.toString() } });
  return {
    server,
    cut: () => link.close(),
    mend: () => link.open(),
    async stop() {
      await server.stop();
      await link.close();
      await database.drop();
    },
  };
}
