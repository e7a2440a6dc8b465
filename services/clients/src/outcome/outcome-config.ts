import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isIsoDate, type IsoDate } from '@ies/calendar';
import { ConfigError } from '@ies/config';

/** An Ontario general minimum wage and the day it took effect. */
export interface MinimumWageRate {
  effectiveFrom: IsoDate;
  hourlyCents: number;
}

/** The funded-outcome thresholds in force from a date (DOMAIN.md §3: thresholds are configuration). */
export interface OutcomeThresholds {
  effectiveFrom: IsoDate;
  /** Average hours a week a funded outcome needs, across the jobs it counts. */
  minimumHoursPerWeek: number;
  /** Hours a week at plan start from which a client counts as already working and needs a new employer. */
  alreadyWorkingHoursPerWeek: number;
  /** Share of a catchment's clients at a checkpoint whose outcome may rest on concurrent jobs. */
  concurrentJobsCapRate: number;
}

/** Both tables are sorted by `effectiveFrom`, strictly increasing; an entry holds until the next one. */
export interface OutcomeConfig {
  minimumWage: readonly Readonly<MinimumWageRate>[];
  thresholds: readonly Readonly<OutcomeThresholds>[];
}

/**
 * Ontario's general minimum wage since 2018 (Employment Standards Act, 2000; ontario.ca "Your guide to
 * the Employment Standards Act: Minimum wage"), indexed each 1 October. A new rate is a new entry in an
 * operator's file, not a code change. A date before the first entry has no rate.
 */
const ONTARIO_GENERAL_MINIMUM_WAGE: MinimumWageRate[] = [
  { effectiveFrom: '2018-01-01', hourlyCents: 1400 },
  { effectiveFrom: '2020-10-01', hourlyCents: 1425 },
  { effectiveFrom: '2021-10-01', hourlyCents: 1435 },
  { effectiveFrom: '2022-01-01', hourlyCents: 1500 },
  { effectiveFrom: '2022-10-01', hourlyCents: 1550 },
  { effectiveFrom: '2023-10-01', hourlyCents: 1655 },
  { effectiveFrom: '2024-10-01', hourlyCents: 1720 },
  { effectiveFrom: '2025-10-01', hourlyCents: 1760 },
];

/**
 * Defaults: the published IES outcome definition [S2], in force from 1 January 2020, when the first
 * (prototype) catchments entered planning; no IES outcome predates it.
 */
export const DEFAULT_OUTCOME_CONFIG: OutcomeConfig = deepFreeze({
  minimumWage: ONTARIO_GENERAL_MINIMUM_WAGE,
  thresholds: [
    {
      effectiveFrom: '2020-01-01',
      minimumHoursPerWeek: 20,
      alreadyWorkingHoursPerWeek: 20,
      concurrentJobsCapRate: 0.05,
    },
  ],
});

function inForceOn<T extends { effectiveFrom: IsoDate }>(
  entries: readonly T[],
  date: IsoDate,
  what: string,
): T {
  if (!isIsoDate(date)) throw new RangeError(`Not a date (YYYY-MM-DD): ${String(date)}`);
  let found: T | undefined;
  for (const entry of entries) {
    if (entry.effectiveFrom > date) break;
    found = entry;
  }
  if (!found) {
    const first = entries[0]?.effectiveFrom;
    throw new RangeError(
      first
        ? `No ${what} is configured for ${date}: the outcome configuration starts on ${first}`
        : `No ${what} is configured: the outcome configuration has no entries`,
    );
  }
  return found;
}

/** The general minimum wage in force on `date`; throws a RangeError when the table does not reach back. */
export const minimumWageOn = (config: OutcomeConfig, date: IsoDate): Readonly<MinimumWageRate> =>
  inForceOn(config.minimumWage, date, 'minimum wage');

/** The outcome thresholds in force on `date`; throws a RangeError when the table does not reach back. */
export const thresholdsOn = (config: OutcomeConfig, date: IsoDate): Readonly<OutcomeThresholds> =>
  inForceOn(config.thresholds, date, 'outcome thresholds');

// ---------------------------------------------------------------------------------------------------
// An operator's configuration file.

const MAX_ENTRIES = 500;
const isoDate = z.string().refine(isIsoDate, 'must be a real date (YYYY-MM-DD)');
const hoursPerWeek = z.number().positive().max(168, 'a week has 168 hours');

const schema = z.strictObject({
  minimumWage: z
    .array(
      z.strictObject({
        effectiveFrom: isoDate,
        hourlyCents: z.number().int('must be whole cents').positive().max(100_000, 'must be at most $1,000'),
      }),
    )
    .min(1)
    .max(MAX_ENTRIES),
  thresholds: z
    .array(
      z.strictObject({
        effectiveFrom: isoDate,
        minimumHoursPerWeek: hoursPerWeek,
        /** Defaults to the entry's minimumHoursPerWeek. */
        alreadyWorkingHoursPerWeek: hoursPerWeek.optional(),
        concurrentJobsCapRate: z.number().positive().max(1, 'is a share, at most 1'),
      }),
    )
    .min(1)
    .max(MAX_ENTRIES),
});

/** Entries out of order or on the same date, checked on whatever dates are readable. */
function orderProblems(json: unknown): string[] {
  if (typeof json !== 'object' || json === null) return [];
  const problems: string[] = [];
  for (const table of ['minimumWage', 'thresholds'] as const) {
    const entries: unknown = (json as Record<string, unknown>)[table];
    if (!Array.isArray(entries)) continue;
    let previous: IsoDate | null = null;
    entries.forEach((entry: unknown, i) => {
      const date = (entry as { effectiveFrom?: unknown } | null)?.effectiveFrom;
      if (!isIsoDate(date)) return;
      if (previous !== null && date === previous)
        problems.push(
          `${table}.${i}.effectiveFrom: ${date} is the date of the entry before; dates are unique`,
        );
      else if (previous !== null && date < previous)
        problems.push(`${table}.${i}.effectiveFrom: ${date} comes before ${previous}; sort entries by date`);
      previous = date;
    });
  }
  return problems;
}

/**
 * Validates an outcome configuration (the parsed JSON of an operator's file) and returns it frozen.
 * Every problem is reported at once in a ConfigError. Example:
 * `{"minimumWage":[{"effectiveFrom":"2025-10-01","hourlyCents":1760}],
 *   "thresholds":[{"effectiveFrom":"2020-01-01","minimumHoursPerWeek":20,"concurrentJobsCapRate":0.05}]}`
 */
export function parseOutcomeConfig(json: unknown): OutcomeConfig {
  const result = schema.safeParse(json);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.') || 'configuration'}: ${issue.message}`);
  problems.push(...orderProblems(json));
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return deepFreeze({
    minimumWage: result.data.minimumWage,
    thresholds: result.data.thresholds.map((t) => ({
      effectiveFrom: t.effectiveFrom,
      minimumHoursPerWeek: t.minimumHoursPerWeek,
      alreadyWorkingHoursPerWeek: t.alreadyWorkingHoursPerWeek ?? t.minimumHoursPerWeek,
      concurrentJobsCapRate: t.concurrentJobsCapRate,
    })),
  });
}

/**
 * The outcome configuration of a process: the defaults when no file is named (undefined or blank),
 * else the named JSON file, validated. Throws a ConfigError naming the file and every problem, so a
 * process's `loadConfigOrExit` prints them and exits 1.
 */
export function loadOutcomeConfig(path: string | undefined): OutcomeConfig {
  if (path === undefined || path.trim() === '') return DEFAULT_OUTCOME_CONFIG;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const detail =
      error instanceof SyntaxError
        ? `not valid JSON (${error.message})`
        : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new ConfigError([`outcome configuration ${path}: ${detail}`]);
  }
  try {
    return parseOutcomeConfig(json);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new ConfigError(error.problems.map((p) => `outcome configuration ${path}: ${p}`));
    throw error;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
