/** A calendar date as `YYYY-MM-DD`. Strings of this shape sort in date order. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * An instant as RFC 3339 (the ISO 8601 profile): a date, `T`, hours, minutes and seconds, optional
 * fractions, then `Z` or an offset (`2026-12-01T14:30:00Z`, `2026-12-01T09:30:00.250-05:00`).
 */
const ISO_INSTANT =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/i;

/**
 * The instant an RFC 3339 date-time names, or null for anything else: a date alone, a time without
 * an offset (whose meaning would depend on the server's zone), an impossible date (2023-02-30), or
 * the free forms `Date` would guess at ("1", "March 7, 2024").
 */
export function parseIsoInstant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = ISO_INSTANT.exec(value);
  if (!match || !isIsoDate(match[1])) return null;
  const instant = new Date(value.toUpperCase());
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** True for a real calendar date in `YYYY-MM-DD` form (rejects 2023-02-30). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const ontarioFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Toronto',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Ontario (America/Toronto) at an instant. */
export function todayInOntario(now: Date = new Date()): IsoDate {
  return ontarioFormat.format(now);
}

/** Adds whole months to a first-of-month or any date, clamping to the month's last day. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/** Adds (or, negative, subtracts) whole days. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The day of the week, 0 = Sunday … 6 = Saturday; computed in UTC, so no time zone or DST moves it. */
export function dayOfWeek(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}
