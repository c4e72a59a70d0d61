// Encryption at rest for personal identifiers, client secrets and signing keys (SPEC §3:
// AES-256-GCM; a keyed HMAC finds a row without decrypting). Both subkeys are derived
// from SECRET_KEY with HKDF so one configured secret never serves two purposes.
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

const FORMAT = 'v1';

export class Sealer {
  // KeyObjects made once: a raw Buffer key is imported again on every cipher and HMAC.
  readonly #encryptionKey: KeyObject;
  readonly #lookupKey: KeyObject;

  constructor(secretKey: Buffer) {
    if (secretKey.length !== 32) throw new TypeError('secret key must be 32 bytes');
    this.#encryptionKey = createSecretKey(Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'xacthuc/seal', 32)));
    this.#lookupKey = createSecretKey(Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'xacthuc/lookup', 32)));
  }

  /** `purpose` is bound as additional data: a value sealed for one column cannot be replayed into another. */
  seal(plaintext: string, purpose: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${FORMAT}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  open(sealed: string, purpose: string): string {
    const [format, iv, body] = sealed.split('.');
    if (format !== FORMAT || !iv || !body) throw new Error('sealed value has an unknown format');
    const bytes = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash of a normalized identifier, for unique indexes and lookups. */
  lookup(value: string, purpose: string): string {
    return createHmac('sha256', this.#lookupKey).update(`${purpose}\0${value}`).digest('base64url');
  }
}
