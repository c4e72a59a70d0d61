// The console's audit log and dashboard (issue point 7; SPEC R10, R12): `/admin/audit` (audit.read),
// its download `/admin/audit.csv` (audit.read; identifiers in clear only with accounts.reveal,
// `reveal=1` asked for and a sign-in in the last REAUTH_SECONDS), and `/admin/dashboard` (dashboard.read). Every download is in the
// log as `admin.audit.exported`, with the filters and whether identifiers were revealed.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { AuditReader, DAILY_FIGURES, type DailyFigure } from '../audit/index.ts';
import { auditLogPage, dashboardPage, type AuditPageProps, type AuditRowView } from '../../views/index.ts';
import type { MessageKey } from '../i18n/index.ts';
import { CONSOLE_PATH, type ConsoleKit } from './console.ts';
import { parseAuditFilters, PAGE_SIZE } from './audit-filters.ts';
import { asksToReveal, detailText, exportDetails, filterQuery, resolveFilter, showEvents, typeOptions } from './audit-reading.ts';
import { sendAuditCsv } from './audit-csv.ts';
import { lastThirtyDays } from './dashboard.ts';
import { allows } from './permissions.ts';
import { dayMonthYear } from './vietnam-time.ts';

const AUDIT_PATH = `${CONSOLE_PATH}/audit`;
const DASHBOARD_PATH = `${CONSOLE_PATH}/dashboard`;

const FIGURE_LABELS: Record<DailyFigure, { name: MessageKey; about: MessageKey }> = {
  registrations: { name: 'dashboard.figure.registrations', about: 'dashboard.about.registrations' },
  signIns: { name: 'dashboard.figure.signIns', about: 'dashboard.about.signIns' },
  signInFailures: { name: 'dashboard.figure.signInFailures', about: 'dashboard.about.signInFailures' },
  lockouts: { name: 'dashboard.figure.lockouts', about: 'dashboard.about.lockouts' },
  smsSent: { name: 'dashboard.figure.smsSent', about: 'dashboard.about.smsSent' },
};

export function auditConsoleArea(router: Router, kit: ConsoleKit): void {
  const { accounts, knex, clock } = kit.deps;
  const reader = new AuditReader(knex);

  const show = (ctx: Context, status: number, props: Omit<AuditPageProps, 'typeOptions'>) => {
    const shell = kit.shell(ctx, 'audit.title');
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = auditLogPage(shell, kit.frame(ctx, AUDIT_PATH), { ...props, typeOptions: typeOptions(shell.locale, props.values.type) });
  };

  router.get('/audit', async (ctx) => {
    if (!kit.permits(ctx, 'audit.read')) return;
    const parsed = parseAuditFilters(ctx.query);
    if (!parsed.ok) return show(ctx, 400, { values: parsed.values, errors: parsed.errors, rows: [] });
    const { criteria, values } = parsed;
    const resolved = await resolveFilter(accounts, criteria);
    const events = await reader.events(resolved.filter, { before: criteria.before, limit: PAGE_SIZE + 1 });
    const shown = await showEvents(accounts, events.slice(0, PAGE_SIZE), { locale: kit.shell(ctx, 'audit.title').locale, reveal: false });
    const rows: AuditRowView[] = shown.map((event) => ({
      id: event.id,
      time: event.localTime,
      datetime: event.at.toISOString(),
      label: event.label,
      account: event.account.identifier ?? event.account.phone ?? undefined,
      accountShortId: event.accountId?.slice(0, 8),
      clientId: event.clientId ?? undefined,
      ip: event.ip ?? undefined,
      details: Object.entries(event.details).map(([name, value]) => [name, detailText(value)] as const),
    }));
    const older = events.length > PAGE_SIZE ? shown.at(-1)!.id : undefined;
    show(ctx, 200, {
      values,
      errors: [],
      unmatched: resolved.unmatched,
      rows,
      olderHref: older ? `${AUDIT_PATH}?${filterQuery(values, { before: older })}` : undefined,
      newestHref: criteria.before ? `${AUDIT_PATH}?${filterQuery(values)}` : undefined,
      csvHref: `${AUDIT_PATH}.csv?${filterQuery(values)}`,
      csvRevealHref: allows(kit.operator(ctx), 'accounts.reveal') ? `${AUDIT_PATH}.csv?${filterQuery(values, { reveal: '1' })}` : undefined,
    });
  });

  router.get('/audit.csv', async (ctx) => {
    if (!kit.permits(ctx, 'audit.read')) return;
    const reveal = asksToReveal(ctx);
    if (reveal && !kit.permits(ctx, 'accounts.reveal')) return;
    // Personal identifiers in clear, in bulk: only right after the operator proved who they are.
    if (reveal && !kit.recentlySignedIn(ctx, ctx.url)) return;
    const parsed = parseAuditFilters(ctx.query);
    if (!parsed.ok) return show(ctx, 400, { values: parsed.values, errors: parsed.errors, rows: [] });
    const resolved = await resolveFilter(accounts, parsed.criteria);
    // The log itself is the target: the export names no account or client of its own, so it
    // is not among the events it exports when filtered by one.
    await kit.record(ctx, 'audit.exported', {}, exportDetails(resolved, parsed.criteria, reveal));
    sendAuditCsv(ctx, { reader, accounts }, resolved.filter, { locale: kit.shell(ctx, 'audit.title').locale, reveal, now: clock.now() });
  });

  router.get('/dashboard', async (ctx) => {
    if (!kit.permits(ctx, 'dashboard.read')) return;
    const figures = await lastThirtyDays(knex, clock.now());
    const shell = kit.shell(ctx, 'dashboard.title');
    ctx.status = 200;
    ctx.type = 'html';
    ctx.body = dashboardPage(shell, kit.frame(ctx, DASHBOARD_PATH), {
      days: figures.days.map((day) => ({ date: day.date, shown: dayMonthYear(day.date), short: dayMonthYear(day.date).slice(0, 5) })),
      series: (Object.keys(DAILY_FIGURES) as DailyFigure[]).map((figure) => ({
        id: figure,
        ...FIGURE_LABELS[figure],
        counts: figures.days.map((day) => day[figure]),
      })),
    });
  });
}
