import type { IsoDate } from '@ies/calendar';
import type { Checkpoint, EvidenceKind } from './checkpoints';
import { minimumWageOn, thresholdsOn, type OutcomeConfig } from './outcome-config';

/**
 * Why a verified checkpoint is not a funded outcome, in this (stable) order. The first three are about
 * the checkpoint; the next five are about a job (see `JOB_REASONS`); the last one about the total.
 */
export const OUTCOME_REASONS = [
  'NOT_EMPLOYED',
  'NO_EVIDENCE',
  'ATTESTATION_NOT_PRE_APPROVED',
  'JOB_STARTED_AFTER_CHECKPOINT',
  'JOB_ENDED_BEFORE_CHECKPOINT',
  'SUBSIDY_NOT_ENDED',
  'SAME_EMPLOYER_ALREADY_EMPLOYED',
  'BELOW_MINIMUM_WAGE',
  'BELOW_MINIMUM_HOURS',
] as const;
export type OutcomeReason = (typeof OUTCOME_REASONS)[number];

/** The clauses one job must meet to be counted. */
export const JOB_REASONS = [
  'JOB_STARTED_AFTER_CHECKPOINT',
  'JOB_ENDED_BEFORE_CHECKPOINT',
  'SUBSIDY_NOT_ENDED',
  'SAME_EMPLOYER_ALREADY_EMPLOYED',
  'BELOW_MINIMUM_WAGE',
] as const satisfies readonly OutcomeReason[];
export type JobReason = (typeof JOB_REASONS)[number];

/** A job the client holds, as verified for the checkpoint. */
export interface OutcomeJob {
  /** The employer's name, or better a stable key (business number); compared case- and space-blind. */
  employer: string;
  startedOn: IsoDate;
  /** Last day worked; null or absent while the job continues. */
  endedOn?: IsoDate | null;
  /** Average hours a week over the period the evidence covers (at most two decimals). */
  hoursPerWeek: number;
  hourlyWageCents: number;
  /** Last day of a wage subsidy (subsidized placement); null when the job is not subsidized. */
  subsidizedUntil: IsoDate | null;
}

/** A job the client held when the action plan started. */
export interface EmploymentAtStart {
  employer: string;
  hoursPerWeek: number;
}

export interface FundedOutcomeInput {
  /** Which checkpoint is assessed; carried for the record, the rule reads `checkpointDate`. */
  checkpoint: Checkpoint;
  checkpointDate: IsoDate;
  /** The verification's finding: is the client employed on the checkpoint date? */
  employed: boolean;
  /** Evidence recorded for this checkpoint. */
  evidence: readonly EvidenceKind[];
  /** Whether the SSM pre-approved the client's attestation for this checkpoint. */
  attestationPreApproved: boolean;
  jobs: readonly OutcomeJob[];
  employedAtStart: readonly EmploymentAtStart[];
}

export interface JobAssessment {
  /** Meets every job clause, so its hours count. */
  eligible: boolean;
  reasons: JobReason[];
}

export interface FundedOutcomeAssessment {
  funded: boolean;
  /** Every clause that failed, in `OUTCOME_REASONS` order; empty exactly when funded. */
  reasons: OutcomeReason[];
  /** Funded only by adding up two or more jobs; such outcomes fall under the catchment's cap. */
  usesConcurrentJobs: boolean;
  /** Indexes into `input.jobs` of the jobs the funded outcome rests on; empty when not funded. */
  countedJobs: number[];
  /** One entry per input job, in input order. */
  jobs: JobAssessment[];
  /** The client worked at least the threshold at plan start, so only new employers count. */
  alreadyWorkingAtStart: boolean;
  /** Hours a week of the eligible jobs, summed. */
  eligibleHoursPerWeek: number;
  /** What the checkpoint was measured against: the values in force on its date. */
  minimumHoursPerWeek: number;
  minimumWageCents: number;
}

/** Hours are compared in hundredths, so 12.5 + 7.5 is exactly 20 whatever floating point says. */
const hundredths = (hours: number) => Math.round(hours * 100);

/** Employers compare by name, blind to case, compatibility forms and runs of spaces. */
export const employerKey = (employer: string) =>
  employer.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();

/**
 * Decides whether a verified checkpoint is a FUNDED OUTCOME (DOMAIN.md §3, Outcomes), against the
 * minimum wage and thresholds in force ON THE CHECKPOINT DATE. How several jobs combine:
 *
 * - A job counts when it has started on or before the checkpoint date, has not ended before it, its
 *   wage subsidy (if any) ended before it (`subsidizedUntil < checkpointDate`), it is with a new
 *   employer when the client was already working at plan start, and it pays at least the general
 *   minimum wage. Each counted job must pay the minimum wage on its own: wages are never averaged,
 *   so a job below the minimum cannot ride on a better-paid one; it simply does not count.
 * - The hours of the counted jobs are summed; the outcome needs the sum to reach the threshold
 *   (`hoursPerWeek` is already the job's average over the weeks the evidence covers).
 * - "Already working at plan start" sums the hours of every job held then (`employedAtStart`); from the
 *   threshold on (`alreadyWorkingHoursPerWeek`, also read on the checkpoint date), a job with any of
 *   those employers does not count, however many hours it now has.
 * - When one counted job reaches the threshold alone, the outcome rests on it (the one with the most
 *   hours) and does not use concurrent jobs; otherwise it rests on all counted jobs together and
 *   `usesConcurrentJobs` is true. The cap on such outcomes is the caller's (`concurrentJobsCap`).
 * - Evidence: a pay stub or an employer letter, or an attestation the SSM pre-approved.
 *
 * Reasons list every failed clause. A client found not employed has no job to measure: NOT_EMPLOYED
 * is then the only reason. A job's failed clauses are listed when the counted hours fall short (they
 * are why); BELOW_MINIMUM_HOURS when even all the jobs passed in, counted or not, fall short.
 */
export function assessFundedOutcome(
  input: FundedOutcomeInput,
  config: OutcomeConfig,
): FundedOutcomeAssessment {
  const date = input.checkpointDate;
  const thresholds = thresholdsOn(config, date);
  const wage = minimumWageOn(config, date);
  const startEmployers = new Set(input.employedAtStart.map((e) => employerKey(e.employer)));
  const hoursAtStart = sum(input.employedAtStart.map((e) => hundredths(e.hoursPerWeek)));
  const alreadyWorkingAtStart = hoursAtStart >= hundredths(thresholds.alreadyWorkingHoursPerWeek);

  const jobs = input.jobs.map((job): JobAssessment => {
    const reasons: JobReason[] = [];
    if (job.startedOn > date) reasons.push('JOB_STARTED_AFTER_CHECKPOINT');
    if (job.endedOn != null && job.endedOn < date) reasons.push('JOB_ENDED_BEFORE_CHECKPOINT');
    if (job.subsidizedUntil !== null && job.subsidizedUntil >= date) reasons.push('SUBSIDY_NOT_ENDED');
    if (alreadyWorkingAtStart && startEmployers.has(employerKey(job.employer)))
      reasons.push('SAME_EMPLOYER_ALREADY_EMPLOYED');
    if (job.hourlyWageCents < wage.hourlyCents) reasons.push('BELOW_MINIMUM_WAGE');
    return { eligible: reasons.length === 0, reasons };
  });

  const needed = hundredths(thresholds.minimumHoursPerWeek);
  const eligible = input.jobs.flatMap((job, i) =>
    jobs[i]!.eligible ? [{ i, h: hundredths(job.hoursPerWeek) }] : [],
  );
  const eligibleHours = sum(eligible.map((e) => e.h));
  const hoursMet = eligibleHours >= needed;
  const evidenceCounts =
    input.evidence.some((kind) => kind !== 'ATTESTATION') ||
    (input.evidence.includes('ATTESTATION') && input.attestationPreApproved);

  const failed = new Set<OutcomeReason>();
  if (!input.employed) {
    failed.add('NOT_EMPLOYED');
  } else {
    if (!evidenceCounts)
      failed.add(input.evidence.includes('ATTESTATION') ? 'ATTESTATION_NOT_PRE_APPROVED' : 'NO_EVIDENCE');
    if (!hoursMet) {
      for (const job of jobs) for (const reason of job.reasons) failed.add(reason);
      if (sum(input.jobs.map((job) => hundredths(job.hoursPerWeek))) < needed)
        failed.add('BELOW_MINIMUM_HOURS');
    }
  }
  const funded = failed.size === 0;
  const alone = eligible.filter((e) => e.h >= needed).sort((a, b) => b.h - a.h || a.i - b.i)[0];
  const counted = !funded ? [] : alone ? [alone] : eligible;
  return {
    funded,
    reasons: OUTCOME_REASONS.filter((r) => failed.has(r)),
    usesConcurrentJobs: funded && !alone,
    countedJobs: counted.map((e) => e.i),
    jobs,
    alreadyWorkingAtStart,
    eligibleHoursPerWeek: eligibleHours / 100,
    minimumHoursPerWeek: thresholds.minimumHoursPerWeek,
    minimumWageCents: wage.hourlyCents,
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * How many outcomes resting on concurrent jobs a catchment may have at one checkpoint: the cap rate
 * in force on `date` (5% by default) of `catchmentClientCount`, the catchment's clients at that
 * checkpoint, ROUNDED DOWN so the cap is never exceeded (5% of 39 clients is 1.95, so 1; under 20
 * clients, none). The product is rounded to 6 decimals first, so 0.29 × 100 gives 29, not 28.
 */
export function concurrentJobsCap(
  catchmentClientCount: number,
  config: OutcomeConfig,
  date: IsoDate,
): number {
  if (!Number.isSafeInteger(catchmentClientCount) || catchmentClientCount < 0)
    throw new RangeError(`A client count is a whole number, not ${catchmentClientCount}`);
  const rate = thresholdsOn(config, date).concurrentJobsCapRate;
  return Math.floor(Math.round(rate * catchmentClientCount * 1e6) / 1e6);
}
