import type { IdentifierErrorCode } from '../accounts/identifiers/index.ts';
import { identifierMessages } from './identifier-messages.ts';
import { en } from './en.ts';
import { vi } from './vi.ts';

export type Locale = 'vi' | 'en';
export type MessageKey = keyof typeof vi | IdentifierErrorCode;
export type MessageParams = Readonly<Record<string, string | number>>;

// The identifier error codes (raised by accounts/identifiers/) are worded in identifier-messages.ts
// and joined here, so every code raised anywhere reaches a page through this one t().
const catalogues: Record<Locale, Readonly<Record<string, string>>> = {
  vi: { ...identifierMessages.vi, ...vi },
  en: { ...identifierMessages.en, ...en },
};

function isLocale(value: string | undefined): value is Locale {
  return value === 'vi' || value === 'en';
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(catalogues.vi, key);
}

/**
 * The key is typed, so a misspelt key fails the type-check instead of showing on a page; a
 * string from outside (a stored code, a form field's name) goes through `hasMessage` first.
 * An unknown key still comes back as itself at run time, so nothing is ever blank.
 */
export function t(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = hasMessage(key) ? catalogues[locale][key] : key;
  if (params === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : placeholder,
  );
}

// Accept-Language is deliberately not consulted: many phones in Vietnam run an English system
// language, and the province wants Vietnamese unless the person picks English (SPEC §6).
export function resolveLocale(query: string | undefined, cookie: string | undefined): Locale {
  if (isLocale(query)) return query;
  if (isLocale(cookie)) return cookie;
  return 'vi';
}
