import { html, raw } from './html.ts';
import { t } from '../src/i18n/index.ts';
import { layout, type PageShell } from './layout.ts';
import { HOME_PATH } from './page-actions.ts';

export interface LogoutProps {
  /** oidc-provider's `<form id="op.logoutForm">` with its hidden xsrf input; trusted markup. */
  formHtml: string;
  clientName?: string;
}

export interface LoggedOutProps {
  clientName?: string;
}

// Both buttons submit oidc-provider's form; only "logout=yes" ends the session, the other
// returns to the client still signed in.
export function logoutPage(shell: PageShell, props: LogoutProps): string {
  const { locale } = shell;
  const question = props.clientName === undefined
    ? t(locale, 'logout.question')
    : t(locale, 'logout.question_client', { client: props.clientName });

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${question}</h1>
<p>${t(locale, 'logout.explanation')}</p>
${raw(props.formHtml)}
<div class="actions">
<button type="submit" form="op.logoutForm" name="logout" value="yes" class="button button--primary">${t(locale, 'logout.confirm')}</button>
<button type="submit" form="op.logoutForm" class="button button--secondary">${t(locale, 'logout.stay')}</button>
</div>
</section>`,
  );
}

export function loggedOutPage(shell: PageShell, props: LoggedOutProps): string {
  const { locale } = shell;
  const fromClient = props.clientName === undefined
    ? ''
    : html`<p>${t(locale, 'logged_out.from_client', { client: props.clientName })}</p>`;

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'logged_out.title')}</h1>
${fromClient}
<p>${t(locale, 'logged_out.close_page')}</p>
<p class="form-links"><a href="${HOME_PATH}">${t(locale, 'nav.home')}</a></p>
</section>`,
  );
}
