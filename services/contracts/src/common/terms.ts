import { Schema } from 'mongoose';
import { fiscalQuartersBetween, quarterBounds, type IsoDate } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';

/** Money is integer cents: no floats, no Decimal128. */
export interface Funding {
  fixedCents: number;
  performanceCents: number;
}

export const TARGET_MEASURES = ['CLIENTS_SERVED', 'ACTION_PLANS_STARTED', 'EMPLOYMENT_OUTCOMES'] as const;
export type TargetMeasure = (typeof TARGET_MEASURES)[number];

export interface PerformanceTarget {
  fiscalYear: number;
  quarter: number;
  measure: TargetMeasure;
  value: number;
}

export const fundingSchema = new Schema<Funding>(
  {
    fixedCents: { type: Number, required: true },
    performanceCents: { type: Number, required: true },
  },
  { _id: false },
);

export const targetSchema = new Schema<PerformanceTarget>(
  {
    fiscalYear: { type: Number, required: true },
    quarter: { type: Number, required: true },
    measure: { type: String, enum: TARGET_MEASURES, required: true },
    value: { type: Number, required: true },
  },
  { _id: false },
);

/** GraphQL shape of stored funding. */
export const fundingView = (funding: Funding) => ({
  fixed: funding.fixedCents,
  performanceBased: funding.performanceCents,
  total: funding.fixedCents + funding.performanceCents,
});

/** GraphQL shape of a stored target, with its fiscal quarter's label and bounds. */
export const targetView = (target: PerformanceTarget) => {
  const q = quarterBounds(target.fiscalYear, target.quarter);
  return { ...target, label: q.label, startDate: q.startDate, endDate: q.endDate };
};

export const fundingFromInput = (input: { fixed: number; performanceBased: number }): Funding => ({
  fixedCents: input.fixed,
  performanceCents: input.performanceBased,
});

export const MAX_TERM_DAYS = 5 * 366;
/** Fiscal years (by their starting calendar year) the platform plans for. */
export const FISCAL_YEARS = { first: 2000, last: 2100 } as const;
/** Upper bound of each funding part: $10 billion, far above any catchment's allocation. */
export const MAX_FUNDING_CENTS = 10_000_000_000_00;

/** Each part of a funding is whole cents from 0 to MAX_FUNDING_CENTS, so the total stays exact. */
export function validateFunding(funding: Funding, field = 'input.funding'): MutationError | null {
  for (const [part, value] of [
    ['fixed', funding.fixedCents],
    ['performanceBased', funding.performanceCents],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX_FUNDING_CENTS) {
      return mutationError(
        'VALIDATION_FAILED',
        `Funding parts are whole cents from 0 to ${MAX_FUNDING_CENTS} ($10 billion)`,
        `${field}.${part}`,
      );
    }
  }
  return null;
}
export const MAX_TARGETS = 200;
export const MAX_TARGET_VALUE = 1_000_000;

/** A term is two real dates in order, at most five years long. */
export function validateTerm(startDate: IsoDate, endDate: IsoDate, field = 'input'): MutationError | null {
  for (const [name, date] of [
    ['startDate', startDate],
    ['endDate', endDate],
  ] as const) {
    const year = Number(date.slice(0, 4));
    if (year < FISCAL_YEARS.first || year > FISCAL_YEARS.last + 1) {
      return mutationError(
        'VALIDATION_FAILED',
        `Terms fall between ${FISCAL_YEARS.first} and ${FISCAL_YEARS.last + 1}; got ${date}`,
        `${field}.${name}`,
      );
    }
  }
  if (endDate < startDate) {
    return mutationError(
      'VALIDATION_FAILED',
      `The term ends (${endDate}) before it starts (${startDate})`,
      `${field}.endDate`,
    );
  }
  const days = (Date.parse(endDate) - Date.parse(startDate)) / 86_400_000;
  if (days > MAX_TERM_DAYS)
    return mutationError('VALIDATION_FAILED', 'A term is at most five years long', `${field}.endDate`);
  return null;
}

/**
 * Targets are whole, non-negative numbers, one per fiscal quarter and measure, for quarters that
 * overlap the term.
 */
export function validateTargets(
  targets: PerformanceTarget[],
  term: { startDate: IsoDate; endDate: IsoDate },
  field = 'input.targets',
): MutationError | null {
  if (targets.length > MAX_TARGETS)
    return mutationError('VALIDATION_FAILED', `At most ${MAX_TARGETS} targets`, field);
  const inTerm = new Set(
    fiscalQuartersBetween(term.startDate, term.endDate).map((q) => `${q.fiscalYear}/${q.quarter}`),
  );
  const seen = new Set<string>();
  for (const [i, t] of targets.entries()) {
    const at = `${field}.${i}`;
    if (
      !Number.isInteger(t.fiscalYear) ||
      t.fiscalYear < FISCAL_YEARS.first ||
      t.fiscalYear > FISCAL_YEARS.last
    ) {
      return mutationError(
        'VALIDATION_FAILED',
        `Fiscal year ${t.fiscalYear} is outside ${FISCAL_YEARS.first}–${FISCAL_YEARS.last}`,
        `${at}.fiscalYear`,
      );
    }
    if (!Number.isInteger(t.quarter) || t.quarter < 1 || t.quarter > 4) {
      return mutationError(
        'VALIDATION_FAILED',
        `Quarter ${t.quarter} does not exist; quarters are 1–4`,
        `${at}.quarter`,
      );
    }
    if (!inTerm.has(`${t.fiscalYear}/${t.quarter}`)) {
      const label = quarterBounds(t.fiscalYear, t.quarter).label;
      return mutationError(
        'VALIDATION_FAILED',
        `${label} is outside the term ${term.startDate} – ${term.endDate}`,
        `${at}.fiscalYear`,
      );
    }
    if (!Number.isInteger(t.value) || t.value < 0 || t.value > MAX_TARGET_VALUE) {
      return mutationError(
        'VALIDATION_FAILED',
        `A target is a whole number from 0 to ${MAX_TARGET_VALUE}`,
        `${at}.value`,
      );
    }
    const key = `${t.fiscalYear}/${t.quarter}/${t.measure}`;
    if (seen.has(key))
      return mutationError('VALIDATION_FAILED', `Two targets for ${t.measure} in the same quarter`, at);
    seen.add(key);
  }
  return null;
}

/** Targets in a stable order: fiscal year, quarter, measure. */
export const sortTargets = (targets: PerformanceTarget[]) =>
  [...targets].sort(
    (a, b) => a.fiscalYear - b.fiscalYear || a.quarter - b.quarter || a.measure.localeCompare(b.measure),
  );
