// Security events (SPEC R12). Callers pass facts, never secrets: no password, code, OTP or
// token ever goes in `details`.
import { batched, prepared, type Knex } from '../db/index.ts';

export type AuditEventType =
  | 'signin.succeeded'
  | 'signin.failed'
  | 'logout'
  | 'consent.given'
  | 'consent.denied'
  | 'consent.withdrawn'
  | 'token.revoked'
  | 'keys.rotated'
  | 'client.created'
  // An integration request sent from the request page, or by a dynamic registration (RFC 7591).
  | 'client.integration_requested'
  | 'client.registration_requested'
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
  | 'password.change_required'
  | 'setup.link_issued'
  | 'setup.admin_created'
  // What an operator did, through the console or the admin API (SPEC R10, R12): the target in
  // account_id or client_id, the operator (or service client) in details.operator/serviceClient.
  | `admin.${string}`;

export interface AuditEvent {
  type: AuditEventType;
  accountId?: string | null;
  clientId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

/** The columns an event fills, with their types: the batch insert binds one array per column. */
const INSERTED = [['type', 'text'], ['account_id', 'uuid'], ['client_id', 'text'], ['ip', 'text'], ['user_agent', 'text'], ['details', 'jsonb']] as const;

function toRow(event: AuditEvent): Record<(typeof INSERTED)[number][0], string | null> {
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
  readonly #insert: (row: ReturnType<typeof toRow>) => Promise<void>;

  constructor(knex: Knex) {
    this.#insert = batched<ReturnType<typeof toRow>, void>(async (rows) => {
      // One statement text whatever the number of events (db/batch.ts `prepared`), in the order they were recorded.
      await knex.raw(
        `INSERT INTO audit_events (${INSERTED.map(([column]) => column).join(', ')})
         SELECT ${INSERTED.map(([column]) => `e.${column}`).join(', ')}
         FROM unnest(${INSERTED.map(([, type]) => `CAST(? AS ${type}[])`).join(', ')}) WITH ORDINALITY AS e (${INSERTED.map(([column]) => column).join(', ')}, position)
         ORDER BY e.position`,
        // A null element is SQL NULL (knex's types know no such array).
        INSERTED.map(([column]) => rows.map((row) => row[column]) as string[]),
      ).options(prepared('audit_insert'));
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
