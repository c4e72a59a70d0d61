// Brute-force protection (SPEC R6; Hue-S Art. 18): failed sign-ins are counted per account,
// per IP address and per identifier from one IP address. Each count locks its key for a
// while once it reaches its limit; before that, answers slow down progressively. Counts
// live in PostgreSQL, so attempts spread over several nodes add up.
//
// A typed identifier that matches no account is counted under the identifier itself with
// the same limits, so an attacker sees the same slow-down and the same lock either way: a
// lock never tells whether the account exists.
import { forgetRows, prepared, takeRow, type Knex } from '../db/index.ts';
import type { Clock } from '../clock.ts';

export interface LockoutSettings {
  /** Failures of one account (or one unknown identifier) before it is locked. */
  accountMaxFailures: number;
  accountLockSeconds: number;
  /** The window in which failures add up. */
  windowSeconds: number;
  /** Failures of one identifier from one IP address before that pair is locked. */
  identifierIpMaxFailures: number;
  /** Failures from one IP address, any identifiers, before the address is locked. */
  ipMaxFailures: number;
  ipLockSeconds: number;
}

export type ThrottleKey = `account:${string}` | `identifier:${string}` | `identifier-ip:${string}` | `ip:${string}`;

export interface FailureOutcome {
  /** Failures so far in the window for the account (or unknown identifier). */
  failures: number;
  /** Set when this failure locked the account (or unknown identifier). */
  lockedNow: boolean;
  lockedUntil: Date | null;
}

export class SignInLockout {
  readonly #knex: Knex;
  readonly #clock: Clock;
  readonly #settings: LockoutSettings;

  constructor(knex: Knex, clock: Clock, settings: LockoutSettings) {
    this.#knex = knex;
    this.#clock = clock;
    this.#settings = settings;
  }

  get settings(): LockoutSettings {
    return this.#settings;
  }

  /** The latest lock among `keys` still in force, if any. */
  async lockedUntil(keys: ThrottleKey[]): Promise<Date | null> {
    return (await this.standing(keys, [])).lockedUntil;
  }

  /**
   * Before a password is checked, in one statement: the latest lock among `keys` still in
   * force, and whether any of `clearable` has failures that a success would clear.
   */
  async standing(keys: ThrottleKey[], clearable: ThrottleKey[]): Promise<{ lockedUntil: Date | null; failuresRecorded: boolean }> {
    const now = this.#clock.now();
    const wanted = [...new Set([...keys, ...clearable])];
    // Read ahead with the account at sign-in (accounts/store.ts), when every key was.
    const read = wanted.map((key) => takeRow<{ lockedUntil: Date | string | null }>('Throttle', key));
    const rows: Array<{ key: string; locked_until: Date | string | null }> = read.every(Boolean)
      ? wanted.flatMap((key, index) => (read[index]!.row ? [{ key, locked_until: read[index]!.row!.lockedUntil }] : []))
      : await this.#knex('sign_in_throttles').select('key', 'locked_until').whereIn('key', wanted).options(prepared(`throttles_standing_${wanted.length}`));
    let lockedUntil: Date | null = null;
    for (const row of rows) {
      const until = row.locked_until ? new Date(row.locked_until) : null;
      if (keys.includes(row.key as ThrottleKey) && until && until > now && (!lockedUntil || until > lockedUntil)) lockedUntil = until;
    }
    return { lockedUntil, failuresRecorded: rows.some((row) => clearable.includes(row.key as ThrottleKey)) };
  }

  /** Failures in the current window for `key` (for the progressive delay). */
  async failures(key: ThrottleKey): Promise<number> {
    const windowStart = new Date(this.#clock.now().getTime() - this.#settings.windowSeconds * 1000);
    const row = await this.#knex('sign_in_throttles').select('failures').where({ key }).where('window_started_at', '>', windowStart).first();
    return row ? Number(row.failures) : 0;
  }

  /** Counts one failure under `key`; locks it for `lockSeconds` when it reaches `max`. */
  async #count(key: ThrottleKey, max: number, lockSeconds: number): Promise<{ failures: number; lockedUntil: Date | null; lockedNow: boolean }> {
    forgetRows('Throttle');
    const now = this.#clock.now();
    const windowStart = new Date(now.getTime() - this.#settings.windowSeconds * 1000);
    const lockUntil = new Date(now.getTime() + lockSeconds * 1000);
    // One statement, so concurrent failures on several nodes are all counted.
    const { rows } = (await this.#knex.raw(
      `INSERT INTO sign_in_throttles AS t (key, failures, window_started_at, locked_until)
       VALUES (:key, 1, :now, CASE WHEN 1 >= :max THEN CAST(:lockUntil AS timestamptz) END)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.window_started_at <= :windowStart THEN 1 ELSE t.failures + 1 END,
         window_started_at = CASE WHEN t.window_started_at <= :windowStart THEN :now ELSE t.window_started_at END,
         locked_until = CASE
           WHEN (CASE WHEN t.window_started_at <= :windowStart THEN 1 ELSE t.failures + 1 END) >= :max
             AND (t.locked_until IS NULL OR t.locked_until <= :now) THEN CAST(:lockUntil AS timestamptz)
           ELSE t.locked_until END
       RETURNING failures, locked_until`,
      { key, now, max, lockUntil, windowStart },
    )) as { rows: Array<{ failures: number; locked_until: Date | null }> };
    const [row] = rows;
    const failures = Number(row.failures);
    // The failure that reaches the limit is the one that locks (and is announced once).
    return { failures, lockedUntil: row.locked_until ? new Date(row.locked_until) : null, lockedNow: failures === max };
  }

  async recordFailure(input: { subject: ThrottleKey; identifierIp: ThrottleKey; ip: ThrottleKey }): Promise<FailureOutcome> {
    const s = this.#settings;
    const [subject] = await Promise.all([
      this.#count(input.subject, s.accountMaxFailures, s.accountLockSeconds),
      this.#count(input.identifierIp, s.identifierIpMaxFailures, s.accountLockSeconds),
      this.#count(input.ip, s.ipMaxFailures, s.ipLockSeconds),
    ]);
    return { failures: subject.failures, lockedNow: subject.lockedNow, lockedUntil: subject.lockedUntil };
  }

  /** A successful sign-in clears the account's and the identifier's counts (not the IP's). */
  async recordSuccess(keys: ThrottleKey[]): Promise<void> {
    forgetRows('Throttle');
    await this.#knex('sign_in_throttles').whereIn('key', keys).delete();
  }

  /** Operator unlock: clears the account's lock and count. */
  async unlock(accountId: string): Promise<boolean> {
    forgetRows('Throttle');
    const removed = await this.#knex('sign_in_throttles').where({ key: `account:${accountId}` }).delete().returning('key');
    return removed.length > 0;
  }

  /**
   * Seconds to hold a failed answer back: nothing for the first two failures, then 1, 2,
   * 4… seconds, capped, so guessing slows down well before the lock.
   */
  delayAfter(failures: number): number {
    if (failures < 3) return 0;
    return Math.min(2 ** (failures - 3), 8);
  }

  async sweep(): Promise<number> {
    const now = this.#clock.now();
    const windowStart = new Date(now.getTime() - this.#settings.windowSeconds * 1000);
    const removed = await this.#knex('sign_in_throttles')
      .where('window_started_at', '<=', windowStart)
      .where((where) => where.whereNull('locked_until').orWhere('locked_until', '<=', now))
      .delete()
      .returning('key');
    return removed.length;
  }
}
