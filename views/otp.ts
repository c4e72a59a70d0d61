import { html } from './html.ts';
import { t, type MessageKey } from '../src/i18n/index.ts';
import { csrfField, errorSummary, summaryLine } from './components.ts';
import { layout, type PageShell } from './layout.ts';

export interface OtpProps {
  csrfToken: string;
  action: string;
  /** Extra hidden fields posted with the code and with a resend (a sign-in step's ticket). */
  hidden?: Readonly<Record<string, string>>;
  /** Heading key; the phone-verification heading by default. */
  heading?: MessageKey;
  resendAction: string;
  /** `091****678`; empty where showing it would tell that an account exists (password reset). */
  maskedPhone: string;
  /** An i18n key, for instance `otp.invalid`. */
  error?: MessageKey;
  errorParams?: Record<string, string | number>;
  /** An i18n key, for instance `otp.resent`. */
  notice?: MessageKey;
}

const errorId = 'otp-error';

// Errors a different code would fix point at the code field; those only a new code fixes
// point at the resend button.
const codeErrors = new Set<MessageKey>(['otp.invalid', 'otp.required']);
const resendErrors = new Set<MessageKey>(['otp.expired', 'otp.too_many_attempts']);

/** SPEC R4: the SMS code that verifies a phone, at registration and password reset. */
export function otpPage(shell: PageShell, props: OtpProps): string {
  const { locale } = shell;
  const { error } = props;
  const hiddenFields = Object.entries(props.hidden ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const codeInError = error !== undefined && codeErrors.has(error);
  const target = error === undefined ? undefined : codeInError ? 'code' : resendErrors.has(error) ? 'resend' : undefined;
  const describedBy = codeInError ? `code-hint ${errorId}` : 'code-hint';

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, props.heading ?? 'otp.heading')}</h1>
${props.maskedPhone === '' ? '' : html`<p class="lead">${t(locale, 'otp.sent', { phone: props.maskedPhone })}</p>`}
${props.notice === undefined ? '' : html`<p class="notice" role="status">${t(locale, props.notice)}</p>`}
${errorSummary({ id: errorId, lines: error === undefined ? [] : [summaryLine(t(locale, error, props.errorParams), target)] })}
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
${hiddenFields}
<div class="field">
<label for="code">${t(locale, 'otp.code_label')}</label>
<p class="hint" id="code-hint">${t(locale, 'otp.code_hint')}</p>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required aria-describedby="${describedBy}"${codeInError ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit" class="button button--primary">${t(locale, 'otp.submit')}</button>
</form>
<form method="post" action="${props.resendAction}" class="secondary-form">
${csrfField(props.csrfToken)}
${hiddenFields}
<p class="note">${t(locale, 'otp.resend_hint')}</p>
<button type="submit" id="resend" class="button button--secondary">${t(locale, 'otp.resend')}</button>
</form>
</section>`,
  );
}
