// The console's audit log (issue point 7): a filter form that works without JavaScript (a GET,
// so a filtered page is an address to keep or share with a colleague who may see it), the
// events newest first with an "Older" link, and the CSV download of the same filters. Every
// value from the log is escaped (html``); identifiers arrive already masked.
import { html, type SafeHtml } from './html.ts';
import { t, type Locale, type MessageKey, type MessageParams } from '../src/i18n/index.ts';
import { errorSummary, summaryLine } from './components.ts';
import { consoleLayout, type ConsoleFrame } from './console.ts';
import type { PageShell } from './layout.ts';

export type AuditFilterField = 'account' | 'client' | 'operator' | 'type' | 'from' | 'to';

export interface AuditRowView {
  /** The event's id in the log, the row's anchor (#event-<id>). */
  id: string;
  /** dd/mm/yyyy HH:mm:ss, Viet Nam time. */
  time: string;
  /** The same instant, ISO 8601, for `<time datetime>`. */
  datetime: string;
  /** The type in plain words, or the type itself when it has none. */
  label: string;
  /** A masked identifier of the account, or none. */
  account?: string;
  /** The account's id, shortened. */
  accountShortId?: string;
  clientId?: string;
  ip?: string;
  details: ReadonlyArray<readonly [string, string]>;
}

export interface AuditPageProps {
  values: Readonly<Record<AuditFilterField, string>>;
  /** Errors of the filters, by field; the page then shows no events. */
  errors: ReadonlyArray<{ field: string; message: MessageKey; params?: MessageParams }>;
  /** The type options: named types with their labels; the selected one is marked. */
  typeOptions: ReadonlyArray<{ value: string; label: string }>;
  /** A filter whose identifier names no account ('account' or 'operator'). */
  unmatched?: AuditFilterField;
  rows: readonly AuditRowView[];
  /** The next page's address, when there are older events. */
  olderHref?: string;
  /** The first page's address, when this is not it. */
  newestHref?: string;
  csvHref?: string;
  /** Only for an operator who may reveal identifiers. */
  csvRevealHref?: string;
}

const FIELD_LABELS: Record<AuditFilterField, MessageKey> = {
  account: 'audit.filter.account',
  client: 'audit.filter.client',
  operator: 'audit.filter.operator',
  type: 'audit.filter.type',
  from: 'audit.filter.from',
  to: 'audit.filter.to',
};

const HINTS: Partial<Record<AuditFilterField, MessageKey>> = {
  account: 'audit.filter.account_hint',
  operator: 'audit.filter.operator_hint',
  from: 'audit.filter.date_hint',
  to: 'audit.filter.date_hint',
};

function isField(field: string): field is AuditFilterField {
  return Object.hasOwn(FIELD_LABELS, field);
}

function fieldErrors(locale: Locale, props: AuditPageProps, field: AuditFilterField): string[] {
  return props.errors.filter((error) => error.field === field).map((error) => t(locale, error.message, error.params));
}

/** A labelled field with its hint and its error, tied to the input by aria-describedby. */
function filterField(locale: Locale, props: AuditPageProps, field: AuditFilterField, control: (describedBy: SafeHtml) => SafeHtml): SafeHtml {
  const errors = fieldErrors(locale, props, field);
  const hint = HINTS[field];
  const described = [...(hint ? [`filter-${field}-hint`] : []), ...(errors.length ? [`filter-${field}-error`] : [])];
  const describedBy = html`${described.length ? html` aria-describedby="${described.join(' ')}"` : html``}${errors.length ? html` aria-invalid="true"` : html``}`;
  return html`<div class="field${errors.length ? ' field--error' : ''}">
<label for="filter-${field}">${t(locale, FIELD_LABELS[field])}</label>
${hint ? html`<p class="hint" id="filter-${field}-hint">${t(locale, hint)}</p>` : html``}
${errors.length ? html`<div class="field-error" id="filter-${field}-error"><span class="sr-only">${t(locale, 'field.error_prefix')} </span>${errors.join(' ')}</div>` : html``}
${control(describedBy)}
</div>`;
}

function filterForm(locale: Locale, props: AuditPageProps): SafeHtml {
  const text = (field: AuditFilterField, extra: SafeHtml = html``) =>
    filterField(locale, props, field, (describedBy) => html`<input type="text" id="filter-${field}" name="${field}" value="${props.values[field]}" autocomplete="off" spellcheck="false"${extra}${describedBy}>`);
  const type = filterField(locale, props, 'type', (describedBy) => html`<select id="filter-type" name="type"${describedBy}>
${props.typeOptions.map((option) => html`<option value="${option.value}"${option.value === props.values.type ? html` selected` : html``}>${option.label}</option>`)}
</select>`);
  // A GET: filtering changes nothing, and the console's cookie (SameSite=Strict) never comes
  // with a request from another site, so this form carries no CSRF token into the address.
  return html`<form method="get" action="/admin/audit" class="audit-filters" aria-labelledby="filters-heading">
<h2 id="filters-heading">${t(locale, 'audit.filter.heading')}</h2>
<div class="audit-filters__fields">
${text('account')}
${text('operator')}
${text('client')}
${type}
${text('from', html` inputmode="numeric"`)}
${text('to', html` inputmode="numeric"`)}
</div>
<div class="audit-filters__actions">
<button type="submit" class="button button--primary">${t(locale, 'audit.filter.submit')}</button>
<a class="button button--secondary" href="/admin/audit">${t(locale, 'audit.filter.clear')}</a>
</div>
</form>`;
}

function eventRow(locale: Locale, row: AuditRowView): SafeHtml {
  const account = row.account ?? (row.accountShortId ? t(locale, 'audit.account_id', { id: row.accountShortId }) : '');
  const accountId = row.account && row.accountShortId ? html`<span class="audit-log__id">${t(locale, 'audit.account_id', { id: row.accountShortId })}</span>` : html``;
  const details = row.details.length
    ? html`<dl class="audit-log__details">${row.details.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}</dl>`
    : html``;
  return html`<tr id="event-${row.id}">
<td data-label="${t(locale, 'audit.col.time')}"><time datetime="${row.datetime}">${row.time}</time></td>
<td data-label="${t(locale, 'audit.col.type')}">${row.label}</td>
<td data-label="${t(locale, 'audit.col.account')}">${account}${accountId}</td>
<td data-label="${t(locale, 'audit.col.client')}">${row.clientId ?? ''}</td>
<td data-label="${t(locale, 'audit.col.ip')}">${row.ip ?? ''}</td>
<td data-label="${t(locale, 'audit.col.details')}">${details}</td>
</tr>`;
}

function results(locale: Locale, props: AuditPageProps): SafeHtml {
  if (props.errors.length) return html``;
  if (props.unmatched) return html`<p class="notice">${t(locale, 'audit.no_account', { field: t(locale, FIELD_LABELS[props.unmatched]) })}</p>`;
  if (props.rows.length === 0) return html`<p class="notice">${t(locale, 'audit.empty')}</p>`;
  const columns: MessageKey[] = ['audit.col.time', 'audit.col.type', 'audit.col.account', 'audit.col.client', 'audit.col.ip', 'audit.col.details'];
  return html`<table class="audit-log">
<caption>${t(locale, 'audit.caption')}</caption>
<thead><tr>${columns.map((column) => html`<th scope="col">${t(locale, column)}</th>`)}</tr></thead>
<tbody>
${props.rows.map((row) => eventRow(locale, row))}
</tbody>
</table>`;
}

function paging(locale: Locale, props: AuditPageProps): SafeHtml {
  const links = [
    ...(props.newestHref ? [html`<a class="button button--secondary" href="${props.newestHref}">${t(locale, 'audit.newest')}</a>`] : []),
    ...(props.olderHref ? [html`<a class="button button--primary" href="${props.olderHref}" rel="next">${t(locale, 'audit.older')}</a>`] : []),
  ];
  return links.length ? html`<nav class="audit-paging" aria-label="${t(locale, 'audit.results_heading')}">${links}</nav>` : html``;
}

function downloads(locale: Locale, props: AuditPageProps): SafeHtml {
  if (!props.csvHref) return html``;
  const reveal = props.csvRevealHref
    ? html`<p><a class="button button--secondary" href="${props.csvRevealHref}">${t(locale, 'audit.export_reveal')}</a></p>
<p class="note">${t(locale, 'audit.export_reveal_note')}</p>`
    : html``;
  return html`<section class="audit-export" aria-labelledby="export-heading">
<h2 id="export-heading">${t(locale, 'audit.export_heading')}</h2>
<p><a class="button button--secondary" href="${props.csvHref}" download>${t(locale, 'audit.export')}</a></p>
<p class="note">${t(locale, 'audit.export_note')}</p>
${reveal}
</section>`;
}

/** `/admin/audit`: the filters, the events they match, and their download. */
export function auditLogPage(shell: PageShell, frame: ConsoleFrame, props: AuditPageProps): string {
  const { locale } = shell;
  const summary = errorSummary({
    id: 'filter-errors',
    lines: props.errors.length ? [html`${t(locale, 'audit.error.summary')}`] : [],
    items: props.errors.map((error) => html`<li>${summaryLine(`${isField(error.field) ? `${t(locale, FIELD_LABELS[error.field])}: ` : ''}${t(locale, error.message, error.params)}`, isField(error.field) ? `filter-${error.field}` : undefined)}</li>`),
  });
  return consoleLayout(
    shell,
    frame,
    html`<section class="card" aria-labelledby="page-heading">
<h1 id="page-heading">${t(locale, 'audit.title')}</h1>
<p class="lead">${t(locale, 'audit.intro')}</p>
${summary}
${filterForm(locale, props)}
</section>
<section class="card audit-results" aria-labelledby="results-heading">
<h2 id="results-heading">${t(locale, 'audit.results_heading')}</h2>
${results(locale, props)}
${paging(locale, props)}
${downloads(locale, props)}
</section>`,
  );
}
