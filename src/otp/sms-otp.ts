// SMS one-time codes: 6 digits, short-lived, single use, a bounded number of tries, sent at
// a bounded rate per phone (for each purpose apart) and per IP address. Stored only as a
// keyed hash and compared in constant time; never logged. Every rule holds across nodes:
// state and counters are in PostgreSQL, and the two steps that must not race (counting
// sends, consuming a code) are single statements or run under a lock.
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { lockQuotaKeys, type Knex } from '../db/index.ts';
import type { Clock } from '../clock.ts';
import { t, type Locale } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import type { Sealer } from '../secrets/index.ts';
import type { SmsSender } from '../sms/index.ts';

export interface OtpSettings {
  ttlSeconds: number;
  maxAttempts: number;
  resendAfterSeconds: number;
  /** Per phone, per purpose, from one IP address. */
  maxPerPhonePerHour: number;
  /** Per phone, per purpose, from all addresses together. */
  maxPerPhoneAllAddressesPerHour: number;
  maxPerIpPerHour: number;
}

export type OtpPurpose = 'registration' | 'password_reset' | 'sign_in';

export type OtpErrorCode = 'otp.invalid' | 'otp.expired' | 'otp.too_many_attempts' | 'otp.resend_too_soon' | 'otp.rate_limited';

export class OtpError extends Error {
  readonly code: OtpErrorCode;
  readonly params: Record<string, number>;
  constructor(code: OtpErrorCode, params: Record<string, number> = {}) {
    super(code);
    this.name = 'OtpError';
    this.code = code;
    this.params = params;
  }
}

const PHONE_PURPOSE = 'otp.phone';
const HOUR_MS = 3600_000;

interface ChallengeRow {
  id: string;
  purpose: OtpPurpose;
  subject: string | null;
  phone_enc: string | null;
  code_hash: string | null;
  attempts: number;
  max_attempts: number;
  expires_at: Date;
  last_sent_at: Date | null;
  consumed_at: Date | null;
  completed_at: Date | null;
  request_key: string | null;
}

export interface Challenge {
  id: string;
  purpose: OtpPurpose;
  subject: string | null;
  /** E.164; null for a decoy challenge (see `startDecoy`). */
  phone: string | null;
  expiresAt: Date;
  lastSentAt: Date | null;
  consumedAt: Date | null;
  completedAt: Date | null;
  /**
   * For a password reset: the key of the identifier typed. Its sends are counted under it
   * and go out after the answer, so the answers are the same for an account and for none.
   */
  requestKey: string | null;
}

/** One SMS (or one reset request) counted against the hourly limits. */
interface SendRecord {
  /** The phone's lookup key, or a reset request's `requestKey`. */
  key: string;
  purpose: OtpPurpose;
  /** null for a code sent after its answer: the request that asked for it was counted. */
  ip: string | null;
  /** Whether the limit per phone from all addresses applies (phones only). */
  allAddresses: boolean;
}

/**
 * What the SMS says, worded in the catalogues (`sms.otp.*`) beside the pages' messages; in
 * Vietnamese unless a language is given (SPEC §6), kept without diacritics so it fits one
 * GSM-7 message on any phone.
 */
export function otpMessage(purpose: OtpPurpose, code: string, ttlMinutes: number, locale: Locale = 'vi'): string {
  return t(locale, `sms.otp.${purpose}`, { code, minutes: ttlMinutes });
}

export class SmsOtp {
  readonly #knex: Knex;
  readonly #sealer: Sealer;
  readonly #sms: SmsSender;
  readonly #clock: Clock;
  readonly #settings: OtpSettings;
  readonly #hashKey: Buffer;
  readonly #logger: Logger;
  /** Codes being sent after their answer; shutdown waits for them (`settled`). */
  readonly #deliveries = new Set<Promise<void>>();

  constructor(deps: { knex: Knex; sealer: Sealer; sms: SmsSender; clock: Clock; settings: OtpSettings; hashKey: Buffer; logger: Logger }) {
    this.#knex = deps.knex;
    this.#sealer = deps.sealer;
    this.#sms = deps.sms;
    this.#clock = deps.clock;
    this.#settings = deps.settings;
    this.#hashKey = deps.hashKey;
    this.#logger = deps.logger;
  }

  get settings(): OtpSettings {
    return this.#settings;
  }

  #hash(challengeId: string, code: string): string {
    return createHmac('sha256', this.#hashKey).update(`${challengeId}:${code}`).digest('base64url');
  }

  #toChallenge(row: ChallengeRow): Challenge {
    return {
      id: row.id,
      purpose: row.purpose,
      subject: row.subject,
      phone: row.phone_enc ? this.#sealer.open(row.phone_enc, PHONE_PURPOSE) : null,
      expiresAt: new Date(row.expires_at),
      lastSentAt: row.last_sent_at ? new Date(row.last_sent_at) : null,
      consumedAt: row.consumed_at ? new Date(row.consumed_at) : null,
      completedAt: row.completed_at ? new Date(row.completed_at) : null,
      requestKey: row.request_key,
    };
  }

  async find(id: string): Promise<Challenge | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const row = await this.#knex('otp_challenges').where({ id }).first();
    return row ? this.#toChallenge(row) : undefined;
  }

  /** The key a reset request typed as `identifier` (already normalized) is counted under. */
  #requestKey(purpose: OtpPurpose, identifier: string): string {
    return this.#sealer.lookup(`request:${purpose}:${identifier}`, PHONE_PURPOSE);
  }

  /**
   * A challenge for `subject`, bound to `phone` (E.164); its codes are sent by `send`.
   * `requestedAs`: the normalized identifier a password reset was asked for (see `requestKey`).
   */
  async create(input: { purpose: OtpPurpose; subject: string; phone: string; requestedAs?: string }): Promise<Challenge> {
    const now = this.#clock.now();
    const id = randomUUID();
    await this.#knex('otp_challenges').insert({
      id,
      purpose: input.purpose,
      subject: input.subject,
      phone_enc: this.#sealer.seal(input.phone, PHONE_PURPOSE),
      max_attempts: this.#settings.maxAttempts,
      created_at: now,
      expires_at: now,
      request_key: input.requestedAs === undefined ? null : this.#requestKey(input.purpose, input.requestedAs),
    });
    return (await this.find(id))!;
  }

  /**
   * A challenge that can never be answered, for a password reset whose identifier matches
   * no account: the person sees the same next page either way (no account enumeration).
   * Counted under the same key as an account's would be for the same identifier typed.
   */
  async createDecoy(purpose: OtpPurpose, requestedAs: string): Promise<Challenge> {
    const now = this.#clock.now();
    const id = randomUUID();
    await this.#knex('otp_challenges').insert({
      id, purpose, max_attempts: this.#settings.maxAttempts, created_at: now, expires_at: now, request_key: this.#requestKey(purpose, requestedAs),
    });
    return (await this.find(id))!;
  }

  /**
   * Sends a new code for the challenge (the first one, or a resend once the delay has
   * passed). A new code replaces the old one and resets the tries.
   *
   * A reset challenge (`requestKey`) is counted under the identifier typed and its code
   * goes out after this returns, so the answer waits for no SMS gateway and its limits
   * depend on nothing but what was typed and from where (SPEC §6: no message reveals
   * whether an account exists); a decoy is counted the same way and sends nothing.
   */
  async send(challenge: Challenge, ip: string): Promise<void> {
    const now = this.#clock.now();
    if (challenge.consumedAt) throw new OtpError('otp.expired');
    if (challenge.lastSentAt) {
      const wait = Math.ceil((challenge.lastSentAt.getTime() + this.#settings.resendAfterSeconds * 1000 - now.getTime()) / 1000);
      if (wait > 0) throw new OtpError('otp.resend_too_soon', { seconds: wait });
    }
    if (challenge.requestKey) {
      await this.#countSend({ key: challenge.requestKey, purpose: challenge.purpose, ip, allAddresses: false }, async (trx) => {
        await trx('otp_challenges').where({ id: challenge.id }).update({ last_sent_at: now, expires_at: new Date(now.getTime() + this.#settings.ttlSeconds * 1000) });
      });
      if (challenge.phone) this.#deliverAfterAnswer(challenge);
      return;
    }
    if (!challenge.phone) throw new OtpError('otp.expired');
    await this.#deliver(challenge.id, challenge.purpose, challenge.phone, ip);
  }

  /** Waits for the codes still being sent after their answer (graceful shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.#deliveries]);
  }

  #deliverAfterAnswer(challenge: Challenge): void {
    const delivery = this.#deliver(challenge.id, challenge.purpose, challenge.phone!, null).catch((error: unknown) => {
      // The person was answered already: a code that did not go out is logged (never its
      // phone or code), not lost silently. They may ask again once the resend delay passed.
      this.#logger.warn({ challenge: challenge.id, purpose: challenge.purpose, reason: error instanceof OtpError ? error.code : (error as Error).message }, 'SMS code not sent after its answer');
    });
    this.#deliveries.add(delivery);
    void delivery.finally(() => this.#deliveries.delete(delivery));
  }

  /**
   * Counts one SMS against the hourly limits and runs `then` in the same transaction;
   * refuses when a limit is reached: the key for this purpose from this address, the key
   * for this purpose from all addresses (phones), this address for all purposes. Purposes
   * are counted apart: reset requests cannot use up a person's sign-in codes.
   * Serialized per key and per address across nodes, so no two requests both pass a limit.
   * Returns the send record's id.
   */
  async #countSend(record: SendRecord, then: (trx: Knex.Transaction) => Promise<void>): Promise<number> {
    const now = this.#clock.now();
    const hourAgo = new Date(now.getTime() - HOUR_MS);
    return this.#knex.transaction(async (trx) => {
      await lockQuotaKeys(trx, [`sms:${record.key}`, ...(record.ip === null ? [] : [`sms-ip:${record.ip}`])]);
      const count = async (where: Record<string, string>) => Number((await trx('sms_sends').where(where).where('sent_at', '>', hourAgo).count({ n: '*' }))[0].n);
      const { key, purpose, ip } = record;
      if (
        (ip !== null && (await count({ phone_hmac: key, purpose, ip })) >= this.#settings.maxPerPhonePerHour) ||
        (record.allAddresses && (await count({ phone_hmac: key, purpose })) >= this.#settings.maxPerPhoneAllAddressesPerHour) ||
        (ip !== null && (await count({ ip })) >= this.#settings.maxPerIpPerHour)
      ) {
        throw new OtpError('otp.rate_limited');
      }
      const [row] = await trx('sms_sends').insert({ phone_hmac: key, purpose, ip, sent_at: now }).returning('id');
      await then(trx);
      return (row as { id: number }).id;
    });
  }

  async #deliver(challengeId: string, purpose: OtpPurpose, phone: string, ip: string | null): Promise<void> {
    const now = this.#clock.now();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const sendId = await this.#countSend({ key: this.#sealer.lookup(phone, PHONE_PURPOSE), purpose, ip, allAddresses: true }, async (trx) => {
      await trx('otp_challenges').where({ id: challengeId }).update({
        code_hash: this.#hash(challengeId, code),
        attempts: 0,
        expires_at: new Date(now.getTime() + this.#settings.ttlSeconds * 1000),
        last_sent_at: now,
      });
    });
    try {
      await this.#sms.send({ to: phone, body: otpMessage(purpose, code, Math.round(this.#settings.ttlSeconds / 60)) });
    } catch (error) {
      // Not delivered: it does not count against the limits and may be retried at once
      // (after its answer, the resend delay stays as for a decoy, which tells nothing).
      await this.#knex('sms_sends').where({ id: sendId }).delete();
      await this.#knex('otp_challenges').where({ id: challengeId }).update(ip === null ? { code_hash: null } : { code_hash: null, last_sent_at: null });
      throw error;
    }
  }

  /**
   * Checks a typed code. Each try is counted before the comparison (one atomic UPDATE), and
   * a right code is consumed by a second atomic UPDATE, so a code works once on any node.
   * With `then`, the code is consumed in a transaction that `then` writes in too: either
   * the code is used up and everything `then` wrote is there, or neither (SPEC §5: nothing lost).
   */
  async verify<T = void>(challenge: Pick<Challenge, 'id' | 'purpose' | 'subject'>, code: string, then?: (trx: Knex.Transaction) => Promise<T>): Promise<T | undefined> {
    const now = this.#clock.now();
    const [row] = (await this.#knex('otp_challenges')
      .where({ id: challenge.id, purpose: challenge.purpose })
      .whereNull('consumed_at')
      .increment('attempts', 1)
      .returning(['code_hash', 'attempts', 'max_attempts', 'expires_at', 'subject'])) as ChallengeRow[];
    if (!row || row.subject !== challenge.subject) throw new OtpError('otp.expired');
    if (new Date(row.expires_at) <= now) throw new OtpError('otp.expired');
    if (row.attempts > row.max_attempts) throw new OtpError('otp.too_many_attempts');
    // A challenge without a code (a decoy, or an SMS that failed) answers exactly like a
    // wrong code, so the replies never tell an account from no account.
    const actual = Buffer.from(this.#hash(challenge.id, /^\d{6}$/.test(code) ? code : '-'));
    const expected = row.code_hash ? Buffer.from(row.code_hash) : Buffer.alloc(actual.length);
    if (!row.code_hash || expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      const remaining = row.max_attempts - row.attempts;
      if (remaining <= 0) throw new OtpError('otp.too_many_attempts');
      throw new OtpError('otp.invalid', { remaining });
    }
    const consume = async (db: Knex): Promise<T | undefined> => {
      const consumed = await db('otp_challenges').where({ id: challenge.id }).whereNull('consumed_at').update({ consumed_at: now }).returning('id');
      if (consumed.length === 0) throw new OtpError('otp.expired');
      return then ? then(db as Knex.Transaction) : undefined;
    };
    return then ? this.#knex.transaction(consume) : consume(this.#knex);
  }

  /** Marks the step that followed a verified code as done, once (e.g. the new password set). */
  async complete(challengeId: string, trx: Knex = this.#knex): Promise<boolean> {
    const done = await trx('otp_challenges')
      .where({ id: challengeId })
      .whereNotNull('consumed_at')
      .whereNull('completed_at')
      .update({ completed_at: this.#clock.now() })
      .returning('id');
    return done.length === 1;
  }
}

/** Removes challenges and send records older than any limit or lifetime that reads them. */
/**
 * Forgets the codes sent to the account and the sends counted under its phone or its reset
 * requests' keys (the account's erasure on the person's request), in `trx`. The hourly limits
 * of that phone start again: a small price for keeping no trace of the number.
 */
export async function forgetOtpSubject(trx: Knex.Transaction, sealer: Sealer, accountId: string, phone: string | null): Promise<void> {
  const challenges: Array<{ request_key: string | null }> = await trx('otp_challenges').where({ subject: accountId }).delete().returning('request_key');
  const keys = [...new Set(challenges.flatMap((row) => (row.request_key ? [row.request_key] : [])))];
  if (phone) keys.push(sealer.lookup(phone, PHONE_PURPOSE));
  if (keys.length) await trx('sms_sends').whereIn('phone_hmac', keys).delete();
}

export async function sweepOtpRecords(knex: Knex, clock: Clock): Promise<number> {
  const dayAgo = new Date(clock.now().getTime() - 24 * HOUR_MS);
  const challenges = await knex('otp_challenges').where('expires_at', '<', dayAgo).delete().returning('id');
  const sends = await knex('sms_sends').where('sent_at', '<', dayAgo).delete().returning('id');
  return challenges.length + sends.length;
}
