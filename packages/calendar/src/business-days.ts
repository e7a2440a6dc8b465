import { addDays, dayOfWeek, isIsoDate, type IsoDate } from './iso-date';
import { isOntarioHoliday, observedOntarioHolidays } from './ontario-holidays';

/**
 * Ontario business days: Monday to Friday, except the days on which an Ontario public holiday is
 * observed (ontario-holidays.ts, substitution included). Every SLA measured "in business days"
 * (dispute acknowledgement and resolution, DOMAIN.md §4) counts with these functions.
 *
 * Counting convention, as for time periods in law (the first day excluded, the last included): a
 * period of n business days from a date ends on the nth business day *after* that date. So a dispute
 * opened on Friday 2024-12-20 and due "within 5 business days" is due Tuesday 2024-12-31 (Christmas
 * and Boxing Day are skipped), and `businessDaysBetween(from, addBusinessDays(from, n)) === n`.
 */

function assertDate(date: IsoDate): void {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
}

const yearOf = (date: IsoDate) => Number(date.slice(0, 4));

/** True from Monday to Friday unless an Ontario public holiday is observed that day. */
export function isBusinessDay(date: IsoDate): boolean {
  assertDate(date);
  const day = dayOfWeek(date);
  return day !== 0 && day !== 6 && !isOntarioHoliday(date);
}

function nextBusinessDay(date: IsoDate): IsoDate {
  let next = addDays(date, 1);
  while (!isBusinessDay(next)) next = addDays(next, 1);
  return next;
}

/**
 * The `n`th business day after `date` (`date` itself never counts, whatever day it is). With `n = 0`,
 * `date` itself when it is a business day, else the next business day (the day work on it starts).
 */
export function addBusinessDays(date: IsoDate, n: number): IsoDate {
  assertDate(date);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`business days to add must be a whole number ≥ 0: ${n}`);
  if (n === 0) return isBusinessDay(date) ? date : nextBusinessDay(date);
  let day = date;
  for (let left = n; left > 0; left--) day = nextBusinessDay(day);
  return day;
}

/** Weekdays (Monday–Friday) from a fixed Monday up to and including `date`; differences count ranges. */
function weekdaysThrough(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const sinceMonday = Date.UTC(y, m - 1, d) / 86_400_000 - 4; // 1970-01-05, epoch day 4, was a Monday
  const weeks = Math.floor(sinceMonday / 7);
  return 5 * weeks + Math.min(sinceMonday - 7 * weeks + 1, 5);
}

/**
 * The business days after `from` up to and including `to`: 0 for the same day, 1 from a Friday to the
 * next Monday, 0 from a Saturday to the Sunday. When `to` is before `from` the count is negative
 * (`-businessDaysBetween(to, from)`), so counts add up: between(a, b) + between(b, c) = between(a, c).
 */
export function businessDaysBetween(from: IsoDate, to: IsoDate): number {
  assertDate(from);
  assertDate(to);
  if (to < from) return -businessDaysBetween(to, from);
  let holidays = 0; // observed days are always distinct weekdays, so each one removes one weekday
  for (let year = yearOf(from); year <= yearOf(to); year++) {
    for (const day of observedOntarioHolidays(year)) if (day > from && day <= to) holidays++;
  }
  return weekdaysThrough(to) - weekdaysThrough(from) - holidays;
}
