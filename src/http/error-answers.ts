// The answer of a request that failed, whatever failed: a database that cannot be reached
// is an outage, answered 503 with Retry-After (the request may succeed in a moment, and a
// load balancer or client can tell it from a fault); anything else is a 500. Browsers get
// our page in the person's language, API clients an OAuth error (RFC 6749 §5.2 form). It
// sits inside the request log and the metrics, so both record the status actually sent.
import type { Context, Middleware } from 'koa';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { isDatabaseUnavailable } from '../db/index.ts';
import { loggedPath } from './logged-path.ts';
import { t } from '../i18n/index.ts';
import { errorPage, localeOf, pageShell } from '../../views/index.ts';

/** Seconds a client is asked to wait; the nodes reconnect by themselves within about one. */
const RETRY_AFTER_SECONDS = 5;

/** Set on the request by whatever learns of an outage that was already answered (oidc-provider's server_error). */
const OUTAGE = Symbol('database unavailable');

export function markDatabaseUnavailable(ctx: Context): void {
  (ctx.state as Record<symbol, boolean>)[OUTAGE] = true;
}

// oidc-provider's routes a person's browser is sent to; the others are called by apps.
const PAGE_ROUTES = new Set(['authorization', 'resume', 'end_session', 'end_session_confirm', 'end_session_success', 'code_verification', 'device_resume']);

// Kept from the failed answer: who asked (request id) and the page protections. Nothing the
// failed work set (Location, Set-Cookie, caching) may leave with the error.
const KEPT_HEADERS = new Set(['x-request-id', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'permissions-policy', 'strict-transport-security']);

function isApiRequest(ctx: Context): boolean {
  const route = (ctx as Context & { oidc?: { route?: string } }).oidc?.route;
  return route !== undefined && !PAGE_ROUTES.has(route);
}

function uiLocales(ctx: Context): unknown {
  return (ctx as Context & { oidc?: { params?: { ui_locales?: unknown } } }).oidc?.params?.ui_locales ?? ctx.query.ui_locales;
}

function answer(ctx: Context, config: Pick<Config, 'province'>, unavailable: boolean): void {
  for (const name of ctx.res.getHeaderNames()) if (!KEPT_HEADERS.has(name)) ctx.res.removeHeader(name);
  ctx.status = unavailable ? 503 : 500;
  ctx.set('Cache-Control', 'no-store');
  if (unavailable) ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
  if (isApiRequest(ctx)) {
    ctx.body = unavailable
      ? { error: 'temporarily_unavailable', error_description: 'the service cannot reach its database; retry later' }
      : { error: 'server_error', error_description: 'the request could not be completed' };
    return;
  }
  const shell = pageShell(ctx, config, 'error.title', localeOf(ctx, uiLocales(ctx)));
  ctx.type = 'html';
  // The code names the request too: the help desk finds its log line by it.
  const code = `${unavailable ? 'temporarily_unavailable' : 'server_error'} ${String(ctx.state.requestId ?? '')}`.trim();
  ctx.body = errorPage(shell, { title: t(shell.locale, 'error.title'), message: t(shell.locale, unavailable ? 'error.unavailable' : 'oauth.server_error'), code });
}

/**
 * The status Koa sends for an error that leaves every middleware (its default error
 * handler): the error's own 4xx/5xx status, or 500. For logs and metrics that see the
 * error pass by before the answer is written.
 */
export function statusOfError(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | undefined)?.status ?? (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}

export function errorAnswers(config: Pick<Config, 'province'>, logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      // An error that says what to answer (oidc-provider's, http-errors') keeps its answer.
      const status = (error as { status?: unknown }).status;
      if ((error as { expose?: unknown }).expose === true && typeof status === 'number' && status < 500) throw error;
      const unavailable = isDatabaseUnavailable(error);
      logger.error({ requestId: ctx.state.requestId, err: error, method: ctx.method, path: loggedPath(ctx.path) }, unavailable ? 'database unavailable' : 'request failed');
      if (ctx.headerSent) throw error;
      return answer(ctx, config, unavailable);
    }
    if ((ctx.state as Record<symbol, boolean>)[OUTAGE] && !ctx.headerSent && ctx.status >= 500) answer(ctx, config, true);
  };
}
