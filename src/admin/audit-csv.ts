// The audit log as a CSV download (issue point 7), streamed: rows are read a batch at a time
// by keyset (audit/reading.ts) as the client takes them, never the whole log in memory.
// UTF-8 with a byte order mark, so Excel reads Vietnamese; quoted as RFC 4180 says; and no
// cell can be taken for a formula (OWASP, CSV injection): one that starts with = + - @, a tab
// or a carriage return is prefixed with an apostrophe.
import { Readable } from 'node:stream';
import type { Context } from 'koa';
import type { AccountStore } from '../accounts/index.ts';
import type { AuditFilter, AuditReader } from '../audit/index.ts';
import type { Locale } from '../i18n/index.ts';
import { detailText, showEvents, type ShownEvent } from './audit-reading.ts';
import { vietnamDay } from './vietnam-time.ts';

export const BYTE_ORDER_MARK = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const BATCH = 500;

/** One cell: defused if it could start a formula, quoted if it holds a quote, comma or line break. */
export function csvCell(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, ended by CRLF (RFC 4180 §2). */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const AUDIT_CSV_COLUMNS = [
  'id', 'time_utc', 'time_vietnam', 'type', 'event', 'account_id', 'account_identifier', 'account_phone', 'client_id', 'ip', 'user_agent', 'details',
] as const;

function cellsOf(event: ShownEvent): string[] {
  return [
    event.id,
    event.at.toISOString(),
    event.localTime,
    event.type,
    event.label,
    event.accountId ?? '',
    event.account.identifier ?? '',
    event.account.phone ?? '',
    event.clientId ?? '',
    event.ip ?? '',
    event.userAgent ?? '',
    Object.keys(event.details).length ? JSON.stringify(Object.fromEntries(Object.entries(event.details).map(([name, value]) => [name, detailText(value)]))) : '',
  ];
}

export interface AuditCsvSource {
  reader: AuditReader;
  accounts: AccountStore;
}

/** The CSV of every event `filter` matches, newest first, as a stream that reads a batch when the one before is taken. */
export function auditCsvStream(source: AuditCsvSource, filter: AuditFilter, options: { locale: Locale; reveal: boolean }): Readable {
  async function* records(): AsyncGenerator<string> {
    yield BYTE_ORDER_MARK + csvRecord(AUDIT_CSV_COLUMNS);
    for await (const batch of source.reader.batches(filter, BATCH)) {
      const shown = await showEvents(source.accounts, batch, options);
      yield shown.map((event) => csvRecord(cellsOf(event))).join('');
    }
  }
  return Readable.from(records(), { objectMode: false });
}

/** Answers `ctx` with the download: an attachment, never kept by a browser or a proxy. */
export function sendAuditCsv(ctx: Context, source: AuditCsvSource, filter: AuditFilter, options: { locale: Locale; reveal: boolean; now: Date }): void {
  ctx.status = 200;
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="audit-events-${vietnamDay(options.now)}${options.reveal ? '-revealed' : ''}.csv"`);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = auditCsvStream(source, filter, options);
}
