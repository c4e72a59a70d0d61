export interface SmsMessage {
  /** E.164, e.g. +84912345678. */
  to: string;
  body: string;
}

export interface SmsSender {
  readonly provider: string;
  send(message: SmsMessage): Promise<void>;
}

/**
 * The provider did not accept the message. `reason` is short and safe to log: it never
 * carries the message body (bodies carry one-time codes), the recipient's number (personal
 * data, Decree 13/2023) or a credential, and the underlying error is not attached as
 * `cause` because SDK and fetch errors hold the request they failed to send.
 */
export class SmsDeliveryError extends Error {
  readonly provider: string;
  readonly reason: string;

  constructor(provider: string, reason: string) {
    super(`SMS via ${provider} was not delivered: ${reason}`);
    this.name = 'SmsDeliveryError';
    this.provider = provider;
    this.reason = reason;
  }
}

/** Long enough for a provider under load, short enough that a hung one fails the sign-up step instead of holding it. */
export const SMS_REQUEST_TIMEOUT_MS = 10_000;
