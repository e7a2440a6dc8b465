import type { Job } from 'bullmq';
import type { Logger } from '@ies/logger';

/**
 * The logger a processor writes with: every line carries the job id, the queue and, when the job's
 * data carries one (`requestId`), the id of the request that caused it.
 */
export function jobLogger(logger: Logger, job: Job): Logger {
  const data = job.data as { requestId?: unknown } | null | undefined;
  const requestId = typeof data?.requestId === 'string' ? data.requestId : undefined;
  return logger.child({ jobId: job.id, queue: job.queueName, ...(requestId ? { requestId } : {}) });
}
