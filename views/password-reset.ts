import { html } from './html.ts';
import { t, type MessageKey } from '../src/i18n/index.ts';
import { csrfField, errorSummary, newPasswordFields, newPasswordSummaryLines, summaryLine } from './components.ts';
import { layout, type PageShell } from './layout.ts';

export interface ForgotPasswordProps {
  csrfToken: string;
  action: string;
  identifier?: string;
  /** An i18n key, for instance `signin.identifier_required`. */
  error?: MessageKey;
}

export interface NewPasswordProps {
  csrfToken: string;
  action: string;
  /** Every password rule code the last attempt broke (SPEC R5), `password.mismatch` included. */
  errors: readonly MessageKey[];
  /** An i18n key for a problem of the whole form, such as `csrf.invalid`. */
  error?: MessageKey;
  /** The configured shortest password, for the checklist. */
  passwordMinLength: number;
}

export interface NoticeProps {
  /** Text, already in the page's language. */
  title: string;
  message: string;
  /** What to do next, when the way on is not a link alone. */
  next?: string;
  link?: { href: string; label: string };
}

const forgotFieldErrors = new Set<MessageKey>(['signin.identifier_required', 'signin.input_too_long']);

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
${errorSummary({ id: 'forgot-error', lines: props.error === undefined ? [] : [summaryLine(message, fieldInError ? 'identifier' : undefined)] })}
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
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

/** The last step of a reset: the new password, checked against every rule at once (SPEC R5). */
export function newPasswordPage(shell: PageShell, props: NewPasswordProps): string {
  const { locale } = shell;
  const rules = { minLength: props.passwordMinLength, history: true };
  const summaryLines = [...(props.error === undefined ? [] : [html`${t(locale, props.error)}`]), ...newPasswordSummaryLines(locale, props.errors, rules)];

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'reset.new_password_heading')}</h1>
${errorSummary({ id: 'new-password-errors', lines: summaryLines })}
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
${newPasswordFields(locale, { label: 'reset.new_password_label', confirmationLabel: 'field.password_confirmation' }, props.errors, rules)}
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
${props.next === undefined ? '' : html`<p>${props.next}</p>`}
${props.link === undefined ? '' : html`<p><a class="button button--primary" href="${props.link.href}">${props.link.label}</a></p>`}
</section>`,
  );
}
