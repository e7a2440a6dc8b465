import type { IsoDate } from '@ies/calendar';

export const CATCHMENT_PERIODS = ['NOT_STARTED', 'PLANNING', 'TRANSITION', 'IES_DELIVERY'] as const;
export type CatchmentPeriod = (typeof CATCHMENT_PERIODS)[number];

export interface PeriodDates {
  planningStartDate: IsoDate | null;
  transitionStartDate: IsoDate | null;
  iesDeliveryStartDate: IsoDate | null;
}

const started = (start: IsoDate | null, asOf: IsoDate) => start !== null && start <= asOf;

/**
 * The period of a catchment on a date: the latest period whose start date has passed. Dates still to
 * be announced (null) never start.
 */
export function periodOn(dates: PeriodDates, asOf: IsoDate): CatchmentPeriod {
  if (started(dates.iesDeliveryStartDate, asOf)) return 'IES_DELIVERY';
  if (started(dates.transitionStartDate, asOf)) return 'TRANSITION';
  if (started(dates.planningStartDate, asOf)) return 'PLANNING';
  return 'NOT_STARTED';
}

/** The same rule as `periodOn`, as a MongoDB filter over the stored date strings. */
export function periodFilter(period: CatchmentPeriod, asOf: IsoDate): Record<string, unknown> {
  const hasStarted = (field: keyof PeriodDates) => ({ [field]: { $lte: asOf } });
  switch (period) {
    case 'IES_DELIVERY':
      return hasStarted('iesDeliveryStartDate');
    case 'TRANSITION':
      return { ...hasStarted('transitionStartDate'), $nor: [hasStarted('iesDeliveryStartDate')] };
    case 'PLANNING':
      return {
        ...hasStarted('planningStartDate'),
        $nor: [hasStarted('transitionStartDate'), hasStarted('iesDeliveryStartDate')],
      };
    case 'NOT_STARTED':
      return {
        $nor: [
          hasStarted('planningStartDate'),
          hasStarted('transitionStartDate'),
          hasStarted('iesDeliveryStartDate'),
        ],
      };
  }
}
