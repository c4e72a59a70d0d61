import { html, type SafeHtml } from './html.ts';
import { hasMessage, t, type Locale } from '../src/i18n/index.ts';
import { csrfField } from './components.ts';
import { clientLogo, layout, type PageShell } from './layout.ts';
import type { ConsentOffer } from '../src/oidc/index.ts';

export interface ConsentItems {
  scopes: string[];
  /** Claims asked for one by one, beyond what the scopes already cover. */
  claims: string[];
}

export interface ConsentProps {
  csrfToken: string;
  action: string;
  clientName: string;
  clientLogoUri?: string;
  /** The agency that operates the app, and why it processes personal data (Decree 13/2023 Art. 11.2). */
  agency?: string;
  purpose?: string;
  /** What is asked now, each item a box the person may untick but the required ones. */
  offer: ConsentOffer;
  /** What the person allowed this app before (their consent in force); asked again, it is not listed here. */
  granted: ConsentItems;
}

/** The form field of an offered datum's box; its value is `yes` when ticked. */
export function choiceField(kind: 'scope' | 'claim', name: string): string {
  return `${kind}:${name}`;
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

/**
 * One box per datum (Decree 13/2023 Art. 11.4: consent to each purpose and datum apart): ticked
 * when first asked, unticked when the person refused it before; a required one (who the person
 * is) ticked and fixed, with why. A plain form field: no script needed to refuse.
 */
function choice(locale: Locale, kind: 'scope' | 'claim', item: { name: string; checked: boolean; required?: boolean }): SafeHtml {
  const id = `consent-${kind}-${item.name}`;
  const label = describe(locale, kind, item.name);
  if (item.required) {
    return html`<li class="choice"><input type="checkbox" id="${id}" checked disabled aria-describedby="${id}-note"><label for="${id}">${label}<span class="choice__note" id="${id}-note">${t(locale, 'consent.required_note')}</span></label></li>`;
  }
  return html`<li class="choice"><input type="checkbox" id="${id}" name="${choiceField(kind, item.name)}" value="yes"${item.checked ? html` checked` : ''}><label for="${id}">${label}</label></li>`;
}

function choices(locale: Locale, offer: ConsentOffer): SafeHtml {
  const scopeItems = offer.scopes.map((scope) => choice(locale, 'scope', scope));
  const claimItems = offer.claims.map((claim) => choice(locale, 'claim', claim));
  return html`${scopeItems.length === 0 ? '' : html`<ul class="choices">${scopeItems}</ul>`}
${claimItems.length === 0 ? '' : html`<p>${t(locale, 'consent.claims_intro')}</p>
<ul class="choices">${claimItems}</ul>`}`;
}

const count = (items: ConsentItems) => items.scopes.length + items.claims.length;
const offered = (offer: ConsentOffer) => offer.scopes.length + offer.claims.length;
const refusable = (offer: ConsentOffer) => offer.claims.length + offer.scopes.filter((scope) => !scope.required).length;

/** Who operates the app and why it processes personal data, as its operator registered them. */
function appFacts(locale: Locale, props: ConsentProps): SafeHtml {
  if (props.agency === undefined && props.purpose === undefined) return html``;
  return html`<dl class="app-facts">
${props.agency === undefined ? '' : html`<dt>${t(locale, 'consent.agency_label')}</dt><dd>${props.agency}</dd>`}
${props.purpose === undefined ? '' : html`<dt>${t(locale, 'consent.purpose_label')}</dt><dd>${props.purpose}</dd>`}
</dl>`;
}

// Decree 13/2023 Art. 11: consent is given to what is asked, knowing what it adds to. A first
// request lists everything; a wider one says what the app already has, lists what it adds,
// and shows the rest on a tap (details works without JavaScript); a request for nothing new
// (prompt=consent, a native app) lists what the app already has.
function whatIsAsked(locale: Locale, props: ConsentProps): SafeHtml {
  const client = props.clientName;
  const granted = count(props.granted);
  const choose = refusable(props.offer) === 0 ? '' : html`<p class="note">${t(locale, 'consent.choose_note')}</p>`;
  if (granted === 0) {
    return html`<p>${t(locale, 'consent.scopes_intro', { client })}</p>
${choose}
${choices(locale, props.offer)}
<p class="note">${t(locale, 'consent.deny_note', { client })}</p>`;
  }
  if (offered(props.offer) === 0) {
    return html`<p>${t(locale, 'consent.again_intro', { client })}</p>
${itemList(locale, props.granted)}
<p class="note">${t(locale, 'consent.again_deny_note', { client })}</p>`;
  }
  return html`<p>${t(locale, 'consent.more_intro', { client })}</p>
${choose}
${choices(locale, props.offer)}
<details class="granted">
<summary>${t(locale, 'consent.granted_summary', { client, count: granted })}</summary>
<p>${t(locale, 'consent.granted_intro', { client })}</p>
${itemList(locale, props.granted)}
</details>
<p class="note">${t(locale, 'consent.more_deny_note', { client })}</p>`;
}

function heading(locale: Locale, props: ConsentProps): string {
  const client = props.clientName;
  if (count(props.granted) === 0) return t(locale, 'consent.heading', { client });
  return offered(props.offer) === 0 ? t(locale, 'consent.again_heading', { client }) : t(locale, 'consent.more_heading', { client });
}

export function consentPage(shell: PageShell, props: ConsentProps): string {
  const { locale } = shell;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
${clientLogo(props.clientLogoUri)}
<h1 id="page-heading">${heading(locale, props)}</h1>
${appFacts(locale, props)}
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
${whatIsAsked(locale, props)}
<div class="actions">
<button type="submit" name="decision" value="allow" class="button button--primary">${t(locale, 'consent.allow')}</button>
<button type="submit" name="decision" value="deny" class="button button--secondary">${t(locale, 'consent.deny')}</button>
</div>
</form>
</section>`,
  );
}
