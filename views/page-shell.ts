// What every page needs besides its own content: language, province identity, and the
// links that switch language while keeping the person where they are.
import type { Context } from 'koa';
import type { Config } from '../src/config.ts';
import { resolveLocale, t, type Locale, type MessageKey } from '../src/i18n/index.ts';
import type { PageShell } from './layout.ts';

const LANG_COOKIE = 'lang';

/**
 * `?lang=` (remembered in a cookie), then the cookie, then the relying party's
 * `ui_locales` (OpenID Connect Core §3.1.2.1), then Vietnamese.
 */
export function localeOf(ctx: Context, uiLocales?: unknown): Locale {
  const query = typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined;
  const requested = typeof uiLocales === 'string' ? uiLocales.split(' ').find((tag) => /^(vi|en)\b/i.test(tag))?.slice(0, 2).toLowerCase() : undefined;
  const locale = resolveLocale(query, ctx.cookies.get(LANG_COOKIE) ?? requested);
  if (query === locale) {
    ctx.cookies.set(LANG_COOKIE, locale, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, maxAge: 365 * 24 * 3600 * 1000, overwrite: true });
  }
  return locale;
}

// A page that answers a POST has no address of its own: a language link to its path would be
// a GET that the route refuses (405). The link goes to the GET that shows the same step (a
// code page, a registration form), or, for a step whose state lives only in the form it
// posts (the sign-in steps after the interaction's GET, the new password after a reset
// code), to the GET that starts that step again. Plain links, so the switch works without
// JavaScript (SPEC §6).
const signInStep = /^(\/interaction\/[^/]+)\/(?:login|confirm|totp|totp-enrol|sms-code|continue|password|password-now|password-later)$/;
const resetPassword = /^(.*)\/forgot\/password\/[^/]+$/;

function shownByGet(ctx: Context): string {
  if (ctx.method === 'GET' || ctx.method === 'HEAD') return ctx.path;
  const path = ctx.path.replace(/\/(?:resend|done)$/, '');
  return signInStep.exec(path)?.[1] ?? (resetPassword.test(path) ? path.replace(resetPassword, '$1/forgot') : path);
}

function withLang(ctx: Context, lang: Locale): string {
  const params = new URLSearchParams(ctx.querystring);
  params.set('lang', lang);
  return `${shownByGet(ctx)}?${params.toString()}`;
}

export function pageShell(ctx: Context, config: Pick<Config, 'province'>, titleKey: MessageKey, locale = localeOf(ctx)): PageShell {
  return {
    locale,
    title: t(locale, titleKey),
    province: config.province,
    langSwitch: { vi: withLang(ctx, 'vi'), en: withLang(ctx, 'en') },
  };
}
