// What every page of ours does the same way: the audit facts of a request, an error page, and
// a refused form shown as that error page.
import type { Context, Middleware } from 'koa';
import type { Config } from '../config.ts';
import { errorPage, pageShell } from '../../views/index.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { FormError } from './form.ts';

export function requestFacts(ctx: Context) {
  return { ip: ctx.ip, userAgent: ctx.get('user-agent') || null };
}

/**
 * Where "back" leads a person without JavaScript: the first page of the flow the request
 * belongs to, unless that is the page that just failed.
 */
export function flowStart(ctx: Context): string | undefined {
  const start = /^\/(?:register|forgot)(?=\/|$)|^\/interaction\/[^/]+/.exec(ctx.path)?.[0];
  return start === undefined || (start === ctx.path && ctx.method === 'GET') ? undefined : start;
}

/** Our error page; the message key is its code for the help desk. */
export function showError(ctx: Context, config: Config, status: number, code: MessageKey): void {
  const shell = pageShell(ctx, config, 'error.title');
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = errorPage(shell, { title: t(shell.locale, 'error.title'), message: t(shell.locale, code), code, backHref: flowStart(ctx) });
}

/** A FormError thrown by readForm (too large, wrong type, bad CSRF) answered as an error page. */
export function formErrors(config: Config): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof FormError) return showError(ctx, config, error.status, error.code);
      throw error;
    }
  };
}
