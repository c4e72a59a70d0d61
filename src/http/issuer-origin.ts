// oidc-provider builds every URL it hands out (discovery, the redirect to an
// interaction, the logout form's action, Location headers) from the request's own URL: its
// Host header, X-Forwarded-Host and -Proto behind a trusted proxy, or an absolute request
// target. A request addressed to any origin but the issuer's is refused before it reaches a
// route, so no answer can name a host the client chose. Health checks answer whatever the
// address: a load balancer probes a node by its IP address (/metrics is answered before this).
import type { Middleware } from 'koa';
import { resolveLocale, t } from '../i18n/index.ts';

const ANY_HOST = new Set(['/healthz', '/readyz']);

export function issuerOrigin(issuer: string): Middleware {
  const expected = new URL(issuer).origin;
  return async (ctx, next) => {
    if (ANY_HOST.has(ctx.path) || URL.parse(ctx.href)?.origin === expected) return next();
    // RFC 9110 §15.5.20: 421 Misdirected Request, the server does not answer for that origin.
    ctx.status = 421;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    const lang = typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined;
    ctx.body = t(resolveLocale(lang, ctx.cookies.get('lang')), 'error.misdirected', { issuer });
  };
}
