import { html } from './html.ts';
import { t } from '../src/i18n/index.ts';
import { layout, type PageShell } from './layout.ts';

/**
 * `/`: what the service is. A sign-in starts at an app (it names itself and where to return),
 * so the page sends people to the province's apps, and offers what needs no app.
 */
export function homePage(shell: PageShell): string {
  const { locale } = shell;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'home.heading')}</h1>
<p>${t(locale, 'home.intro')}</p>
<p>${t(locale, 'home.how_to')}</p>
<p class="form-links"><a href="/register">${t(locale, 'home.register')}</a></p>
<p class="form-links"><a href="/forgot">${t(locale, 'home.forgot_password')}</a></p>
</section>`,
  );
}
