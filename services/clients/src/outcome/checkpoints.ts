import { addMonths, isIsoDate, type IsoDate } from '@ies/calendar';

/** Employment is checked 1, 3, 6 and 12 months after a job starts (DOMAIN.md §3, Outcomes). */
export const CHECKPOINTS = ['MONTH_1', 'MONTH_3', 'MONTH_6', 'MONTH_12'] as const;
export type Checkpoint = (typeof CHECKPOINTS)[number];

export const CHECKPOINT_MONTHS: Readonly<Record<Checkpoint, number>> = Object.freeze({
  MONTH_1: 1,
  MONTH_3: 3,
  MONTH_6: 6,
  MONTH_12: 12,
});

/** Evidence recorded per checkpoint; an attestation counts only once the SSM pre-approved it. */
export const EVIDENCE_KINDS = ['PAY_STUB', 'EMPLOYER_LETTER', 'ATTESTATION'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const isCheckpoint = (value: unknown): value is Checkpoint =>
  (CHECKPOINTS as readonly unknown[]).includes(value);

export const isEvidenceKind = (value: unknown): value is EvidenceKind =>
  (EVIDENCE_KINDS as readonly unknown[]).includes(value);

/**
 * The date of a checkpoint: the same day of the month, 1, 3, 6 or 12 months after the job start. A
 * day the target month lacks falls on its last day (a job starting 31 January reaches MONTH_1 on 28
 * or 29 February; one starting 29 February 2024 reaches MONTH_12 on 28 February 2025).
 */
export function checkpointDate(jobStart: IsoDate, checkpoint: Checkpoint): IsoDate {
  if (!isIsoDate(jobStart)) throw new RangeError(`Not a date (YYYY-MM-DD): ${String(jobStart)}`);
  return addMonths(jobStart, CHECKPOINT_MONTHS[checkpoint]);
}

/** The checkpoints of a job whose date has come by `asOf`, in order. */
export const checkpointsReached = (jobStart: IsoDate, asOf: IsoDate): Checkpoint[] =>
  CHECKPOINTS.filter((c) => checkpointDate(jobStart, c) <= asOf);
