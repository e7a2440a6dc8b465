import { addDays, addMonths, type IsoDate } from '@ies/calendar';
import type {
  ActionPlanCheckpoint,
  ActionPlanClient,
  ActionPlanGoal,
  ActionPlanJob,
  ActionPlanLine,
} from './action-plan-line';
import { CHECKPOINTS } from './action-plan-line';
import { minimumWageOn } from './minimum-wage';
import type { ReferralSource, Stream } from './prototype-calibration';
import { isYouthOn } from './synthetic-client';
import type { CatchmentNetwork, SyntheticProvider } from './synthetic-network';
import {
  EMPLOYER_KINDS,
  FAMILY_NAMES,
  GIVEN_NAMES,
  GOALS,
  ITEM_OUTCOMES,
  REFERRAL_NOTES,
  SERVICES,
  SUB_GOALS,
} from './synthetic-names';
import { earlier, later, weighted, type Random } from './synthetic-random';

/**
 * One synthetic plan around its calibrated slot (reference, start date, referral source, stream).
 * Shares below are per plan and probabilistic (only the calibrated counts are exact):
 * - assessed 0–14 days before the start, never before the catchment's IES delivery start;
 * - planned length 45–240 days (55%), 241–480 (33%) or 481–900 (12%); a plan whose planned end is on or
 *   before `until` is CLOSED then, with a closing reason, otherwise ACTIVE;
 * - 45% find a job 14 days to a year into the plan (when that is not after `until` or the closing date):
 *   hours 10–19 (22%) or 20–40, paid the minimum wage in force on the job's start (30%), up to $5 above
 *   (50%), $5–15 above (18%) or 50 cents below (2%); 8% subsidized for 3 or 6 months; 6% take a second,
 *   concurrent part-time job;
 * - checkpoints at 1, 3, 6 and 12 months after the first job's start, while that date is on or before
 *   `until` and within 12 months of the closing date; evidence mostly pay stubs and employer letters,
 *   attestations (12% when employed) pre-approved 60% of the time;
 * - an Indigenous (or Francophone) client gets an active offer naming the catchment's Indigenous (or
 *   French-language) provider when one has a site there, and is served by it when accepting (60%).
 */
export interface PlanSlot {
  camsReference: string;
  startedOn: IsoDate;
  referralSource: ReferralSource;
  stream: Stream;
  client: ActionPlanClient;
}

export const JOB_SHARE = 0.45;
const FULL_TIME_HOURS = [20, 24, 25, 28, 30, 32, 35, 36, 37, 40, 40, 40, 40] as const;
/** Out-of-scope programs any client may be referred to (the contracts service's program ids). */
const REFERRAL_PROGRAMS = ['literacy-and-basic-skills', 'canada-ontario-job-grant', 'apprenticeship'];
const EMPLOYED_ON: Record<(typeof CHECKPOINTS)[number], number> = {
  MONTH_1: 0.92,
  MONTH_3: 0.86,
  MONTH_6: 0.82,
  MONTH_12: 0.8,
};

const person = (random: Random) => `${random.pick(GIVEN_NAMES)} ${random.pick(FAMILY_NAMES)}`;

export function buildPlan(
  random: Random,
  network: CatchmentNetwork,
  until: IsoDate,
  slot: PlanSlot,
): ActionPlanLine {
  const { startedOn, client } = slot;
  const assessedOn = later(network.iesDeliveryStartDate, addDays(startedOn, -random.int(0, 14)));

  const activeOffers: ActionPlanLine['activeOffers'] = [];
  let provider: SyntheticProvider = random.pick(network.providers);
  let servedByOffer = false;
  const offer = (kind: 'INDIGENOUS' | 'FRENCH_LANGUAGE', offered: SyntheticProvider | null) => {
    if (!offered) return;
    const accepted = random.next() < 0.6;
    activeOffers.push({
      kind,
      providerId: offered.id,
      offeredOn: assessedOn,
      answer: accepted ? 'ACCEPTED' : 'DECLINED',
    });
    if (accepted && !servedByOffer) {
      provider = offered;
      servedByOffer = true;
    }
  };
  if (client.indigenous === 'YES') offer('INDIGENOUS', network.indigenousProvider);
  if (client.francophone === 'YES') offer('FRENCH_LANGUAGE', network.francophoneProvider);

  const siteId = random.pick(provider.siteIds);
  const leadCaseworker = random.next() < 0.92 ? person(random) : null;

  const band = random.next();
  const length =
    band < 0.55 ? random.int(45, 240) : band < 0.88 ? random.int(241, 480) : random.int(481, 900);
  const plannedEnd = addDays(startedOn, length);
  const closedOn = plannedEnd <= until ? plannedEnd : null;
  /** The last day the plan is open, as far as the data goes. */
  const horizon = closedOn ?? until;

  const jobs = jobsOf(random, network, startedOn, length, horizon);
  const checkpoints = jobs.length > 0 ? checkpointsOf(random, jobs[0]!.startedOn, closedOn, until) : [];
  const closingReason = closedOn === null ? null : closingReasonOf(random, jobs.length > 0);
  const goal = random.next() < 0.03 ? null : goalOf(random, provider.id, startedOn, length, closedOn, until);
  // About one client in eight already works part-time when the plan starts (a few 20 h or more).
  const employmentAtStart =
    random.next() < 0.12
      ? [{ employer: `${client.familyName} Family Business (synthetic)`, hoursPerWeek: random.int(8, 24) }]
      : [];

  return {
    camsReference: slot.camsReference,
    client,
    catchmentId: network.catchmentId,
    providerId: provider.id,
    siteId,
    leadCaseworker,
    referralSource: slot.referralSource,
    assessment: { stream: slot.stream, assessedOn },
    startedOn,
    status: closedOn === null ? 'ACTIVE' : 'CLOSED',
    closedOn,
    closingReason,
    goal,
    reviewDates: reviewDatesOf(startedOn, horizon),
    referralsOut: referralsOutOf(random, client, startedOn, horizon),
    activeOffers,
    employmentAtStart,
    jobs,
    checkpoints,
  };
}

function jobsOf(
  random: Random,
  network: CatchmentNetwork,
  startedOn: IsoDate,
  length: number,
  horizon: IsoDate,
): ActionPlanJob[] {
  if (random.next() >= JOB_SHARE) return [];
  const first = addDays(startedOn, random.int(14, Math.min(length, 365)));
  if (first > horizon) return [];
  const jobs = [jobOf(random, network, first, false)];
  if (random.next() < 0.06) {
    const second = addDays(first, random.int(0, 60));
    if (second <= horizon) jobs.push(jobOf(random, network, second, true));
  }
  return jobs;
}

function jobOf(
  random: Random,
  network: CatchmentNetwork,
  startedOn: IsoDate,
  partTime: boolean,
): ActionPlanJob {
  const minimum = minimumWageOn(startedOn);
  const pay = random.next();
  const hourlyWageCents =
    pay < 0.02
      ? minimum - 50
      : pay < 0.32
        ? minimum
        : pay < 0.82
          ? minimum + 5 * random.int(1, 100)
          : minimum + 5 * random.int(101, 300);
  const hoursPerWeek = partTime
    ? random.int(10, 16)
    : random.next() < 0.22
      ? random.int(10, 19)
      : random.pick(FULL_TIME_HOURS);
  return {
    employer: `${random.pick(network.communities)} ${random.pick(EMPLOYER_KINDS)} (synthetic)`,
    startedOn,
    hoursPerWeek,
    hourlyWageCents,
    subsidizedUntil: random.next() < 0.08 ? addMonths(startedOn, random.pick([3, 6])) : null,
  };
}

function checkpointsOf(
  random: Random,
  jobStart: IsoDate,
  closedOn: IsoDate | null,
  until: IsoDate,
): ActionPlanCheckpoint[] {
  const checkpoints: ActionPlanCheckpoint[] = [];
  const followUpEnd = closedOn ? addMonths(closedOn, 12) : until;
  let employed = true;
  for (const [checkpoint, months] of [
    ['MONTH_1', 1],
    ['MONTH_3', 3],
    ['MONTH_6', 6],
    ['MONTH_12', 12],
  ] as const) {
    const due = addMonths(jobStart, months);
    if (due > until || due > followUpEnd) break;
    employed = random.next() < (employed ? EMPLOYED_ON[checkpoint] : 0.2);
    const evidence = employed
      ? weighted(random, [
          ['PAY_STUB', 60],
          ['EMPLOYER_LETTER', 28],
          ['ATTESTATION', 12],
        ] as const)
      : weighted(random, [
          ['ATTESTATION', 65],
          ['EMPLOYER_LETTER', 35],
        ] as const);
    checkpoints.push({
      checkpoint,
      verifiedOn: earlier(until, addDays(due, random.int(0, 10))),
      employed,
      evidence,
      attestationPreApproved: evidence === 'ATTESTATION' && random.next() < 0.6,
    });
  }
  return checkpoints;
}

function closingReasonOf(random: Random, hadJob: boolean): NonNullable<ActionPlanLine['closingReason']> {
  if (hadJob && random.next() < 0.8) return 'EMPLOYED';
  return weighted(random, [
    ['EDUCATION_OR_TRAINING', 18],
    ['MOVED', 10],
    ['NO_LONGER_PARTICIPATING', 40],
    ['REFERRED_ELSEWHERE', 14],
    ['OTHER', 18],
  ] as const);
}

function goalOf(
  random: Random,
  providerId: string,
  startedOn: IsoDate,
  length: number,
  closedOn: IsoDate | null,
  until: IsoDate,
): ActionPlanGoal {
  const subGoalCount = random.int(1, 3);
  const firstSubGoal = random.int(0, SUB_GOALS.length - 1);
  const subGoals = Array.from({ length: subGoalCount }, (_, s) => ({
    description: SUB_GOALS[(firstSubGoal + s) % SUB_GOALS.length]!,
    items: Array.from({ length: random.int(1, 3) }, () => {
      const startDate = addDays(startedOn, random.int(0, Math.min(120, length)));
      const end = addDays(startDate, random.int(7, 60));
      const service = random.pick(SERVICES);
      if (closedOn !== null) {
        const completed = random.next() < 0.78;
        return {
          service,
          providerId,
          startDate,
          endDate: earlier(end, closedOn),
          status: completed ? ('COMPLETED' as const) : ('CANCELLED' as const),
          outcome: completed && random.next() < 0.7 ? random.pick(ITEM_OUTCOMES) : null,
        };
      }
      if (startDate > until)
        return { service, providerId, startDate, endDate: null, status: 'PLANNED' as const, outcome: null };
      if (end > until)
        return {
          service,
          providerId,
          startDate,
          endDate: null,
          status: 'IN_PROGRESS' as const,
          outcome: null,
        };
      return {
        service,
        providerId,
        startDate,
        endDate: end,
        status: 'COMPLETED' as const,
        outcome: random.next() < 0.7 ? random.pick(ITEM_OUTCOMES) : null,
      };
    }),
  }));
  return { description: random.pick(GOALS), subGoals };
}

/** A review every 90 days while the plan is open (at most 20). */
function reviewDatesOf(startedOn: IsoDate, horizon: IsoDate): IsoDate[] {
  const dates: IsoDate[] = [];
  for (let d = addDays(startedOn, 90); d <= horizon && dates.length < 20; d = addDays(d, 90)) dates.push(d);
  return dates;
}

/** 18% of plans refer out: to out-of-scope programs, youth programs for youth, supported employment. */
function referralsOutOf(
  random: Random,
  client: ActionPlanClient,
  startedOn: IsoDate,
  horizon: IsoDate,
): ActionPlanLine['referralsOut'] {
  if (random.next() >= 0.18) return [];
  const programs = [...REFERRAL_PROGRAMS];
  if (isYouthOn(client.birthDate, startedOn)) programs.push('youth-job-connection');
  if (client.disability === 'YES') programs.push('supported-employment');
  const count = random.next() < 0.85 ? 1 : 2;
  const first = random.int(0, programs.length - 1);
  return Array.from({ length: count }, (_, i) => ({
    programId: programs[(first + i) % programs.length]!,
    referredOn: earlier(horizon, addDays(startedOn, random.int(0, 60))),
    note: random.next() < 0.5 ? null : random.pick(REFERRAL_NOTES),
  }));
}
