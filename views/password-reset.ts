import { html, type SafeHtml } from '../src/http/html.ts';
import { t, type Locale } from '../src/i18n/index.ts';
import { layout, type PageShell } from './layout.ts';

export interface ForgotPasswordProps {
  csrfToken: string;
  action: string;
  identifier?: string;
  /** An i18n key, for instance `signin.identifier_required`. */
  error?: string;
}

export interface NewPasswordProps {
  csrfToken: string;
  action: string;
  /** Every password rule code the last attempt broke (SPEC R5), `password.mismatch` included. */
  errors: readonly string[];
  /** An i18n key for a problem of the whole form, such as `csrf.invalid`. */
  error?: string;
}

export interface NoticeProps {
  /** Text, already in the page's language. */
  title: string;
  message: string;
  link?: { href: string; label: string };
}

function summary(id: string, lines: readonly SafeHtml[]): SafeHtml {
  return html`<div class="error-summary" id="${id}" role="alert">
${lines.map((line) => html`<p><span class="error-summary__icon" aria-hidden="true"></span>${line}</p>`)}
</div>`;
}

const forgotFieldErrors = new Set(['signin.identifier_required', 'signin.input_too_long']);

/** The first step of a reset: which account. The answer never tells whether it exists (SPEC §6). */
export function forgotPasswordPage(shell: PageShell, props: ForgotPasswordProps): string {
  const { locale } = shell;
  const fieldInError = props.error !== undefined && forgotFieldErrors.has(props.error);
  const message = props.error === undefined ? '' : t(locale, props.error);
  const validity = fieldInError ? html` aria-invalid="true" aria-describedby="identifier-hint forgot-error"` : html` aria-describedby="identifier-hint"`;

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'reset.heading')}</h1>
${props.error === undefined ? '' : summary('forgot-error', [fieldInError ? html`<a href="#identifier">${message}</a>` : html`${message}`])}
<form method="post" action="${props.action}">
<input type="hidden" name="_csrf" value="${props.csrfToken}">
<div class="field">
<label for="identifier">${t(locale, 'login.identifier_label')}</label>
<p class="hint" id="identifier-hint">${t(locale, 'reset.intro')}</p>
<input id="identifier" name="identifier" type="text" value="${props.identifier ?? ''}" autocomplete="username" autocapitalize="none" autocorrect="off" spellcheck="false" maxlength="256" required${validity}>
</div>
<button type="submit" class="button button--primary">${t(locale, 'reset.submit')}</button>
</form>
</section>`,
  );
}

function ruleList(locale: Locale, codes: readonly string[]): SafeHtml {
  return html`<ul>${codes.map((code) => html`<li>${t(locale, code)}</li>`)}</ul>`;
}

/** The last step of a reset: the new password, checked against every rule at once (SPEC R5). */
export function newPasswordPage(shell: PageShell, props: NewPasswordProps): string {
  const { locale } = shell;
  const mismatch = props.errors.includes('password.mismatch');
  const rules = props.errors.filter((code) => code !== 'password.mismatch');

  const summaryLines: SafeHtml[] = [];
  if (props.error !== undefined) summaryLines.push(html`${t(locale, props.error)}`);
  if (rules.length > 0) summaryLines.push(html`<a href="#password">${t(locale, 'password.weak')} ${rules.map((code) => t(locale, code)).join(' ')}</a>`);
  if (mismatch) summaryLines.push(html`<a href="#passwordConfirmation">${t(locale, 'password.mismatch')}</a>`);

  const passwordError = rules.length === 0
    ? html``
    : html`<div class="field-error" id="password-error"><span class="sr-only">${t(locale, 'register.error_prefix')} </span>${t(locale, 'password.weak')}${ruleList(locale, rules)}</div>`;
  const confirmationError = mismatch
    ? html`<div class="field-error" id="passwordConfirmation-error"><span class="sr-only">${t(locale, 'register.error_prefix')} </span>${t(locale, 'password.mismatch')}</div>`
    : html``;

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'reset.new_password_heading')}</h1>
${summaryLines.length === 0 ? '' : summary('new-password-errors', summaryLines)}
<form method="post" action="${props.action}">
<input type="hidden" name="_csrf" value="${props.csrfToken}">
<div class="field${rules.length === 0 ? '' : ' field--error'}">
<label for="password">${t(locale, 'reset.new_password_label')}</label>
<p class="hint" id="password-hint">${t(locale, 'field.password_hint')}</p>
${passwordError}
<input id="password" name="password" type="password" autocomplete="new-password" maxlength="1024" required aria-describedby="password-hint${rules.length === 0 ? '' : ' password-error'}"${rules.length === 0 ? '' : html` aria-invalid="true"`}>
</div>
<div class="field${mismatch ? ' field--error' : ''}">
<label for="passwordConfirmation">${t(locale, 'field.password_confirmation')}</label>
${confirmationError}
<input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" maxlength="1024" required${mismatch ? html` aria-invalid="true" aria-describedby="passwordConfirmation-error"` : ''}>
</div>
<button type="submit" class="button button--primary">${t(locale, 'reset.new_password_submit')}</button>
</form>
</section>`,
  );
}

/** The outcome of a flow, such as a changed password, with the way on. */
export function noticePage(shell: PageShell, props: NoticeProps): string {
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${props.title}</h1>
<p>${props.message}</p>
${props.link === undefined ? '' : html`<p><a class="button button--primary" href="${props.link.href}">${props.link.label}</a></p>`}
</section>`,
  );
}
