import type { Principal } from '@ies/auth';
import { isIsoDate } from '@ies/calendar';
import { findWhereIn } from '@ies/db';
import { badUserInput } from '@ies/subgraph-kit';
import type { ActionPlanDoc, ActionPlanModel } from '../action-plan/action-plan.model';
import { canSeeAllRecordsOf } from '../common/access';
import { summarizePlans, type ActionPlanSummary, type SummarizedPlan } from './action-plan-summary';

export interface SummaryFilter {
  catchmentIds?: readonly string[] | null;
  startedFrom?: string | null;
  startedTo?: string | null;
}

const FIELDS = { referralSource: 1, assessment: 1, equityAtStart: 1, startedOn: 1, catchmentId: 1 } as const;
export const MAX_SUMMARY_CATCHMENTS = 50;

/**
 * Aggregates of action plans, computed from the raw plans on each call. Anyone may ask; counts under
 * the threshold are withheld unless the caller could see every plan behind them (the ministry, or an
 * SSM asking about its own catchments only).
 */
export class SummaryService {
  constructor(private readonly plans: ActionPlanModel) {}

  async actionPlanSummary(
    principal: Principal,
    filter: SummaryFilter,
    knownCatchments: () => Promise<string[]>,
  ): Promise<
    ActionPlanSummary & { catchmentIds: string[]; startedFrom: string | null; startedTo: string | null }
  > {
    const { startedFrom = null, startedTo = null } = filter;
    if (startedFrom !== null && !isIsoDate(startedFrom))
      throw badUserInput('startedFrom is not a date', 'filter.startedFrom');
    if (startedTo !== null && !isIsoDate(startedTo))
      throw badUserInput('startedTo is not a date', 'filter.startedTo');
    if (startedFrom && startedTo && startedTo < startedFrom) {
      throw badUserInput('startedTo is before startedFrom', 'filter.startedTo');
    }
    if (filter.catchmentIds && filter.catchmentIds.length > MAX_SUMMARY_CATCHMENTS) {
      throw badUserInput(`At most ${MAX_SUMMARY_CATCHMENTS} catchments`, 'filter.catchmentIds');
    }
    const catchmentIds = [...new Set(filter.catchmentIds ?? (await knownCatchments()))].sort();
    const plans = await findWhereIn<SummarizedPlan & Pick<ActionPlanDoc, 'startedOn'>>(
      this.plans,
      'catchmentId',
      catchmentIds,
      { projection: FIELDS },
    );
    const inRange = plans.filter(
      (p) => (!startedFrom || p.startedOn >= startedFrom) && (!startedTo || p.startedOn <= startedTo),
    );
    return {
      catchmentIds,
      startedFrom,
      startedTo,
      ...summarizePlans(inRange, !canSeeAllRecordsOf(principal, catchmentIds)),
    };
  }
}
