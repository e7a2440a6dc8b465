import type { IsoDate } from '@ies/calendar';

/**
 * Ontario's general minimum wage, in cents, with the date each rate took effect. The generator uses it
 * to pay synthetic jobs around and above the rate in force on the job's start; the service's funded-
 * outcome rule has its own configured history, which this one mirrors.
 */
export const ONTARIO_GENERAL_MINIMUM_WAGE: readonly { from: IsoDate; cents: number }[] = [
  { from: '2020-10-01', cents: 1425 },
  { from: '2021-10-01', cents: 1435 },
  { from: '2022-01-01', cents: 1500 },
  { from: '2022-10-01', cents: 1550 },
  { from: '2023-10-01', cents: 1655 },
  { from: '2024-10-01', cents: 1720 },
  { from: '2025-10-01', cents: 1760 },
];

/** The general minimum wage in force on a date (the earliest known rate before the first entry). */
export function minimumWageOn(date: IsoDate): number {
  let cents = ONTARIO_GENERAL_MINIMUM_WAGE[0]!.cents;
  for (const rate of ONTARIO_GENERAL_MINIMUM_WAGE) if (rate.from <= date) cents = rate.cents;
  return cents;
}
