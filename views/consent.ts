import { html, type SafeHtml } from './html.ts';
import { hasMessage, t, type Locale } from '../src/i18n/index.ts';
import { csrfField } from './components.ts';
import { clientLogo, layout, type PageShell } from './layout.ts';

export interface ConsentItems {
  scopes: string[];
  /** Claims asked for one by one, beyond what the scopes already cover. */
  claims: string[];
}

export interface ConsentProps extends ConsentItems {
  csrfToken: string;
  action: string;
  clientName: string;
  clientLogoUri?: string;
  /** What the person allowed this app before (their consent in force); asked again, it is not listed here. */
  granted: ConsentItems;
}

// A scope or claim without a plain description is shown by its technical name rather than
// hidden: the person must see everything the app receives.
function describe(locale: Locale, kind: 'scope' | 'claim', name: string): string {
  const key = `${kind}.${name}`;
  return hasMessage(key) ? t(locale, key) : name;
}

function itemList(locale: Locale, items: ConsentItems): SafeHtml {
  const scopeItems = items.scopes.map((scope) => html`<li>${describe(locale, 'scope', scope)}</li>`);
  const claimItems = items.claims.map((claim) => html`<li>${describe(locale, 'claim', claim)}</li>`);
  return html`${scopeItems.length === 0 ? '' : html`<ul class="data-list">${scopeItems}</ul>`}
${claimItems.length === 0 ? '' : html`<p>${t(locale, 'consent.claims_intro')}</p>
<ul class="data-list">${claimItems}</ul>`}`;
}

const count = (items: ConsentItems) => items.scopes.length + items.claims.length;

// Decree 13/2023 Art. 11: consent is given to what is asked, knowing what it adds to. A first
// request lists everything; a wider one says what the app already has, lists what it adds,
// and shows the rest on a tap (details works without JavaScript); a request for nothing new
// (prompt=consent, a native app) lists what the app already has.
function whatIsAsked(locale: Locale, props: ConsentProps): SafeHtml {
  const client = props.clientName;
  const granted = count(props.granted);
  if (granted === 0) {
    return html`<h1 id="page-heading">${t(locale, 'consent.heading', { client })}</h1>
<p>${t(locale, 'consent.scopes_intro', { client })}</p>
${itemList(locale, props)}
<p class="note">${t(locale, 'consent.deny_note', { client })}</p>`;
  }
  if (count(props) === 0) {
    return html`<h1 id="page-heading">${t(locale, 'consent.again_heading', { client })}</h1>
<p>${t(locale, 'consent.again_intro', { client })}</p>
${itemList(locale, props.granted)}
<p class="note">${t(locale, 'consent.again_deny_note', { client })}</p>`;
  }
  return html`<h1 id="page-heading">${t(locale, 'consent.more_heading', { client })}</h1>
<p>${t(locale, 'consent.more_intro', { client })}</p>
${itemList(locale, props)}
<details class="granted">
<summary>${t(locale, 'consent.granted_summary', { client, count: granted })}</summary>
<p>${t(locale, 'consent.granted_intro', { client })}</p>
${itemList(locale, props.granted)}
</details>
<p class="note">${t(locale, 'consent.more_deny_note', { client })}</p>`;
}

export function consentPage(shell: PageShell, props: ConsentProps): string {
  const { locale } = shell;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
${clientLogo(props.clientLogoUri)}
${whatIsAsked(locale, props)}
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
