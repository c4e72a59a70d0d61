// From checked filters to events an operator may see (issue point 7), for the console and the
// admin API alike: identifiers typed are resolved to accounts through their keyed HMAC index,
// as sign-in finds them, and never stored or logged; the events' accounts are shown by a
// masked identifier (Decree 13/2023), in clear only in a download an operator holding
// `accounts.reveal` asked for, which the log records.
import type { Context } from 'koa';
import { identifierCandidates, maskNationalId, maskPhone, maskTaxCode, type Account, type AccountStore } from '../accounts/index.ts';
import { ADMIN_EVENT_TYPE, NAMED_EVENT_TYPES, type AuditFilter, type StoredAuditEvent } from '../audit/index.ts';
import { hasMessage, t, type Locale } from '../i18n/index.ts';
import { ANY_ADMIN_TYPE, type AuditCriteria, type FilterField } from './audit-filters.ts';
import { vietnamDateTime } from './vietnam-time.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The operator actions the product itself records; other areas add theirs, shown by name until labelled. */
const KNOWN_ADMIN_TYPES = [
  'admin.operator.signed_in', 'admin.operator.reauthenticated', 'admin.operator.signed_out', 'admin.console.refused',
  'admin.client.admin_functions_granted', 'admin.audit.exported',
] as const;

/** The event type in plain words, or as written when the catalogue has no label for it. */
export function eventLabel(locale: Locale, type: string): string {
  const key = `audit.event.${type}`;
  return hasMessage(key) ? t(locale, key) : type;
}

/** The type filter's choices: any, each named type, every operator action, and the actions known by name. */
export function typeOptions(locale: Locale, selected: string): Array<{ value: string; label: string }> {
  const options = [
    { value: '', label: t(locale, 'audit.filter.type_any') },
    ...NAMED_EVENT_TYPES.map((type) => ({ value: type, label: eventLabel(locale, type) })),
    { value: ANY_ADMIN_TYPE, label: t(locale, 'audit.filter.type_admin') },
    ...KNOWN_ADMIN_TYPES.map((type) => ({ value: type, label: eventLabel(locale, type) })),
  ];
  // An action of another area asked for by its name (a link from elsewhere) stays selected.
  if (ADMIN_EVENT_TYPE.test(selected) && !options.some((option) => option.value === selected)) options.push({ value: selected, label: selected });
  return options;
}

/** Whom an identifier or account id typed names: its accounts' ids, whatever their status. */
async function accountIdsOf(accounts: AccountStore, typed: string): Promise<string[]> {
  if (UUID.test(typed)) return [typed.toLowerCase()];
  return accounts.idsByIdentifier(identifierCandidates(typed));
}

export interface ResolvedFilter {
  filter: AuditFilter;
  /** A filter whose identifier names no account (nor, for the operator, a service client's events). */
  unmatched?: Extract<FilterField, 'account' | 'operator'>;
}

export async function resolveFilter(accounts: AccountStore, criteria: AuditCriteria): Promise<ResolvedFilter> {
  const filter: AuditFilter = { clientId: criteria.clientId, from: criteria.from, to: criteria.to };
  if (criteria.type === ANY_ADMIN_TYPE) filter.anyAdminAction = true;
  else if (criteria.type !== undefined) filter.type = criteria.type;
  let unmatched: ResolvedFilter['unmatched'];
  if (criteria.account !== undefined) {
    filter.accountIds = await accountIdsOf(accounts, criteria.account);
    if (filter.accountIds.length === 0) unmatched = 'account';
  }
  if (criteria.operator !== undefined) {
    // Text that is no personal number, tax code or phone may also be the client id of a
    // service client of the admin API (an identifier is never compared, nor recorded, as one).
    const candidates = identifierCandidates(criteria.operator);
    const personal = candidates.nationalId !== undefined || candidates.taxCode !== undefined || candidates.phone !== undefined;
    const serviceClient = personal || UUID.test(criteria.operator) ? undefined : criteria.operator;
    filter.operator = { accountIds: await accountIdsOf(accounts, criteria.operator), serviceClient };
    if (filter.operator.accountIds.length === 0 && serviceClient === undefined) unmatched ??= 'operator';
  }
  return { filter, unmatched };
}

/** How an event's account is shown: its personal number or tax code, and its phone; masked unless revealed. */
export interface ShownAccount {
  identifier: string | null;
  phone: string | null;
}

function shownAccount(account: Account | undefined, reveal: boolean): ShownAccount {
  if (!account) return { identifier: null, phone: null };
  const identifier = account.nationalId
    ? (reveal ? account.nationalId : maskNationalId(account.nationalId))
    : account.taxCode ? (reveal ? account.taxCode : maskTaxCode(account.taxCode)) : null;
  const phone = account.phone ? (reveal ? account.phone : maskPhone(account.phone)) : null;
  return { identifier, phone };
}

export interface ShownEvent extends StoredAuditEvent {
  label: string;
  /** dd/mm/yyyy HH:mm:ss, Viet Nam time. */
  localTime: string;
  account: ShownAccount;
}

/** The events with their labels, local times and accounts (read in one statement per batch: AccountStore batches by id). */
export async function showEvents(accounts: AccountStore, events: readonly StoredAuditEvent[], options: { locale: Locale; reveal: boolean }): Promise<ShownEvent[]> {
  const ids = [...new Set(events.map((event) => event.accountId).filter((id): id is string => id !== null))];
  const found = await Promise.all(ids.map((id) => accounts.findById(id)));
  const byId = new Map(ids.map((id, index) => [id, found[index]]));
  return events.map((event) => ({
    ...event,
    label: eventLabel(options.locale, event.type),
    localTime: vietnamDateTime(event.at),
    account: shownAccount(event.accountId ? byId.get(event.accountId) : undefined, options.reveal),
  }));
}

/** A detail's value as text: the log stores strings, numbers, booleans and null. */
export function detailText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The query string of `criteria`'s filters as typed (for links to other pages of the same search), with `extra`. */
export function filterQuery(values: Readonly<Record<FilterField, string>>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value.trim() !== '') params.set(name, value);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return params.toString();
}

/** What an export's audit event says of its filters: the accounts resolved, never the identifier typed. */
export function exportDetails(resolved: ResolvedFilter, criteria: AuditCriteria, revealed: boolean): Record<string, string | boolean | null> {
  const { filter } = resolved;
  return {
    revealed,
    filterAccounts: filter.accountIds ? filter.accountIds.join(' ') : null,
    filterOperators: filter.operator ? filter.operator.accountIds.join(' ') : null,
    filterServiceClient: filter.operator?.serviceClient ?? null,
    filterClient: filter.clientId ?? null,
    filterType: criteria.type ?? null,
    filterFrom: criteria.from?.toISOString() ?? null,
    filterTo: criteria.to?.toISOString() ?? null,
  };
}

/** Whether the request asks for identifiers in clear (`reveal=1`). */
export function asksToReveal(ctx: Context): boolean {
  return ctx.query.reveal === '1';
}
