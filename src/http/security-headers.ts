import type { Middleware } from 'koa';

// form-action is left out on purpose: browsers apply it to the redirects that follow a form
// post, and sign-in and consent end in a redirect to a relying party on another host.
// img-src allows https: because clients register their logos on their own hosts.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const headers: ReadonlyArray<readonly [name: string, value: string]> = [
  ['Content-Security-Policy', contentSecurityPolicy],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
];

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    // Set before the route runs, not after: oidc-provider's form_post page appends its inline
    // script's hash to the CSP it finds on the response, and a route may replace any header.
    for (const [name, value] of headers) {
      if (!ctx.res.hasHeader(name)) ctx.set(name, value);
    }
    // Over TLS (directly, or as told by a trusted load balancer), browsers keep to https.
    if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000');
    await next();
    // Pages carry interaction state and personal data; no browser or proxy may keep a copy.
    if (!ctx.headerSent && ctx.response.is('html') && !ctx.res.hasHeader('Cache-Control')) {
      ctx.set('Cache-Control', 'no-store');
    }
  };
}
