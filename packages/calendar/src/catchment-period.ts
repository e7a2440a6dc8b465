import { addDays, type IsoDate } from './iso-date';

export const CATCHMENT_PERIODS = ['NOT_STARTED', 'PLANNING', 'TRANSITION', 'IES_DELIVERY'] as const;
/** Where a catchment stands on the IES timeline (DOMAIN.md §1, Periods). */
export type CatchmentPeriod = (typeof CATCHMENT_PERIODS)[number];

/** A catchment's period start dates; null while to be announced (TBA). */
export interface PeriodDates {
  planningStartDate: IsoDate | null;
  transitionStartDate: IsoDate | null;
  iesDeliveryStartDate: IsoDate | null;
}

const started = (start: IsoDate | null, asOf: IsoDate) => start !== null && start <= asOf;

/**
 * The period of a catchment on a date: the latest period whose start date has passed. Dates still to
 * be announced never start. The one rule every service applies to catchment dates.
 */
export function periodOn(dates: PeriodDates, asOf: IsoDate): CatchmentPeriod {
  if (started(dates.iesDeliveryStartDate, asOf)) return 'IES_DELIVERY';
  if (started(dates.transitionStartDate, asOf)) return 'TRANSITION';
  if (started(dates.planningStartDate, asOf)) return 'PLANNING';
  return 'NOT_STARTED';
}

/** The next period's start after `period`, or null when it is not announced (or there is none). */
export function nextPeriodStart(dates: PeriodDates, period: CatchmentPeriod): IsoDate | null {
  switch (period) {
    case 'NOT_STARTED':
      return dates.planningStartDate ?? dates.transitionStartDate ?? dates.iesDeliveryStartDate;
    case 'PLANNING':
      return dates.transitionStartDate ?? dates.iesDeliveryStartDate;
    case 'TRANSITION':
      return dates.iesDeliveryStartDate;
    case 'IES_DELIVERY':
      return null;
  }
}

/** The last day of `period`: the day before the next period starts; null while that is TBA. */
export function periodEndDate(dates: PeriodDates, period: CatchmentPeriod): IsoDate | null {
  const next = nextPeriodStart(dates, period);
  return next === null ? null : addDays(next, -1);
}
