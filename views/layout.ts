import { html, type SafeHtml } from './html.ts';
import { t, type Locale } from '../src/i18n/index.ts';
import type { Config } from '../src/config.ts';

type Province = Config['province'];

export interface PageShell {
  locale: Locale;
  title: string;
  province: Province;
  /** Where each language link points, usually the current URL with `?lang=`. */
  langSwitch: { vi: string; en: string };
  /** A page of tables (the operator console): as wide as the screen allows, not one column. */
  wide?: boolean;
}

const locales: readonly Locale[] = ['vi', 'en'];

function languageSwitch(shell: PageShell): SafeHtml {
  const links = locales.map((locale) => {
    const current = locale === shell.locale ? html` aria-current="true"` : html``;
    return html`<li><a href="${shell.langSwitch[locale]}" hreflang="${locale}" lang="${locale}"${current}>${t(locale, `language.${locale}`)}</a></li>`;
  });
  return html`<nav class="language-switch" aria-label="${t(shell.locale, 'layout.language_nav')}"><ul>${links}</ul></nav>`;
}

// The authority above, the service below, as Vietnamese public portals head their pages. The
// logo's alt text is empty: the names beside it say what it would.
function siteHeader(shell: PageShell): SafeHtml {
  const { locale, province } = shell;
  const authority = province.name === undefined ? html`` : html`<span class="site-header__province">${province.name}</span>`;
  return html`<header class="site-header">
<div class="site-header__brand">
<img class="site-header__logo" src="${province.logo.path}" alt="" height="40">
<p class="site-header__names">${authority}<span class="site-header__product">${t(locale, 'layout.product_name')}</span></p>
</div>
${languageSwitch(shell)}
</header>`;
}

// One line per span of days, none broken inside: "Thứ Hai – Thứ Sáu, 7:30–17:00".
function helpHours(locale: Locale, hours: Province['help']['hours']): SafeHtml[] {
  const time = (value: string) => value.replace(/^0(?=\d:)/, '');
  return hours.map(({ from, to, opens, closes }, index) => {
    const days = from === to ? t(locale, `weekday.${from}`) : `${t(locale, `weekday.${from}`)} – ${t(locale, `weekday.${to}`)}`;
    return html`${index === 0 ? '' : '; '}<span class="help__hours">${days}, ${time(opens)}–${time(closes)}</span>`;
  });
}

// Every page, so a person locked out, or stuck in any step, finds whom to call (SPEC §6: the
// message says what to do next). The phone is a tel: link a finger can tap.
function siteFooter(shell: PageShell): SafeHtml {
  const { locale, province } = shell;
  const { phone, email, hours } = province.help;
  const contacts: SafeHtml[] = [];
  if (phone !== undefined) contacts.push(html`<p><a class="help__call" href="tel:${phone.dial}">${t(locale, 'layout.help_call', { phone: phone.shown })}</a></p>`);
  if (email !== undefined) contacts.push(html`<p><a href="mailto:${email}">${t(locale, 'layout.help_email', { email })}</a></p>`);
  if (hours.length > 0) contacts.push(html`<p>${t(locale, 'layout.help_hours')} ${helpHours(locale, hours)}</p>`);
  if (contacts.length === 0) contacts.push(html`<p>${t(locale, 'layout.help_none')}</p>`);
  const operator = province.name === undefined ? html`` : html`\n<p>${t(locale, 'layout.footer_operator', { province: province.name })}</p>`;
  return html`<footer class="site-footer">
<section class="help" aria-labelledby="help-heading">
<h2 id="help-heading" class="help__heading">${t(locale, 'layout.help_heading')}</h2>
${contacts}
</section>
<div class="site-footer__about">
<p>${t(locale, 'layout.footer_about')}</p>${operator}
</div>
</footer>`;
}

// The CSP (style-src 'self') forbids inline styles, so the configured province colour
// reaches the browser as theme-color only; the page itself uses the stylesheet's colour.
export function layout(shell: PageShell, body: SafeHtml): string {
  const { locale, province } = shell;
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="${province.color}">
<title>${shell.title} – ${province.name ?? t(locale, 'layout.product_name')}</title>
<link rel="icon" href="${province.logo.path}" type="${province.logo.type}">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<a class="skip-link" href="#main">${t(locale, 'layout.skip_link')}</a>
${siteHeader(shell)}
<main id="main" class="${shell.wide ? 'page page--wide' : 'page'}">
${body}
</main>
${siteFooter(shell)}
</body>
</html>
`.toString();
}

/**
 * The logo a client registered. A logo uploaded with its integration request is served by
 * xacthuc itself (`/assets/client-logo/…`) and shown from this origin, whatever host its
 * registered URL names; otherwise only https images are shown, the CSP allowing no other
 * remote source. The alt text is empty because the page names the client next to it.
 */
export function clientLogo(logoUri: string | undefined): SafeHtml {
  const url = logoUri === undefined ? null : URL.parse(logoUri);
  if (url === null) return html``;
  if (/^\/assets\/client-logo\/[0-9a-f]{32}\.(?:png|jpg|webp)$/.test(url.pathname) && url.search === '') return html`<img class="client-logo" src="${url.pathname}" alt="">`;
  if (url.protocol !== 'https:') return html``;
  return html`<img class="client-logo" src="${url.href === logoUri ? logoUri : url.href}" alt="">`;
}
