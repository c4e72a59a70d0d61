// The TOTP second factor (RFC 6238) and its single-use recovery codes (SPEC R6). The secret
// is sealed at rest because codes are computed from it; recovery codes are kept only as a
// keyed hash. Every rule that must hold across nodes (a code accepted once, a recovery
// code used once, one confirmation per enrolment) is a single conditional UPDATE.
import { createHmac, randomInt } from 'node:crypto';
import { NobleCryptoPlugin, ScureBase32Plugin, TOTP } from 'otplib';
import { toDataURL } from 'qrcode';
import { prepared, readAhead, type Knex } from '../db/index.ts';
import type { Clock } from '../clock.ts';
import type { Sealer } from '../secrets/index.ts';

export type TotpErrorCode = 'totp.invalid' | 'totp.replayed' | 'totp.already_enrolled' | 'totp.not_enrolled';

export class TotpError extends Error {
  readonly code: TotpErrorCode;
  constructor(code: TotpErrorCode) {
    super(code);
    this.name = 'TotpError';
    this.code = code;
  }
}

export interface TotpEnrolment {
  /** Base32, for typing into an authenticator app that cannot scan the QR code. */
  secret: string;
  otpauthUrl: string;
  /** The otpauth URL as a PNG QR code, `data:image/png;base64,…`. */
  qrDataUrl: string;
}

interface FactorRow {
  account_id: string;
  secret_enc: string;
  confirmed_at: Date | null;
}

/**
 * Whether an account has a confirmed factor, read ahead with the account at sign-in
 * (accounts/store.ts composes `TOTP_ENROLLED` into its look-up). The writes that make or
 * unmake a confirmed factor are made through `totpEnrolledRows.writes`, which forgets them.
 */
export const totpEnrolledRows = readAhead<boolean>('TotpEnrolled');

/** Whether the account of alias `account` has a confirmed factor, as an SQL boolean. */
export const TOTP_ENROLLED = (account: string) => `EXISTS (SELECT 1 FROM totp_factors f WHERE f.account_id = ${account}.id AND f.confirmed_at IS NOT NULL)`;

const SECRET_PURPOSE = 'totp.secret';
// RFC 6238 §5.2 recommends 30 s, and authenticator apps assume it (as they assume SHA-1
// and 6 digits, otplib's defaults) unless told otherwise.
const PERIOD_SECONDS = 30;
const totp = new TOTP({ period: PERIOD_SECONDS, crypto: new NobleCryptoPlugin(), base32: new ScureBase32Plugin() });
const RECOVERY_CODE_COUNT = 10;
// Crockford's base32: no I, L, O or U, so a code copied by hand off paper is not misread.
// 8 characters of 32 symbols carry 40 bits.
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RECOVERY_CODE_LENGTH = 8;

function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i += 1) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The code as stored, whatever case, spacing or dashes it was typed with; undefined if it cannot be one. */
function normalizeRecoveryCode(input: string): string | undefined {
  // Crockford's decoding: the letters left out of the alphabet are read as the digits they resemble.
  const code = input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  return code.length === RECOVERY_CODE_LENGTH && [...code].every((c) => RECOVERY_ALPHABET.includes(c)) ? code : undefined;
}

export class TotpFactors {
  readonly #knex: Knex;
  readonly #sealer: Sealer;
  readonly #clock: Clock;
  readonly #hashKey: Buffer;
  readonly #issuer: string;

  constructor(deps: { knex: Knex; sealer: Sealer; clock: Clock; hashKey: Buffer; issuer: string }) {
    this.#knex = deps.knex;
    this.#sealer = deps.sealer;
    this.#clock = deps.clock;
    this.#hashKey = deps.hashKey;
    this.#issuer = deps.issuer;
  }

  // Keyed, so a copy of the table alone cannot be searched through the 2^40 possible codes;
  // bound to the account, so a row moved to another account matches nothing.
  #hash(accountId: string, normalizedCode: string): string {
    return createHmac('sha256', this.#hashKey).update(`totp.recovery\0${accountId}\0${normalizedCode}`).digest('base64url');
  }

  /**
   * The RFC 6238 time step whose code this is, allowing one step either way for a phone
   * clock that drifts or a code typed as its step ends (RFC 6238 §5.2); undefined if none.
   */
  async #matchingStep(secretEnc: string, code: string): Promise<number | undefined> {
    const token = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token)) return undefined;
    const result = await totp.verify(token, {
      secret: this.#sealer.open(secretEnc, SECRET_PURPOSE),
      epoch: Math.floor(this.#clock.now().getTime() / 1000),
      epochTolerance: PERIOD_SECONDS,
    });
    return result.valid ? result.timeStep : undefined;
  }

  /**
   * Starts (or restarts) enrolment with a new secret; the factor counts only once
   * `confirmEnrolment` has seen a code from the app. `label` names the account in the app.
   */
  readonly beginEnrolment = totpEnrolledRows.writes(async (accountId: string, label: string): Promise<TotpEnrolment> => {
    // otplib draws 20 bytes: the 160-bit shared secret RFC 4226 §4 (R6) recommends.
    const secret = totp.generateSecret();
    const stored = await this.#knex('totp_factors')
      .insert({ account_id: accountId, secret_enc: this.#sealer.seal(secret, SECRET_PURPOSE), created_at: this.#clock.now() })
      .onConflict('account_id')
      .merge(['secret_enc', 'created_at'])
      .whereNull('totp_factors.confirmed_at')
      .returning('account_id');
    if (stored.length === 0) throw new TotpError('totp.already_enrolled');
    const otpauthUrl = totp.toURI({ issuer: this.#issuer, label, secret });
    return { secret, otpauthUrl, qrDataUrl: await toDataURL(otpauthUrl) };
  });

  /**
   * Confirms a pending enrolment with a code from the app, and returns the 10 recovery
   * codes: the only time they exist in clear.
   */
  /**
   * With `then`, what reports the enrolment (its audit event) is written in the same
   * transaction: an enrolled factor always has its event, and an event always its factor.
   */
  readonly confirmEnrolment = totpEnrolledRows.writes(async (accountId: string, code: string, then?: (trx: Knex.Transaction) => Promise<void>): Promise<string[]> => {
    const row = (await this.#knex('totp_factors').where({ account_id: accountId }).first()) as FactorRow | undefined;
    if (!row) throw new TotpError('totp.not_enrolled');
    if (row.confirmed_at) throw new TotpError('totp.already_enrolled');
    const step = await this.#matchingStep(row.secret_enc, code);
    if (step === undefined) throw new TotpError('totp.invalid');
    const now = this.#clock.now();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.#knex.transaction(async (trx) => {
      // Matching the secret that was checked: if enrolment restarted meanwhile, this code
      // belongs to a secret that no longer exists. The step is recorded so the code that
      // confirmed cannot then be replayed at sign-in.
      const confirmed = await trx('totp_factors')
        .where({ account_id: accountId, secret_enc: row.secret_enc })
        .whereNull('confirmed_at')
        .update({ confirmed_at: now, last_used_step: step })
        .returning('account_id');
      if (confirmed.length === 0) throw new TotpError('totp.invalid');
      await trx('recovery_codes').insert(
        codes.map((recoveryCode) => ({ account_id: accountId, code_hash: this.#hash(accountId, normalizeRecoveryCode(recoveryCode)!), created_at: now })),
      );
      await then?.(trx);
    });
    return codes;
  });

  async isEnrolled(accountId: string): Promise<boolean> {
    // Read ahead with the account at sign-in (accounts/store.ts).
    const read = totpEnrolledRows.take(accountId);
    if (read) return read.row === true;
    const row = await this.#knex('totp_factors').where({ account_id: accountId }).whereNotNull('confirmed_at').first('account_id').options(prepared('totp_enrolled'));
    return row !== undefined;
  }

  /** Checks a code at sign-in. Each time step is accepted once, on any node (RFC 6238 §5.2). */
  async verify(accountId: string, code: string): Promise<void> {
    const row = (await this.#knex('totp_factors').where({ account_id: accountId }).whereNotNull('confirmed_at').first()) as FactorRow | undefined;
    if (!row) throw new TotpError('totp.not_enrolled');
    const step = await this.#matchingStep(row.secret_enc, code);
    if (step === undefined) throw new TotpError('totp.invalid');
    // Also refuses a code older than one already accepted: once a later step has been used,
    // an earlier code can only come from someone who saw it, not from the app.
    const accepted = await this.#knex('totp_factors')
      .where({ account_id: accountId })
      .whereNotNull('confirmed_at')
      .where((q) => q.whereNull('last_used_step').orWhere('last_used_step', '<', step))
      .update({ last_used_step: step })
      .returning('account_id');
    if (accepted.length === 0) throw new TotpError('totp.replayed');
  }

  /**
   * Signs in with a recovery code instead of a TOTP code; each works once. Returns how many
   * unused codes remain.
   *
   * The code is found by its keyed hash in SQL rather than compared in constant time: the
   * person typing chooses the code but cannot predict its HMAC without the key, so whatever
   * the timing of the index lookup tells about the stored hashes brings no guess closer.
   */
  async useRecoveryCode(accountId: string, code: string): Promise<number> {
    const normalized = normalizeRecoveryCode(code);
    if (!normalized) throw new TotpError('totp.invalid');
    const used = await this.#knex('recovery_codes')
      .where({ account_id: accountId, code_hash: this.#hash(accountId, normalized) })
      .whereNull('used_at')
      .update({ used_at: this.#clock.now() })
      .returning('id');
    if (used.length === 0) throw new TotpError('totp.invalid');
    const [{ n }] = await this.#knex('recovery_codes').where({ account_id: accountId }).whereNull('used_at').count({ n: '*' });
    return Number(n);
  }

  /** Turns the second factor off: the secret and every recovery code are deleted. */
  readonly remove = totpEnrolledRows.writes(async (accountId: string, trx?: Knex.Transaction): Promise<void> => {
    const write = async (db: Knex.Transaction) => {
      await db('recovery_codes').where({ account_id: accountId }).delete();
      await db('totp_factors').where({ account_id: accountId }).delete();
    };
    await (trx ? write(trx) : this.#knex.transaction(write));
  });
}
