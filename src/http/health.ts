import type { Middleware } from 'koa';
import { type Knex, migrationsCurrent } from '../db/index.ts';

/** `/healthz`: the process answers. `/readyz`: the database answers and its schema is current. */
export function healthRoutes(knex: Knex): Middleware {
  return async (ctx, next) => {
    if (ctx.path === '/healthz' && ctx.method === 'GET') {
      ctx.body = { status: 'ok' };
      return;
    }
    if (ctx.path === '/readyz' && ctx.method === 'GET') {
      try {
        await knex.raw('SELECT 1');
        const current = await migrationsCurrent(knex);
        ctx.status = current ? 200 : 503;
        ctx.body = { status: current ? 'ready' : 'migrations pending', database: 'ok' };
      } catch {
        ctx.status = 503;
        ctx.body = { status: 'database unreachable' };
      }
      return;
    }
    await next();
  };
}
