// Security events (SPEC R12). Callers pass facts, never secrets: no password, code, OTP or
// token ever goes in `details`.
import type { Knex } from '../db/index.ts';

export type AuditEventType =
  | 'signin.succeeded'
  | 'signin.failed'
  | 'logout'
  | 'consent.given'
  | 'consent.denied'
  | 'token.revoked'
  | 'keys.rotated'
  | 'client.created'
  | 'account.created'
  | 'registration.started'
  | 'otp.sent'
  | 'otp.failed'
  | 'account.activated'
  | 'password.reset_requested'
  | 'password.reset'
  | 'password.changed'
  | 'account.locked'
  | 'account.unlocked'
  | 'signin.throttled'
  | 'second_factor.added'
  | 'password.change_required';

export interface AuditEvent {
  type: AuditEventType;
  accountId?: string | null;
  clientId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

export class AuditLog {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async record(event: AuditEvent): Promise<void> {
    await this.#knex('audit_events').insert({
      type: event.type,
      account_id: event.accountId ?? null,
      client_id: event.clientId ?? null,
      ip: event.ip ?? null,
      user_agent: event.userAgent?.slice(0, 512) ?? null,
      details: JSON.stringify(event.details ?? {}),
    });
  }
}
