// The operator console's sessions (SPEC R10, R6): an operator can change every account, so a
// console session is short (OPERATOR_SESSION_MINUTES), ends when left alone
// (OPERATOR_IDLE_MINUTES), and is stored under a keyed hash of its cookie: a database dump holds
// no cookie that opens the console. Shared by every node through PostgreSQL.
import { createHmac, randomBytes } from 'node:crypto';
import type { Knex } from '../db/index.ts';
import type { Clock } from '../clock.ts';

export interface OperatorSession {
  accountId: string;
  createdAt: Date;
  /** When the operator last proved who they are (password and second factor). */
  authenticatedAt: Date;
}

const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

export class OperatorSessions {
  readonly #knex: Knex;
  readonly #clock: Clock;
  readonly #key: Buffer;
  readonly #settings: { maxSeconds: number; idleSeconds: number };

  constructor(options: { knex: Knex; clock: Clock; hashKey: Buffer; settings: { maxSeconds: number; idleSeconds: number } }) {
    this.#knex = options.knex;
    this.#clock = options.clock;
    this.#key = options.hashKey;
    this.#settings = options.settings;
  }

  #id(cookie: string): string {
    return createHmac('sha256', this.#key).update(cookie).digest('base64url');
  }

  /** A new session for `accountId`, signed in at `authenticatedAt`; returns the cookie value. */
  async start(accountId: string, authenticatedAt: Date): Promise<string> {
    const cookie = randomBytes(32).toString('base64url');
    const now = this.#clock.now();
    await this.#knex('operator_sessions').insert({
      id: this.#id(cookie),
      account_id: accountId,
      created_at: now,
      authenticated_at: authenticatedAt,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + this.#settings.maxSeconds * 1000),
    });
    return cookie;
  }

  /**
   * The session this cookie opens, marked as used now; undefined when there is none, it has
   * expired, or it was left idle too long. Checking and touching are one statement, so two nodes
   * never both extend a session that had already gone idle.
   */
  async use(cookie: string | undefined): Promise<OperatorSession | undefined> {
    if (!cookie || !COOKIE_VALUE.test(cookie)) return undefined;
    const now = this.#clock.now();
    const [row] = await this.#knex('operator_sessions')
      .where({ id: this.#id(cookie) })
      .where('expires_at', '>', now)
      .where('last_seen_at', '>', new Date(now.getTime() - this.#settings.idleSeconds * 1000))
      .update({ last_seen_at: now })
      .returning(['account_id', 'created_at', 'authenticated_at']);
    if (!row) return undefined;
    return { accountId: row.account_id, createdAt: new Date(row.created_at), authenticatedAt: new Date(row.authenticated_at) };
  }

  /** The operator proved who they are again (before a dangerous action). */
  async reauthenticated(cookie: string, accountId: string, authenticatedAt: Date): Promise<boolean> {
    if (!COOKIE_VALUE.test(cookie)) return false;
    const updated = await this.#knex('operator_sessions').where({ id: this.#id(cookie), account_id: accountId }).update({ authenticated_at: authenticatedAt });
    return updated > 0;
  }

  async end(cookie: string | undefined): Promise<void> {
    if (!cookie || !COOKIE_VALUE.test(cookie)) return;
    await this.#knex('operator_sessions').where({ id: this.#id(cookie) }).delete();
  }

  /** Ends every console session of an account (disabled, roles taken away, password changed). */
  async endAll(accountId: string, db: Knex = this.#knex): Promise<number> {
    return db('operator_sessions').where({ account_id: accountId }).delete();
  }

  /** Removes sessions that can no longer be used. */
  async sweep(): Promise<number> {
    const now = this.#clock.now();
    return this.#knex('operator_sessions')
      .where('expires_at', '<=', now)
      .orWhere('last_seen_at', '<=', new Date(now.getTime() - this.#settings.idleSeconds * 1000))
      .delete();
  }
}
