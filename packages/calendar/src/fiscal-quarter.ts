import { isIsoDate, type IsoDate } from './iso-date';

/**
 * Ontario's fiscal calendar: the fiscal year runs 1 April – 31 March and is named by its start year
 * (fiscal year 2023 is "2023-24", 2023-04-01 – 2024-03-31). Q1 = Apr–Jun, Q2 = Jul–Sep, Q3 = Oct–Dec,
 * Q4 = Jan–Mar. This module is the only place in the monorepo that does this arithmetic.
 */
export type QuarterNumber = 1 | 2 | 3 | 4;

export interface FiscalQuarter {
  /** The calendar year in which the fiscal year starts (2023 for "2023-24"). */
  fiscalYear: number;
  quarter: QuarterNumber;
  /** e.g. `2023-24 Q1`. */
  label: string;
  startDate: IsoDate;
  endDate: IsoDate;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function assertDate(date: IsoDate): void {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
}

function assertQuarter(fiscalYear: number, quarter: number): asserts quarter is QuarterNumber {
  if (!Number.isInteger(fiscalYear) || fiscalYear < 1000 || fiscalYear > 9998) {
    throw new RangeError(`not a fiscal year: ${fiscalYear}`);
  }
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4)
    throw new RangeError(`not a fiscal quarter: ${quarter}`);
}

const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** `2023` → `2023-24`; `1999` → `1999-00`. */
export function fiscalYearLabel(fiscalYear: number): string {
  return `${fiscalYear}-${pad((fiscalYear + 1) % 100)}`;
}

/** The fiscal year (start year) a date falls in: 2024-03-31 → 2023, 2024-04-01 → 2024. */
export function fiscalYearOf(date: IsoDate): number {
  assertDate(date);
  const [year, month] = date.split('-').map(Number) as [number, number];
  return month >= 4 ? year : year - 1;
}

/** First and last day of a fiscal year. */
export function fiscalYearBounds(fiscalYear: number): { startDate: IsoDate; endDate: IsoDate } {
  assertQuarter(fiscalYear, 1);
  return { startDate: `${pad(fiscalYear, 4)}-04-01`, endDate: `${pad(fiscalYear + 1, 4)}-03-31` };
}

/** The quarter `quarter` of fiscal year `fiscalYear`, with its first and last day. */
export function quarterBounds(fiscalYear: number, quarter: number): FiscalQuarter {
  assertQuarter(fiscalYear, quarter);
  const startMonth0 = 3 + (quarter - 1) * 3; // months from January of the start year, 0-based
  const startYear = fiscalYear + Math.floor(startMonth0 / 12);
  const startMonth = (startMonth0 % 12) + 1;
  const endMonth = startMonth + 2;
  return {
    fiscalYear,
    quarter,
    label: `${fiscalYearLabel(fiscalYear)} Q${quarter}`,
    startDate: `${pad(startYear, 4)}-${pad(startMonth)}-01`,
    endDate: `${pad(startYear, 4)}-${pad(endMonth)}-${pad(lastDayOf(startYear, endMonth))}`,
  };
}

/** The fiscal quarter a date falls in: 2023-06-30 → 2023-24 Q1, 2023-07-01 → 2023-24 Q2. */
export function fiscalQuarterOf(date: IsoDate): FiscalQuarter {
  const fiscalYear = fiscalYearOf(date);
  const month = Number(date.slice(5, 7));
  const quarter = (Math.floor(((month + 8) % 12) / 3) + 1) as QuarterNumber;
  return quarterBounds(fiscalYear, quarter);
}

export function nextFiscalQuarter(q: Pick<FiscalQuarter, 'fiscalYear' | 'quarter'>): FiscalQuarter {
  return q.quarter === 4 ? quarterBounds(q.fiscalYear + 1, 1) : quarterBounds(q.fiscalYear, q.quarter + 1);
}

export function previousFiscalQuarter(q: Pick<FiscalQuarter, 'fiscalYear' | 'quarter'>): FiscalQuarter {
  return q.quarter === 1 ? quarterBounds(q.fiscalYear - 1, 4) : quarterBounds(q.fiscalYear, q.quarter - 1);
}

/** Every fiscal quarter that overlaps the date range `startDate`–`endDate` (inclusive), in order. */
export function fiscalQuartersBetween(startDate: IsoDate, endDate: IsoDate): FiscalQuarter[] {
  assertDate(endDate);
  if (endDate < startDate) return [];
  const quarters: FiscalQuarter[] = [];
  for (let q = fiscalQuarterOf(startDate); q.startDate <= endDate; q = nextFiscalQuarter(q)) quarters.push(q);
  return quarters;
}

/** True when the quarter shares at least one day with the date range (inclusive). */
export function quarterOverlaps(
  q: Pick<FiscalQuarter, 'startDate' | 'endDate'>,
  startDate: IsoDate,
  endDate: IsoDate,
): boolean {
  return q.startDate <= endDate && q.endDate >= startDate;
}
