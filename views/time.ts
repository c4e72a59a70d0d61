// A moment as a person in the province reads it: Viet Nam keeps UTC+7 all year (no daylight
// saving), so the wall-clock time needs no time-zone data, and the day is written day/month/year
// in both languages, the way the forms ask for dates.
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

export function vietnamTime(moment: Date): string {
  const local = new Date(moment.getTime() + VIETNAM_OFFSET_MS);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(local.getUTCHours())}:${two(local.getUTCMinutes())} ${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} (UTC+7)`;
}
