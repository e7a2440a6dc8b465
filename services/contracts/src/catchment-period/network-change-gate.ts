import type { Principal } from '@ies/auth';
import { periodEndDate, periodOn, type CatchmentPeriod, type IsoDate, type PeriodDates } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';

const PERIOD_NAME: Record<CatchmentPeriod, string> = {
  NOT_STARTED: 'not yet in planning',
  PLANNING: 'in its planning period',
  TRANSITION: 'in its transition period',
  IES_DELIVERY: 'in IES delivery',
};

/**
 * DOMAIN §1: during planning and transition an SSM may not change the funding or targets of its
 * provider network (nor change the network); from IES delivery it may. Before planning starts
 * there is nothing for an SSM to manage. The ministry is never gated.
 *
 * The change is made today, whatever date it is stated for: an SSM is refused when either today or
 * `asOf` falls before IES delivery, so a future `asOf` cannot lift the gate.
 */
export function refuseNetworkChange(
  principal: Principal,
  catchmentId: string,
  dates: PeriodDates,
  asOf: IsoDate,
  today: IsoDate,
): MutationError | null {
  if (principal.role !== 'SSM') return null;
  for (const date of asOf === today ? [asOf] : [asOf, today]) {
    const period = periodOn(dates, date);
    if (period === 'IES_DELIVERY') continue;
    const end = periodEndDate(dates, period);
    const until = end === null ? 'whose end date is not yet announced' : `which ends on ${end}`;
    return mutationError(
      'RULE_VIOLATION',
      `Catchment ${catchmentId} is ${PERIOD_NAME[period]} on ${date}${date === today && asOf !== today ? ' (today)' : ''}, ${until}: an SSM may not change the funding, targets or agreements of its provider network before IES delivery starts`,
    );
  }
  return null;
}
