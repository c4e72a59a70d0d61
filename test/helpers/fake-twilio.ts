// A local stand-in for Twilio's REST API, as far as sending a message goes, so the real
// `twilio` SDK can be driven end to end: POST /2010-04-01/Accounts/{AccountSid}/Messages.json
// with HTTP Basic auth and a form-encoded body, answered the way Twilio documents it
// (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource,
// https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions).
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  accountSid: string;
  to: string;
  from: string | undefined;
  messagingServiceSid: string | undefined;
  body: string;
}

/**
 * `invalid-to`: 400, error 21211. `internal-error`: 500, error 20500. `unavailable`: 503,
 * error 20503. `hang`: the request is never answered.
 */
export type TwilioFailure = 'invalid-to' | 'internal-error' | 'unavailable' | 'hang';

export interface FakeTwilio {
  /** http://localhost:<port>, for TWILIO_API_BASE_URL. */
  url: string;
  accountSid: string;
  authToken: string;
  /** Messages Twilio accepted (answered 201). */
  messages: ReceivedMessage[];
  /** Every later request fails this way, until called with undefined. */
  failWith(failure: TwilioFailure | undefined): void;
  /** Later requests wait, unanswered, until `release` (then they are answered as usual). */
  hold(): void;
  /** How many requests are waiting. */
  held(): number;
  /** Resolves once `count` requests are waiting. */
  whenHeld(count: number): Promise<void>;
  /** Answers the waiting requests, and stops holding. */
  release(): void;
  close(): Promise<void>;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function sendError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accountSid = `AC${hex(16)}`;
  const authToken = hex(16);
  const messages: ReceivedMessage[] = [];
  let failure: TwilioFailure | undefined;
  let waiting: Array<() => void> | undefined;
  let onHeld: (() => void) | undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (waiting) {
        waiting.push(() => answer());
        onHeld?.();
        return;
      }
      answer();
    });
    function answer() {
      if (failure === 'hang') return;
      const path = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(req.url ?? '');
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return sendError(res, 401, 20003, 'Authenticate');
      if (req.method !== 'POST' || !path || path[1] !== accountSid) {
        return sendError(res, 404, 20404, `The requested resource ${req.url} was not found`);
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const to = form.get('To');
      const from = form.get('From') ?? undefined;
      const messagingServiceSid = form.get('MessagingServiceSid') ?? undefined;
      const body = form.get('Body');
      if (!to) return sendError(res, 400, 21604, "A 'To' phone number is required.");
      if (!from && !messagingServiceSid) return sendError(res, 400, 21603, "A 'From' phone number is required.");
      if (!body) return sendError(res, 400, 21602, 'Message body is required.');
      if (failure === 'invalid-to' || !/^\+[1-9]\d{1,14}$/.test(to)) {
        return sendError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      }
      if (failure === 'internal-error') return sendError(res, 500, 20500, 'Internal Server Error');
      if (failure === 'unavailable') return sendError(res, 503, 20503, 'Service unavailable');

      messages.push({ accountSid, to, from, messagingServiceSid, body });
      const sid = `SM${hex(16)}`;
      const now = new Date().toUTCString().replace('GMT', '+0000');
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          account_sid: accountSid,
          api_version: '2010-04-01',
          body,
          date_created: now,
          date_sent: null,
          date_updated: now,
          direction: 'outbound-api',
          error_code: null,
          error_message: null,
          // With only a Messaging Service, Twilio picks the sender later: From is null and
          // the status is "accepted" rather than "queued".
          from: from ?? null,
          messaging_service_sid: messagingServiceSid ?? null,
          num_media: '0',
          num_segments: '1',
          price: null,
          price_unit: 'USD',
          sid,
          status: from ? 'queued' : 'accepted',
          subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
          to,
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
        }),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    accountSid,
    authToken,
    messages,
    failWith(next) {
      failure = next;
    },
    hold() {
      waiting ??= [];
    },
    held: () => waiting?.length ?? 0,
    whenHeld(count) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if ((waiting?.length ?? 0) >= count) resolve();
          else onHeld = check;
        };
        check();
      });
    },
    release() {
      const answers = waiting ?? [];
      waiting = undefined;
      for (const answer of answers) answer();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
