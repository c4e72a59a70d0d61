// The site's own pages outside any flow: the home page at `/` (with, outside production, the
// way to the demo application), and the page a browser gets
// for an address nothing here answers (SPEC §6: in the person's language, with a way on).
import type { Middleware } from 'koa';
import type { Config } from '../config.ts';
import { t } from '../i18n/index.ts';
import { errorPage, homePage, pageShell } from '../../views/index.ts';
import { flowStart } from './pages.ts';

/** Where the operator console is (admin/: operators sign in there through this provider). */
export const ADMIN_PATH = '/admin';
/** The built-in demo application (src/demo/), served outside production only. */
export const DEMO_PATH = '/demo';

export function sitePages(config: Pick<Config, 'province' | 'env'>): Middleware {
  const demoHref = config.env === 'production' ? undefined : DEMO_PATH;
  return async (ctx, next) => {
    if (ctx.path === '/' && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      ctx.type = 'html';
      ctx.body = homePage(pageShell(ctx, config, 'home.title'), { demoHref, adminHref: ADMIN_PATH });
      return;
    }
    await next();
    // Nothing answered: no route has the path (404), or none takes this method (405, with its
    // Allow header). Apps keep Koa's plain answer; a page only for a browser that asks for one,
    // as oidc-provider decides between its JSON and HTML errors.
    if ((ctx.status !== 404 && ctx.status !== 405) || ctx.body != null) return;
    if (ctx.accepts('json', 'html') !== 'html') return;
    const shell = pageShell(ctx, config, 'not_found.title');
    const status = ctx.status;
    ctx.type = 'html';
    ctx.body = errorPage(shell, { title: t(shell.locale, 'not_found.title'), message: t(shell.locale, 'not_found'), backHref: flowStart(ctx) });
    ctx.status = status;
  };
}
