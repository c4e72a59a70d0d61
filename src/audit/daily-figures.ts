// What the operator dashboard counts per day (issue point 7), from the log itself: one grouped
// statement for all figures, through the (type, at) index or the BRIN index on the time. Days
// are Vietnamese calendar days (Asia/Ho_Chi_Minh, UTC+7 all year): an event at 23:30 and one
// at 00:30 local time fall on two days.
import type { Knex } from '../db/index.ts';

/** Each figure and the event type that counts it. */
export const DAILY_FIGURES = {
  registrations: 'account.activated',
  signIns: 'signin.succeeded',
  signInFailures: 'signin.failed',
  lockouts: 'account.locked',
  // An SMS code sent. A password reset for an identifier no account has is answered alike but
  // sends nothing (`matched: false`): not counted.
  smsSent: 'otp.sent',
} as const;

export type DailyFigure = keyof typeof DAILY_FIGURES;

export type DayCounts = Record<DailyFigure, number>;

const FIGURES = Object.keys(DAILY_FIGURES) as DailyFigure[];

export function emptyCounts(): DayCounts {
  return Object.fromEntries(FIGURES.map((figure) => [figure, 0])) as DayCounts;
}

/** The counts of each Vietnamese calendar day (YYYY-MM-DD) from `from` to `to` (exclusive) that has any. */
export async function dailyFigures(knex: Knex, from: Date, to: Date): Promise<Map<string, DayCounts>> {
  const { rows } = (await knex.raw(
    `SELECT type, to_char(at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') AS day, count(*) AS n
     FROM audit_events
     WHERE type = ANY (CAST(? AS text[])) AND at >= ? AND at < ?
       AND (type <> 'otp.sent' OR coalesce(details->>'matched', '') <> 'false')
     GROUP BY 1, 2`,
    [Object.values(DAILY_FIGURES), from, to],
  )) as { rows: Array<{ type: string; day: string; n: string | number }> };
  const byType = new Map<string, DailyFigure>(FIGURES.map((figure) => [DAILY_FIGURES[figure], figure]));
  const days = new Map<string, DayCounts>();
  for (const row of rows) {
    const counts = days.get(row.day) ?? emptyCounts();
    counts[byType.get(row.type)!] = Number(row.n);
    days.set(row.day, counts);
  }
  return days;
}
