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
  confirmationLabel: MessageKey;
}

/** What the checklist needs of the configured policy (SPEC R5). */
export interface PasswordRulesShown {
  minLength: number;
  /** Whether an earlier password of the account is refused (a reset or a change; not a new account). */
  history: boolean;
}

type ChecklistItem = 'length' | 'upper' | 'lower' | 'digit' | 'special' | 'personal' | 'reused';

// The rules a person can see met while typing come first; the browser ticks them
// (assets/password-rules.js, the same tests as passwords/policy.ts). The last two only the
// server can judge, and are marked only after it did.
const CHECKLIST_OF: Partial<Record<MessageKey, ChecklistItem>> = {
  'password.too_short': 'length',
  'password.needs_upper': 'upper',
  'password.needs_lower': 'lower',
  'password.needs_digit': 'digit',
  'password.needs_special': 'special',
  'password.contains_personal': 'personal',
  'password.reused': 'reused',
};

function checklistItems(rules: PasswordRulesShown): ChecklistItem[] {
  return ['length', 'upper', 'lower', 'digit', 'special', 'personal', ...(rules.history ? ['reused' as const] : [])];
}

function itemText(locale: Locale, item: ChecklistItem, rules: PasswordRulesShown): string {
  return t(locale, `password.rule.${item}`, { min: rules.minLength });
}

/** "Một chữ in hoa (A–Z)" inside a sentence: "một chữ in hoa (A–Z)". */
function lowerFirst(locale: Locale, text: string): string {
  return text.charAt(0).toLocaleLowerCase(locale) + text.slice(1);
}

function splitPasswordErrors(errors: readonly MessageKey[]): { failed: Set<ChecklistItem>; other: MessageKey[]; mismatch: boolean } {
  const failed = new Set<ChecklistItem>();
  const other: MessageKey[] = [];
  for (const code of errors) {
    if (code === 'password.mismatch') continue;
    const item = CHECKLIST_OF[code];
    if (item === undefined) other.push(code);
    else failed.add(item);
  }
  return { failed, other, mismatch: errors.includes('password.mismatch') };
}

/** The refused rules a checklist does not show (a common password, one too long), to be said in words. */
export function rulesOutsideChecklist(errors: readonly MessageKey[]): MessageKey[] {
  return splitPasswordErrors(errors).other;
}

/**
 * The summary lines for a new password: one short line naming the rules not met, pointing to
 * the password; a mismatch, pointing to the confirmation.
 */
export function newPasswordSummaryLines(locale: Locale, errors: readonly MessageKey[], rules: PasswordRulesShown): SafeHtml[] {
  const { failed, other, mismatch } = splitPasswordErrors(errors);
  const lines: SafeHtml[] = [];
  if (failed.size > 0) {
    const names = checklistItems(rules).filter((item) => failed.has(item)).map((item) => lowerFirst(locale, itemText(locale, item, rules)));
    lines.push(summaryLine(t(locale, 'password.rules_failed', { rules: names.join('; ') }), 'password'));
  }
  for (const code of other) lines.push(summaryLine(t(locale, code), 'password'));
  if (mismatch) lines.push(summaryLine(t(locale, 'password.mismatch'), 'passwordConfirmation'));
  return lines;
}

/**
 * The rules, shown once as a checklist under the password's label before anything is typed.
 * After a refused attempt each rule not met is marked so, in words as well as by its mark.
 */
export function passwordChecklist(locale: Locale, rules: PasswordRulesShown, errors: readonly MessageKey[] = []): SafeHtml {
  const { failed } = splitPasswordErrors(errors);
  const items = checklistItems(rules).map((item) => {
    const state = failed.has(item) ? 'unmet' : 'unknown';
    const status = failed.has(item) ? html`<span class="checklist__status"> (${t(locale, 'password.rule.unmet')})</span>` : html`<span class="checklist__status"></span>`;
    return html`<li class="checklist__item checklist__item--${state}" data-rule="${item}"><span class="checklist__mark" aria-hidden="true"></span>${itemText(locale, item, rules)}${status}</li>`;
  });
  return html`<div class="checklist" id="password-rules" data-min-length="${String(rules.minLength)}" data-met="${t(locale, 'password.rule.met')}" data-unmet="${t(locale, 'password.rule.unmet')}">
<p class="hint">${t(locale, 'password.rules_heading')}</p>
<ul>${items}</ul>
</div>
<script src="/assets/password-rules.js" defer></script>`;
}

/**
 * The new password with its checklist, and its confirmation. Rules outside the checklist (a
 * common password, one too long) are said under the password, a mismatch under the
 * confirmation, each input described by its own error, so a screen reader on either input
 * hears what to fix there.
 */
export function newPasswordFields(locale: Locale, labels: NewPasswordLabels, errors: readonly MessageKey[], rules: PasswordRulesShown): SafeHtml {
  const { failed, other, mismatch } = splitPasswordErrors(errors);
  const invalid = failed.size > 0 || other.length > 0;
  const errorPrefix = html`<span class="sr-only">${t(locale, 'field.error_prefix')} </span>`;
  const passwordError = other.length === 0
    ? html``
    : html`<div class="field-error" id="password-error">${errorPrefix}${other.map((code) => html`<p>${t(locale, code)}</p>`)}</div>`;
  const confirmationError = mismatch
    ? html`<div class="field-error" id="passwordConfirmation-error">${errorPrefix}${t(locale, 'password.mismatch')}</div>`
    : html``;
  const describedBy = ['password-rules', ...(other.length === 0 ? [] : ['password-error'])].join(' ');
  const passwordValidity = html` aria-describedby="${describedBy}"${invalid ? html` aria-invalid="true"` : html``}`;
  const confirmationValidity = mismatch ? html` aria-invalid="true" aria-describedby="passwordConfirmation-error"` : html``;

  return html`<div class="field${invalid ? ' field--error' : ''}">
<label for="password">${t(locale, labels.label)}</label>
${passwordChecklist(locale, rules, errors)}
${passwordError}
<input id="password" name="password" type="password" autocomplete="new-password" maxlength="1024" required${passwordValidity} data-password-rules="password-rules">
</div>
<div class="field${mismatch ? ' field--error' : ''}">
<label for="passwordConfirmation">${t(locale, labels.confirmationLabel)}</label>
${confirmationError}
<input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" maxlength="1024" required${confirmationValidity}>
</div>`;
}
