import type { CatchmentPeriod, IsoDate, PeriodDates } from '@ies/calendar';

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
