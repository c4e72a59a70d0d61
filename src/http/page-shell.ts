// What every page needs besides its own content: language, province identity, and the
// links that switch language while keeping the person where they are.
import type { Context } from 'koa';
import type { Config } from '../config.ts';
import { resolveLocale, t, type Locale } from '../i18n/index.ts';
import type { PageShell } from '../../views/layout.ts';

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

function withLang(ctx: Context, lang: Locale): string {
  const params = new URLSearchParams(ctx.querystring);
  params.set('lang', lang);
  return `${ctx.path}?${params.toString()}`;
}

export function pageShell(ctx: Context, config: Pick<Config, 'province'>, titleKey: string, locale = localeOf(ctx)): PageShell {
  return {
    locale,
    title: t(locale, titleKey),
    province: config.province,
    langSwitch: { vi: withLang(ctx, 'vi'), en: withLang(ctx, 'en') },
  };
}
