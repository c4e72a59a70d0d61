// What a sign-in has proven so far, between its steps (password, second factor, password
// change), carried by the browser in a signed, short-lived ticket bound to one interaction.
// Nothing in it is secret; the signature keeps it from being forged or moved elsewhere.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Ticket {
  /** Account signed in with its password. */
  accountId: string;
  /** The interaction this sign-in belongs to. */
  uid: string;
  /** The one step (page) this ticket was issued for: a ticket never opens another step. */
  step: string;
  /** Authentication methods proven so far (RFC 8176 values). */
  amr: string[];
  /** A second factor is done (or was not needed). */
  secondFactor: boolean;
  /** The password expiry warning was shown and the person chose to go on. */
  warned: boolean;
  /** The SMS challenge of a step-up, when one is under way. */
  challengeId?: string;
  expiresAt: number;
}

const LIFETIME_MS = 10 * 60_000;

export class TicketSigner {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  #mac(body: string): Buffer {
    return createHmac('sha256', this.#key).update(body).digest();
  }

  issue(ticket: Omit<Ticket, 'expiresAt'>, now: Date): string {
    const body = Buffer.from(JSON.stringify({ ...ticket, expiresAt: now.getTime() + LIFETIME_MS })).toString('base64url');
    return `${body}.${this.#mac(body).toString('base64url')}`;
  }

  /** The ticket, if it is genuine, unexpired and for this interaction. */
  read(value: unknown, uid: string, now: Date): Ticket | undefined {
    if (typeof value !== 'string' || value.length > 4096) return undefined;
    const [body, mac] = value.split('.');
    if (!body || !mac) return undefined;
    const expected = this.#mac(body);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const ticket = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Ticket;
      return ticket.uid === uid && ticket.expiresAt > now.getTime() ? ticket : undefined;
    } catch {
      return undefined;
    }
  }
}
