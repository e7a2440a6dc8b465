import type { DefaultJobOptions } from 'bullmq';

/**
 * What every job gets unless its queue or scheduler says otherwise: completed and failed jobs are
 * trimmed by count (failed ones kept longer, with their reason), and a failure is retried with
 * exponential backoff. Throw BullMQ's `UnrecoverableError` for failures a retry cannot fix.
 */
export const DEFAULT_JOB_OPTIONS = {
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 1000 },
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
} as const satisfies DefaultJobOptions;
