// The built-in demo application's pages (src/demo/, development only): what a trial sign-in
// is, and what the application received at its end, said in plain words beside each claim.
import { html } from './html.ts';
import { t } from '../src/i18n/index.ts';
import { csrfField } from './components.ts';
import { layout, type PageShell } from './layout.ts';

export interface DemoProps {
  csrfToken: string;
  action: string;
  clientName: string;
  /** Back from a sign-out the demo asked for. */
  signedOut: boolean;
}

export function demoPage(shell: PageShell, props: DemoProps): string {
  const { locale } = shell;
  const signedOut = props.signedOut ? html`<p class="notice" role="status">${t(locale, 'demo.signed_out')}</p>` : html``;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'demo.heading')}</h1>
${signedOut}
<p>${t(locale, 'demo.intro', { client: props.clientName })}</p>
<p>${t(locale, 'demo.steps_heading')}</p>
<ol class="data-list">
<li>${t(locale, 'demo.step_sign_in')}</li>
<li>${t(locale, 'demo.step_consent')}</li>
<li>${t(locale, 'demo.step_result')}</li>
</ol>
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
<div class="actions">
<button type="submit" class="button button--primary">${t(locale, 'demo.start')}</button>
</div>
</form>
</section>`,
  );
}

/** One claim as the page shows it: what it means (when known), its name, its value written out. */
export interface ShownClaim {
  name: string;
  meaning?: string;
  value: string;
}

export interface DemoResultProps {
  idToken: readonly ShownClaim[];
  userinfo: readonly ShownClaim[];
  /** RP-initiated logout: the end-session endpoint and its parameters, sent by a plain form. */
  signOut: { action: string; fields: Readonly<Record<string, string>> };
  tryAgainHref: string;
}

function claimList(claims: readonly ShownClaim[]) {
  return html`<dl class="claims">
${claims.map((claim) => html`<div class="claims__item">
<dt>${claim.meaning === undefined ? html`` : html`${claim.meaning} `}<code>${claim.name}</code></dt>
<dd>${claim.value}</dd>
</div>`)}
</dl>`;
}

export function demoResultPage(shell: PageShell, props: DemoResultProps): string {
  const { locale } = shell;
  const hidden = Object.entries(props.signOut.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'demo.result_title')}</h1>
<p>${t(locale, 'demo.result_intro')}</p>
<h2>${t(locale, 'demo.id_token_heading')}</h2>
<p class="lead">${t(locale, 'demo.id_token_intro')}</p>
${claimList(props.idToken)}
<h2>${t(locale, 'demo.userinfo_heading')}</h2>
<p class="lead">${t(locale, 'demo.userinfo_intro')}</p>
${claimList(props.userinfo)}
<p class="note">${t(locale, 'demo.sign_out_note')}</p>
<form method="get" action="${props.signOut.action}">
${hidden}
<div class="actions">
<button type="submit" class="button button--primary">${t(locale, 'demo.sign_out')}</button>
<a class="button button--secondary" href="${props.tryAgainHref}">${t(locale, 'demo.try_again')}</a>
</div>
</form>
</section>`,
  );
}
