// The operating province's identity on every page (SPEC §6 "The province's identity"): its
// name, its logo and where a person gets help. Read once at start-up like every setting; a bad
// value stops the process with one line naming the variable.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, text, type Env } from '../config-parsers.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One line of a help desk's hours: `Mon-Fri 07:30-17:00` is mon, fri, 07:30, 17:00. */
export interface HelpHours {
  from: Weekday;
  to: Weekday;
  opens: string;
  closes: string;
}

export interface HelpContact {
  /** As the operator wrote it (`0234 3822 123`), and its digits for the `tel:` link. */
  phone: { shown: string; dial: string } | undefined;
  email: string | undefined;
  hours: HelpHours[];
}

export interface ProvinceLogo {
  /** Where xacthuc serves it: named by its content, so a browser may keep it for good. */
  path: string;
  type: string;
  body: Buffer;
}

export interface Province {
  /** Unset: pages name the service only, not who runs it. */
  name: string | undefined;
  color: string;
  logo: ProvinceLogo;
  help: HelpContact;
}

const DEFAULT_LOGO = fileURLToPath(new URL('../../assets/mark.svg', import.meta.url));
// A 40-px-high mark on a phone that pays for every kilobyte: 100 KiB is already generous.
const MAX_LOGO_BYTES = 100 * 1024;

const IMAGE_TYPES: ReadonlyMap<string, { ext: string; type: string; looksLike: (body: Buffer) => boolean }> = new Map([
  ['.png', { ext: 'png', type: 'image/png', looksLike: (body) => body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) }],
  ['.jpg', { ext: 'jpg', type: 'image/jpeg', looksLike: (body) => body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) }],
  ['.jpeg', { ext: 'jpg', type: 'image/jpeg', looksLike: (body) => body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) }],
  ['.webp', { ext: 'webp', type: 'image/webp', looksLike: (body) => body.toString('latin1', 0, 4) === 'RIFF' && body.toString('latin1', 8, 12) === 'WEBP' }],
  ['.svg', { ext: 'svg', type: 'image/svg+xml', looksLike: (body) => /<svg[\s>]/.test(body.toString('utf8')) }],
]);

// Shown in every header: control, format (bidi overrides, zero-width) and unassigned
// characters, and line separators, would let the name hide or reorder what a person reads.
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}]/u;

function parseName(env: Env): string | undefined {
  const raw = env.PROVINCE_NAME?.trim();
  if (raw === undefined || raw === '') return undefined;
  const invisible = INVISIBLE.exec(raw);
  if (invisible !== null) throw new ConfigError('PROVINCE_NAME', `contains an invisible or control character (U+${invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  const name = raw.normalize('NFC');
  if ([...name].length > 100) throw new ConfigError('PROVINCE_NAME', 'is longer than 100 characters');
  return name;
}

function parseColor(env: Env): string {
  const raw = text(env, 'PROVINCE_COLOR', '#0b5394');
  if (!/^#[0-9a-fA-F]{6}$/.test(raw)) throw new ConfigError('PROVINCE_COLOR', 'must be a colour like #0b5394');
  return raw;
}

// SPEC §6: nothing a page shows comes from another host, so the logo is a file xacthuc serves.
function parseLogo(env: Env): ProvinceLogo {
  const file = text(env, 'PROVINCE_LOGO', DEFAULT_LOGO);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) throw new ConfigError('PROVINCE_LOGO', 'must be a file on this server, not a URL: xacthuc serves the logo itself');
  const kind = IMAGE_TYPES.get(extname(file).toLowerCase());
  if (kind === undefined) throw new ConfigError('PROVINCE_LOGO', `"${file}" must be a .png, .svg, .webp or .jpg file`);
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (error) {
    throw new ConfigError('PROVINCE_LOGO', `cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (body.length > MAX_LOGO_BYTES) throw new ConfigError('PROVINCE_LOGO', `"${file}" is ${Math.ceil(body.length / 1024)} KiB; at most ${MAX_LOGO_BYTES / 1024} KiB`);
  if (!kind.looksLike(body)) throw new ConfigError('PROVINCE_LOGO', `"${file}" is not a ${kind.ext.toUpperCase()} image`);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { path: `/assets/logo-${hash}.${kind.ext}`, type: kind.type, body };
}

// A landline (0234 3822 123), a hotline (1900 1234, 1800 …), a short number (1022) or a number
// in international form (+84 234 …): digits, grouped as the operator likes.
function parsePhone(env: Env): HelpContact['phone'] {
  const raw = env.HELP_PHONE?.trim();
  if (raw === undefined || raw === '') return undefined;
  const dial = raw.replace(/[\s.-]/g, '');
  if (!/^\+?[0-9 .-]+$/.test(raw) || !/^\+?\d{3,15}$/.test(dial)) {
    throw new ConfigError('HELP_PHONE', `"${raw}" is not a phone number (3 to 15 digits, grouped by spaces, dots or hyphens, e.g. 0234 3822 123 or 1022)`);
  }
  return { shown: raw, dial };
}

function parseEmail(env: Env): string | undefined {
  const raw = env.HELP_EMAIL?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > 254 || !/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(raw)) {
    throw new ConfigError('HELP_EMAIL', `"${raw}" is not an e-mail address`);
  }
  return raw;
}

const HOURS_SEGMENT = /^(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))? ([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/i;

// Written in a fixed form so each page can say it in its own language.
function parseHours(env: Env): HelpHours[] {
  const raw = env.HELP_HOURS?.trim();
  if (raw === undefined || raw === '') return [];
  return raw.split(';').map((segment) => {
    const match = HOURS_SEGMENT.exec(segment.trim().replace(/\s+/g, ' '));
    if (match === null) throw new ConfigError('HELP_HOURS', `"${segment.trim()}" is not like "Mon-Fri 07:30-17:00" (days Mon to Sun; several lines separated by ";")`);
    const [, from, to, openHour, openMinute, closeHour, closeMinute] = match;
    const opens = `${openHour}:${openMinute}`;
    const closes = `${closeHour}:${closeMinute}`;
    if (closes > '24:00') throw new ConfigError('HELP_HOURS', `"${segment.trim()}" closes after 24:00`);
    if (closes <= opens) throw new ConfigError('HELP_HOURS', `"${segment.trim()}" closes before it opens`);
    const first = from.toLowerCase() as Weekday;
    const last = (to ?? from).toLowerCase() as Weekday;
    if (WEEKDAYS.indexOf(last) < WEEKDAYS.indexOf(first)) throw new ConfigError('HELP_HOURS', `"${segment.trim()}" runs from a later day to an earlier one`);
    return { from: first, to: last, opens, closes };
  });
}

export function parseProvince(env: Env): Province {
  return {
    name: parseName(env),
    color: parseColor(env),
    logo: parseLogo(env),
    help: { phone: parsePhone(env), email: parseEmail(env), hours: parseHours(env) },
  };
}
