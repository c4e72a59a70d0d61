// The audit log and the dashboard in the admin API (issue point 7): the console's filters as
// query parameters, the events as JSON pages linked by an opaque `next` cursor, the same CSV
// download, and the daily figures. Same rights as the console: admin:audit.read,
// admin:accounts.reveal for identifiers in clear, admin:dashboard.read.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { AuditReader } from '../audit/index.ts';
import { t } from '../i18n/index.ts';
import type { ApiArea, ApiKit, OpenApiPaths } from './api.ts';
import { parseAuditFilters, type FilterError } from './audit-filters.ts';
import { asksToReveal, exportDetails, resolveFilter, showEvents } from './audit-reading.ts';
import { sendAuditCsv } from './audit-csv.ts';
import { DASHBOARD_DAYS, lastThirtyDays } from './dashboard.ts';
import { VIETNAM_TIME_ZONE } from './vietnam-time.ts';

const MAX_LIMIT = 500;

function describe(errors: readonly FilterError[]): string {
  return errors.map((error) => `${error.field}: ${t('en', error.message, error.params)}`).join(' ');
}

const filterParameters = [
  { name: 'account', in: 'query', schema: { type: 'string', maxLength: 100 }, description: 'Events about this account: a personal ID number, tax code, phone, username or account id' },
  { name: 'client', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'Events of this client_id' },
  { name: 'operator', in: 'query', schema: { type: 'string', maxLength: 100 }, description: 'Operator actions done by this operator (identifier or account id) or service client (client_id)' },
  { name: 'type', in: 'query', schema: { type: 'string' }, description: 'An event type, an admin.<action>, or admin.* for every operator action' },
  { name: 'from', in: 'query', schema: { type: 'string' }, description: 'From this day (dd/mm/yyyy or YYYY-MM-DD, Asia/Ho_Chi_Minh) or instant (ISO 8601 with offset)' },
  { name: 'to', in: 'query', schema: { type: 'string' }, description: 'Up to and including this day, or up to (excluding) this instant' },
];

const errors = {
  400: { description: 'a filter is not valid (error invalid_request, error_description names it)' },
  401: { description: 'no valid token' },
  403: { description: 'the token lacks the function (insufficient_scope)' },
};

const paths: OpenApiPaths = {
  '/audit-events': {
    get: {
      summary: 'The audit log, newest first, filtered; scope admin:audit.read',
      parameters: [
        ...filterParameters,
        { name: 'before', in: 'query', schema: { type: 'string' }, description: 'The `next` cursor of the page before' },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } },
      ],
      responses: {
        200: {
          description: '`events` (id, at, type, account_id, account: masked identifier and phone, client_id, ip, user_agent, details) and `next` (a cursor for `before`, or null on the last page)',
        },
        ...errors,
      },
    },
  },
  '/audit-events.csv': {
    get: {
      summary: 'The same events as a CSV download (UTF-8 with BOM), streamed; recorded in the log as admin.audit.exported; scope admin:audit.read',
      parameters: [...filterParameters, { name: 'reveal', in: 'query', schema: { type: 'string', enum: ['1'] }, description: 'Identifiers and phones in clear; needs admin:accounts.reveal as well' }],
      responses: { 200: { description: 'text/csv; charset=utf-8' }, ...errors },
    },
  },
  '/dashboard': {
    get: {
      summary: `Registrations, sign-ins, failed sign-ins, lockouts and SMS codes sent per day for the last ${DASHBOARD_DAYS} days (Asia/Ho_Chi_Minh); scope admin:dashboard.read`,
      responses: { 200: { description: '`time_zone`, `from`, `to` (YYYY-MM-DD) and `days`: date, registrations, sign_ins, sign_in_failures, lockouts, sms_sent' }, 401: errors[401], 403: errors[403] },
    },
  },
};

function addRoutes(router: Router, kit: ApiKit): void {
  const { accounts, knex, clock } = kit.deps;
  const reader = new AuditReader(knex);

  const checked = (ctx: Context, maxLimit: number) => {
    const parsed = parseAuditFilters(ctx.query, { maxLimit });
    if (!parsed.ok) kit.fail(ctx, 400, 'invalid_request', describe(parsed.errors));
    return parsed.ok ? parsed.criteria : undefined;
  };

  router.get('/audit-events', async (ctx) => {
    if (!kit.permits(ctx, 'audit.read')) return;
    const criteria = checked(ctx, MAX_LIMIT);
    if (!criteria) return;
    const { filter } = await resolveFilter(accounts, criteria);
    const events = await reader.events(filter, { before: criteria.before, limit: criteria.limit + 1 });
    const shown = await showEvents(accounts, events.slice(0, criteria.limit), { locale: 'en', reveal: false });
    ctx.body = {
      events: shown.map((event) => ({
        id: event.id,
        at: event.at.toISOString(),
        type: event.type,
        account_id: event.accountId,
        account: event.accountId ? { identifier: event.account.identifier, phone: event.account.phone } : null,
        client_id: event.clientId,
        ip: event.ip,
        user_agent: event.userAgent,
        details: event.details,
      })),
      next: events.length > criteria.limit ? shown.at(-1)!.id : null,
    };
  });

  router.get('/audit-events.csv', async (ctx) => {
    if (!kit.permits(ctx, 'audit.read')) return;
    const reveal = asksToReveal(ctx);
    if (reveal && !kit.permits(ctx, 'accounts.reveal')) return;
    const criteria = checked(ctx, MAX_LIMIT);
    if (!criteria) return;
    const resolved = await resolveFilter(accounts, criteria);
    await kit.record(ctx, 'audit.exported', {}, exportDetails(resolved, criteria, reveal));
    sendAuditCsv(ctx, { reader, accounts }, resolved.filter, { locale: 'en', reveal, now: clock.now() });
  });

  router.get('/dashboard', async (ctx) => {
    if (!kit.permits(ctx, 'dashboard.read')) return;
    const figures = await lastThirtyDays(knex, clock.now());
    ctx.body = {
      time_zone: VIETNAM_TIME_ZONE,
      from: figures.from,
      to: figures.to,
      days: figures.days.map((day) => ({
        date: day.date,
        registrations: day.registrations,
        sign_ins: day.signIns,
        sign_in_failures: day.signInFailures,
        lockouts: day.lockouts,
        sms_sent: day.smsSent,
      })),
    };
  });
}

export const auditApiArea: ApiArea = { addRoutes, paths };
