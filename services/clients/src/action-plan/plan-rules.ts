import { addMonths, isIsoDate, periodOn, type IsoDate, type PeriodDates } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import { validateText, type ClientEquity } from '../client/equity';

/** Rules of employment action plans (DOMAIN.md §3): pure refusals, `MutationError | null`. */

const invalid = (message: string, field: string) => mutationError('VALIDATION_FAILED', message, field);
const includes = <T extends string>(list: readonly T[], value: unknown): value is T =>
  (list as readonly unknown[]).includes(value);

// ---------------------------------------------------------------------------------------------------
// Catalogues.

export const REFERRAL_SOURCES = ['ONTARIO_WORKS', 'ODSP', 'SELF', 'OTHER'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];
export const isReferralSource = (value: unknown): value is ReferralSource =>
  includes(REFERRAL_SOURCES, value);
/** Referred by an Ontario Works or ODSP caseworker: the social-assistance share of §5 reports. */
export const isSocialAssistanceReferral = (source: ReferralSource): boolean =>
  source === 'ONTARIO_WORKS' || source === 'ODSP';

export const PLAN_STATUSES = ['ACTIVE', 'CLOSED'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const CLOSING_REASONS = [
  'EMPLOYED',
  'EDUCATION_OR_TRAINING',
  'MOVED',
  'NO_LONGER_PARTICIPATING',
  'REFERRED_ELSEWHERE',
  'OTHER',
] as const;
export type ClosingReason = (typeof CLOSING_REASONS)[number];

export const PLAN_ITEM_STATUSES = ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export type PlanItemStatus = (typeof PLAN_ITEM_STATUSES)[number];

// ---------------------------------------------------------------------------------------------------
// Starting and changing a plan.

/**
 * From the day a catchment enters IES delivery the Common Assessment is mandatory: a plan starting on
 * or after it needs one; before it, an assessment is optional. The assessment a plan links to must be
 * dated on or before the plan's start. Run after `validatePlanDates` (it trusts `startedOn`).
 */
export function refuseMissingAssessment(
  periods: PeriodDates,
  startedOn: IsoDate,
  assessment: { assessedOn: IsoDate } | null,
): MutationError | null {
  if (assessment === null) {
    return periodOn(periods, startedOn) === 'IES_DELIVERY'
      ? mutationError(
          'RULE_VIOLATION',
          `The catchment is in IES delivery on ${startedOn} (since ${periods.iesDeliveryStartDate}): an action plan starting then needs a Common Assessment`,
          'input.assessmentId',
        )
      : null;
  }
  if (assessment.assessedOn > startedOn) {
    return mutationError(
      'RULE_VIOLATION',
      `The Common Assessment of ${assessment.assessedOn} is dated after the plan starts (${startedOn}); a plan rests on an assessment made by its start`,
      'input.assessmentId',
    );
  }
  return null;
}

/** A client has at most one active action plan. */
export const refuseSecondActivePlan = (activePlanId: string | null): MutationError | null =>
  activePlanId === null
    ? null
    : mutationError('CONFLICT', `The client already has an active action plan (${activePlanId})`);

/** An assessment belongs to exactly one action plan. */
export const refuseAssessmentLinkedElsewhere = (linkedPlanId: string | null): MutationError | null =>
  linkedPlanId === null
    ? null
    : mutationError(
        'CONFLICT',
        `This Common Assessment already belongs to action plan ${linkedPlanId}`,
        'input.assessmentId',
      );

/** A closed plan is read-only: no change, no reopening, no second closing. */
export const refuseChangingClosedPlan = (status: PlanStatus): MutationError | null =>
  status === 'CLOSED' ? mutationError('RULE_VIOLATION', 'A closed action plan is read-only') : null;

/** The earliest plan date the service accepts (migrated EOIS-CaMS history included). */
export const FIRST_PLAN_DATE = '2000-01-01';
/** Review dates fall within five years of the start; at most 24 of them. */
export const MAX_PLAN_YEARS = 5;
export const MAX_REVIEW_DATES = 24;

/** A plan starts on a real date, not in the future; its review dates are distinct and fall after it. */
export function validatePlanDates(
  plan: { startedOn: IsoDate; reviewDates?: readonly IsoDate[] },
  today: IsoDate,
  field = 'input',
): MutationError | null {
  const { startedOn } = plan;
  if (!isIsoDate(startedOn) || startedOn < FIRST_PLAN_DATE)
    return invalid(`A plan starts on a real date from ${FIRST_PLAN_DATE}`, `${field}.startedOn`);
  if (startedOn > today)
    return invalid(
      `A plan cannot start in the future (${startedOn}, today is ${today})`,
      `${field}.startedOn`,
    );
  const reviews = plan.reviewDates ?? [];
  if (reviews.length > MAX_REVIEW_DATES)
    return invalid(`A plan has at most ${MAX_REVIEW_DATES} review dates`, `${field}.reviewDates`);
  const last = addMonths(startedOn, 12 * MAX_PLAN_YEARS);
  for (const [i, date] of reviews.entries()) {
    if (!isIsoDate(date) || date <= startedOn || date > last) {
      return invalid(
        `A review date is a real date after the start (${startedOn}) and by ${last}`,
        `${field}.reviewDates.${i}`,
      );
    }
  }
  if (new Set(reviews).size !== reviews.length)
    return invalid('A review date is listed twice', `${field}.reviewDates`);
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Closing.

export const CLOSING_NOTE_LIMITS = { min: 0, max: 1000, multiline: true } as const;

export interface PlanClosing {
  closedOn: IsoDate;
  reason: ClosingReason;
  /** Free text; required when the reason is OTHER. */
  note?: string | null;
}

/**
 * An active plan closes on a real date between its start and today, for a reason from the catalogue;
 * OTHER needs a note saying what the reason was.
 */
export function validatePlanClosing(
  plan: { status: PlanStatus; startedOn: IsoDate },
  closing: PlanClosing,
  today: IsoDate,
  field = 'input',
): MutationError | null {
  const closed = refuseChangingClosedPlan(plan.status);
  if (closed) return closed;
  if (!isIsoDate(closing.closedOn))
    return invalid('A closing date is a real date (YYYY-MM-DD)', `${field}.closedOn`);
  if (closing.closedOn < plan.startedOn)
    return invalid(`A plan cannot close before it started (${plan.startedOn})`, `${field}.closedOn`);
  if (closing.closedOn > today)
    return invalid(`A plan cannot close in the future (today is ${today})`, `${field}.closedOn`);
  if (!includes(CLOSING_REASONS, closing.reason))
    return invalid(`A closing reason is one of ${CLOSING_REASONS.join(', ')}`, `${field}.reason`);
  const note = closing.note ?? '';
  const noteError = validateText(note, `${field}.note`, 'A closing note', CLOSING_NOTE_LIMITS);
  if (noteError) return noteError;
  if (closing.reason === 'OTHER' && note.trim() === '')
    return invalid('Closing for OTHER reasons needs a note saying which', `${field}.note`);
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Goal, sub-goals and plan items.

export const PLAN_LIMITS = {
  goalLength: 500,
  subGoalLength: 300,
  subGoals: 20,
  itemsPerSubGoal: 30,
  items: 200,
  serviceLength: 200,
  outcomeLength: 1000, // the exchange format's long text, so every plan round-trips
} as const;

/** Provider ids as the contracts service issues them (`sp-london-1`). */
const PROVIDER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export interface PlanItemInput {
  /** The service delivered (an in-scope program's service, a workshop, a referral out). */
  service: string;
  providerId: string;
  startDate: IsoDate;
  /** Null while open-ended. */
  endDate: IsoDate | null;
  status: PlanItemStatus;
  /** What came of it; free text, optional. */
  outcome: string | null;
}

export interface SubGoalInput {
  description: string;
  items: readonly PlanItemInput[];
}

export interface PlanGoalInput {
  goal: string;
  subGoals: readonly SubGoalInput[];
}

/**
 * A plan item: a service, a provider, a start on or after the plan's start, an end on or after its
 * start, a status, an optional outcome. A COMPLETED item has ended, by today.
 */
export function validatePlanItem(
  item: PlanItemInput,
  planStartedOn: IsoDate,
  today: IsoDate,
  field: string,
): MutationError | null {
  const service = validateText(item.service, `${field}.service`, 'A service', {
    min: 1,
    max: PLAN_LIMITS.serviceLength,
  });
  if (service) return service;
  if (typeof item.providerId !== 'string' || !PROVIDER_ID.test(item.providerId))
    return invalid('A provider id is 1–128 letters, digits and _ . : -', `${field}.providerId`);
  if (!isIsoDate(item.startDate) || item.startDate < planStartedOn)
    return invalid(
      `An item starts on a real date on or after the plan (${planStartedOn})`,
      `${field}.startDate`,
    );
  if (item.endDate !== null && (!isIsoDate(item.endDate) || item.endDate < item.startDate))
    return invalid(
      `An item ends on a real date on or after its start (${item.startDate})`,
      `${field}.endDate`,
    );
  if (!includes(PLAN_ITEM_STATUSES, item.status))
    return invalid(`An item status is one of ${PLAN_ITEM_STATUSES.join(', ')}`, `${field}.status`);
  if (item.status === 'COMPLETED' && (item.endDate === null || item.endDate > today))
    return invalid(`A COMPLETED item has an end date by today (${today})`, `${field}.endDate`);
  if (item.outcome !== null) {
    const limits = { min: 0, max: PLAN_LIMITS.outcomeLength, multiline: true };
    return validateText(item.outcome, `${field}.outcome`, 'An outcome', limits);
  }
  return null;
}

/**
 * Goal → sub-goals → items, sizes first (so a hostile input is refused before any per-element work),
 * then every text and item.
 */
export function validatePlanStructure(
  plan: PlanGoalInput,
  planStartedOn: IsoDate,
  today: IsoDate,
  field = 'input',
): MutationError | null {
  if (plan.subGoals.length > PLAN_LIMITS.subGoals)
    return invalid(`A plan has at most ${PLAN_LIMITS.subGoals} sub-goals`, `${field}.subGoals`);
  let items = 0;
  for (const [i, subGoal] of plan.subGoals.entries()) {
    if (subGoal.items.length > PLAN_LIMITS.itemsPerSubGoal) {
      return invalid(
        `A sub-goal has at most ${PLAN_LIMITS.itemsPerSubGoal} items`,
        `${field}.subGoals.${i}.items`,
      );
    }
    items += subGoal.items.length;
  }
  if (items > PLAN_LIMITS.items)
    return invalid(`A plan has at most ${PLAN_LIMITS.items} items in all`, `${field}.subGoals`);
  const goal = validateText(plan.goal, `${field}.goal`, 'The goal', { min: 1, max: PLAN_LIMITS.goalLength });
  if (goal) return goal;
  for (const [i, subGoal] of plan.subGoals.entries()) {
    const at = `${field}.subGoals.${i}`;
    const limits = { min: 1, max: PLAN_LIMITS.subGoalLength };
    const error =
      validateText(subGoal.description, `${at}.description`, 'A sub-goal', limits) ??
      firstError(subGoal.items, (item, j) =>
        validatePlanItem(item, planStartedOn, today, `${at}.items.${j}`),
      );
    if (error) return error;
  }
  return null;
}

const firstError = <T>(list: readonly T[], check: (value: T, i: number) => MutationError | null) => {
  for (const [i, value] of list.entries()) {
    const error = check(value, i);
    if (error) return error;
  }
  return null;
};

// ---------------------------------------------------------------------------------------------------
// Active offer.

export const ACTIVE_OFFER_KINDS = ['INDIGENOUS', 'FRENCH_LANGUAGE'] as const;
export type ActiveOfferKind = (typeof ACTIVE_OFFER_KINDS)[number];
export const ACTIVE_OFFER_ANSWERS = ['ACCEPTED', 'DECLINED'] as const;
export type ActiveOfferAnswer = (typeof ACTIVE_OFFER_ANSWERS)[number];

/** The provider offered, with its flags as the contracts service records them. */
export interface ActiveOfferProvider {
  id: string;
  indigenousProvider: boolean;
  francophoneProvider: boolean;
}

export interface ActiveOfferInput {
  provider: ActiveOfferProvider;
  answer: ActiveOfferAnswer;
  answeredOn: IsoDate;
}

const OFFER_RULES = {
  INDIGENOUS: {
    label: 'An Indigenous active offer',
    owedTo: (equity: ClientEquity) => equity.indigenous === 'YES',
    client: 'self-identified as Indigenous',
    qualifies: (p: ActiveOfferProvider) => p.indigenousProvider,
    provider: 'an Indigenous service provider',
  },
  FRENCH_LANGUAGE: {
    label: 'A French-language active offer',
    owedTo: (equity: ClientEquity) => equity.francophone === 'YES',
    client: 'self-identified as Francophone',
    qualifies: (p: ActiveOfferProvider) => p.francophoneProvider,
    provider: 'a francophone service provider',
  },
} as const;

/**
 * An active offer (DOMAIN.md §3) is recorded for a client who self-identified (YES) as Indigenous, or
 * as Francophone for the French-language offer; it names a provider of that kind, and the client's
 * answer, ACCEPTED or DECLINED, on a real date not after today.
 */
export function validateActiveOffer(
  kind: ActiveOfferKind,
  equity: ClientEquity,
  offer: ActiveOfferInput,
  today: IsoDate,
  field = 'input',
): MutationError | null {
  const rule = OFFER_RULES[kind];
  if (!rule) return invalid(`An active offer is one of ${ACTIVE_OFFER_KINDS.join(', ')}`, `${field}.kind`);
  if (!rule.owedTo(equity)) {
    return mutationError(
      'RULE_VIOLATION',
      `${rule.label} is recorded for a client who ${rule.client}`,
      `${field}.kind`,
    );
  }
  if (!rule.qualifies(offer.provider)) {
    return mutationError(
      'RULE_VIOLATION',
      `Provider ${offer.provider.id} is not ${rule.provider}, which the offer must name`,
      `${field}.providerId`,
    );
  }
  if (!includes(ACTIVE_OFFER_ANSWERS, offer.answer))
    return invalid(`The client's answer is ${ACTIVE_OFFER_ANSWERS.join(' or ')}`, `${field}.answer`);
  if (!isIsoDate(offer.answeredOn) || offer.answeredOn > today)
    return invalid(`The answer is dated on a real date by today (${today})`, `${field}.answeredOn`);
  return null;
}

/** The active offers a client is owed and that are not yet recorded, in catalogue order. */
export const activeOfferDue = (
  equity: ClientEquity,
  offers: readonly { kind: ActiveOfferKind }[],
): ActiveOfferKind[] =>
  ACTIVE_OFFER_KINDS.filter(
    (kind) => OFFER_RULES[kind].owedTo(equity) && !offers.some((o) => o.kind === kind),
  );
