import { isIsoDate } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import { validateText } from '../client/equity';
import { EVIDENCE_KINDS, isCheckpoint, isEvidenceKind } from './checkpoints';
import type { EmploymentAtStart, FundedOutcomeInput, OutcomeJob } from './funded-outcome';

/** More jobs than anyone holds at once; a longer list is refused before anything is computed. */
export const MAX_OUTCOME_JOBS = 10;
export const MAX_JOBS_AT_START = 10;
export const EMPLOYER_LIMITS = { min: 1, max: 200 } as const;
/** $1,000 an hour: far above any wage an outcome records, low enough to catch a dollars/cents mix-up. */
export const MAX_HOURLY_WAGE_CENTS = 100_000;

const invalid = (message: string, field: string) => mutationError('VALIDATION_FAILED', message, field);

/** Hours a week: more than 0, at most 168, in hundredths of an hour at most. */
function validHours(hours: number): boolean {
  return (
    Number.isFinite(hours) &&
    hours > 0 &&
    hours <= 168 &&
    Math.abs(hours * 100 - Math.round(hours * 100)) < 1e-6
  );
}

function validateJob(job: OutcomeJob, at: string): MutationError | null {
  const employer = validateText(job.employer, `${at}.employer`, 'An employer', EMPLOYER_LIMITS);
  if (employer) return employer;
  if (!isIsoDate(job.startedOn)) return invalid('A job start is a real date (YYYY-MM-DD)', `${at}.startedOn`);
  if (job.endedOn != null && (!isIsoDate(job.endedOn) || job.endedOn < job.startedOn))
    return invalid(`A job ends on a real date on or after its start (${job.startedOn})`, `${at}.endedOn`);
  if (!validHours(job.hoursPerWeek))
    return invalid('Hours a week are more than 0 and at most 168, to the hundredth', `${at}.hoursPerWeek`);
  if (
    !Number.isSafeInteger(job.hourlyWageCents) ||
    job.hourlyWageCents < 1 ||
    job.hourlyWageCents > MAX_HOURLY_WAGE_CENTS
  ) {
    return invalid(
      `An hourly wage is whole cents from 1 to ${MAX_HOURLY_WAGE_CENTS}`,
      `${at}.hourlyWageCents`,
    );
  }
  if (
    job.subsidizedUntil !== null &&
    (!isIsoDate(job.subsidizedUntil) || job.subsidizedUntil < job.startedOn)
  ) {
    return invalid(
      `A subsidy ends on a real date on or after the job start (${job.startedOn}), or is null`,
      `${at}.subsidizedUntil`,
    );
  }
  return null;
}

function validateStartJob(job: EmploymentAtStart, at: string): MutationError | null {
  return (
    validateText(job.employer, `${at}.employer`, 'An employer', EMPLOYER_LIMITS) ??
    (validHours(job.hoursPerWeek)
      ? null
      : invalid('Hours a week are more than 0 and at most 168, to the hundredth', `${at}.hoursPerWeek`))
  );
}

/**
 * The shape `assessFundedOutcome` relies on, checked where a verification enters the service: known
 * checkpoint and evidence kinds (each at most once), real dates in order, bounded lists and text,
 * plausible hours and wages, and at least one job for a client found employed.
 */
export function validateFundedOutcomeInput(input: FundedOutcomeInput, field = 'input'): MutationError | null {
  if (!isCheckpoint(input.checkpoint))
    return invalid(
      'Unknown checkpoint; checkpoints are MONTH_1, MONTH_3, MONTH_6, MONTH_12',
      `${field}.checkpoint`,
    );
  if (!isIsoDate(input.checkpointDate))
    return invalid('A checkpoint date is a real date (YYYY-MM-DD)', `${field}.checkpointDate`);
  if (input.evidence.length > EVIDENCE_KINDS.length || !input.evidence.every(isEvidenceKind))
    return invalid(`Evidence is among ${EVIDENCE_KINDS.join(', ')}`, `${field}.evidence`);
  if (new Set(input.evidence).size !== input.evidence.length)
    return invalid('An evidence kind is listed twice', `${field}.evidence`);
  if (input.jobs.length > MAX_OUTCOME_JOBS)
    return invalid(`A checkpoint records at most ${MAX_OUTCOME_JOBS} jobs`, `${field}.jobs`);
  if (input.employedAtStart.length > MAX_JOBS_AT_START)
    return invalid(`At most ${MAX_JOBS_AT_START} jobs held at plan start`, `${field}.employedAtStart`);
  if (input.employed && input.jobs.length === 0)
    return invalid('A client found employed holds at least one job', `${field}.jobs`);
  for (const [i, job] of input.jobs.entries()) {
    const error = validateJob(job, `${field}.jobs.${i}`);
    if (error) return error;
  }
  for (const [i, job] of input.employedAtStart.entries()) {
    const error = validateStartJob(job, `${field}.employedAtStart.${i}`);
    if (error) return error;
  }
  return null;
}
