import { findProvince } from '../src/accounts/index.ts';
import { optionValues, registrationFields, type FieldDefinition, type FieldError, type OptionSource } from '../src/accounts/registration/index.ts';
import { html, type SafeHtml } from './html.ts';
import { hasMessage, t, type Locale, type MessageKey, type MessageParams } from '../src/i18n/index.ts';
import { csrfField, errorSummary as summaryBox } from './components.ts';
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

function errorMessage(locale: Locale, error: FieldError): SafeHtml {
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
  const inputmode = field.inputmode === undefined ? html`` : html` inputmode="${field.inputmode}"`;
  const literal = field.autocapitalize === 'none'
    ? html` autocapitalize="none" autocorrect="off" spellcheck="false"`
    : field.autocapitalize === 'words' ? html` autocapitalize="words"` : html``;
  return html`<input id="${field.name}" name="${field.name}" type="${field.kind}"${shown}${inputmode} autocomplete="${field.autocomplete}"${literal} maxlength="${field.maxLength}"${extra}>`;
}

function fieldBlock(locale: Locale, field: FieldDefinition, value: string, error: FieldError | undefined): SafeHtml {
  const hintId = `${field.name}-hint`;
  const errorId = `${field.name}-error`;
  const hint = field.hint === undefined ? html`` : html`<p class="hint" id="${hintId}">${t(locale, field.hint)}</p>`;
  const problem = error === undefined
    ? html``
    : html`<div class="field-error" id="${errorId}"><span class="sr-only">${t(locale, 'field.error_prefix')} </span>${errorMessage(locale, error)}</div>`;
  const describedBy = [...(field.hint === undefined ? [] : [hintId]), ...(error === undefined ? [] : [errorId])];
  return html`<div class="field${error === undefined ? '' : ' field--error'}">
${label(locale, field)}
${hint}
${problem}
${control(locale, field, value, describedBy, error !== undefined)}
</div>`;
}

function errorSummary(locale: Locale, fields: readonly FieldDefinition[], props: RegisterFormProps): SafeHtml {
  const declared = new Set(fields.map((field) => field.name));
  const items = [
    ...fields.flatMap((field) => {
      const error = props.errors[field.name];
      return error === undefined ? [] : [html`<li><a href="#${field.name}">${t(locale, field.label)}: ${summaryText(locale, error)}</a></li>`];
    }),
    // An error about a name the form does not show is still listed, so nothing is hidden.
    ...Object.entries(props.errors)
      .filter(([name]) => !declared.has(name))
      .map(([, error]) => html`<li>${summaryText(locale, error)}</li>`),
  ];
  const lines = [
    ...(props.formError === undefined ? [] : [html`${t(locale, props.formError)}`]),
    ...(items.length === 0 ? [] : [html`${t(locale, 'register.errors_intro')}`]),
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

/**
 * The registration form of one account type, rendered from its field declaration (Ninh Thuận
 * 2024 Art. 8.2): a field added to the declaration appears here without touching this file.
 */
export function registerFormPage(
  shell: PageShell,
  props: RegisterFormProps,
  fields: readonly FieldDefinition[] = registrationFields[props.type],
): string {
  const { locale } = shell;
  const fieldsets = groups(fields).map((group) => {
    const blocks = group.map((field) => {
      const value = Object.hasOwn(props.values, field.name) ? props.values[field.name] : (field.defaultValue ?? '');
      return fieldBlock(locale, field, value, Object.hasOwn(props.errors, field.name) ? props.errors[field.name] : undefined);
    });
    return html`<fieldset class="field-group">
<legend>${t(locale, group[0].group)}</legend>
${blocks}
</fieldset>`;
  });

  return layout(
    shell,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, `register.heading_${props.type}`)}</h1>
${clientLead(locale, props.clientName)}
${errorSummary(locale, fields, props)}
<form method="post" action="${props.action}">
${csrfField(props.csrfToken)}
<input type="hidden" name="type" value="${props.type}">
${fieldsets}
<p class="note">${t(locale, 'register.sms_note')}</p>
<button type="submit" class="button button--primary">${t(locale, 'register.submit')}</button>
</form>
${signInLink(locale, props.signInHref)}
</section>`,
  );
}
