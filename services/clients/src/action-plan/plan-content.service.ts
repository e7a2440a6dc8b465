import type { Principal } from '@ies/auth';
import { isIsoDate, todayInOntario } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import { validateText } from '../common/text';
import { unknownProvider, type ProviderDirectory } from '../provider-directory/provider-directory';
import type { ActionPlanPayload, ActionPlanService, PlanChangeInput } from './action-plan.service';
import { planEvent } from './action-plan.service';
import { validateActiveOffer, validatePlanDates, validatePlanStructure } from './plan-rules';
import type {
  ActiveOfferAnswer,
  ActiveOfferKind,
  GoalDoc,
  JobDoc,
  PlanItemStatus,
} from './action-plan.model';

export const MAX_REFERRALS_OUT = 100;
export const MAX_JOBS = 20;

export interface GoalInput {
  description: string;
  subGoals: {
    description: string;
    items: {
      service: string;
      providerId: string;
      startDate: string;
      endDate?: string | null;
      status: PlanItemStatus;
      outcome?: string | null;
    }[];
  }[];
}

/** The non-status content of a plan: goal and items, caseworker, reviews, referrals, offers, jobs. */
export class PlanContentService {
  constructor(
    private readonly plans: ActionPlanService,
    private readonly directory: ProviderDirectory,
    private readonly programExists: (programId: string) => Promise<boolean>,
  ) {}

  /** Replaces the goal → sub-goals → plan items tree, the lead caseworker and the review dates. */
  async updatePlan(
    principal: Principal,
    input: PlanChangeInput & {
      goal?: GoalInput | null;
      leadCaseworker?: string | null;
      reviewDates?: string[] | null;
    },
  ): Promise<ActionPlanPayload> {
    const invalid =
      (input.leadCaseworker ? validateText(input.leadCaseworker, 'input.leadCaseworker') : null) ?? null;
    if (invalid) return { ok: false, actionPlan: null, error: invalid };
    const itemProviders = [
      ...new Set((input.goal?.subGoals ?? []).flatMap((s) => s.items.map((i) => i.providerId))),
    ];
    const known = await this.directory.providers(itemProviders);
    const unknown = itemProviders.find((id) => !known.has(id));
    if (unknown) {
      return {
        ok: false,
        actionPlan: null,
        error: unknownProvider(this.directory, unknown, 'input.goal'),
      };
    }
    return this.plans.change(principal, input, 'change action plans', (plan) => {
      const invalidGoal = input.goal
        ? validatePlanStructure(
            {
              goal: input.goal.description,
              subGoals: input.goal.subGoals.map((sub) => ({
                description: sub.description,
                items: sub.items.map((item) => ({
                  ...item,
                  endDate: item.endDate ?? null,
                  outcome: item.outcome ?? null,
                })),
              })),
            },
            plan.startedOn,
            todayInOntario(),
            'input.goal',
          )
        : null;
      if (invalidGoal) return invalidGoal;
      const invalidReviews = validatePlanDates(
        { startedOn: plan.startedOn, reviewDates: input.reviewDates ?? [] },
        todayInOntario(),
        'input',
      );
      if (invalidReviews) return invalidReviews;
      const goal: GoalDoc | null =
        input.goal === undefined
          ? plan.goal
          : input.goal === null
            ? null
            : {
                description: input.goal.description.trim(),
                subGoals: input.goal.subGoals.map((sub, s) => ({
                  description: sub.description.trim(),
                  items: sub.items.map((item, i) => ({
                    id: `${plan._id}-g${s + 1}-i${i + 1}`,
                    service: item.service.trim(),
                    providerId: item.providerId,
                    startDate: item.startDate,
                    endDate: item.endDate ?? null,
                    status: item.status,
                    outcome: item.outcome?.trim() || null,
                  })),
                })),
              };
      const next = {
        goal,
        leadCaseworker:
          input.leadCaseworker === undefined ? plan.leadCaseworker : input.leadCaseworker?.trim() || null,
        reviewDates:
          input.reviewDates === undefined || input.reviewDates === null
            ? plan.reviewDates
            : [...new Set(input.reviewDates)].sort(),
      };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
        (key) => JSON.stringify(next[key]) !== JSON.stringify(plan[key]),
      );
      if (changed.length === 0)
        return mutationError('VALIDATION_FAILED', 'The update changes nothing', 'input');
      const pick = (source: Record<string, unknown>) =>
        Object.fromEntries(changed.map((k) => [k, source[k]]));
      return {
        kind: 'CONTENT',
        before: pick(plan as never),
        after: pick(next),
        set: pick(next),
        events: [planEvent('ActionPlanUpdated', plan, { fields: changed })],
      };
    });
  }

  /** A referral out, to any program (out-of-scope programs included), by the contracts `Program` id. */
  async addReferralOut(
    principal: Principal,
    input: PlanChangeInput & { programId: string; referredOn: string; note?: string | null },
  ): Promise<ActionPlanPayload> {
    const invalid =
      (isIsoDate(input.referredOn)
        ? null
        : mutationError('VALIDATION_FAILED', 'referredOn is not a date', 'input.referredOn')) ??
      (input.note ? validateText(input.note, 'input.note', { max: 1000 }) : null);
    if (invalid) return { ok: false, actionPlan: null, error: invalid };
    let exists: boolean;
    try {
      exists = await this.programExists(input.programId);
    } catch {
      return {
        ok: false,
        actionPlan: null,
        error: mutationError(
          'RULE_VIOLATION',
          'The program catalogue (contracts service) is unavailable; try again later',
          'input.programId',
        ),
      };
    }
    if (!exists) {
      return {
        ok: false,
        actionPlan: null,
        error: mutationError('NOT_FOUND', `No program ${input.programId}`, 'input.programId'),
      };
    }
    return this.plans.change(principal, input, 'refer clients out', (plan) => {
      if (input.referredOn < plan.startedOn) {
        return mutationError(
          'VALIDATION_FAILED',
          'referredOn is before the plan started',
          'input.referredOn',
        );
      }
      if (plan.referralsOut.length >= MAX_REFERRALS_OUT) {
        return mutationError('RULE_VIOLATION', `A plan holds at most ${MAX_REFERRALS_OUT} referrals out`);
      }
      const referral = {
        programId: input.programId,
        referredOn: input.referredOn,
        note: input.note?.trim() || null,
      };
      return {
        kind: 'REFERRAL_OUT',
        before: null,
        after: { referral },
        set: { referralsOut: [...plan.referralsOut, referral] },
        events: [planEvent('ClientReferredOut', plan, { programId: input.programId })],
      };
    });
  }

  /** Records an active offer (Indigenous or French-language) and the client's answer. */
  async recordActiveOffer(
    principal: Principal,
    input: PlanChangeInput & {
      kind: ActiveOfferKind;
      providerId: string;
      offeredOn: string;
      answer: ActiveOfferAnswer;
    },
  ): Promise<ActionPlanPayload> {
    if (!isIsoDate(input.offeredOn)) {
      return {
        ok: false,
        actionPlan: null,
        error: mutationError('VALIDATION_FAILED', 'offeredOn is not a date', 'input.offeredOn'),
      };
    }
    const provider = (await this.directory.providers([input.providerId])).get(input.providerId);
    if (!provider) {
      return {
        ok: false,
        actionPlan: null,
        error: unknownProvider(this.directory, input.providerId, 'input.providerId'),
      };
    }
    return this.plans.change(principal, input, 'record active offers', (plan) => {
      const refusal = validateActiveOffer(
        input.kind,
        plan.equityAtStart,
        { provider, answer: input.answer, answeredOn: input.offeredOn },
        todayInOntario(),
      );
      if (refusal) return refusal;
      const offer = {
        kind: input.kind,
        providerId: input.providerId,
        offeredOn: input.offeredOn,
        answer: input.answer,
        recordedBy: principal.subject,
      };
      return {
        kind: 'ACTIVE_OFFER',
        before: null,
        after: { offer },
        set: { activeOffers: [...plan.activeOffers.filter((o) => o.kind !== input.kind), offer] },
        events: [planEvent('ActiveOfferRecorded', plan)],
      };
    });
  }

  /** Records a job the client started (the base of the outcome checkpoints). */
  async recordJob(
    principal: Principal,
    input: PlanChangeInput & { job: JobDoc },
  ): Promise<ActionPlanPayload> {
    const invalid = validateJob(input.job, 'input.job');
    if (invalid) return { ok: false, actionPlan: null, error: invalid };
    return this.plans.change(principal, input, 'record employment', (plan) => {
      if (plan.jobs.length >= MAX_JOBS)
        return mutationError('RULE_VIOLATION', `A plan holds at most ${MAX_JOBS} jobs`);
      const job = { ...input.job, employer: input.job.employer.trim() };
      return {
        kind: 'JOB',
        before: null,
        after: { job },
        set: { jobs: [...plan.jobs, job] },
        events: [planEvent('EmploymentRecorded', plan)],
      };
    });
  }
}

export function validateJob(job: JobDoc, path: string): MutationError | null {
  return (
    validateText(job.employer, `${path}.employer`) ??
    (isIsoDate(job.startedOn)
      ? null
      : mutationError('VALIDATION_FAILED', 'startedOn is not a date', `${path}.startedOn`)) ??
    (Number.isFinite(job.hoursPerWeek) && job.hoursPerWeek > 0 && job.hoursPerWeek <= 168
      ? null
      : mutationError(
          'VALIDATION_FAILED',
          'hoursPerWeek must be more than 0 and at most 168',
          `${path}.hoursPerWeek`,
        )) ??
    (Number.isInteger(job.hourlyWageCents) && job.hourlyWageCents > 0 && job.hourlyWageCents <= 100_000
      ? null
      : mutationError(
          'VALIDATION_FAILED',
          'hourlyWageCents must be a whole number of cents, 1 to 100000',
          `${path}.hourlyWageCents`,
        )) ??
    (job.subsidizedUntil && (!isIsoDate(job.subsidizedUntil) || job.subsidizedUntil < job.startedOn)
      ? mutationError(
          'VALIDATION_FAILED',
          'subsidizedUntil must be a date on or after startedOn',
          `${path}.subsidizedUntil`,
        )
      : null)
  );
}
