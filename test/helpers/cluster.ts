// Two xacthuc nodes sharing one PostgreSQL database and one SECRET_KEY behind one issuer
// URL, as in production behind a load balancer. The balancer is a small HTTP proxy that
// sends each request to the node the test chooses, or to each node in turn.
import { randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { createTestDatabase, freePort, recordingSleep, type TestServer } from './server.ts';

export type NodeName = 'a' | 'b';

export interface ServedRequest {
  node: NodeName;
  method: string;
  path: string;
}

export interface Cluster {
  /** The one issuer both nodes are configured with: the balancer's URL. */
  issuer: string;
  a: TestServer;
  b: TestServer;
  /** Where the balancer sends the following requests: one node, or each node in turn. */
  route(to: NodeName | 'alternate'): void;
  /** Every request the balancer forwarded, in order of arrival. */
  served: ServedRequest[];
  stop(): Promise<void>;
}

/**
 * Starts the balancer and two nodes on a fresh database. By default node A starts before
 * node B, on a migrated database; `startTogether` starts both at the same moment on an
 * empty one, so both migrate at once, as a rolling deployment of several replicas does.
 * `env` adds settings to both nodes.
 */
export async function startCluster(options: { startTogether?: boolean; env?: Record<string, string> } = {}): Promise<Cluster> {
  const database = await createTestDatabase({ migrated: !options.startTogether });
  const balancerPort = await freePort();
  const issuer = `http://localhost:${balancerPort}`;
  const shared = {
    ...database.env,
    SECRET_KEY: randomBytes(32).toString('hex'),
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ARGON2_MEMORY_KIB: '8192',
    ARGON2_TIME_COST: '1',
    ...options.env,
    ISSUER: issuer,
    ...options.env,
  };
  const startNode = async (): Promise<TestServer> => {
    const env = { ...shared, PORT: String(await freePort()) };
    const config = loadConfig(env);
    const { sleep, waits } = recordingSleep();
    const running: RunningServer = await startServer(config, { sleep });
    return { ...running, config, env, waits, stop: () => running.close() };
  };

  let nodes: Record<NodeName, TestServer>;
  try {
    if (options.startTogether) {
      const started = await Promise.allSettled([startNode(), startNode()]);
      const failure = started.find((result) => result.status === 'rejected');
      if (failure) {
        for (const result of started) if (result.status === 'fulfilled') await result.value.stop();
        throw failure.reason;
      }
      const [a, b] = started.map((result) => (result as PromiseFulfilledResult<TestServer>).value);
      nodes = { a, b };
    } else {
      const a = await startNode();
      nodes = { a, b: await startNode().catch(async (error) => { await a.stop(); throw error; }) };
    }
  } catch (error) {
    await database.drop();
    throw error;
  }

  const served: ServedRequest[] = [];
  let routing: NodeName | 'alternate' = 'a';
  let turn: NodeName = 'b';
  const balancer = createServer((req, res) => {
    const node: NodeName = routing === 'alternate' ? (turn = turn === 'a' ? 'b' : 'a') : routing;
    served.push({ node, method: req.method ?? 'GET', path: req.url ?? '/' });
    const upstream = request(
      { host: 'localhost', port: nodes[node].config.port, method: req.method, path: req.url, headers: req.headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => balancer.listen(balancerPort, 'localhost', resolve));

  return {
    issuer,
    a: nodes.a,
    b: nodes.b,
    route(to) {
      routing = to;
    },
    served,
    async stop() {
      await new Promise<void>((resolve) => {
        balancer.close(() => resolve());
        balancer.closeAllConnections();
      });
      await nodes.a.stop();
      await nodes.b.stop();
      await database.drop();
    },
  };
}
