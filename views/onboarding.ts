// Relying-party onboarding's pages (SPEC R9; Hue-S Art. 15.2): the integration request form
// (an organization account at /integrations/new, an agency's operator in the console), the
// requester's list of requests with their outcome, and the console's review, credentials,
// rotation, disabling and registration-token pages. Every table scrolls inside its own box on a
// phone; the page itself never scrolls sideways.
import { html, type SafeHtml } from './html.ts';
import { t, type Locale, type MessageKey } from '../src/i18n/index.ts';
import { layout, type PageShell } from './layout.ts';
import { csrfField, errorSummary } from './components.ts';
import type { FormField, RequestFormErrors } from '../src/onboarding/index.ts';

export const ONBOARDING_SCOPES = ['profile', 'email', 'phone', 'address', 'national_id', 'offline_access'] as const;
const SENSITIVE: readonly string[] = ['national_id', 'phone', 'email', 'address'];

/** A moment as people in the province read it, in the page's language. */
export function shownTime(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(at);
}

export interface AgencyOption {
  id: string;
  name: string;
}

export interface RequestFormProps {
  action: string;
  csrfToken: string;
  /** Empty: the agency is not asked (an agency's own operator submits for their agency). */
  agencies: readonly AgencyOption[];
  values: Readonly<Record<string, string>>;
  errors: RequestFormErrors;
}

function fieldError(locale: Locale, name: string, error: MessageKey | undefined): SafeHtml {
  return error === undefined ? html`` : html`<div class="field-error" id="${name}-error"><span class="sr-only">${t(locale, 'field.error_prefix')} </span>${t(locale, error)}</div>`;
}

function described(name: string, hint: boolean, error: boolean): SafeHtml {
  const ids = [...(hint ? [`${name}-hint`] : []), ...(error ? [`${name}-error`] : [])];
  const invalid = error ? html` aria-invalid="true"` : html``;
  return ids.length === 0 ? invalid : html` aria-describedby="${ids.join(' ')}"${invalid}`;
}

interface TextFieldOptions {
  name: FormField;
  label: MessageKey;
  labelParams?: Record<string, string>;
  hint?: MessageKey;
  optional?: boolean;
  multiline?: boolean;
  type?: 'text' | 'url';
}

function textField(locale: Locale, props: RequestFormProps, options: TextFieldOptions): SafeHtml {
  const { name } = options;
  const error = props.errors[name];
  const value = props.values[name] ?? '';
  const hint = options.hint === undefined ? html`` : html`<p class="hint" id="${name}-hint">${t(locale, options.hint)}</p>`;
  const optional = options.optional ? html` <span class="optional">${t(locale, 'onboarding.optional')}</span>` : html``;
  const attributes = described(name, options.hint !== undefined, error !== undefined);
  const control = options.multiline
    ? html`<textarea id="${name}" name="${name}" rows="3" spellcheck="false"${attributes}>${value}</textarea>`
    : html`<input type="${options.type ?? 'text'}" id="${name}" name="${name}" value="${value}" autocomplete="off"${attributes}>`;
  return html`<div class="field${error === undefined ? '' : ' field--error'}">
<label for="${name}">${t(locale, options.label, options.labelParams)}${optional}</label>
${hint}
${fieldError(locale, name, error)}
${control}
</div>`;
}

function kindField(locale: Locale, props: RequestFormProps): SafeHtml {
  const error = props.errors.kind;
  const chosen = props.values.kind ?? 'web';
  const choices = (['web', 'native', 'service'] as const).map((kind) => html`<label class="choice"><input type="radio" name="kind" value="${kind}"${chosen === kind ? html` checked` : html``}> ${t(locale, `onboarding.kind.${kind}`)}</label>`);
  return html`<fieldset class="field" id="kind"${described('kind', false, error !== undefined)}>
<legend class="field-legend">${t(locale, 'onboarding.field.kind')}</legend>
${fieldError(locale, 'kind', error)}
${choices}
</fieldset>`;
}

function agencyField(locale: Locale, props: RequestFormProps): SafeHtml {
  if (props.agencies.length === 0) return html``;
  const error = props.errors.agency;
  const chosen = props.values.agency ?? '';
  const options = [html`<option value=""${chosen === '' ? html` selected` : html``}>${t(locale, 'onboarding.agency_none')}</option>`, ...props.agencies.map((agency) => html`<option value="${agency.id}"${chosen === agency.id ? html` selected` : html``}>${agency.name}</option>`)];
  return html`<div class="field${error === undefined ? '' : ' field--error'}">
<label for="agency">${t(locale, 'onboarding.field.agency')}</label>
${fieldError(locale, 'agency', error)}
<select id="agency" name="agency"${described('agency', false, error !== undefined)}>${options}</select>
</div>`;
}

function scopesField(locale: Locale, props: RequestFormProps): SafeHtml {
  const error = props.errors.scope;
  const boxes = ONBOARDING_SCOPES.map((scope) => {
    const checked = props.values[`scope_${scope}`] === 'on' ? html` checked` : html``;
    const box = html`<label class="choice"><input type="checkbox" name="scope_${scope}" value="on"${checked}> ${t(locale, `scope.${scope}`)}</label>`;
    if (!SENSITIVE.includes(scope)) return box;
    return html`${box}
${textField(locale, props, { name: `reason_${scope}` as FormField, label: 'onboarding.field.reason', labelParams: { scope: t(locale, `scope.${scope}`) }, optional: true, multiline: true })}`;
  });
  return html`<fieldset class="field" id="scope"${described('scope', true, error !== undefined)}>
<legend class="field-legend">${t(locale, 'onboarding.field.scopes')}</legend>
<p class="hint" id="scope-hint">${t(locale, 'onboarding.hint.scopes')}</p>
${fieldError(locale, 'scope', error)}
${boxes}
</fieldset>`;
}

function logoField(locale: Locale, props: RequestFormProps): SafeHtml {
  const error = props.errors.logo;
  return html`<div class="field${error === undefined ? '' : ' field--error'}">
<label for="logo">${t(locale, 'onboarding.field.logo')} <span class="optional">${t(locale, 'onboarding.optional')}</span></label>
<p class="hint" id="logo-hint">${t(locale, 'onboarding.hint.logo')}</p>
${fieldError(locale, 'logo', error)}
<input type="file" id="logo" name="logo" accept="image/png,image/jpeg,image/webp"${described('logo', true, error !== undefined)}>
</div>`;
}

/** The request form's own content: in the site's layout for an organization, in the console's for an operator. */
export function integrationRequestForm(locale: Locale, props: RequestFormProps): SafeHtml {
  const labelOf: Record<string, MessageKey> = {
    name: 'onboarding.field.name', description: 'onboarding.field.description', purpose: 'onboarding.field.purpose', agency: 'onboarding.field.agency',
    kind: 'onboarding.field.kind', redirect_uris: 'onboarding.field.redirect_uris', post_logout_redirect_uris: 'onboarding.field.post_logout_redirect_uris',
    backchannel_logout_uri: 'onboarding.field.backchannel_logout_uri', jwks_uri: 'onboarding.field.jwks_uri', scope: 'onboarding.field.scopes',
    contacts: 'onboarding.field.contacts', logo: 'onboarding.field.logo',
  };
  const items = Object.keys(props.errors).map((name) => {
    const scope = /^reason_(\w+)$/.exec(name)?.[1];
    const label = scope === undefined ? t(locale, labelOf[name] ?? 'onboarding.field.name') : t(locale, 'onboarding.field.reason', { scope: t(locale, `scope.${scope}` as MessageKey) });
    return html`<li><a href="#${name}">${label}</a></li>`;
  });
  const lines = items.length === 0 ? [] : [html`${t(locale, 'onboarding.errors_intro')}`];
  return html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'onboarding.heading')}</h1>
<p class="lead">${t(locale, 'onboarding.intro')}</p>
${errorSummary({ id: 'request-errors', lines, items })}
<form method="post" action="${props.action}" enctype="multipart/form-data" id="request-form">
${csrfField(props.csrfToken)}
<fieldset class="field-group">
<legend>${t(locale, 'onboarding.group.app')}</legend>
${textField(locale, props, { name: 'name', label: 'onboarding.field.name', hint: 'onboarding.hint.name' })}
${textField(locale, props, { name: 'description', label: 'onboarding.field.description', multiline: true })}
${textField(locale, props, { name: 'purpose', label: 'onboarding.field.purpose', hint: 'onboarding.hint.purpose', multiline: true })}
${agencyField(locale, props)}
${kindField(locale, props)}
${logoField(locale, props)}
</fieldset>
<fieldset class="field-group">
<legend>${t(locale, 'onboarding.group.addresses')}</legend>
${textField(locale, props, { name: 'redirect_uris', label: 'onboarding.field.redirect_uris', hint: 'onboarding.hint.uris', multiline: true })}
${textField(locale, props, { name: 'post_logout_redirect_uris', label: 'onboarding.field.post_logout_redirect_uris', optional: true, multiline: true })}
${textField(locale, props, { name: 'backchannel_logout_uri', label: 'onboarding.field.backchannel_logout_uri', optional: true, type: 'url' })}
${textField(locale, props, { name: 'jwks_uri', label: 'onboarding.field.jwks_uri', hint: 'onboarding.hint.jwks_uri', optional: true, type: 'url' })}
</fieldset>
<fieldset class="field-group">
<legend>${t(locale, 'onboarding.group.data')}</legend>
${scopesField(locale, props)}
</fieldset>
<fieldset class="field-group">
<legend>${t(locale, 'onboarding.group.contacts')}</legend>
${textField(locale, props, { name: 'contacts', label: 'onboarding.field.contacts', hint: 'onboarding.hint.contacts', multiline: true })}
</fieldset>
<div class="actions">
<button type="submit" class="button button--primary">${t(locale, 'onboarding.submit')}</button>
</div>
</form>
</section>`;
}

export function integrationRequestPage(shell: PageShell, props: RequestFormProps): string {
  return layout(shell, integrationRequestForm(shell.locale, props));
}

export interface OwnRequest {
  name: string;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: Date;
  rejectionReason: string | null;
  clientId: string | null;
}

/** `/integrations`: an organization's requests and how each was decided, the reason of a refusal included. */
export function ownRequestsPage(shell: PageShell, props: { requests: readonly OwnRequest[]; submitted: boolean }): string {
  const { locale } = shell;
  const rows = props.requests.map((request) => {
    const outcome = request.status === 'rejected' && request.rejectionReason !== null
      ? html`<p>${t(locale, 'onboarding.rejection_reason', { reason: request.rejectionReason })}</p>`
      : request.status === 'approved' && request.clientId !== null ? html`<p>${t(locale, 'onboarding.approved_client', { clientId: request.clientId })}</p>` : html``;
    return html`<li class="request-item"><h2>${request.name}</h2>
<p><strong>${t(locale, `onboarding.status.${request.status}`)}</strong> · ${t(locale, 'onboarding.column.date')}: ${shownTime(locale, request.createdAt)}</p>
${outcome}</li>`;
  });
  const notice = props.submitted ? html`<p class="notice" role="status">${t(locale, 'onboarding.submitted')}</p>` : html``;
  return layout(shell, html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'onboarding.mine_heading')}</h1>
${notice}
${rows.length === 0 ? html`<p>${t(locale, 'onboarding.mine_empty')}</p>` : html`<ul class="request-list">${rows}</ul>`}
<p><a class="button button--primary" href="/integrations/new">${t(locale, 'onboarding.new_link')}</a></p>
</section>`);
}

// ---- The console ----

export interface RequestRow {
  id: string;
  name: string;
  source: 'page' | 'registration';
  status: 'pending' | 'approved' | 'rejected';
  agency: string | null;
  createdAt: Date;
}

export interface ClientRow {
  clientId: string;
  name: string;
  status: 'pending' | 'active' | 'disabled';
  agency: string | null;
}

function tableBox(head: SafeHtml, rows: readonly SafeHtml[]): SafeHtml {
  return html`<div class="table-scroll"><table class="data-table">
<thead>${head}</thead>
<tbody>${rows}</tbody>
</table></div>`;
}

export function clientsOverview(locale: Locale, props: { pending: readonly RequestRow[]; decided: readonly RequestRow[]; clients: readonly ClientRow[]; mayRequest: boolean; mayIssueToken: boolean }): SafeHtml {
  const requestHead = html`<tr><th scope="col">${t(locale, 'onboarding.column.app')}</th><th scope="col">${t(locale, 'clients.column.source')}</th><th scope="col">${t(locale, 'onboarding.field.agency')}</th><th scope="col">${t(locale, 'onboarding.column.date')}</th><th scope="col">${t(locale, 'onboarding.column.status')}</th></tr>`;
  const requestRow = (request: RequestRow) => html`<tr><td data-label="${t(locale, 'onboarding.column.app')}"><a href="/admin/clients/requests/${request.id}" aria-label="${t(locale, 'clients.review', { name: request.name })}">${request.name}</a></td><td data-label="${t(locale, 'clients.column.source')}">${t(locale, `clients.source.${request.source}`)}</td><td data-label="${t(locale, 'onboarding.field.agency')}">${request.agency ?? '—'}</td><td data-label="${t(locale, 'onboarding.column.date')}">${shownTime(locale, request.createdAt)}</td><td data-label="${t(locale, 'onboarding.column.status')}">${t(locale, `onboarding.status.${request.status}`)}</td></tr>`;
  const clientHead = html`<tr><th scope="col">${t(locale, 'onboarding.column.app')}</th><th scope="col">${t(locale, 'clients.column.client_id')}</th><th scope="col">${t(locale, 'onboarding.field.agency')}</th><th scope="col">${t(locale, 'onboarding.column.status')}</th></tr>`;
  const clientRow = (client: ClientRow) => html`<tr><td data-label="${t(locale, 'onboarding.column.app')}"><a href="/admin/clients/${client.clientId}" aria-label="${t(locale, 'clients.open', { name: client.name })}">${client.name}</a></td><td data-label="${t(locale, 'clients.column.client_id')}"><code>${client.clientId}</code></td><td data-label="${t(locale, 'onboarding.field.agency')}">${client.agency ?? '—'}</td><td data-label="${t(locale, 'onboarding.column.status')}">${t(locale, `clients.status.${client.status}`)}</td></tr>`;
  const actions = [
    ...(props.mayRequest ? [html`<a class="button button--secondary" href="/admin/clients/new">${t(locale, 'clients.new_request')}</a>`] : []),
    ...(props.mayIssueToken ? [html`<a class="button button--secondary" href="/admin/clients/registration-tokens">${t(locale, 'clients.issue_token')}</a>`] : []),
  ];
  return html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'clients.heading')}</h1>
${actions.length ? html`<div class="actions actions--row">${actions}</div>` : html``}
<h2>${t(locale, 'clients.pending_heading')}</h2>
${props.pending.length ? tableBox(requestHead, props.pending.map(requestRow)) : html`<p>${t(locale, 'clients.pending_empty')}</p>`}
<h2>${t(locale, 'clients.clients_heading')}</h2>
${props.clients.length ? tableBox(clientHead, props.clients.map(clientRow)) : html`<p>${t(locale, 'clients.clients_empty')}</p>`}
${props.decided.length ? html`<h2>${t(locale, 'clients.decided_heading')}</h2>${tableBox(requestHead, props.decided.map(requestRow))}` : html``}
</section>`;
}

export interface RequestDetail {
  id: string;
  name: string;
  description: string;
  purpose: string;
  kind: 'web' | 'native' | 'service';
  source: 'page' | 'registration';
  status: 'pending' | 'approved' | 'rejected';
  agency: string | null;
  requester: string | null;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  backchannelLogoutUri?: string;
  jwksUri?: string;
  scopes: readonly string[];
  reasons: Readonly<Record<string, string>>;
  contacts: readonly string[];
  logoPath: string | null;
  rejectionReason: string | null;
  clientId: string | null;
}

function entry(label: string, value: SafeHtml | string): SafeHtml {
  return html`<dt>${label}</dt><dd>${value}</dd>`;
}

function list(values: readonly string[]): SafeHtml {
  return values.length === 0 ? html`—` : html`<ul class="plain-list">${values.map((value) => html`<li><code>${value}</code></li>`)}</ul>`;
}

export function requestDetail(locale: Locale, request: RequestDetail, decide: { csrfToken: string; error?: MessageKey; errorParams?: Record<string, string> } | undefined): SafeHtml {
  const scopes = request.scopes.map((scope) => {
    const reason = request.reasons[scope];
    return html`<li>${t(locale, `scope.${scope}` as MessageKey)}${reason === undefined ? html`` : html`<br><span class="note">${t(locale, 'onboarding.field.reason', { scope })} — ${reason}</span>`}</li>`;
  });
  const logo = request.logoPath === null ? t(locale, 'clients.no_logo') : html`<img class="client-logo" src="${request.logoPath}" alt="">`;
  const error = decide?.error === undefined ? html`` : errorSummary({ id: 'decision-errors', lines: [html`${t(locale, decide.error, decide.errorParams)}`] });
  const decision = decide === undefined || request.status !== 'pending'
    ? html`<p><strong>${t(locale, 'clients.decided', { status: t(locale, `onboarding.status.${request.status}`) })}</strong></p>${request.rejectionReason === null ? html`` : html`<p>${t(locale, 'onboarding.rejection_reason', { reason: request.rejectionReason })}</p>`}`
    : html`${error}<form method="post" action="/admin/clients/requests/${request.id}/approve" id="approve-form">
${csrfField(decide.csrfToken)}
<button type="submit" class="button button--primary">${t(locale, 'clients.approve')}</button>
</form>
<form method="post" action="/admin/clients/requests/${request.id}/reject" id="reject-form" class="reject-form">
${csrfField(decide.csrfToken)}
<div class="field">
<label for="reason">${t(locale, 'clients.reject_reason')}</label>
<textarea id="reason" name="reason" rows="3" maxlength="500"></textarea>
</div>
<button type="submit" class="button button--secondary">${t(locale, 'clients.reject')}</button>
</form>`;
  return html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'clients.request_heading', { name: request.name })}</h1>
<dl class="details">
${entry(t(locale, 'onboarding.column.status'), t(locale, `onboarding.status.${request.status}`))}
${entry(t(locale, 'clients.column.source'), t(locale, `clients.source.${request.source}`))}
${entry(t(locale, 'clients.requested_by'), request.requester ?? t(locale, 'clients.requester_unknown'))}
${entry(t(locale, 'onboarding.field.agency'), request.agency ?? '—')}
${entry(t(locale, 'onboarding.field.kind'), t(locale, `onboarding.kind.${request.kind}`))}
${entry(t(locale, 'onboarding.field.description'), request.description || '—')}
${entry(t(locale, 'onboarding.field.purpose'), request.purpose || '—')}
${entry(t(locale, 'clients.logo'), logo)}
${entry(t(locale, 'onboarding.field.redirect_uris'), list(request.redirectUris))}
${entry(t(locale, 'onboarding.field.post_logout_redirect_uris'), list(request.postLogoutRedirectUris))}
${entry(t(locale, 'onboarding.field.backchannel_logout_uri'), list(request.backchannelLogoutUri ? [request.backchannelLogoutUri] : []))}
${entry(t(locale, 'onboarding.field.jwks_uri'), list(request.jwksUri ? [request.jwksUri] : []))}
${entry(t(locale, 'onboarding.field.scopes'), scopes.length ? html`<ul class="plain-list">${scopes}</ul>` : html`—`)}
${entry(t(locale, 'onboarding.field.contacts'), list(request.contacts))}
${request.clientId === null ? html`` : entry(t(locale, 'clients.client_id'), html`<code>${request.clientId}</code>`)}
</dl>
${decision}
<p class="console-back-row"><a class="console-back" href="/admin/clients">${t(locale, 'clients.back')}</a></p>
</section>`;
}

/** Shown once: after an approval, or a rotation. */
export function credentialsShown(locale: Locale, props: { clientId: string; secret?: string; registrantHasThem?: boolean; message?: string }): SafeHtml {
  const secret = props.secret === undefined
    ? html`<p>${t(locale, props.registrantHasThem ? 'clients.registrant_has_credentials' : 'clients.no_secret')}</p>`
    : html`<p class="warning" role="alert">${t(locale, 'clients.credentials_once')}</p>
<dl class="details">${entry(t(locale, 'clients.client_secret'), html`<code class="secret">${props.secret}</code>`)}</dl>`;
  return html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'clients.credentials_heading')}</h1>
${props.message === undefined ? html`` : html`<p role="status">${props.message}</p>`}
<dl class="details">${entry(t(locale, 'clients.client_id'), html`<code>${props.clientId}</code>`)}</dl>
${secret}
<p><a class="button button--secondary" href="/admin/clients">${t(locale, 'clients.back')}</a></p>
</section>`;
}

export interface ClientDetail {
  clientId: string;
  name: string;
  status: 'pending' | 'active' | 'disabled';
  agency: string | null;
  authMethod: string;
  redirectUris: readonly string[];
  scope: string;
  previousSecretUntil: Date | null;
}

export function clientDetail(locale: Locale, client: ClientDetail, actions: { rotate: boolean; disable: boolean }, message?: string): SafeHtml {
  const links = [
    ...(actions.rotate ? [html`<a class="button button--secondary" href="/admin/clients/${client.clientId}/rotate">${t(locale, 'clients.rotate')}</a>`] : []),
    ...(actions.disable ? [html`<a class="button button--secondary" href="/admin/clients/${client.clientId}/disable">${t(locale, 'clients.disable')}</a>`] : []),
  ];
  return html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'clients.client_heading', { name: client.name })}</h1>
${message === undefined ? html`` : html`<p role="status">${message}</p>`}
<dl class="details">
${entry(t(locale, 'clients.client_id'), html`<code>${client.clientId}</code>`)}
${entry(t(locale, 'onboarding.column.status'), t(locale, `clients.status.${client.status}`))}
${entry(t(locale, 'onboarding.field.agency'), client.agency ?? '—')}
${entry(t(locale, 'clients.auth_method'), html`<code>${client.authMethod}</code>`)}
${entry(t(locale, 'onboarding.field.redirect_uris'), list(client.redirectUris))}
${entry(t(locale, 'clients.scope'), html`<code>${client.scope}</code>`)}
</dl>
${client.previousSecretUntil === null ? html`` : html`<p>${t(locale, 'clients.previous_secret_until', { time: shownTime(locale, client.previousSecretUntil) })}</p>`}
${links.length ? html`<div class="actions">${links}</div>` : html``}
<p class="console-back-row"><a class="console-back" href="/admin/clients">${t(locale, 'clients.back')}</a></p>
</section>`;
}

/** The confirmation of a dangerous action: what happens, a choice of durations maybe, one button. */
export function confirmAction(locale: Locale, props: { heading: string; explanation: string; action: string; csrfToken: string; button: MessageKey; choice?: { name: string; label: MessageKey; options: readonly { value: string; label: string }[] }; agencies?: readonly AgencyOption[] }): SafeHtml {
  const choice = props.choice === undefined ? html`` : html`<div class="field"><label for="${props.choice.name}">${t(locale, props.choice.label)}</label>
<select id="${props.choice.name}" name="${props.choice.name}">${props.choice.options.map((option) => html`<option value="${option.value}">${option.label}</option>`)}</select></div>`;
  const agencies = props.agencies === undefined ? html`` : html`<div class="field"><label for="agency">${t(locale, 'clients.token_agency')}</label>
<select id="agency" name="agency"><option value="">${t(locale, 'onboarding.agency_none')}</option>${props.agencies.map((agency) => html`<option value="${agency.id}">${agency.name}</option>`)}</select></div>`;
  return html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${props.heading}</h1>
<p>${props.explanation}</p>
<form method="post" action="${props.action}" id="confirm-form">
${csrfField(props.csrfToken)}
${choice}
${agencies}
<button type="submit" class="button button--primary">${t(locale, props.button)}</button>
</form>
<p class="console-back-row"><a class="console-back" href="/admin/clients">${t(locale, 'clients.back')}</a></p>
</section>`;
}

export function registrationTokenShown(locale: Locale, props: { token: string; expiresAt: Date; endpoint: string }): SafeHtml {
  return html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'clients.token_heading')}</h1>
<dl class="details">
${entry(t(locale, 'clients.token_issued', { time: shownTime(locale, props.expiresAt) }), html`<code class="secret">${props.token}</code>`)}
${entry(t(locale, 'clients.token_endpoint'), html`<code>${props.endpoint}</code>`)}
</dl>
<p><a class="button button--secondary" href="/admin/clients">${t(locale, 'clients.back')}</a></p>
</section>`;
}

/** A console page that only says what happened, with the way back to the apps. */
export function consoleMessage(locale: Locale, key: MessageKey, params?: Record<string, string | number>): SafeHtml {
  return html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'clients.heading')}</h1>
<p role="status">${t(locale, key, params)}</p>
<p><a class="button button--secondary" href="/admin/clients">${t(locale, 'clients.back')}</a></p>
</section>`;
}
