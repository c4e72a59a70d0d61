// What the demo application keeps between sending the person to sign in and their return: the
// state, the nonce and the PKCE verifier (RFC 7636), in an HttpOnly cookie signed with the
// provider's cookie keys (as the operator console's sign-in cookie), so a forged or altered
// cookie is refused like a forged state.
import type { Context } from 'koa';
import type { Locale } from '../i18n/index.ts';

const COOKIE = 'xt_demo';
/** As long as an interaction lives (oidc/configuration.ts TTL.interaction). */
const LIFETIME_MS = 30 * 60_000;

export interface DemoFlow {
  state: string;
  nonce: string;
  verifier: string;
  /** The language the trial began in, kept for its last page. */
  locale: Locale;
  expiresAt: number;
}

export class DemoFlowCookie {
  set(ctx: Context, flow: Omit<DemoFlow, 'expiresAt'>, now: Date): void {
    const body = Buffer.from(JSON.stringify({ ...flow, expiresAt: now.getTime() + LIFETIME_MS })).toString('base64url');
    ctx.cookies.set(COOKIE, body, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/demo', maxAge: LIFETIME_MS, overwrite: true, signed: true });
  }

  /** The flow this browser began, if its cookie is genuine and unexpired; the cookie is spent either way. */
  take(ctx: Context, now: Date): DemoFlow | undefined {
    const value = ctx.cookies.get(COOKIE, { signed: true });
    if (ctx.cookies.get(COOKIE) !== undefined) ctx.cookies.set(COOKIE, null, { path: '/demo', overwrite: true, signed: true });
    if (value === undefined || value.length > 4096) return undefined;
    try {
      const flow = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as DemoFlow;
      return flow.expiresAt > now.getTime() ? flow : undefined;
    } catch {
      return undefined;
    }
  }
}
