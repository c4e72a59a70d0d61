import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.ts';
import { statusOfError } from './error-answers.ts';
import { loggedPath } from './logged-path.ts';

/**
 * One JSON line per request with a request id (taken from X-Request-Id when a load
 * balancer set a sane one). Only method, path, status and timing: never a query string,
 * which carries codes and state, never a body.
 */
export function requestLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const id = /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    const started = performance.now();
    // The status the client is sent: an error passing by is answered after this line is
    // written, and ctx.status does not know it yet.
    let status: number | undefined;
    try {
      await next();
    } catch (error) {
      status = statusOfError(error);
      if (status >= 500) logger.error({ requestId: id, err: error, method: ctx.method, path: loggedPath(ctx.path) }, 'request failed');
      throw error;
    } finally {
      logger.info({ requestId: id, method: ctx.method, path: loggedPath(ctx.path), status: status ?? ctx.status, ms: Math.round(performance.now() - started) }, 'request');
    }
  };
}
