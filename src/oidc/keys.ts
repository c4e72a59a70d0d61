// Signing keys (published in JWKS, ES256 and RS256) and cookie-signing keys, kept in the
// database encrypted with SECRET_KEY so every node serves the same JWKS and accepts the
// same cookies. Rotation publishes the new key before it signs (so every node and every
// relying party's JWKS cache has it), and keeps the old key published until what it
// signed has expired.
import { generateKeyPair, randomBytes, type JsonWebKey } from 'node:crypto';
import { promisify } from 'node:util';
import type { Knex } from '../db/index.ts';
import type { Sealer } from '../secrets/index.ts';
import type { Clock } from '../clock.ts';

const generateKeyPairAsync = promisify(generateKeyPair);
const SIGNING_ALGS = ['ES256', 'RS256'] as const;
type SigningAlg = (typeof SIGNING_ALGS)[number];
const SEAL_PURPOSE = 'keys.material';

export interface KeyTimings {
  /** How long a new key is published before it signs: longer than the nodes' reload interval. */
  activationDelaySeconds: number;
  /** How long a replaced signing key stays published: the longest lifetime of anything it signed. */
  signingOverlapSeconds: number;
  /** How long a replaced cookie key still verifies cookies: the session lifetime. */
  cookieOverlapSeconds: number;
}

export interface KeySet {
  jwks: { keys: JsonWebKey[] };
  cookieKeys: string[];
  /** Changes whenever the set of published keys or their order changes. */
  fingerprint: string;
}

interface KeyRow {
  kid: string;
  kind: 'signing' | 'cookie';
  alg: string | null;
  material_enc: string;
  activates_at: Date;
  retires_at: Date | null;
}

function newKid(): string {
  return randomBytes(12).toString('base64url');
}

async function generateSigningJwk(alg: SigningAlg, kid: string): Promise<JsonWebKey> {
  const { privateKey } =
    alg === 'ES256'
      ? await generateKeyPairAsync('ec', { namedCurve: 'P-256' })
      : await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}

async function newKeyRows(sealer: Sealer, activatesAt: Date, kinds: { signing: boolean; cookie: boolean }) {
  const rows: Omit<KeyRow, 'retires_at'>[] = [];
  if (kinds.signing) {
    for (const alg of SIGNING_ALGS) {
      const kid = newKid();
      const jwk = await generateSigningJwk(alg, kid);
      rows.push({ kid, kind: 'signing', alg, material_enc: sealer.seal(JSON.stringify(jwk), SEAL_PURPOSE), activates_at: activatesAt });
    }
  }
  if (kinds.cookie) {
    const kid = newKid();
    rows.push({ kid, kind: 'cookie', alg: null, material_enc: sealer.seal(randomBytes(32).toString('base64url'), SEAL_PURPOSE), activates_at: activatesAt });
  }
  return rows;
}

/** Nodes notice rotated keys within this interval; `keys:rotate` waits longer before a new key signs. */
export const KEY_RELOAD_SECONDS = 60;

// Serializes key creation across nodes starting at the same moment.
const KEYS_LOCK = 0x78616374;

/** First start: creates the signing and cookie keys if the database has none. */
export async function ensureKeys(knex: Knex, sealer: Sealer, clock: Clock): Promise<boolean> {
  return knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [KEYS_LOCK]);
    const kinds = await trx('keys').distinct('kind').pluck('kind');
    const missing = { signing: !kinds.includes('signing'), cookie: !kinds.includes('cookie') };
    if (!missing.signing && !missing.cookie) return false;
    await trx('keys').insert(await newKeyRows(sealer, clock.now(), missing));
    return true;
  });
}

export interface RotationResult {
  introduced: string[];
  signsFrom: Date;
  previousRetiresAt: Date;
  removed: string[];
}

/**
 * `keys:rotate`: new ES256, RS256 and cookie keys, published now and used from
 * now + activationDelay; the keys they replace are retired after their overlap.
 * Keys whose retirement time has passed are removed.
 */
/**
 * `record` writes what reports the rotation (its audit event) in the same transaction: the
 * event exists if and only if the rotation does (SPEC §5: nothing lost).
 */
export async function rotateKeys(
  knex: Knex,
  sealer: Sealer,
  clock: Clock,
  timings: KeyTimings,
  record?: (trx: Knex.Transaction, result: RotationResult) => Promise<void>,
): Promise<RotationResult> {
  const now = clock.now();
  const signsFrom = new Date(now.getTime() + timings.activationDelaySeconds * 1000);
  const signingRetire = new Date(signsFrom.getTime() + timings.signingOverlapSeconds * 1000);
  const cookieRetire = new Date(signsFrom.getTime() + timings.cookieOverlapSeconds * 1000);
  const rows = await newKeyRows(sealer, signsFrom, { signing: true, cookie: true });
  return knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [KEYS_LOCK]);
    const removed = await trx('keys').where('retires_at', '<=', now).delete().returning('kid');
    await trx('keys').whereNull('retires_at').where({ kind: 'signing' }).update({ retires_at: signingRetire });
    await trx('keys').whereNull('retires_at').where({ kind: 'cookie' }).update({ retires_at: cookieRetire });
    await trx('keys').insert(rows);
    const result = {
      introduced: rows.map((row) => row.kid),
      signsFrom,
      previousRetiresAt: signingRetire,
      removed: removed.map((row: { kid: string }) => row.kid),
    };
    await record?.(trx, result);
    return result;
  });
}

/** Removes keys past their retirement; run by the periodic sweep. */
export async function removeRetiredKeys(knex: Knex, clock: Clock): Promise<number> {
  const removed = await knex('keys').where('retires_at', '<=', clock.now()).delete().returning('kid');
  return removed.length;
}

/**
 * The published keys, ordered so that oidc-provider (which signs with the first key of
 * an algorithm) and keygrip (which signs with the first key) use the newest active key;
 * keys not yet active come after it, so they are published and verify, but do not sign.
 */
export async function loadKeys(knex: Knex, sealer: Sealer, clock: Clock): Promise<KeySet> {
  const now = clock.now();
  const rows: KeyRow[] = await knex('keys')
    .select('kid', 'kind', 'alg', 'material_enc', 'activates_at', 'retires_at')
    .where((where) => where.whereNull('retires_at').orWhere('retires_at', '>', now));
  const active = (row: KeyRow) => new Date(row.activates_at) <= now;
  const order = (a: KeyRow, b: KeyRow) => {
    if (active(a) !== active(b)) return active(a) ? -1 : 1;
    const byActivation = new Date(b.activates_at).getTime() - new Date(a.activates_at).getTime();
    return byActivation !== 0 ? byActivation : a.kid.localeCompare(b.kid);
  };
  rows.sort(order);
  const signing = rows.filter((row) => row.kind === 'signing');
  const cookie = rows.filter((row) => row.kind === 'cookie');
  return {
    jwks: { keys: signing.map((row) => JSON.parse(sealer.open(row.material_enc, SEAL_PURPOSE)) as JsonWebKey) },
    cookieKeys: cookie.map((row) => sealer.open(row.material_enc, SEAL_PURPOSE)),
    fingerprint: rows.map((row) => `${row.kid}:${active(row) ? 1 : 0}`).join(','),
  };
}
