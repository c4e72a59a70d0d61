// Signatures of oidc-provider's cookies (session, interaction, resume), made as Keygrip
// makes them — HMAC-SHA1 in URL-safe base64 without padding — so cookies signed before keep
// verifying, and a rolling deploy mixes old and new nodes freely. Unlike Keygrip, the keys
// are imported once and a signature is checked with one HMAC and a constant-time compare
// (Keygrip's compare hashes both sides again with a fresh key): every request that carries
// cookies checks two to four of them.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export class CookieSigner {
  readonly #keys: KeyObject[];

  /** `keys`: newest first; the first signs, all verify (as Keygrip). */
  constructor(keys: string[]) {
    if (keys.length === 0) throw new Error('cookie signing needs at least one key');
    this.#keys = keys.map((key) => createSecretKey(Buffer.from(key, 'utf8')));
  }

  sign(data: string): string {
    return createHmac('sha1', this.#keys[0]).update(data).digest('base64url');
  }

  verify(data: string, digest: string): boolean {
    return this.index(data, digest) > -1;
  }

  /** Which key made `digest` for `data`, or -1. */
  index(data: string, digest: string): number {
    const given = Buffer.from(String(digest), 'utf8');
    for (let index = 0; index < this.#keys.length; index += 1) {
      const expected = Buffer.from(createHmac('sha1', this.#keys[index]).update(data).digest('base64url'), 'utf8');
      if (given.length === expected.length && timingSafeEqual(given, expected)) return index;
    }
    return -1;
  }
}
