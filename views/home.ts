import { html } from './html.ts';
import { t } from '../src/i18n/index.ts';
import { layout, type PageShell } from './layout.ts';

export interface HomeProps {
  /** Where the built-in demo application is, when this server has one (development only). */
  demoHref?: string;
  /** The operator console. */
  adminHref: string;
}

/**
 * `/`: what the service is. A sign-in starts at an app (it names itself and where to return),
 * so the page sends people to the province's apps, and offers what needs no app: registration,
 * the password reset, in development a complete trial sign-in, and the operators' console.
 * No "my account" link yet: the account console has no page of its own to land on.
 */
export function homePage(shell: PageShell, props: HomeProps): string {
  const { locale } = shell;
  const tryIt = props.demoHref === undefined
    ? html``
    : html`
<section class="home-section" aria-labelledby="try-it-heading">
<h2 id="try-it-heading">${t(locale, 'home.try_it_heading')}</h2>
<p>${t(locale, 'home.try_it_intro')}</p>
<p class="form-links"><a class="button button--secondary" href="${props.demoHref}">${t(locale, 'home.try_it')}</a></p>
</section>`;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'home.heading')}</h1>
<p>${t(locale, 'home.intro')}</p>
<p>${t(locale, 'home.how_to')}</p>
<p class="form-links"><a href="/register">${t(locale, 'home.register')}</a></p>
<p class="form-links"><a href="/forgot">${t(locale, 'home.forgot_password')}</a></p>${tryIt}
<section class="home-section" aria-labelledby="operators-heading">
<h2 id="operators-heading">${t(locale, 'home.operators_heading')}</h2>
<p>${t(locale, 'home.operators_intro')}</p>
<p class="form-links"><a href="${props.adminHref}">${t(locale, 'home.admin')}</a></p>
</section>
</section>`,
  );
}
