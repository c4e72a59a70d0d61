// Brute-force protection (SPEC R6; Hue-S Art. 18): guesses are counted per account, per
// identifier, per identifier from one IP address and per IP address; each count locks its
// key for a while once it reaches its limit, and before that answers slow down. Counts live
// in PostgreSQL, so attempts spread over several nodes add up.
//
// An attempt is counted *before* its secret is checked (SPEC R6): one statement
// increments every key of the attempt and returns the new counts, and only an attempt within
// every limit is checked at all. Concurrent guesses, on one node or several, each get their
// own count from PostgreSQL's row lock, so no more than the limit are ever checked per window
// whatever the concurrency; a right secret then clears what it proves (`clear`). Checking
// first and counting after let every guess in flight pass the check.
//
// Keys, and who reads them:
// - `identifier:<hmac>`: passwords tried on one parsed identifier (a personal number, a tax
//   code, a phone in E.164, a username), whether or not an account has it. Every spelling of
//   one identifier counts under one key, and a password attempt's keys are made from the
//   typed text alone (accounts/sign-in.ts), so an unknown identifier slows down and locks at
//   the same count as an account's, also when several kinds are mixed: a lock never tells
//   whether the account exists (SPEC §6). An account with a personal number, a phone and a
//   username can so be tried at most three times the limit per window, one limit per
//   identifier; a per-account count would lock earlier than any unknown identifier can, and
//   tell the two apart.
// - `identifier-ip:<hmac>:<ip>`: passwords tried on one parsed identifier from one address,
//   account or none.
// - `ip:<ip>`: passwords tried from one address, any identifier.
// - `second-factor:<id>`: authenticator, recovery and SMS codes tried on an account; counted
//   apart from passwords and cleared only by a right second factor, so a
//   right password never buys more code guesses.
import { prepared, type Knex } from '../db/index.ts';
import type { Clock } from '../clock.ts';

export interface LockoutSettings {
  /** Guesses on one account (or one identifier, or one account's second factor) before it is locked. */
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

export type ThrottleKey = `second-factor:${string}` | `identifier:${string}` | `identifier-ip:${string}` | `ip:${string}`;

/** A key's count after an attempt was counted under it. */
export interface CountedKey {
  key: string;
  failures: number;
  lockedUntil: Date | null;
}

/** What counting an attempt decided, before its secret is checked. */
export interface Attempt {
  /** False: a key is locked (or this attempt is past a limit); the secret must not be checked. */
  allowed: boolean;
  /** Failures so far, this attempt included, of the account or identifier (for the delay). */
  failures: number;
  /** Set when this attempt brought the account, identifier or second factor to its limit: wrong, it is now locked. */
  locksIfWrong: boolean;
  /** The latest lock among the attempt's keys (set by this attempt, or still in force). */
  lockedUntil: Date | null;
}

/** An attempt's counting, to run as part of another statement (the sign-in look-up). */
export interface CountingSql {
  /** CTEs `throttle_limits` and `counted`, reading the keys from a relation `attempt(key)`. */
  ctes: string;
  bindings: Array<number | Date>;
  /** The counts of `counted` as one JSON value, for the statement's answer; `countedOf` reads it back. */
  countedJson: string;
}

/** The counts `CountingSql#countedJson` gave. */
export function countedOf(json: unknown): CountedKey[] {
  return ((json ?? []) as Array<[string, number, string | null]>).map(([key, failures, lockedUntil]) => countedKey({ key, failures, locked_until: lockedUntil }));
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

  #limitOf(key: string): number {
    const s = this.#settings;
    if (key.startsWith('ip:')) return s.ipMaxFailures;
    if (key.startsWith('identifier-ip:')) return s.identifierIpMaxFailures;
    return s.accountMaxFailures;
  }

  /**
   * The SQL that counts one attempt under each key of `attempt(key)`. Every attempt counts,
   * a refused one too, so hammering a locked key costs the address its own count. A count
   * starts again when its window has passed or its lock has ended; a key is locked for its
   * lock time by the attempt that brings it to its limit. Rows are taken in key order, so
   * concurrent attempts sharing keys never deadlock.
   */
  counting(): CountingSql {
    const s = this.#settings;
    const now = this.#clock.now();
    const limit = (column: string) =>
      `CASE WHEN starts_with(${column}, 'ip:') THEN (SELECT ip_max FROM throttle_limits)
            WHEN starts_with(${column}, 'identifier-ip:') THEN (SELECT pair_max FROM throttle_limits)
            ELSE (SELECT account_max FROM throttle_limits) END`;
    const lockUntil = (column: string) =>
      `(SELECT now FROM throttle_limits) + make_interval(secs => CASE WHEN starts_with(${column}, 'ip:') THEN (SELECT ip_lock FROM throttle_limits) ELSE (SELECT account_lock FROM throttle_limits) END)`;
    const restarts = `((t.locked_until IS NULL OR t.locked_until <= (SELECT now FROM throttle_limits))
                       AND (t.window_started_at <= (SELECT window_start FROM throttle_limits) OR t.locked_until IS NOT NULL))`;
    const next = `CASE WHEN ${restarts} THEN 1 ELSE t.failures + 1 END`;
    return {
      ctes: `throttle_limits AS (
         SELECT CAST(? AS integer) AS account_max, CAST(? AS integer) AS pair_max, CAST(? AS integer) AS ip_max,
                CAST(? AS integer) AS account_lock, CAST(? AS integer) AS ip_lock,
                CAST(? AS timestamptz) AS now, CAST(? AS timestamptz) AS window_start
       ), counted AS (
         INSERT INTO sign_in_throttles AS t (key, failures, window_started_at, locked_until)
         SELECT a.key, 1, (SELECT now FROM throttle_limits), CASE WHEN 1 >= ${limit('a.key')} THEN ${lockUntil('a.key')} END
         FROM attempt a ORDER BY a.key
         ON CONFLICT (key) DO UPDATE SET
           failures = ${next},
           window_started_at = CASE WHEN ${restarts} THEN (SELECT now FROM throttle_limits) ELSE t.window_started_at END,
           locked_until = CASE WHEN ${restarts} THEN (CASE WHEN 1 >= ${limit('t.key')} THEN ${lockUntil('t.key')} END)
                               WHEN t.locked_until IS NULL AND t.failures + 1 >= ${limit('t.key')} THEN ${lockUntil('t.key')}
                               ELSE t.locked_until END
         RETURNING t.key, t.failures, t.locked_until
       )`,
      bindings: [
        s.accountMaxFailures, s.identifierIpMaxFailures, s.ipMaxFailures, s.accountLockSeconds, s.ipLockSeconds,
        now, new Date(now.getTime() - s.windowSeconds * 1000),
      ],
      countedJson: `(SELECT coalesce(jsonb_agg(jsonb_build_array(c.key, c.failures, c.locked_until)), '[]') FROM counted c)`,
    };
  }

  /** What the counts returned by `counting()` decide for the attempt. */
  judge(counted: CountedKey[]): Attempt {
    const now = this.#clock.now();
    let allowed = counted.length > 0;
    let failures = 0;
    let locksIfWrong = false;
    let lockedUntil: Date | null = null;
    for (const { key, failures: count, lockedUntil: until } of counted) {
      const limit = this.#limitOf(key);
      // Past the limit means the key was locked before this attempt (a count restarts when a
      // lock ends), so a locked key refuses even the right secret.
      if (count > limit) allowed = false;
      // The account, identifier or second factor: what a lock is announced for, and what the delay follows.
      if (!key.startsWith('ip:') && !key.startsWith('identifier-ip:')) {
        failures = Math.max(failures, count);
        if (count === limit) locksIfWrong = true;
      }
      if (until && until > now && (!lockedUntil || until > lockedUntil)) lockedUntil = until;
    }
    return { allowed, failures, locksIfWrong, lockedUntil };
  }

  /** Counts one attempt under `keys`, in one statement, before its secret is checked. */
  async reserve(keys: ThrottleKey[]): Promise<Attempt> {
    const counting = this.counting();
    const unique = [...new Set(keys)];
    const { rows } = (await this.#knex.raw(
      `WITH attempt AS (SELECT v.key FROM unnest(CAST(? AS text[])) AS v(key)), ${counting.ctes}
       SELECT key, failures, locked_until FROM counted`,
      [unique, ...counting.bindings],
    ).options(prepared('throttles_reserve'))) as { rows: Array<{ key: string; failures: number; locked_until: Date | string | null }> };
    return this.judge(rows.map(countedKey));
  }

  /**
   * A right secret clears the counts it proves (`cleared`: the account's, the identifier's);
   * an address only gets back the one attempt it was counted (`refunded`), and loses its lock
   * if that attempt was what reached the limit.
   */
  async clear(input: { cleared: ThrottleKey[]; refunded?: ThrottleKey }): Promise<void> {
    const refunded = input.refunded ?? null;
    const keys = [...new Set([...input.cleared, ...(refunded ? [refunded] : [])])];
    const limits = this.#settings;
    // One statement that locks its rows in key order, as the counting does, so a clear and
    // a count of the same account at the same moment cannot deadlock.
    await this.#knex.raw(
      `WITH taken AS (SELECT key FROM sign_in_throttles WHERE key = ANY (CAST(? AS text[])) ORDER BY key FOR UPDATE)
       UPDATE sign_in_throttles AS t SET
         failures = CASE WHEN t.key = ? THEN greatest(t.failures - 1, 0) ELSE 0 END,
         locked_until = CASE WHEN t.key = ? AND t.failures - 1 >= ? THEN t.locked_until ELSE NULL END
       FROM taken WHERE t.key = taken.key`,
      [keys, refunded ?? '', refunded ?? '', limits.ipMaxFailures],
    ).options(prepared('throttles_clear'));
  }

  /**
   * Operator unlock: clears the counts and locks of the account's identifiers
   * (`identifierKeys`: accountThrottleKeys), from every address, and of its second factor.
   */
  async unlock(accountId: string, identifierKeys: ThrottleKey[], db: Knex = this.#knex): Promise<boolean> {
    const removed = await db('sign_in_throttles').where((where) => this.#ofAccount(where, accountId, identifierKeys)).delete().returning('key');
    return removed.length > 0;
  }

  /**
   * When the lock in force on any of the account's keys (`unlock`'s) ends; null when none is
   * locked. What an operator sees before lifting it.
   */
  async lockedUntil(accountId: string, identifierKeys: ThrottleKey[]): Promise<Date | null> {
    const row = await this.#knex('sign_in_throttles')
      .where((where) => this.#ofAccount(where, accountId, identifierKeys))
      .where('locked_until', '>', this.#clock.now())
      .max({ until: 'locked_until' })
      .first();
    return row?.until ? new Date(row.until) : null;
  }

  /** The account's identifiers' keys, from every address, and its second factor's. */
  #ofAccount(where: Knex.QueryBuilder, accountId: string, identifierKeys: ThrottleKey[]): void {
    where.whereIn('key', [...identifierKeys, `second-factor:${accountId}`]);
    for (const key of identifierKeys) where.orWhereRaw('starts_with(key, ?)', [`identifier-ip:${key.slice('identifier:'.length)}:`]);
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

export function countedKey(row: { key: string; failures: number | string; locked_until: Date | string | null }): CountedKey {
  return { key: row.key, failures: Number(row.failures), lockedUntil: row.locked_until ? new Date(row.locked_until) : null };
}
