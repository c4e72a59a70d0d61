import type { IdentifierErrorCode } from '../accounts/identifiers/index.ts';
import { identifierMessages } from './identifier-messages.ts';
import { operatorMessages, type OperatorMessageKey } from './operator-messages.ts';
import { consentMessages, type ConsentMessageKey } from './consent-messages.ts';
import { setupMessages, type SetupMessageKey } from './setup-messages.ts';
import { consoleAccountsMessages, type ConsoleAccountsMessageKey } from './console-accounts-messages.ts';
import { consoleAuditMessages, type ConsoleAuditMessageKey } from './console-audit-messages.ts';
import { onboardingMessages, type OnboardingMessageKey } from './onboarding-messages.ts';
import { en } from './en.ts';
import { vi } from './vi.ts';

export type Locale = 'vi' | 'en';
export type MessageKey = keyof typeof vi | IdentifierErrorCode | OperatorMessageKey | ConsentMessageKey | SetupMessageKey | ConsoleAccountsMessageKey | ConsoleAuditMessageKey | OnboardingMessageKey;
export type MessageParams = Readonly<Record<string, string | number>>;

// The identifier error codes (raised by accounts/identifiers/) are worded in identifier-messages.ts
// and joined here, so every code raised anywhere reaches a page through this one t().
const catalogues: Record<Locale, Readonly<Record<string, string>>> = {
  vi: { ...identifierMessages.vi, ...operatorMessages.vi, ...consentMessages.vi, ...setupMessages.vi, ...consoleAccountsMessages.vi, ...consoleAuditMessages.vi, ...onboardingMessages.vi, ...vi },
  en: { ...identifierMessages.en, ...operatorMessages.en, ...consentMessages.en, ...setupMessages.en, ...consoleAccountsMessages.en, ...consoleAuditMessages.en, ...onboardingMessages.en, ...en },
};

function isLocale(value: string | undefined): value is Locale {
  return value === 'vi' || value === 'en';
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(catalogues.vi, key);
}

/** A message rendered without a value for one of its `{placeholders}`: a defect, never a page. */
export class MissingMessageParameter extends Error {
  constructor(key: string, placeholder: string) {
    super(`message ${key} needs {${placeholder}}`);
    this.name = 'MissingMessageParameter';
  }
}

/**
 * The key is typed, so a misspelt key fails the type-check instead of showing on a page; a
 * string from outside (a stored code, a form field's name) goes through `hasMessage` first.
 * An unknown key still comes back as itself at run time, so nothing is ever blank. A message
 * whose placeholder gets no value throws instead of reaching a person with `{phone}` in it
 * (test/unit/i18n.test.ts renders every message of both languages).
 */
export function t(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = hasMessage(key) ? catalogues[locale][key] : key;
  return template.replace(/\{(\w+)\}/g, (_placeholder, name: string) => {
    if (params === undefined || !Object.hasOwn(params, name)) throw new MissingMessageParameter(key, name);
    return String(params[name]);
  });
}

/** The placeholders a message needs, in the order written (the same in both languages). */
export function placeholdersOf(key: MessageKey): string[] {
  return [...(hasMessage(key) ? catalogues.vi[key] : '').matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
}

/** Every message key, identifier codes included. */
export function messageKeys(): MessageKey[] {
  return Object.keys(catalogues.vi) as MessageKey[];
}

// Accept-Language is deliberately not consulted: many phones in Vietnam run an English system
// language, and the province wants Vietnamese unless the person picks English (SPEC §6).
export function resolveLocale(query: string | undefined, cookie: string | undefined): Locale {
  if (isLocale(query)) return query;
  if (isLocale(cookie)) return cookie;
  return 'vi';
}
