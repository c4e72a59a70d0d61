// SMS settings (SPEC §4, SMS row), validated once at start-up like every other setting: a
// bad value stops the process with one line naming the variable. Secret values (auth
// token, gateway auth header) are never repeated in those lines.
import { join } from 'node:path';
import { ConfigError, type Env } from '../config-parsers.ts';
import { fillBodyTemplate } from './http-sender.ts';

export interface ConsoleSmsConfig {
  provider: 'console';
  /** Each message is appended here as one JSON line. */
  outboxPath: string;
}

export interface TwilioSmsConfig {
  provider: 'twilio';
  accountSid: string;
  authToken: string;
  /** A sending number or alphanumeric sender ID, or a Messaging Service that picks one. */
  sender: { from: string } | { messagingServiceSid: string };
  /** Where the Twilio REST API is reached, without a trailing slash. */
  apiBaseUrl: string;
}

export interface HttpSmsConfig {
  provider: 'http';
  url: string;
  authHeader: { name: string; value: string } | undefined;
  /** JSON with `{{to}}`, `{{to_national}}` and `{{body}}` placeholders inside its strings. */
  bodyTemplate: string;
}

export type SmsConfig = ConsoleSmsConfig | TwilioSmsConfig | HttpSmsConfig;

const TWILIO_API = 'https://api.twilio.com';
const DEFAULT_BODY_TEMPLATE = '{"to":"{{to}}","message":"{{body}}"}';

// Twilio "Alphanumeric Sender ID": up to 11 characters of A–Z, a–z, 0–9 and space, at least
// one of them a letter. E.164: "+", country code, at most 15 digits in all.
const E164 = /^\+[1-9]\d{1,14}$/;
const ALPHANUMERIC_SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
// RFC 9110 §5.6.2: a field name is a token.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const ANY_PLACEHOLDER = /\{\{(\w+)\}\}/g;
const PLACEHOLDERS = new Set(['to', 'to_national', 'body']);

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

function required(env: Env, name: string, provider: string): string {
  const raw = value(env, name);
  if (raw === undefined) throw new ConfigError(name, `is required when SMS_PROVIDER=${provider}`);
  return raw;
}

// Credentials and one-time codes cross this connection: plain http is only for a
// gateway or a stand-in on this machine.
function secureUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a URL');
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new ConfigError(name, 'must be an https URL (http only for localhost)');
  }
  if (url.username || url.password) throw new ConfigError(name, 'must not carry credentials in the URL');
  return raw;
}

function parseTwilio(env: Env): TwilioSmsConfig {
  const accountSid = required(env, 'TWILIO_ACCOUNT_SID', 'twilio');
  if (!/^AC[0-9a-f]{32}$/.test(accountSid)) throw new ConfigError('TWILIO_ACCOUNT_SID', 'must be AC followed by 32 hex characters');
  const authToken = required(env, 'TWILIO_AUTH_TOKEN', 'twilio');

  const from = value(env, 'TWILIO_FROM');
  const messagingServiceSid = value(env, 'TWILIO_MESSAGING_SERVICE_SID');
  let sender: TwilioSmsConfig['sender'];
  if (from !== undefined && messagingServiceSid !== undefined) {
    throw new ConfigError('TWILIO_FROM', 'set either TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, not both');
  } else if (from !== undefined) {
    if (!E164.test(from) && !ALPHANUMERIC_SENDER_ID.test(from)) {
      throw new ConfigError('TWILIO_FROM', 'must be an E.164 number (+84…) or an alphanumeric sender ID of at most 11 characters');
    }
    sender = { from };
  } else if (messagingServiceSid !== undefined) {
    if (!/^MG[0-9a-f]{32}$/.test(messagingServiceSid)) {
      throw new ConfigError('TWILIO_MESSAGING_SERVICE_SID', 'must be MG followed by 32 hex characters');
    }
    sender = { messagingServiceSid };
  } else {
    throw new ConfigError('TWILIO_FROM', 'is required when SMS_PROVIDER=twilio (or TWILIO_MESSAGING_SERVICE_SID)');
  }

  const base = value(env, 'TWILIO_API_BASE_URL');
  let apiBaseUrl = TWILIO_API;
  if (base !== undefined) {
    const url = new URL(secureUrl('TWILIO_API_BASE_URL', base));
    if (url.search || url.hash || base.includes('?') || base.includes('#')) {
      throw new ConfigError('TWILIO_API_BASE_URL', 'must not have a query or fragment');
    }
    apiBaseUrl = base.replace(/\/+$/, '');
  }
  return { provider: 'twilio', accountSid, authToken, sender, apiBaseUrl };
}

function parseAuthHeader(env: Env): HttpSmsConfig['authHeader'] {
  const raw = value(env, 'SMS_HTTP_AUTH_HEADER');
  if (raw === undefined) return undefined;
  const colon = raw.indexOf(':');
  const name = colon === -1 ? '' : raw.slice(0, colon).trim();
  const headerValue = colon === -1 ? '' : raw.slice(colon + 1).trim();
  if (!HEADER_NAME.test(name) || headerValue === '') {
    throw new ConfigError('SMS_HTTP_AUTH_HEADER', 'must be a header line "Name: value", e.g. "Authorization: Bearer …"');
  }
  // A line break would let the value smuggle a second header into the request.
  if (/[\r\n\0]/.test(headerValue)) throw new ConfigError('SMS_HTTP_AUTH_HEADER', 'must be a single line');
  return { name, value: headerValue };
}

function parseBodyTemplate(env: Env): string {
  const template = value(env, 'SMS_HTTP_BODY_TEMPLATE') ?? DEFAULT_BODY_TEMPLATE;
  const names = new Set([...template.matchAll(ANY_PLACEHOLDER)].map((match) => match[1]));
  for (const name of names) {
    if (!PLACEHOLDERS.has(name)) throw new ConfigError('SMS_HTTP_BODY_TEMPLATE', `unknown placeholder {{${name}}} (use {{to}}, {{to_national}}, {{body}})`);
  }
  if (!names.has('body')) throw new ConfigError('SMS_HTTP_BODY_TEMPLATE', 'must contain {{body}}');
  if (!names.has('to') && !names.has('to_national')) throw new ConfigError('SMS_HTTP_BODY_TEMPLATE', 'must contain {{to}} or {{to_national}}');
  // A sample body with a quote, a backslash and a line break: the template is only valid if
  // every placeholder sits inside a JSON string.
  const sample = fillBodyTemplate(template, { to: '+84912345678', to_national: '0912345678', body: 'Mã "OTP" \\ 123456\nHết hạn' });
  try {
    JSON.parse(sample);
  } catch {
    throw new ConfigError('SMS_HTTP_BODY_TEMPLATE', 'is not valid JSON once filled in (placeholders belong inside "quoted" strings)');
  }
  return template;
}

function parseHttp(env: Env): HttpSmsConfig {
  return {
    provider: 'http',
    url: secureUrl('SMS_HTTP_URL', required(env, 'SMS_HTTP_URL', 'http')),
    authHeader: parseAuthHeader(env),
    bodyTemplate: parseBodyTemplate(env),
  };
}

export function parseSmsConfig(env: Env, dataDir: string): SmsConfig {
  const provider = value(env, 'SMS_PROVIDER') ?? 'console';
  switch (provider) {
    case 'console':
      return { provider, outboxPath: value(env, 'SMS_OUTBOX') ?? join(dataDir, 'sms-outbox.jsonl') };
    case 'twilio':
      return parseTwilio(env);
    case 'http':
      return parseHttp(env);
    default:
      throw new ConfigError('SMS_PROVIDER', 'must be console, twilio or http');
  }
}
