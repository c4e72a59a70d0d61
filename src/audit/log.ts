// Security events (SPEC R12). Callers pass facts, never secrets: no password, code, OTP or
// token ever goes in `details`.
import { batched, prepared, type Knex } from '../db/index.ts';

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

function toRow(event: AuditEvent): Record<string, unknown> {
  return {
    type: event.type,
    account_id: event.accountId ?? null,
    client_id: event.clientId ?? null,
    ip: event.ip ?? null,
    user_agent: event.userAgent?.slice(0, 512) ?? null,
    details: JSON.stringify(event.details ?? {}),
  };
}

export class AuditLog {
  /** Events of one event-loop turn go in as one insert; each caller still waits for it. */
  readonly #insert: (row: Record<string, unknown>) => Promise<void>;

  constructor(knex: Knex) {
    this.#insert = batched(async (rows) => {
      await knex('audit_events').insert(rows).options(prepared(`audit_insert_${rows.length}`));
      return rows.map(() => undefined);
    });
  }

  async record(event: AuditEvent): Promise<void> {
    await this.#insert(toRow(event));
  }

  /** The event as part of `trx`: it is recorded if and only if what it reports is (SPEC §5: nothing lost). */
  async recordIn(trx: Knex.Transaction, event: AuditEvent): Promise<void> {
    await trx('audit_events').insert(toRow(event));
  }
}
