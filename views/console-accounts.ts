// The operator console's accounts pages (issue "operator console" point 6): the search, an
// account with its identifiers masked and the actions the operator's roles allow, one identifier
// shown in full, and the confirmation of an erasure. Plain forms, each with its CSRF token;
// results as a table on a desk, one block per account on a phone.
import { html, type SafeHtml } from './html.ts';
import { t, type Locale, type MessageKey } from '../src/i18n/index.ts';
import type { PageShell } from './layout.ts';
import { consoleLayout, type ConsoleFrame } from './console.ts';
import { csrfField, errorSummary, summaryLine } from './components.ts';

/** An account as the console lists and shows it: identifiers already masked. */
export interface AccountShown {
  id: string;
  name: string;
  type: 'citizen' | 'organization';
  status: 'pending' | 'active' | 'disabled' | 'deleted';
  nationalIdKind: 'cccd' | 'cmnd' | 'passport' | null;
  nationalId: string | null;
  taxCode: string | null;
  phone: string | null;
  username: string | null;
}

export interface AccountSearchProps {
  csrfToken: string;
  identifier?: string;
  name?: string;
  error?: { field: 'identifier' | 'name'; code: MessageKey };
  results?: { accounts: readonly AccountShown[]; more: boolean; limit: number };
}

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** A moment as a person in the province reads it: dd/mm/yyyy and the hour, Vietnam's time. */
export function formatMoment(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(at);
}

function accountName(locale: Locale, account: Pick<AccountShown, 'name' | 'status'>): string {
  return account.status === 'deleted' ? t(locale, 'console_accounts.deleted_name') : account.name;
}

function nationalIdLabel(locale: Locale, kind: AccountShown['nationalIdKind']): string {
  return t(locale, kind === 'cmnd' ? 'console_accounts.field.cmnd' : kind === 'passport' ? 'console_accounts.field.passport' : 'console_accounts.field.cccd');
}

function mainIdentifier(locale: Locale, account: AccountShown): string {
  if (account.nationalId) return `${nationalIdLabel(locale, account.nationalIdKind)}: ${account.nationalId}`;
  if (account.taxCode) return `${t(locale, 'console_accounts.field.tax_code')}: ${account.taxCode}`;
  return '—';
}

function searchField(locale: Locale, field: 'identifier' | 'name', props: AccountSearchProps): SafeHtml {
  const error = props.error?.field === field ? props.error : undefined;
  const hint = html`<p class="hint" id="${field}-hint">${t(locale, `console_accounts.search.${field}_hint`)}</p>`;
  const message = error
    ? html`<div class="field-error" id="${field}-error"><span class="sr-only">${t(locale, 'field.error_prefix')} </span>${t(locale, error.code)}</div>`
    : html``;
  const describedBy = error ? `${field}-hint ${field}-error` : `${field}-hint`;
  const value = field === 'identifier' ? props.identifier ?? '' : props.name ?? '';
  const max = field === 'identifier' ? 256 : 100;
  return html`<form method="post" action="/admin/accounts" class="console-search">
${csrfField(props.csrfToken)}
<input type="hidden" name="by" value="${field}">
<div class="field${error ? ' field--error' : ''}">
<label for="${field}">${t(locale, `console_accounts.search.${field}_label`)}</label>
${hint}${message}
<input id="${field}" name="${field}" type="text" value="${value}" maxlength="${String(max)}" autocomplete="off" spellcheck="false" aria-describedby="${describedBy}"${error ? html` aria-invalid="true"` : html``}>
</div>
<button type="submit" class="button button--primary">${t(locale, `console_accounts.search.${field}_button`)}</button>
</form>`;
}

function statusText(locale: Locale, status: AccountShown['status']): string {
  return t(locale, `console_accounts.status.${status}`);
}

function resultsTable(locale: Locale, results: NonNullable<AccountSearchProps['results']>): SafeHtml {
  if (results.accounts.length === 0) return html`<p class="notice">${t(locale, 'console_accounts.results.none')}</p>`;
  const count = results.more
    ? t(locale, 'console_accounts.results.more', { limit: results.limit })
    : t(locale, 'console_accounts.results.count', { count: results.accounts.length });
  const label = (key: MessageKey) => t(locale, key);
  const rows = results.accounts.map((account) => html`<tr>
<td data-label="${label('console_accounts.column.name')}"><a href="/admin/accounts/${account.id}">${accountName(locale, account)}</a></td>
<td data-label="${label('console_accounts.column.type')}">${t(locale, `console_accounts.type.${account.type}`)}</td>
<td data-label="${label('console_accounts.column.status')}">${statusText(locale, account.status)}</td>
<td data-label="${label('console_accounts.column.identifier')}">${mainIdentifier(locale, account)}</td>
<td data-label="${label('console_accounts.column.phone')}">${account.phone ?? '—'}</td>
</tr>`);
  return html`<p${results.more ? html` class="notice"` : html``}>${count}</p>
<div class="table-scroll">
<table class="data-table">
<thead><tr>
<th scope="col">${label('console_accounts.column.name')}</th>
<th scope="col">${label('console_accounts.column.type')}</th>
<th scope="col">${label('console_accounts.column.status')}</th>
<th scope="col">${label('console_accounts.column.identifier')}</th>
<th scope="col">${label('console_accounts.column.phone')}</th>
</tr></thead>
<tbody>${rows}</tbody>
</table>
</div>`;
}

/** `/admin/accounts`: one box for an identifier recognised by its shape, one for a name. */
export function accountSearchPage(shell: PageShell, frame: ConsoleFrame, props: AccountSearchProps): string {
  const { locale } = shell;
  const summary = props.error
    ? errorSummary({ id: 'error-summary', lines: [summaryLine(t(locale, props.error.code), props.error.field)] })
    : html``;
  const results = props.results
    ? html`<section class="console-results" aria-labelledby="results-heading">
<h2 id="results-heading">${t(locale, 'console_accounts.results.heading')}</h2>
${resultsTable(locale, props.results)}
</section>`
    : html``;
  return consoleLayout(shell, frame, html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'console_accounts.search.heading')}</h1>
${summary}
<div class="console-searches">
${searchField(locale, 'identifier', props)}
${searchField(locale, 'name', props)}
</div>
${results}
</section>`);
}

export type AccountAction = 'disable' | 'enable' | 'require-password-change' | 'unlock' | 'revoke-sessions';

export interface AccountPageProps {
  account: AccountShown;
  roles: readonly MessageKey[];
  agencyName: string | null;
  createdAt: Date;
  updatedAt: Date;
  lockedUntil: Date | null;
  secondFactor: boolean;
  passwordChangeRequired: boolean;
  /** What just happened (after an action), or why it did not. */
  notice?: MessageKey;
  noticeIsError?: boolean;
  /** The actions the operator may take here, each with its form's token. */
  actions: readonly { action: AccountAction; csrfToken: string }[];
  /** The identifiers the operator may reveal, with the form's token. */
  reveal?: { csrfToken: string };
  canDelete: boolean;
}

function revealButton(locale: Locale, id: string, identifier: 'national_id' | 'tax_code' | 'phone', reveal: AccountPageProps['reveal']): SafeHtml {
  if (!reveal) return html``;
  return html`<form method="post" action="/admin/accounts/${id}/reveal" class="console-reveal">
${csrfField(reveal.csrfToken)}
<input type="hidden" name="identifier" value="${identifier}">
<button type="submit" class="button button--secondary">${t(locale, `console_accounts.reveal.${identifier}`)}</button>
</form>`;
}

function fact(label: string, value: SafeHtml | string, extra: SafeHtml = html``): SafeHtml {
  return html`<div class="console-fact"><dt>${label}</dt><dd>${value}${extra}</dd></div>`;
}

/** `/admin/accounts/:id`: the account, its identifiers masked, and what the operator may do. */
export function accountPage(shell: PageShell, frame: ConsoleFrame, props: AccountPageProps): string {
  const { locale } = shell;
  const { account } = props;
  const facts: SafeHtml[] = [
    fact(t(locale, 'console_accounts.column.type'), t(locale, `console_accounts.type.${account.type}`)),
    fact(t(locale, 'console_accounts.column.status'), statusText(locale, account.status)),
  ];
  if (account.nationalId) facts.push(fact(nationalIdLabel(locale, account.nationalIdKind), html`<span class="console-masked">${account.nationalId}</span>`, revealButton(locale, account.id, 'national_id', props.reveal)));
  if (account.taxCode) facts.push(fact(t(locale, 'console_accounts.field.tax_code'), html`<span class="console-masked">${account.taxCode}</span>`, revealButton(locale, account.id, 'tax_code', props.reveal)));
  if (account.phone) facts.push(fact(t(locale, 'console_accounts.column.phone'), html`<span class="console-masked">${account.phone}</span>`, revealButton(locale, account.id, 'phone', props.reveal)));
  if (account.username) facts.push(fact(t(locale, 'console_accounts.field.username'), account.username));
  facts.push(
    fact(t(locale, 'console_accounts.field.roles'), props.roles.length ? props.roles.map((role) => t(locale, role)).join(', ') : t(locale, 'console_accounts.none')),
    fact(t(locale, 'console_accounts.field.agency'), props.agencyName ?? t(locale, 'console_accounts.none')),
    fact(t(locale, 'console_accounts.field.created'), formatMoment(locale, props.createdAt)),
    fact(t(locale, 'console_accounts.field.updated'), formatMoment(locale, props.updatedAt)),
    fact(t(locale, 'console_accounts.field.lock'), props.lockedUntil ? t(locale, 'console_accounts.locked_until', { time: formatMoment(locale, props.lockedUntil) }) : t(locale, 'console_accounts.not_locked')),
    fact(t(locale, 'console_accounts.field.second_factor'), t(locale, props.secondFactor ? 'console_accounts.second_factor_on' : 'console_accounts.second_factor_off')),
    fact(t(locale, 'console_accounts.field.password_change'), t(locale, props.passwordChangeRequired ? 'console_accounts.yes' : 'console_accounts.no')),
  );
  const notice = props.notice
    ? props.noticeIsError
      ? errorSummary({ id: 'error-summary', lines: [html`${t(locale, props.notice)}`] })
      : html`<p class="notice" role="status">${t(locale, props.notice)}</p>`
    : html``;
  const forms = props.actions.map(({ action, csrfToken }) => html`<form method="post" action="/admin/accounts/${account.id}/${action}">
${csrfField(csrfToken)}
<button type="submit" class="button button--secondary">${t(locale, `console_accounts.action.${action}`)}</button>
<p class="hint">${t(locale, `console_accounts.action.${action}_hint`)}</p>
</form>`);
  const erase = props.canDelete
    ? html`<div class="console-danger">
<a class="button button--secondary" href="/admin/accounts/${account.id}/delete">${t(locale, 'console_accounts.action.delete')}</a>
<p class="hint">${t(locale, 'console_accounts.action.delete_hint')}</p>
</div>`
    : html``;
  const actions = forms.length || props.canDelete
    ? html`<h2>${t(locale, 'console_accounts.actions_heading')}</h2>
<div class="console-actions">${forms}${erase}</div>`
    : html``;
  return consoleLayout(shell, frame, html`<section class="card" aria-labelledby="page-heading">
<p><a class="console-back" href="/admin/accounts">${t(locale, 'console_accounts.back_to_search')}</a></p>
<h1 id="page-heading">${accountName(locale, account)}</h1>
${notice}
<dl class="console-facts">${facts}</dl>
${actions}
</section>`);
}

export interface RevealPageProps {
  account: Pick<AccountShown, 'id' | 'name' | 'status'>;
  identifier: 'national_id' | 'tax_code' | 'phone';
  value: string;
}

/** One identifier in full, after the operator asked for it (and it was recorded). */
export function accountRevealPage(shell: PageShell, frame: ConsoleFrame, props: RevealPageProps): string {
  const { locale } = shell;
  return consoleLayout(shell, frame, html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${accountName(locale, props.account)}</h1>
<dl class="console-facts">${fact(t(locale, `console_accounts.revealed.${props.identifier}`), html`<span class="console-revealed">${props.value}</span>`)}</dl>
<p class="note">${t(locale, 'console_accounts.revealed_note')}</p>
<p><a class="button button--primary" href="/admin/accounts/${props.account.id}">${t(locale, 'console_accounts.back_to_account')}</a></p>
</section>`);
}

export interface DeletePageProps {
  account: Pick<AccountShown, 'id' | 'name' | 'status'>;
  csrfToken: string;
  /** What the operator must type: the first part of the account's id, shown on the page. */
  code: string;
  wrongCode?: boolean;
}

/** The erasure's confirmation: what goes, what stays, and the account's code typed to go on. */
export function accountDeletePage(shell: PageShell, frame: ConsoleFrame, props: DeletePageProps): string {
  const { locale } = shell;
  const error = props.wrongCode
    ? html`<div class="field-error" id="confirm-error"><span class="sr-only">${t(locale, 'field.error_prefix')} </span>${t(locale, 'console_accounts.delete.wrong_code')}</div>`
    : html``;
  const summary = props.wrongCode ? errorSummary({ id: 'error-summary', lines: [summaryLine(t(locale, 'console_accounts.delete.wrong_code'), 'confirm')] }) : html``;
  return consoleLayout(shell, frame, html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'console_accounts.delete.heading', { name: accountName(locale, props.account) })}</h1>
${summary}
<p>${t(locale, 'console_accounts.delete.what_goes')}</p>
<p>${t(locale, 'console_accounts.delete.what_stays')}</p>
<form method="post" action="/admin/accounts/${props.account.id}/delete">
${csrfField(props.csrfToken)}
<div class="field${props.wrongCode ? ' field--error' : ''}">
<label for="confirm">${t(locale, 'console_accounts.delete.confirm_label', { code: props.code })}</label>
${error}
<input id="confirm" name="confirm" type="text" autocomplete="off" spellcheck="false" maxlength="64" required${props.wrongCode ? html` aria-invalid="true" aria-describedby="confirm-error"` : html``}>
</div>
<div class="actions">
<button type="submit" class="button button--primary">${t(locale, 'console_accounts.delete.button')}</button>
<a class="button button--secondary" href="/admin/accounts/${props.account.id}">${t(locale, 'console_accounts.delete.cancel')}</a>
</div>
</form>
</section>`);
}
