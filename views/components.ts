// The pieces several pages share, written once so every page wires them the same way: the
// CSRF field every form carries (SPEC §6), the error summary at the top of a page, and the
// pair of new-password fields with their errors tied to each input.
import { html, type SafeHtml } from './html.ts';
import { t, type Locale, type MessageKey } from '../src/i18n/index.ts';

/** The hidden anti-forgery field; the only place a page writes `name="_csrf"`. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export interface ErrorSummaryProps {
  /** The id inputs point to with `aria-describedby`. */
  id: string;
  /** One paragraph each, already in the page's language; a line may be a link to its input. */
  lines: readonly SafeHtml[];
  /** A list under the lines, such as one entry per field in error. */
  items?: readonly SafeHtml[];
}

/** The box above the form that a screen reader announces at once; nothing when there is no error. */
export function errorSummary(props: ErrorSummaryProps): SafeHtml {
  const items = props.items ?? [];
  if (props.lines.length === 0 && items.length === 0) return html``;
  const list = items.length === 0 ? html`` : html`\n<ul>${items}</ul>`;
  return html`<div class="error-summary" id="${props.id}" role="alert">
${props.lines.map((line) => html`<p><span class="error-summary__icon" aria-hidden="true"></span>${line}</p>`)}${list}
</div>`;
}

/** A summary line that links to the input it concerns, or plain text for an error of the form. */
export function summaryLine(message: string, target?: string): SafeHtml {
  return target === undefined ? html`${message}` : html`<a href="#${target}">${message}</a>`;
}

export interface NewPasswordLabels {
  label: MessageKey;
  hint: MessageKey;
  confirmationLabel: MessageKey;
}

/**
 * The summary lines for a new password: the broken rules (SPEC R5) point to the password,
 * a mismatch to the confirmation.
 */
export function newPasswordSummaryLines(locale: Locale, errors: readonly MessageKey[]): SafeHtml[] {
  const { rules, mismatch } = splitPasswordErrors(errors);
  const lines: SafeHtml[] = [];
  if (rules.length > 0) lines.push(summaryLine(`${t(locale, 'password.weak')} ${rules.map((code) => t(locale, code)).join(' ')}`, 'password'));
  if (mismatch) lines.push(summaryLine(t(locale, 'password.mismatch'), 'passwordConfirmation'));
  return lines;
}

function splitPasswordErrors(errors: readonly MessageKey[]): { rules: MessageKey[]; mismatch: boolean } {
  return { rules: errors.filter((code) => code !== 'password.mismatch'), mismatch: errors.includes('password.mismatch') };
}

/**
 * The new password and its confirmation. Each broken rule is listed under the password and
 * a mismatch under the confirmation, each input described by its own error, so a screen
 * reader on either input hears what to fix there.
 */
export function newPasswordFields(locale: Locale, labels: NewPasswordLabels, errors: readonly MessageKey[]): SafeHtml {
  const { rules, mismatch } = splitPasswordErrors(errors);
  const errorPrefix = html`<span class="sr-only">${t(locale, 'field.error_prefix')} </span>`;
  const passwordError = rules.length === 0
    ? html``
    : html`<div class="field-error" id="password-error">${errorPrefix}${t(locale, 'password.weak')}<ul>${rules.map((code) => html`<li>${t(locale, code)}</li>`)}</ul></div>`;
  const confirmationError = mismatch
    ? html`<div class="field-error" id="passwordConfirmation-error">${errorPrefix}${t(locale, 'password.mismatch')}</div>`
    : html``;
  const passwordValidity = rules.length === 0
    ? html` aria-describedby="password-hint"`
    : html` aria-describedby="password-hint password-error" aria-invalid="true"`;
  const confirmationValidity = mismatch ? html` aria-invalid="true" aria-describedby="passwordConfirmation-error"` : html``;

  return html`<div class="field${rules.length === 0 ? '' : ' field--error'}">
<label for="password">${t(locale, labels.label)}</label>
<p class="hint" id="password-hint">${t(locale, labels.hint)}</p>
${passwordError}
<input id="password" name="password" type="password" autocomplete="new-password" maxlength="1024" required${passwordValidity}>
</div>
<div class="field${mismatch ? ' field--error' : ''}">
<label for="passwordConfirmation">${t(locale, labels.confirmationLabel)}</label>
${confirmationError}
<input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" maxlength="1024" required${confirmationValidity}>
</div>`;
}
