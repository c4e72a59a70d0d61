// The dashboard's figures (issue point 7): each of the last 30 Vietnamese calendar days, today
// included and still going, with what audit/daily-figures.ts counted, and 0 for a day without.
import { dailyFigures, emptyCounts, type DayCounts } from '../audit/index.ts';
import type { Knex } from '../db/index.ts';
import { addDays, startOfVietnamDay, vietnamDay } from './vietnam-time.ts';

export const DASHBOARD_DAYS = 30;

export interface DashboardFigures {
  /** The first day and today (YYYY-MM-DD). */
  from: string;
  to: string;
  days: Array<{ date: string } & DayCounts>;
}

export async function lastThirtyDays(knex: Knex, now: Date): Promise<DashboardFigures> {
  const to = vietnamDay(now);
  const from = addDays(to, -(DASHBOARD_DAYS - 1));
  const counted = await dailyFigures(knex, startOfVietnamDay(from), startOfVietnamDay(addDays(to, 1)));
  const days = Array.from({ length: DASHBOARD_DAYS }, (_, index) => {
    const date = addDays(from, index);
    return { date, ...(counted.get(date) ?? emptyCounts()) };
  });
  return { from, to, days };
}
