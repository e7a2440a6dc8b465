import { addDays, dayOfWeek, isIsoDate, type IsoDate } from './iso-date';

/**
 * Ontario statutory holidays, computed by rule for any year (no tables).
 *
 * The holidays are the nine "public holidays" of the Employment Standards Act, 2000, S.O. 2000, c. 41,
 * s. 1(1): New Year's Day (1 January), Family Day (third Monday of February, a holiday since 2008,
 * omitted before), Good Friday (two days before Easter Sunday), Victoria Day (the Monday before
 * 25 May), Canada Day (1 July), Labour Day (first Monday of September), Thanksgiving Day (second
 * Monday of October), Christmas Day (25 December) and Boxing Day (26 December).
 *
 * Not statutory in Ontario, so business days: the Civic Holiday (first Monday of August, a holiday
 * only by municipal or employer choice), Easter Monday, Remembrance Day (11 November), the National
 * Day for Truth and Reconciliation (30 September, federal only) and Saint-Jean-Baptiste Day (Quebec).
 *
 * Substitution. When a public holiday falls on a day that is not a working day, ESA s. 27 gives the
 * employee a substitute day off but leaves the employer to choose it. We apply the common practice of
 * the Ontario Public Service (its published holiday schedules, e.g. 2021-12-27/28 and 2022-01-03): a
 * holiday on a Saturday or Sunday is **observed on the next weekday that is neither a holiday itself
 * nor already the observed day of another holiday**. So Canada Day 2023 (Saturday) is observed Monday
 * 3 July; Christmas 2021 (Saturday) Monday 27 and Boxing Day (Sunday) Tuesday 28; Christmas 2022
 * (Sunday) Tuesday 27, because Monday 26 is Boxing Day itself. An observed day never leaves its year
 * (the latest is 28 December, the earliest 1 January).
 *
 * Easter is the Western (Gregorian) Easter of the anonymous Gregorian computus (Meeus/Jones/Butcher),
 * valid for every Gregorian year; years are accepted from 1583 (the first full Gregorian year) to 9999.
 */
export const ONTARIO_HOLIDAY_NAMES = [
  "New Year's Day",
  'Family Day',
  'Good Friday',
  'Victoria Day',
  'Canada Day',
  'Labour Day',
  'Thanksgiving Day',
  'Christmas Day',
  'Boxing Day',
] as const;
export type OntarioHolidayName = (typeof ONTARIO_HOLIDAY_NAMES)[number];

export interface OntarioHoliday {
  /** The holiday's own date, which may fall on a weekend. */
  date: IsoDate;
  /** The weekday on which it is taken off: `date` itself on a weekday, else the substitute day. */
  observed: IsoDate;
  name: OntarioHolidayName;
}

/** The first year in which Family Day was a public holiday in Ontario. */
export const FAMILY_DAY_FIRST_YEAR = 2008;

const MIN_YEAR = 1583;
const MAX_YEAR = 9999;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isoDate = (year: number, month: number, day: number): IsoDate =>
  `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

const isWeekend = (date: IsoDate) => {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
};

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
    throw new RangeError(`not a Gregorian year between ${MIN_YEAR} and ${MAX_YEAR}: ${year}`);
}

/** The `n`th (1-based) `weekday` (0 = Sunday) of a month (1-based). */
function nthWeekdayOf(year: number, month: number, weekday: number, n: number): IsoDate {
  const firstWeekday = dayOfWeek(isoDate(year, month, 1));
  return isoDate(year, month, 1 + ((weekday - firstWeekday + 7) % 7) + 7 * (n - 1));
}

/** Easter Sunday (Western churches) by the anonymous Gregorian computus. */
export function easterSunday(year: number): IsoDate {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/** Victoria Day: the last Monday on or before 24 May, i.e. the Monday before 25 May. */
function victoriaDay(year: number): IsoDate {
  const may24 = isoDate(year, 5, 24);
  return addDays(may24, -((dayOfWeek(may24) + 6) % 7));
}

function holidayDates(year: number): Array<{ date: IsoDate; name: OntarioHolidayName }> {
  const dates: Array<{ date: IsoDate; name: OntarioHolidayName }> = [
    { date: isoDate(year, 1, 1), name: "New Year's Day" },
    { date: nthWeekdayOf(year, 2, 1, 3), name: 'Family Day' },
    { date: addDays(easterSunday(year), -2), name: 'Good Friday' },
    { date: victoriaDay(year), name: 'Victoria Day' },
    { date: isoDate(year, 7, 1), name: 'Canada Day' },
    { date: nthWeekdayOf(year, 9, 1, 1), name: 'Labour Day' },
    { date: nthWeekdayOf(year, 10, 1, 2), name: 'Thanksgiving Day' },
    { date: isoDate(year, 12, 25), name: 'Christmas Day' },
    { date: isoDate(year, 12, 26), name: 'Boxing Day' },
  ];
  return year < FAMILY_DAY_FIRST_YEAR ? dates.filter((h) => h.name !== 'Family Day') : dates;
}

/** Applies the substitution rule; `dates` are in date order. */
function withObservedDays(dates: Array<{ date: IsoDate; name: OntarioHolidayName }>): OntarioHoliday[] {
  // Weekday holidays are taken on their own date; weekend ones take the next weekday still free.
  const taken = new Set(dates.filter((h) => !isWeekend(h.date)).map((h) => h.date));
  return dates.map(({ date, name }) => {
    if (!isWeekend(date)) return { date, observed: date, name };
    let observed = addDays(date, 1);
    while (isWeekend(observed) || taken.has(observed)) observed = addDays(observed, 1);
    taken.add(observed);
    return { date, observed, name };
  });
}

const byYear = new Map<number, { holidays: readonly OntarioHoliday[]; observed: ReadonlySet<IsoDate> }>();

function holidaysOf(year: number) {
  let entry = byYear.get(year);
  if (!entry) {
    const holidays = withObservedDays(holidayDates(year));
    entry = { holidays, observed: new Set(holidays.map((h) => h.observed)) };
    byYear.set(year, entry);
  }
  return entry;
}

/** The Ontario public holidays of a year, in date order, each with the day it is observed. */
export function ontarioStatutoryHolidays(year: number): OntarioHoliday[] {
  assertYear(year);
  return holidaysOf(year).holidays.map((h) => ({ ...h }));
}

/** The observed days off of a year, as a set (for counting holidays in a date range). */
export function observedOntarioHolidays(year: number): ReadonlySet<IsoDate> {
  assertYear(year);
  return holidaysOf(year).observed;
}

/**
 * True on a day an Ontario public holiday is observed (taken off): the holiday itself on a weekday,
 * or its substitute day. A holiday's own date on a weekend is not observed (it is a weekend anyway).
 */
export function isOntarioHoliday(date: IsoDate): boolean {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  return observedOntarioHolidays(Number(date.slice(0, 4))).has(date);
}
