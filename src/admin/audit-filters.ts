// What an operator may ask of the audit log (issue point 7), read from a query string and
// checked before anything is looked up: the console's filter form and the admin API take the
// same parameters. Pure: the identifiers typed are resolved to accounts afterwards
// (audit-reading.ts), so that nothing typed here ever reaches SQL except as a bound value.
import { isNamedEventType, ADMIN_EVENT_TYPE } from '../audit/index.ts';
import type { MessageKey } from '../i18n/index.ts';
import { startOfVietnamDay } from './vietnam-time.ts';

const FILTER_FIELDS = ['account', 'client', 'operator', 'type', 'from', 'to'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** Every operator action, whatever its name. */
export const ANY_ADMIN_TYPE = 'admin.*';

/** Longest value of a text filter: an identifier (accounts MAX_IDENTIFIER_LENGTH is larger, and no identifier comes close). */
const MAX_TEXT = 100;
/** Client ids are generated or chosen by an operator; none is longer. */
const MAX_CLIENT_ID = 200;
const MAX_PAGE = 500;
export const PAGE_SIZE = 50;

export interface AuditCriteria {
  /** An identifier or account id as typed (NFC, trimmed); resolved to accounts later. */
  account?: string;
  clientId?: string;
  operator?: string;
  /** A named type, an `admin.` action, or every action (`admin.*`). */
  type?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Events older than this id (keyset pagination). */
  before?: string;
  limit: number;
}

export interface FilterError {
  field: FilterField | 'before' | 'limit';
  message: MessageKey;
  params?: Record<string, number>;
}

export type ParsedFilters =
  | { ok: true; criteria: AuditCriteria; values: Record<FilterField, string> }
  | { ok: false; errors: FilterError[]; values: Record<FilterField, string> };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MONTH_YEAR = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
// An instant for the API: a date, a time to the second at most to the microsecond, and an offset.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const CONTROL = /\p{C}/u;

/** `YYYY-MM-DD` for a real calendar date typed `dd/mm/yyyy` (as the registration page reads it) or `YYYY-MM-DD`. */
export function parseDay(text: string): string | undefined {
  const iso = ISO_DATE.exec(text);
  const dmy = iso === null ? DAY_MONTH_YEAR.exec(text) : null;
  if (iso === null && dmy === null) return undefined;
  const [year, month, day] = iso !== null ? [iso[1], iso[2], iso[3]].map(Number) : [dmy![3], dmy![2], dmy![1]].map(Number);
  if (year < 2000) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * A bound of the time filter: a day in Viet Nam (its first instant, or for `to` the first
 * instant of the next day, so the day typed is included), or an ISO 8601 instant with its offset.
 */
export function parseBound(text: string, bound: 'from' | 'to'): Date | undefined {
  const day = parseDay(text);
  if (day !== undefined) {
    const start = startOfVietnamDay(day);
    return bound === 'from' ? start : new Date(start.getTime() + 24 * 60 * 60 * 1000);
  }
  if (!ISO_INSTANT.test(text)) return undefined;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) || instant.getUTCFullYear() < 2000 ? undefined : instant;
}

function single(query: Readonly<Record<string, unknown>>, name: string): string | undefined | null {
  const value = Object.hasOwn(query, name) ? query[name] : undefined;
  if (value === undefined) return undefined;
  // A parameter given twice (?type=a&type=b) is a request we did not make: refused, not guessed.
  return typeof value === 'string' ? value : null;
}

/**
 * The filters of `query` (a Koa ctx.query), each checked: a value too long, with control
 * characters, repeated, an unknown type, a date that is no date, or a range that ends before
 * it begins is an error naming its field. `values` are the texts to show back in the form.
 */
export function parseAuditFilters(query: Readonly<Record<string, unknown>>, options: { maxLimit?: number } = {}): ParsedFilters {
  const errors: FilterError[] = [];
  const values = {} as Record<FilterField, string>;
  const criteria: AuditCriteria = { limit: PAGE_SIZE };

  const text = (field: FilterField, max: number): string | undefined => {
    const raw = single(query, field);
    values[field] = typeof raw === 'string' && raw.length <= 1000 ? raw : '';
    if (raw === undefined) return undefined;
    if (raw === null) {
      errors.push({ field, message: 'audit.error.repeated' });
      return undefined;
    }
    const value = raw.normalize('NFC').trim();
    if (value === '') return undefined;
    if (value.length > max) errors.push({ field, message: 'audit.error.too_long' });
    else if (CONTROL.test(value)) errors.push({ field, message: 'audit.error.invalid_characters' });
    else return value;
    return undefined;
  };

  criteria.account = text('account', MAX_TEXT);
  criteria.clientId = text('client', MAX_CLIENT_ID);
  criteria.operator = text('operator', MAX_TEXT);

  const type = text('type', MAX_TEXT);
  if (type !== undefined) {
    if (type === ANY_ADMIN_TYPE || isNamedEventType(type) || ADMIN_EVENT_TYPE.test(type)) criteria.type = type;
    else errors.push({ field: 'type', message: 'audit.error.type_unknown' });
  }

  for (const bound of ['from', 'to'] as const) {
    const typed = text(bound, 40);
    if (typed === undefined) continue;
    const instant = parseBound(typed, bound);
    if (instant === undefined) errors.push({ field: bound, message: 'audit.error.date_invalid' });
    else criteria[bound] = instant;
  }
  if (criteria.from && criteria.to && criteria.to <= criteria.from) errors.push({ field: 'to', message: 'audit.error.range_reversed' });

  const before = single(query, 'before');
  if (before === null || (before !== undefined && !/^[1-9]\d{0,17}$/.test(before))) errors.push({ field: 'before', message: 'audit.error.cursor_invalid' });
  else if (before !== undefined) criteria.before = before;

  const limit = single(query, 'limit');
  const maxLimit = options.maxLimit ?? PAGE_SIZE;
  if (limit !== undefined) {
    const n = typeof limit === 'string' && /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!(n >= 1 && n <= Math.min(maxLimit, MAX_PAGE))) errors.push({ field: 'limit', message: 'audit.error.limit_invalid', params: { max: Math.min(maxLimit, MAX_PAGE) } });
    else criteria.limit = n;
  }

  return errors.length ? { ok: false, errors, values } : { ok: true, criteria, values };
}
