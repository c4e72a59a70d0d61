// The operator console's operators pages (issue "operator console" point 3): who holds which
// role in which agency, an account's roles and agency changed, and the agencies.
import { html, type SafeHtml } from './html.ts';
import { t, type MessageKey } from '../src/i18n/index.ts';
import type { PageShell } from './layout.ts';
import { consoleLayout, type ConsoleFrame } from './console.ts';
import { csrfField, errorSummary, summaryLine } from './components.ts';

export interface OperatorShown {
  id: string;
  name: string;
  /** The personal number, masked. */
  identifier: string | null;
  roles: readonly MessageKey[];
  agencyName: string | null;
  disabled: boolean;
}

export interface OperatorsPageProps {
  operators: readonly OperatorShown[];
  csrfToken: string;
  identifier?: string;
  error?: MessageKey;
  /** Whether the operator may see and create agencies. */
  agencies: boolean;
}

/** `/admin/operators`: the operators this operator manages, and the way to find an account to give a role. */
export function operatorsPage(shell: PageShell, frame: ConsoleFrame, props: OperatorsPageProps): string {
  const { locale } = shell;
  const label = (key: MessageKey) => t(locale, key);
  const rows = props.operators.map((operator) => html`<tr>
<td data-label="${label('console_accounts.column.name')}"><a href="/admin/operators/${operator.id}">${operator.name}</a></td>
<td data-label="${label('console_accounts.column.identifier')}">${operator.identifier ?? '—'}</td>
<td data-label="${label('console_accounts.field.roles')}">${operator.roles.map((role) => t(locale, role)).join(', ')}${operator.disabled ? html` (${t(locale, 'console_accounts.status.disabled')})` : html``}</td>
<td data-label="${label('console_accounts.field.agency')}">${operator.agencyName ?? '—'}</td>
</tr>`);
  const table = props.operators.length
    ? html`<div class="table-scroll"><table class="data-table">
<thead><tr>
<th scope="col">${label('console_accounts.column.name')}</th>
<th scope="col">${label('console_accounts.column.identifier')}</th>
<th scope="col">${label('console_accounts.field.roles')}</th>
<th scope="col">${label('console_accounts.field.agency')}</th>
</tr></thead>
<tbody>${rows}</tbody>
</table></div>`
    : html`<p class="notice">${t(locale, 'console_operators.none')}</p>`;
  const error = props.error
    ? html`<div class="field-error" id="identifier-error"><span class="sr-only">${t(locale, 'field.error_prefix')} </span>${t(locale, props.error)}</div>`
    : html``;
  const summary = props.error ? errorSummary({ id: 'error-summary', lines: [summaryLine(t(locale, props.error), 'identifier')] }) : html``;
  const agencies = props.agencies ? html`<p><a class="console-back" href="/admin/agencies">${t(locale, 'console_operators.agencies_link')}</a></p>` : html``;
  return consoleLayout(shell, frame, html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'console_operators.heading')}</h1>
${summary}
<p>${t(locale, 'console_operators.intro')}</p>
${table}
${agencies}
<h2>${t(locale, 'console_operators.add_heading')}</h2>
<form method="post" action="/admin/operators/find" class="console-search">
${csrfField(props.csrfToken)}
<div class="field${props.error ? ' field--error' : ''}">
<label for="identifier">${t(locale, 'console_operators.find_label')}</label>
<p class="hint" id="identifier-hint">${t(locale, 'console_operators.find_hint')}</p>
${error}
<input id="identifier" name="identifier" type="text" value="${props.identifier ?? ''}" maxlength="256" autocomplete="off" spellcheck="false" aria-describedby="identifier-hint${props.error ? ' identifier-error' : ''}"${props.error ? html` aria-invalid="true"` : html``}>
</div>
<button type="submit" class="button button--primary">${t(locale, 'console_operators.find_button')}</button>
</form>
</section>`);
}

export interface OperatorPageProps {
  operator: OperatorShown;
  /** Each role the operator may give, whether the account holds it. */
  roles: readonly { role: string; label: MessageKey; held: boolean }[];
  /** Roles the account holds that this operator may not change. */
  fixedRoles: readonly MessageKey[];
  /** The agencies to choose from; a single one without a choice for an agency administrator. */
  agencies: readonly { id: string; name: string; current: boolean }[];
  agencyChoice: boolean;
  csrfToken: string;
  notice?: MessageKey;
  noticeIsError?: boolean;
}

/** `/admin/operators/:id`: an account's operator roles and agency, changed with one form. */
export function operatorPage(shell: PageShell, frame: ConsoleFrame, props: OperatorPageProps): string {
  const { locale } = shell;
  const { operator } = props;
  const notice = props.notice
    ? props.noticeIsError
      ? errorSummary({ id: 'error-summary', lines: [html`${t(locale, props.notice)}`] })
      : html`<p class="notice" role="status">${t(locale, props.notice)}</p>`
    : html``;
  const boxes = props.roles.map(({ role, label, held }) => html`<div class="console-check">
<input type="checkbox" id="role-${role}" name="role_${role}" value="1"${held ? html` checked` : html``}>
<label for="role-${role}">${t(locale, label)}</label>
</div>`);
  const fixed = props.fixedRoles.length
    ? html`<p class="hint">${t(locale, 'console_operators.fixed_roles', { roles: props.fixedRoles.map((role) => t(locale, role)).join(', ') })}</p>`
    : html``;
  const agency = props.agencyChoice
    ? html`<div class="field">
<label for="agency">${t(locale, 'console_accounts.field.agency')}</label>
<select id="agency" name="agency">
<option value=""${props.agencies.some((item) => item.current) ? html`` : html` selected`}>${t(locale, 'console_accounts.none')}</option>
${props.agencies.map((item) => html`<option value="${item.id}"${item.current ? html` selected` : html``}>${item.name}</option>`)}
</select>
</div>`
    : html`<p>${t(locale, 'console_accounts.field.agency')}: ${props.agencies[0]?.name ?? t(locale, 'console_accounts.none')}</p>`;
  return consoleLayout(shell, frame, html`<section class="card" aria-labelledby="page-heading">
<p><a class="console-back" href="/admin/operators">${t(locale, 'console_operators.back')}</a></p>
<h1 id="page-heading">${operator.name}</h1>
${notice}
<dl class="console-facts">
<div class="console-fact"><dt>${t(locale, 'console_accounts.column.identifier')}</dt><dd>${operator.identifier ?? '—'}</dd></div>
<div class="console-fact"><dt>${t(locale, 'console_accounts.field.roles')}</dt><dd>${operator.roles.length ? operator.roles.map((role) => t(locale, role)).join(', ') : t(locale, 'console_accounts.none')}</dd></div>
<div class="console-fact"><dt>${t(locale, 'console_accounts.field.agency')}</dt><dd>${operator.agencyName ?? t(locale, 'console_accounts.none')}</dd></div>
</dl>
<form method="post" action="/admin/operators/${operator.id}">
${csrfField(props.csrfToken)}
<fieldset>
<legend>${t(locale, 'console_operators.roles_legend')}</legend>
<p class="hint">${t(locale, 'console_operators.roles_hint')}</p>
${boxes}
${fixed}
</fieldset>
${agency}
<button type="submit" class="button button--primary">${t(locale, 'console_operators.save')}</button>
</form>
</section>`);
}

export interface AgenciesPageProps {
  agencies: readonly { id: string; name: string }[];
  /** Present when the operator may create one. */
  csrfToken?: string;
  name?: string;
  error?: MessageKey;
  created?: string;
}

/** `/admin/agencies`: the agencies operators belong to, and a new one. */
export function agenciesPage(shell: PageShell, frame: ConsoleFrame, props: AgenciesPageProps): string {
  const { locale } = shell;
  const list = props.agencies.length
    ? html`<ul class="data-list">${props.agencies.map((agency) => html`<li>${agency.name}</li>`)}</ul>`
    : html`<p class="notice">${t(locale, 'console_operators.no_agencies')}</p>`;
  const created = props.created ? html`<p class="notice" role="status">${t(locale, 'console_operators.agency_created', { name: props.created })}</p>` : html``;
  const summary = props.error ? errorSummary({ id: 'error-summary', lines: [summaryLine(t(locale, props.error), 'agency-name')] }) : html``;
  const error = props.error
    ? html`<div class="field-error" id="agency-name-error"><span class="sr-only">${t(locale, 'field.error_prefix')} </span>${t(locale, props.error)}</div>`
    : html``;
  const form: SafeHtml = props.csrfToken
    ? html`<h2>${t(locale, 'console_operators.new_agency')}</h2>
<form method="post" action="/admin/agencies">
${csrfField(props.csrfToken)}
<div class="field${props.error ? ' field--error' : ''}">
<label for="agency-name">${t(locale, 'console_operators.agency_name')}</label>
${error}
<input id="agency-name" name="name" type="text" value="${props.name ?? ''}" maxlength="200" autocomplete="off"${props.error ? html` aria-invalid="true" aria-describedby="agency-name-error"` : html``}>
</div>
<button type="submit" class="button button--primary">${t(locale, 'console_operators.create_agency')}</button>
</form>`
    : html``;
  return consoleLayout(shell, frame, html`<section class="card" aria-labelledby="page-heading">
<p><a class="console-back" href="/admin/operators">${t(locale, 'console_operators.back')}</a></p>
<h1 id="page-heading">${t(locale, 'console_operators.agencies_heading')}</h1>
${summary}
${created}
${list}
${form}
</section>`);
}

