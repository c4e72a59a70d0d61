// Twilio Programmable Messaging through the official SDK: POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
import type twilio from 'twilio';
import type { TwilioSmsConfig } from './config.ts';
import { SMS_REQUEST_TIMEOUT_MS, SmsDeliveryError, type SmsMessage, type SmsSender } from './sender.ts';

// Twilio answers errors as {code, message, more_info, status}; the SDK raises them as
// RestException (or TwilioServiceException for RFC 9457 bodies), both with `status` and
// `code`. The `message` is left out: Twilio's texts quote the recipient's number.
// https://www.twilio.com/docs/errors/{code} explains each code.
function deliveryError(error: unknown, timeoutMs: number): SmsDeliveryError {
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown };
  if (typeof status === 'number') {
    return new SmsDeliveryError('twilio', typeof code === 'number' && code > 0 ? `Twilio error ${code} (HTTP ${status})` : `Twilio answered HTTP ${status}`);
  }
  // The SDK's HTTP client is axios: a timeout is ECONNABORTED (or ETIMEDOUT), a network
  // failure carries the system error code.
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return new SmsDeliveryError('twilio', `no answer within ${timeoutMs} ms`);
  if (typeof code === 'string') return new SmsDeliveryError('twilio', `Twilio unreachable (${code})`);
  return new SmsDeliveryError('twilio', `request not sent (${error instanceof Error ? error.name : 'unknown error'})`);
}

export class TwilioSmsSender implements SmsSender {
  readonly provider = 'twilio';
  readonly #client: Promise<twilio.Twilio>;
  readonly #sender: TwilioSmsConfig['sender'];
  readonly #timeoutMs: number;

  constructor(config: TwilioSmsConfig, timeoutMs = SMS_REQUEST_TIMEOUT_MS) {
    // The SDK takes about two seconds to load: it is loaded when a Twilio sender is made,
    // not by every start of the server or the CLI with another SMS provider. A send waits
    // for the client; an SDK that cannot be loaded stops the process, as a static import did.
    this.#client = import('twilio').then(({ default: twilio }) => {
      // `timeout` bounds each request (the SDK's default is 30 s); 429 retries stay off, so
      // a throttled send fails at once instead of holding the sign-up. Edge and region are
      // pinned empty because the SDK otherwise reads TWILIO_EDGE and TWILIO_REGION from the
      // process environment and rewrites the host name: TWILIO_API_BASE_URL alone decides
      // where the credentials go.
      const client = twilio(config.accountSid, config.authToken, { timeout: timeoutMs, edge: '', region: '' });
      // The SDK has no base-URL option: every domain object carries its own `baseUrl`
      // ("https://api.twilio.com" for `api`, which Messages belongs to) and resolves each
      // request against it when the request is made.
      client.api.baseUrl = config.apiBaseUrl;
      return client;
    });
    this.#sender = config.sender;
    this.#timeoutMs = timeoutMs;
  }

  async send(message: SmsMessage): Promise<void> {
    const client = await this.#client;
    try {
      await client.messages.create({ to: message.to, body: message.body, ...this.#sender });
    } catch (error) {
      throw deliveryError(error, this.#timeoutMs);
    }
  }
}
