// The steps of a sign-in after the password (SPEC R5, R6): a second factor, enrolling one,
// changing an expired password, and the warning before it expires. Each form carries the
// step's signed ticket.
import { html, type SafeHtml } from './html.ts';
import { t, type MessageKey } from '../src/i18n/index.ts';
import { csrfField, errorSummary, newPasswordFields, newPasswordSummaryLines } from './components.ts';
import { layout, type PageShell } from './layout.ts';

interface StepForm {
  csrfToken: string;
  action: string;
  ticket: string;
}

function hidden(form: StepForm): SafeHtml {
  return html`${csrfField(form.csrfToken)}
<input type="hidden" name="ticket" value="${form.ticket}">`;
}

const errorId = 'step-error';

function stepError(locale: PageShell['locale'], error: MessageKey | undefined): SafeHtml {
  return errorSummary({ id: errorId, lines: error === undefined ? [] : [html`${t(locale, error)}`] });
}

/** The authenticator-app code, or one of the recovery codes. */
export function totpPage(shell: PageShell, props: StepForm & { error?: MessageKey }): string {
  const { locale } = shell;
  const invalid = props.error ? html` aria-invalid="true" aria-describedby="totp-hint step-error"` : html` aria-describedby="totp-hint"`;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'totp.heading')}</h1>
${stepError(locale, props.error)}
<form method="post" action="${props.action}">
${hidden(props)}
<div class="field">
<label for="code">${t(locale, 'totp.code_label')}</label>
<p class="hint" id="totp-hint">${t(locale, 'totp.code_hint')}</p>
<input id="code" name="code" type="text" inputmode="text" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="20" required${invalid}>
</div>
<button type="submit" class="button button--primary">${t(locale, 'totp.submit')}</button>
</form>
</section>`,
  );
}

/** Enrolment: scan the QR code (or type the key), confirm with a first code. */
export function totpEnrolPage(shell: PageShell, props: StepForm & { qrDataUrl: string; secret: string; required: boolean; error?: MessageKey }): string {
  const { locale } = shell;
  const invalid = props.error ? html` aria-invalid="true" aria-describedby="step-error"` : html``;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'totp.enrol_heading')}</h1>
${props.required ? html`<p class="lead">${t(locale, 'totp.enrol_required')}</p>` : ''}
${stepError(locale, props.error)}
<ol class="steps">
<li>${t(locale, 'totp.enrol_step_app')}</li>
<li>${t(locale, 'totp.enrol_step_scan')}<br><img class="qr" src="${props.qrDataUrl}" width="200" height="200" alt="${t(locale, 'totp.qr_alt')}"></li>
<li>${t(locale, 'totp.enrol_step_key')} <code class="secret">${props.secret}</code></li>
</ol>
<form method="post" action="${props.action}">
${hidden(props)}
<div class="field">
<label for="code">${t(locale, 'totp.enrol_code_label')}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required${invalid}>
</div>
<button type="submit" class="button button--primary">${t(locale, 'totp.enrol_submit')}</button>
</form>
</section>`,
  );
}

/** The ten recovery codes, shown once. */
export function recoveryCodesPage(shell: PageShell, props: StepForm & { codes: readonly string[] }): string {
  const { locale } = shell;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'totp.codes_heading')}</h1>
<p class="lead">${t(locale, 'totp.codes_intro')}</p>
<ul class="recovery-codes">${props.codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>
<form method="post" action="${props.action}">
${hidden(props)}
<button type="submit" class="button button--primary">${t(locale, 'totp.codes_continue')}</button>
</form>
</section>`,
  );
}

/** A new password, because the old one expired, an operator asked, or the person chose to. */
export function passwordChangePage(shell: PageShell, props: StepForm & { reason: 'expired' | 'required' | 'chosen'; maxAgeDays: number; passwordMinLength: number; errors: readonly MessageKey[] }): string {
  const { locale } = shell;
  const rules = { minLength: props.passwordMinLength, history: true };
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'password_change.heading')}</h1>
<p class="lead">${t(locale, `password_change.reason_${props.reason}`, { days: props.maxAgeDays })}</p>
${errorSummary({ id: errorId, lines: newPasswordSummaryLines(locale, props.errors, rules) })}
<form method="post" action="${props.action}">
${hidden(props)}
${newPasswordFields(locale, { label: 'password_change.new_label', confirmationLabel: 'password_change.confirm_label' }, props.errors, rules)}
<button type="submit" class="button button--primary">${t(locale, 'password_change.submit')}</button>
</form>
</section>`,
  );
}

/** From 14 days before expiry: change now, or later. */
export function passwordWarningPage(shell: PageShell, props: StepForm & { laterAction: string; daysLeft: number }): string {
  const { locale } = shell;
  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'password_warning.heading')}</h1>
<p class="lead">${t(locale, 'password_warning.message', { days: props.daysLeft })}</p>
<form method="post" action="${props.action}">
${hidden(props)}
<button type="submit" class="button button--primary">${t(locale, 'password_warning.change_now')}</button>
</form>
<form method="post" action="${props.laterAction}" class="secondary-form">
${hidden(props)}
<button type="submit" class="button button--secondary">${t(locale, 'password_warning.later')}</button>
</form>
</section>`,
  );
}
