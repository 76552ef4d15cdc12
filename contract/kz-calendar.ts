// The Kazakh working-day calendar (five-day week): deadlines such as "5 working days" for a service act.
// Data: resources/calendar/kz-holidays.json. Outside the covered years only weekends count.
import calendar from '../resources/calendar/kz-holidays.json';

/** A calendar date `YYYY-MM-DD` (Kazakhstan local date, UTC+5). */
export type IsoDate = string;

const NON_WORKING = new Set(calendar.nonWorkingDays.map((d) => d.date));
const WORKING_WEEKEND = new Set<string>(calendar.workingWeekendDays as string[]);
const WEEKEND = new Set(calendar.weekend);
export const CALENDAR_YEARS: readonly number[] = calendar.years;

function parse(d: IsoDate): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`not a date: ${d}`);
  const t = new Date(`${d}T00:00:00Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d) throw new RangeError(`not a date: ${d}`);
  return t;
}
const fmt = (t: Date): IsoDate => t.toISOString().slice(0, 10);

export function addCalendarDays(d: IsoDate, n: number): IsoDate {
  const t = parse(d);
  t.setUTCDate(t.getUTCDate() + n);
  return fmt(t);
}

export function isWorkingDay(d: IsoDate): boolean {
  if (WORKING_WEEKEND.has(d)) return true;
  if (NON_WORKING.has(d)) return false;
  return !WEEKEND.has(parse(d).getUTCDay());
}

/** The date `n` working days after `d` (d itself not counted); n = 0 gives d. */
export function addWorkingDays(d: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  let cur = d;
  for (let left = n; left > 0; ) {
    cur = addCalendarDays(cur, 1);
    if (isWorkingDay(cur)) left--;
  }
  return cur;
}

/** Working days in the half-open interval (from, to]: the days that passed after `from` up to and including `to`. */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  if (to <= from) return 0;
  let n = 0;
  for (let cur = addCalendarDays(from, 1); cur <= to; cur = addCalendarDays(cur, 1)) if (isWorkingDay(cur)) n++;
  return n;
}

/** Kazakhstan local date (UTC+5, no DST since 01.03.2024) of an instant. */
export function kzDate(t: Date): IsoDate {
  return new Date(t.getTime() + 5 * 3600_000).toISOString().slice(0, 10);
}
