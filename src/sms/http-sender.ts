// A JSON-over-HTTPS gateway, the shape of Vietnamese brandname SMS providers' APIs: the
// operator describes the request (URL, auth header, body template) instead of us shipping
// one adapter per provider.
import type { HttpSmsConfig } from './config.ts';
import { SMS_REQUEST_TIMEOUT_MS, SmsDeliveryError, type SmsMessage, type SmsSender } from './sender.ts';

export interface BodyTemplateValues {
  to: string;
  to_national: string;
  body: string;
}

/** Replaces each placeholder with its value escaped as the inside of a JSON string. */
export function fillBodyTemplate(template: string, values: BodyTemplateValues): string {
  return template.replace(/\{\{(to|to_national|body)\}\}/g, (_, name: keyof BodyTemplateValues) => JSON.stringify(values[name]).slice(1, -1));
}

// Brandname gateways deliver inside Vietnam and take the domestic form 0912345678.
function nationalForm(e164: string): string {
  return e164.startsWith('+84') ? `0${e164.slice(3)}` : e164;
}

export class HttpSmsSender implements SmsSender {
  readonly provider = 'http';
  readonly #config: HttpSmsConfig;
  readonly #timeoutMs: number;

  constructor(config: HttpSmsConfig, timeoutMs = SMS_REQUEST_TIMEOUT_MS) {
    this.#config = config;
    this.#timeoutMs = timeoutMs;
  }

  async send(message: SmsMessage): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };
    if (this.#config.authHeader) headers[this.#config.authHeader.name] = this.#config.authHeader.value;
    const body = fillBodyTemplate(this.#config.bodyTemplate, { to: message.to, to_national: nationalForm(message.to), body: message.body });

    let response: Response;
    try {
      response = await fetch(this.#config.url, {
        method: 'POST',
        headers,
        body,
        // A redirect would re-send the one-time code to wherever the gateway points; a
        // gateway has no reason to redirect, so a 3xx is reported as a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError') throw new SmsDeliveryError(this.provider, `no answer within ${this.#timeoutMs} ms`);
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      throw new SmsDeliveryError(this.provider, `gateway unreachable (${code ?? name})`);
    }
    // The gateway's answer is not read: it may echo the message, and only the status matters.
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) {
      throw new SmsDeliveryError(this.provider, `gateway answered HTTP ${response.status}`);
    }
  }
}
