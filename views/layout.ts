import { html, type SafeHtml } from './html.ts';
import { t, type Locale } from '../src/i18n/index.ts';

export interface PageShell {
  locale: Locale;
  title: string;
  province: { name: string; color: string };
  /** Where each language link points, usually the current URL with `?lang=`. */
  langSwitch: { vi: string; en: string };
}

const locales: readonly Locale[] = ['vi', 'en'];

function languageSwitch(shell: PageShell): SafeHtml {
  const links = locales.map((locale) => {
    const current = locale === shell.locale ? html` aria-current="true"` : html``;
    return html`<li><a href="${shell.langSwitch[locale]}" hreflang="${locale}" lang="${locale}"${current}>${t(locale, `language.${locale}`)}</a></li>`;
  });
  return html`<nav class="language-switch" aria-label="${t(shell.locale, 'layout.language_nav')}"><ul>${links}</ul></nav>`;
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
<title>${shell.title} – ${province.name}</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/password-rules.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${t(locale, 'layout.skip_link')}</a>
<header class="site-header">
<p class="site-header__province">${province.name}</p>
${languageSwitch(shell)}
</header>
<main id="main" class="page">
${body}
</main>
<footer class="site-footer">
<p>${t(locale, 'layout.footer', { province: province.name })}</p>
</footer>
</body>
</html>
`.toString();
}

/**
 * The logo a client registered. Only https images are shown: the CSP allows no other remote
 * source. The alt text is empty because the page names the client next to it.
 */
export function clientLogo(logoUri: string | undefined): SafeHtml {
  if (logoUri === undefined || !URL.canParse(logoUri) || new URL(logoUri).protocol !== 'https:') return html``;
  return html`<img class="client-logo" src="${logoUri}" alt="">`;
}
