import { html, type SafeHtml } from './html.ts';
import { t, type MessageKey } from '../src/i18n/index.ts';
import { csrfField, errorSummary, summaryLine } from './components.ts';
import { clientLogo, layout, type PageShell } from './layout.ts';

export interface LoginProps {
  csrfToken: string;
  action: string;
  clientName: string;
  clientLogoUri?: string;
  identifier?: string;
  /** An i18n key, for instance `signin.failed`. */
  error?: MessageKey;
  errorParams?: Readonly<Record<string, string | number>>;
  forgotPasswordHref: string;
  registerHref: string;
}

type LoginField = 'identifier' | 'password';

// The inputs an error concerns. signin.failed marks both, so the page never hints which of
// the two was wrong; errors absent here (csrf.invalid, interaction.expired) concern the form.
const fieldsInError = new Map<MessageKey, readonly LoginField[]>([
  ['signin.failed', ['identifier', 'password']],
  ['signin.identifier_required', ['identifier']],
  ['signin.password_required', ['password']],
  ['signin.input_too_long', ['identifier', 'password']],
  ['signin.locked', ['identifier', 'password']],
]);

const errorSummaryId = 'signin-error';

export function loginPage(shell: PageShell, props: LoginProps): string {
  const { locale } = shell;
  const invalidFields = props.error === undefined ? [] : (fieldsInError.get(props.error) ?? []);
  const validity = (field: LoginField): SafeHtml =>
    invalidFields.includes(field) ? html` aria-invalid="true" aria-describedby="${errorSummaryId}"` : html``;

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
${clientLogo(props.clientLogoUri)}
<h1 id="page-heading">${t(locale, 'login.heading')}</h1>
<p class="lead">${t(locale, 'login.continue_to', { client: props.clientName })}</p>
${errorSummary({ id: errorSummaryId, lines: props.error === undefined ? [] : [summaryLine(t(locale, props.error, props.errorParams), invalidFields[0])] })}
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
<div class="field">
<label for="identifier">${t(locale, 'login.identifier_label')}</label>
<input id="identifier" name="identifier" type="text" value="${props.identifier ?? ''}" autocomplete="username" autocapitalize="none" autocorrect="off" spellcheck="false" maxlength="256" required${validity('identifier')}>
</div>
<div class="field">
<label for="password">${t(locale, 'login.password_label')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" maxlength="1024" required${validity('password')}>
</div>
<button type="submit" class="button button--primary">${t(locale, 'login.submit')}</button>
</form>
<ul class="page-links">
<li><a href="${props.forgotPasswordHref}">${t(locale, 'login.forgot_password')}</a></li>
<li><a href="${props.registerHref}">${t(locale, 'login.register')}</a></li>
</ul>
</section>`,
  );
}
