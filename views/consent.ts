import { html } from './html.ts';
import { hasMessage, t, type Locale } from '../src/i18n/index.ts';
import { csrfField } from './components.ts';
import { clientLogo, layout, type PageShell } from './layout.ts';

export interface ConsentProps {
  csrfToken: string;
  action: string;
  clientName: string;
  clientLogoUri?: string;
  scopes: string[];
  /** Claims the client asked for one by one, beyond what its scopes already cover. */
  claims: string[];
}

// A scope or claim without a plain description is shown by its technical name rather than
// hidden: the person must see everything the app receives.
function describe(locale: Locale, kind: 'scope' | 'claim', name: string): string {
  const key = `${kind}.${name}`;
  return hasMessage(key) ? t(locale, key) : name;
}

export function consentPage(shell: PageShell, props: ConsentProps): string {
  const { locale } = shell;
  const client = props.clientName;
  const scopeItems = props.scopes.map((scope) => html`<li>${describe(locale, 'scope', scope)}</li>`);
  const claimItems = props.claims.map((claim) => html`<li>${describe(locale, 'claim', claim)}</li>`);

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
${clientLogo(props.clientLogoUri)}
<h1 id="page-heading">${t(locale, 'consent.heading', { client })}</h1>
<p>${t(locale, 'consent.scopes_intro', { client })}</p>
<ul class="data-list">${scopeItems}</ul>
${claimItems.length === 0 ? '' : html`<p>${t(locale, 'consent.claims_intro')}</p>
<ul class="data-list">${claimItems}</ul>`}
<p class="note">${t(locale, 'consent.deny_note', { client })}</p>
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
<div class="actions">
<button type="submit" name="decision" value="allow" class="button button--primary">${t(locale, 'consent.allow')}</button>
<button type="submit" name="decision" value="deny" class="button button--secondary">${t(locale, 'consent.deny')}</button>
</div>
</form>
</section>`,
  );
}
