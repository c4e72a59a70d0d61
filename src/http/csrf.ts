// CSRF protection for our own forms: a signed double-submit token. A random value lives
// in an HttpOnly cookie; the form carries HMAC(key, value, form scope). A forged
// cross-site post has neither. Stateless, so any node verifies what another issued.
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Context } from 'koa';

const COOKIE = 'xt_csrf';

export class Csrf {
  readonly #key: KeyObject;

  constructor(key: Buffer) {
    this.#key = createSecretKey(key);
  }

  #sign(value: string, scope: string): string {
    return createHmac('sha256', this.#key).update(`${scope}\0${value}`).digest('base64url');
  }

  /** Token for a form about to be rendered; sets the cookie if the browser has none. */
  issue(ctx: Context, scope: string): string {
    let value = ctx.cookies.get(COOKIE);
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
      value = randomBytes(32).toString('base64url');
      ctx.cookies.set(COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, overwrite: true });
    }
    return this.#sign(value, scope);
  }

  verify(ctx: Context, scope: string, token: unknown): boolean {
    const value = ctx.cookies.get(COOKIE);
    if (!value || typeof token !== 'string') return false;
    const expected = Buffer.from(this.#sign(value, scope));
    const given = Buffer.from(token);
    // Compared as bytes: a token of 43 multi-byte characters is longer than 43 bytes.
    return given.length === expected.length && timingSafeEqual(expected, given);
  }
}
