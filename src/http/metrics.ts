// `GET /metrics` (SPEC §4): Prometheus text exposition of what an operator watches first —
// requests by route family and status class, their duration, statements sent to the
// database, and the process's memory.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { statusOfError } from './error-answers.ts';

/**
 * Who may read `/metrics`: holders of a bearer token (METRICS_TOKEN);
 * without one, anyone outside production, and nobody in production.
 */
export type MetricsAccess = { token: string } | 'open' | 'closed';

const digest = (value: string) => createHash('sha256').update(value).digest();

const BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Route families, not raw paths: interaction ids and tokens must not become label values. */
function family(path: string): string {
  if (path.startsWith('/interaction/')) return 'interaction';
  if (path.startsWith('/auth')) return 'authorization';
  if (path === '/token') return 'token';
  if (path.startsWith('/token/')) return path.slice(1).replace('/', '_');
  if (path === '/me') return 'userinfo';
  if (path === '/jwks' || path.startsWith('/.well-known/')) return 'discovery';
  if (path.startsWith('/session/end')) return 'logout';
  if (path.startsWith('/register') || path.startsWith('/forgot') || path.startsWith('/account')) return 'self_service';
  return 'other';
}

export class Metrics {
  readonly #requests = new Map<string, number>();
  readonly #durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  #statements = 0;
  readonly #access: MetricsAccess;

  constructor(access: MetricsAccess) {
    this.#access = access;
  }

  /** Answers a scrape it refuses (404 when closed, 401 without the token) and says whether it may go on. */
  #admits(ctx: Context): boolean {
    if (this.#access === 'open') return true;
    if (this.#access === 'closed') {
      ctx.status = 404;
      return false;
    }
    const presented = /^Bearer (\S+)$/.exec(ctx.get('authorization'))?.[1] ?? '';
    // Compared as digests: equal lengths, and the time taken tells nothing of the token.
    if (timingSafeEqual(digest(presented), digest(this.#access.token))) return true;
    ctx.status = 401;
    ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
    return false;
  }

  /** One statement sent to the database (the nodes share it: its load is what limits them). */
  statement(): void {
    this.#statements += 1;
  }

  observe(path: string, status: number, seconds: number): void {
    const route = family(path);
    const key = `route="${route}",status="${Math.floor(status / 100)}xx"`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const duration = this.#durations.get(route) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) duration.buckets[index] += 1;
    });
    duration.sum += seconds;
    duration.count += 1;
    this.#durations.set(route, duration);
  }

  render(): string {
    const lines = ['# HELP xacthuc_http_requests_total HTTP requests answered.', '# TYPE xacthuc_http_requests_total counter'];
    for (const [labels, value] of this.#requests) lines.push(`xacthuc_http_requests_total{${labels}} ${value}`);
    lines.push('# HELP xacthuc_http_request_duration_seconds Time to answer a request.', '# TYPE xacthuc_http_request_duration_seconds histogram');
    for (const [route, duration] of this.#durations) {
      BUCKETS.forEach((bound, index) => lines.push(`xacthuc_http_request_duration_seconds_bucket{route="${route}",le="${bound}"} ${duration.buckets[index]}`));
      lines.push(`xacthuc_http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${duration.count}`);
      lines.push(`xacthuc_http_request_duration_seconds_sum{route="${route}"} ${duration.sum}`);
      lines.push(`xacthuc_http_request_duration_seconds_count{route="${route}"} ${duration.count}`);
    }
    lines.push('# HELP xacthuc_database_statements_total Statements sent to the database.', '# TYPE xacthuc_database_statements_total counter', `xacthuc_database_statements_total ${this.#statements}`);
    const memory = process.memoryUsage();
    lines.push('# HELP xacthuc_process_resident_memory_bytes Resident memory.', '# TYPE xacthuc_process_resident_memory_bytes gauge', `xacthuc_process_resident_memory_bytes ${memory.rss}`);
    lines.push('# HELP xacthuc_process_uptime_seconds Time since start.', '# TYPE xacthuc_process_uptime_seconds gauge', `xacthuc_process_uptime_seconds ${process.uptime()}`);
    return `${lines.join('\n')}\n`;
  }

  middleware(): Middleware {
    return async (ctx, next) => {
      if (ctx.path === '/metrics' && ctx.method === 'GET') {
        if (!this.#admits(ctx)) return;
        ctx.type = 'text/plain; version=0.0.4';
        ctx.body = this.render();
        return;
      }
      const started = performance.now();
      let status: number | undefined;
      try {
        await next();
      } catch (error) {
        status = statusOfError(error);
        throw error;
      } finally {
        this.observe(ctx.path, status ?? ctx.status, (performance.now() - started) / 1000);
      }
    };
  }
}
