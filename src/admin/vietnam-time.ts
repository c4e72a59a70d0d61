// Days and times as the province reads them: Asia/Ho_Chi_Minh, which keeps UTC+7 all year (no
// daylight saving), so a fixed offset is exact and no time-zone data is needed here. The
// database counts days with the zone's name (audit/daily-figures.ts); both agree.
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** The calendar day (YYYY-MM-DD) in Viet Nam at `instant`. */
export function vietnamDay(instant: Date): string {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Vietnamese calendar day (YYYY-MM-DD) begins. */
export function startOfVietnamDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - VIETNAM_OFFSET_MS);
}

/** The day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `2026-12-05` → `05/12/2026`, as dates are written in Viet Nam. */
export function dayMonthYear(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}/${month}/${year}`;
}

/** `dd/mm/yyyy HH:mm:ss` in Viet Nam. */
export function vietnamDateTime(instant: Date): string {
  const local = new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString();
  return `${dayMonthYear(local.slice(0, 10))} ${local.slice(11, 19)}`;
}
