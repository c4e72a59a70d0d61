import { findProvince } from '../src/accounts/index.ts';
import { optionValues, registrationSteps, type FieldDefinition, type FieldError, type OptionSource } from '../src/accounts/registration/index.ts';
import { defaultPasswordPolicy } from '../src/passwords/index.ts';
import { html, type SafeHtml } from './html.ts';
import { hasMessage, t, type Locale, type MessageKey, type MessageParams } from '../src/i18n/index.ts';
import { csrfField, errorSummary as summaryBox, passwordChecklist, rulesOutsideChecklist } from './components.ts';
import { layout, type PageShell } from './layout.ts';

export type RegistrationType = 'citizen' | 'organization';

export interface RegisterChoiceProps {
  csrfToken: string;
  action: string;
  clientName?: string;
  /** The sign-in page of the same flow, for people who already have an account. */
  signInHref?: string;
}

export interface RegisterFormProps {
  type: RegistrationType;
  csrfToken: string;
  action: string;
  /** What was typed, shown again; password fields are never filled from it. */
  values: Readonly<Record<string, string>>;
  errors: Readonly<Record<string, FieldError>>;
  clientName?: string;
  /** An i18n key for a problem of the whole form, such as `register.duplicate_national_id`. */
  formError?: MessageKey;
  signInHref?: string;
  /** The step shown, 1-based (accounts/registration/steps.ts); the values of the others travel hidden. */
  step?: number;
  /** The birth year the personal number already told, said in the birth date's hint. */
  idBirthYear?: number;
  /** The configured shortest password, for the checklist. */
  passwordMinLength?: number;
}

function clientLead(locale: Locale, clientName: string | undefined): SafeHtml {
  return clientName === undefined ? html`` : html`<p class="lead">${t(locale, 'register.for_client', { client: clientName })}</p>`;
}

function signInLink(locale: Locale, href: string | undefined): SafeHtml {
  return href === undefined ? html`` : html`<p class="form-links"><a href="${href}">${t(locale, 'register.sign_in_instead')}</a></p>`;
}

export function registerChoicePage(shell: PageShell, props: RegisterChoiceProps): string {
  const { locale } = shell;
  const choice = (type: RegistrationType, style: string) =>
    html`<button type="submit" name="type" value="${type}" class="button ${style}">${t(locale, `register.type.${type}`)}<span class="button__hint">${t(locale, `register.type.${type}_hint`)}</span></button>`;

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'register.heading')}</h1>
${clientLead(locale, props.clientName)}
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
<fieldset class="choice">
<legend>${t(locale, 'register.choose_type')}</legend>
<div class="actions">
${choice('citizen', 'button--primary')}
${choice('organization', 'button--secondary')}
</div>
</fieldset>
</form>
${signInLink(locale, props.signInHref)}
</section>`,
  );
}

const optionLabelKeys: Partial<Record<OptionSource, 'option.gender.' | 'option.id_type.'>> = {
  genders: 'option.gender.',
  documentTypes: 'option.id_type.',
};

const collators = new Map<Locale, Intl.Collator>();
const regionNames = new Map<Locale, Intl.DisplayNames>();

function sortedByName(locale: Locale, options: { value: string; label: string }[]): { value: string; label: string }[] {
  let collator = collators.get(locale);
  if (collator === undefined) collators.set(locale, (collator = new Intl.Collator(locale)));
  return options.sort((a, b) => collator.compare(a.label, b.label));
}

// Province names are proper names, the same in both languages; country names come from the
// runtime's CLDR data in the page's language, so the list needs no translation of its own.
function selectOptions(locale: Locale, source: OptionSource): { value: string; label: string }[] {
  const values = optionValues(source);
  switch (source) {
    case 'provinces':
      return sortedByName(locale, values.map((value) => ({ value, label: findProvince(value)?.name ?? value })));
    case 'countries': {
      let names = regionNames.get(locale);
      if (names === undefined) regionNames.set(locale, (names = new Intl.DisplayNames([locale], { type: 'region' })));
      const [first, ...rest] = values.map((value) => ({ value, label: names.of(value) ?? value }));
      return [first, ...sortedByName(locale, rest)];
    }
    default:
      return values.map((value) => ({ value, label: message(locale, `${optionLabelKeys[source]}${value}`) }));
  }
}

// A field's validator reports its error as a code string; one without a message is shown as
// the code itself, so a missing message is seen rather than hidden.
function message(locale: Locale, code: string, params?: MessageParams): string {
  return hasMessage(code) ? t(locale, code, params) : code;
}

function errorMessage(locale: Locale, field: FieldDefinition, error: FieldError): SafeHtml {
  // The rules a password broke are marked in its checklist; only the others are written here.
  if (field.name === 'password' && error.code === 'password.weak') {
    return html`${rulesOutsideChecklist((error.list ?? []) as MessageKey[]).map((code) => html`<p>${t(locale, code)}</p>`)}`;
  }
  const text = message(locale, error.code, error.params);
  if (error.list === undefined || error.list.length === 0) return html`${text}`;
  return html`${text}<ul>${error.list.map((code) => html`<li>${message(locale, code)}</li>`)}</ul>`;
}

function summaryText(locale: Locale, error: FieldError): string {
  return [message(locale, error.code, error.params), ...(error.list ?? []).map((code) => message(locale, code))].join(' ');
}

function label(locale: Locale, field: FieldDefinition): SafeHtml {
  const optional = field.required ? html`` : html` <span class="optional">(${t(locale, 'register.optional')})</span>`;
  return html`<label for="${field.name}">${t(locale, field.label)}${optional}</label>`;
}

// Vietnamese write dates day/month/year; a date input would show the browser's own order
// (mm/dd/yyyy in many), so dates are typed as text, checked by the same parser on the server.
function inputType(field: FieldDefinition): string {
  return field.kind === 'date' ? 'text' : field.kind;
}

function control(locale: Locale, field: FieldDefinition, value: string, describedBy: string[], invalid: boolean): SafeHtml {
  const extra = [
    field.required ? html` required` : html``,
    describedBy.length === 0 ? html`` : html` aria-describedby="${describedBy.join(' ')}"`,
    invalid ? html` aria-invalid="true"` : html``,
  ];
  if (field.kind === 'select') {
    const options = selectOptions(locale, field.options!);
    const placeholder = field.defaultValue === undefined ? html`<option value="">${t(locale, 'option.choose')}</option>` : html``;
    const items = options.map((option) =>
      html`<option value="${option.value}"${option.value === value ? html` selected` : html``}>${option.label}</option>`,
    );
    return html`<select id="${field.name}" name="${field.name}" autocomplete="${field.autocomplete}"${extra}>${placeholder}${items}</select>`;
  }
  // A password is never sent back to the browser, not even after an error elsewhere.
  const shown = field.kind === 'password' ? html`` : html` value="${value}"`;
  const mode = field.kind === 'date' ? 'numeric' : field.inputmode;
  const inputmode = mode === undefined ? html`` : html` inputmode="${mode}"`;
  const checklist = field.name === 'password' ? html` data-password-rules="password-rules"` : html``;
  const literal = field.autocapitalize === 'none'
    ? html` autocapitalize="none" autocorrect="off" spellcheck="false"`
    : field.autocapitalize === 'words' ? html` autocapitalize="words"` : html``;
  return html`<input id="${field.name}" name="${field.name}" type="${inputType(field)}"${shown}${inputmode} autocomplete="${field.autocomplete}"${literal} maxlength="${field.maxLength}"${extra}${checklist}>`;
}

interface FieldExtras {
  idBirthYear?: number;
  passwordMinLength: number;
}

function hintOf(locale: Locale, field: FieldDefinition, extras: FieldExtras, error: FieldError | undefined): { html: SafeHtml; id?: string } {
  const id = `${field.name}-hint`;
  if (field.name === 'password') {
    const broken = error?.code === 'password.weak' ? (error.list ?? []) as MessageKey[] : [];
    return { html: passwordChecklist(locale, { minLength: extras.passwordMinLength, history: false }, broken), id: 'password-rules' };
  }
  if (field.name === 'birthdate' && extras.idBirthYear !== undefined) {
    return { html: html`<p class="hint" id="${id}">${t(locale, 'field.date_hint_from_id', { year: extras.idBirthYear })}</p>`, id };
  }
  if (field.hint === undefined) return { html: html`` };
  return { html: html`<p class="hint" id="${id}">${t(locale, field.hint)}</p>`, id };
}

function fieldBlock(locale: Locale, field: FieldDefinition, value: string, error: FieldError | undefined, extras: FieldExtras): SafeHtml {
  const errorId = `${field.name}-error`;
  const hint = hintOf(locale, field, extras, error);
  const shown = error === undefined ? html`` : errorMessage(locale, field, error);
  const problem = error === undefined || shown.toString() === ''
    ? html``
    : html`<div class="field-error" id="${errorId}"><span class="sr-only">${t(locale, 'field.error_prefix')} </span>${shown}</div>`;
  const describedBy = [...(hint.id === undefined ? [] : [hint.id]), ...(problem.toString() === '' ? [] : [errorId])];
  return html`<div class="field${error === undefined ? '' : ' field--error'}">
${label(locale, field)}
${hint.html}
${problem}
${control(locale, field, value, describedBy, error !== undefined)}
</div>`;
}

/** The summary above a form of declared fields: a link to each field in error, then any error of no field shown. */
export function fieldErrorSummary(
  locale: Locale,
  fields: readonly FieldDefinition[],
  errors: Readonly<Record<string, FieldError>>,
  formError?: MessageKey,
  /** The sentence before the list, naming the form's button. */
  intro: MessageKey = 'register.errors_intro',
): SafeHtml {
  const declared = new Set(fields.map((field) => field.name));
  const items = [
    ...fields.flatMap((field) => {
      const error = errors[field.name];
      // A short label leading to the field; the whole message is at the field.
      return error === undefined ? [] : [html`<li><a href="#${field.name}">${t(locale, field.label)}</a></li>`];
    }),
    // An error about a name the form does not show is still listed, so nothing is hidden.
    ...Object.entries(errors)
      .filter(([name]) => !declared.has(name))
      .map(([, error]) => html`<li>${summaryText(locale, error)}</li>`),
  ];
  const lines = [
    ...(formError === undefined ? [] : [html`${t(locale, formError)}`]),
    ...(items.length === 0 ? [] : [html`${t(locale, intro)}`]),
  ];
  return summaryBox({ id: 'register-errors', lines, items });
}

/** Consecutive fields of one group share a fieldset, whose legend names the group. */
function groups(fields: readonly FieldDefinition[]): FieldDefinition[][] {
  const result: FieldDefinition[][] = [];
  for (const field of fields) {
    const last = result[result.length - 1];
    if (last !== undefined && last[0].group === field.group) last.push(field);
    else result.push([field]);
  }
  return result;
}

/** The values of the steps not shown, carried to the next post; passwords are asked in the last step only. */
function carried(fields: readonly FieldDefinition[], values: Readonly<Record<string, string>>): SafeHtml[] {
  return fields
    .filter((field) => field.kind !== 'password' && Object.hasOwn(values, field.name))
    .map((field) => html`<input type="hidden" name="${field.name}" value="${values[field.name]}">`);
}

export interface FieldsetsProps {
  /** What was typed, shown again; password fields are never filled from it. */
  values: Readonly<Record<string, string>>;
  errors: Readonly<Record<string, FieldError>>;
  idBirthYear?: number;
  passwordMinLength?: number;
}

/** Declared fields as inputs with their labels, hints and errors, consecutive fields of one group in one fieldset. */
export function fieldsets(locale: Locale, fields: readonly FieldDefinition[], props: FieldsetsProps): SafeHtml[] {
  const extras: FieldExtras = { idBirthYear: props.idBirthYear, passwordMinLength: props.passwordMinLength ?? defaultPasswordPolicy.minLength };
  return groups(fields).map((group) => {
    const blocks = group.map((field) => {
      const value = Object.hasOwn(props.values, field.name) ? props.values[field.name] : (field.defaultValue ?? '');
      return fieldBlock(locale, field, value, Object.hasOwn(props.errors, field.name) ? props.errors[field.name] : undefined, extras);
    });
    return html`<fieldset class="field-group">
<legend>${t(locale, group[0].group)}</legend>
${blocks}
</fieldset>`;
  });
}

/**
 * One step of the registration form of one account type, rendered from its field declaration
 * (Ninh Thuận 2024 Art. 8.2): a field added to the declaration appears here without touching
 * this file, in the step its group belongs to.
 */
export function registerFormPage(
  shell: PageShell,
  props: RegisterFormProps,
  steps: readonly (readonly FieldDefinition[])[] = registrationSteps[props.type],
): string {
  const { locale } = shell;
  const step = Math.min(Math.max(props.step ?? 1, 1), steps.length);
  const fields = steps[step - 1];
  const last = step === steps.length;
  const back = step === 1
    ? html``
    : html`<button type="submit" name="go" value="back" class="button button--secondary" formnovalidate>${t(locale, 'register.back')}</button>`;

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, `register.heading_${props.type}`)}</h1>
<p class="progress">${t(locale, 'register.progress', { step, steps: steps.length })}</p>
${clientLead(locale, props.clientName)}
${fieldErrorSummary(locale, fields, props.errors, props.formError)}
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
<input type="hidden" name="type" value="${props.type}">
<input type="hidden" name="step" value="${String(step)}">
${carried(steps.filter((_, index) => index !== step - 1).flat(), props.values)}
${fieldsets(locale, fields, props)}
${last ? html`<p class="note">${t(locale, 'register.sms_note')}</p>` : html``}
<div class="actions">
<button type="submit" name="go" value="next" class="button button--primary">${t(locale, last ? 'register.submit' : 'register.next')}</button>
${back}
</div>
</form>
${signInLink(locale, props.signInHref)}
</section>`,
  );
}
