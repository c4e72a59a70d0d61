// What a reviewer checks on every page a person can reach (issue 12, SPEC §6), measured in the
// browser: the language and viewport, no unfilled placeholder or bare message key, no text of
// the other language, targets a finger can hit, no sideways scrolling, every input labelled,
// nothing fetched from another host, no script error or Content Security Policy refusal.
import type { BrowserContext, Page } from 'playwright-core';
import { messageKeys, placeholdersOf, t, type Locale, type MessageKey } from '../../src/i18n/index.ts';
import { saveScreenshot, tapTargetProblems } from './tap-targets.ts';

const OTHER: Record<Locale, Locale> = { vi: 'en', en: 'vi' };

/**
 * The sentences one language has and the other does not: each message of `locale` that the
 * other language writes differently, cut at its placeholders into fragments long enough to
 * mean something (a shared "SMS" or "OTP" is not a leak).
 */
const template = (locale: Locale, key: MessageKey) => t(locale, key, Object.fromEntries(placeholdersOf(key).map((name) => [name, `{${name}}`])));

function phrasesOf(locale: Locale): string[] {
  const phrases = new Set<string>();
  for (const key of messageKeys()) {
    const own = template(locale, key);
    if (own === template(OTHER[locale], key)) continue;
    for (const fragment of own.split(/\{\w+\}/)) {
      const phrase = fragment.trim().replace(/\s+/g, ' ');
      if (phrase.length >= 14 && /\s/.test(phrase)) phrases.add(phrase);
    }
  }
  return [...phrases];
}
const PHRASES: Record<Locale, string[]> = { vi: phrasesOf('vi'), en: phrasesOf('en') };

// English that no message of ours holds but a library's page would (oidc-provider's "Submitting
// Callback", Koa's "Not Found", a browser's own form): whole words, so "email" or "SMS" pass.
const ENGLISH_WORDS = /\b(?:the|your|you|please|submit|submitting|click|browser|javascript|not found|sign in|continue|password|error|invalid|request|callback|logout)\b/i;

/** Keys written out where their text belongs: `login.heading` on the page instead of "Đăng nhập". */
const KEY_PATTERN = new RegExp(`(?:^|[^\\w.])(${messageKeys().map((key) => key.replace(/\./g, '\\.')).join('|')})(?![\\w.])`);

export interface AuditedPhone {
  context: BrowserContext;
  page: Page;
  /** Problems seen outside any one page's audit: script errors, refused policies, other hosts. */
  problemsSeen(): string[];
}

/**
 * A cheap phone's browser on `origin`: 360 × 740, touch, JavaScript on or off. Requests to
 * `allowedElsewhere` (the relying parties' callbacks, answered by the test) are the only ones
 * to other hosts that are not problems.
 */
export async function openPhone(
  context: BrowserContext,
  origin: string,
  allowedElsewhere: readonly string[],
): Promise<AuditedPhone> {
  const page = await context.newPage();
  const events: string[] = [];
  // Chromium logs a page answered 4xx (a wrong password: 401, the not-found page: 404) as a
  // resource that failed to load; that is the page itself, not a failed part of it. The console
  // event may come after the next navigation began, so it is matched by the address it names.
  const pagesAnswered4xx = new Set<string>();
  const refusedPages: { url: string; text: string }[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() !== 'error' && !/Content Security Policy|Refused to/i.test(text)) return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) refusedPages.push({ url: message.location().url, text });
    else events.push(`console ${message.type()}: ${text}`);
  });
  page.on('pageerror', (error) => events.push(`script error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:') || allowedElsewhere.some((allowed) => url.startsWith(allowed))) return;
    events.push(`request to another host: ${url}`);
  });
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(`${origin}/`) && request.failure()?.errorText !== 'net::ERR_ABORTED') events.push(`${request.url()} failed: ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    if (response.request().isNavigationRequest()) pagesAnswered4xx.add(response.url());
    else events.push(`${response.url()} answered ${response.status()}`);
  });
  const problemsSeen = () => [
    ...events,
    ...refusedPages.filter(({ url }) => !pagesAnswered4xx.has(url)).map(({ url, text }) => `console error at ${url}: ${text}`),
  ];
  return { context, page, problemsSeen };
}

/**
 * Every rule the page breaks, as `name: problem` lines (none: []), and its screenshot saved as
 * test/browser/screenshots/<name>.png. `typed` are what the person entered (a name in
 * Vietnamese on an English page is theirs, not a leak).
 */
export async function auditPage(page: Page, name: string, locale: Locale, typed: readonly string[] = []): Promise<string[]> {
  await page.waitForLoadState('load');
  await saveScreenshot(page, name);
  const facts = await page.evaluate(() => {
    const visible = (element: Element) => (element as HTMLElement).getClientRects().length > 0;
    const codeText = [...document.querySelectorAll('.error-code')].map((element) => (element as HTMLElement).innerText);
    const unlabelled = [...document.querySelectorAll<HTMLInputElement>('input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')]
      .filter((input) => visible(input) && input.labels?.length === 0 && !input.getAttribute('aria-label') && !input.getAttribute('aria-labelledby'))
      .map((input) => input.name || input.id);
    return {
      lang: document.documentElement.lang,
      viewport: document.querySelector('meta[name=viewport]')?.getAttribute('content') ?? '',
      title: document.title,
      text: document.body.innerText,
      codeText,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      unlabelled,
    };
  });
  const problems: string[] = [];
  if (facts.lang !== locale) problems.push(`lang is "${facts.lang}", not "${locale}"`);
  if (!/width=device-width/.test(facts.viewport)) problems.push(`viewport is "${facts.viewport}"`);
  let text = `${facts.title}\n${facts.text}`;
  for (const code of facts.codeText) text = text.replace(code, ' ');
  for (const value of typed) if (value) text = text.split(value).join(' ');
  const placeholder = /\{\w+\}/.exec(text);
  if (placeholder) problems.push(`unfilled placeholder ${placeholder[0]}`);
  const key = KEY_PATTERN.exec(text);
  if (key) problems.push(`message key ${key[1]} shown as text`);
  const leaked = PHRASES[OTHER[locale]].find((phrase) => text.includes(phrase));
  if (leaked) problems.push(`${OTHER[locale]} text on a ${locale} page: "${leaked}"`);
  if (locale === 'vi') {
    const english = ENGLISH_WORDS.exec(text);
    if (english) problems.push(`English word "${english[0]}" on a Vietnamese page`);
  }
  if (facts.overflow > 0) problems.push(`${facts.overflow} px of sideways scrolling`);
  for (const input of facts.unlabelled) problems.push(`input ${input} has no label`);
  problems.push(...(await tapTargetProblems(page)));
  return problems.map((problem) => `${name}: ${problem}`);
}
