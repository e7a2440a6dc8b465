import type { JobsOptions as BullJobsOptions, RepeatOptions } from 'bullmq';
import type { Jobs } from './create-jobs';

/** A recurring job: which queue, its stable scheduler id, when, and the job it produces. */
export interface SchedulerDeclaration {
  queue: string;
  /** Stable id: upserting the same id again replaces the schedule instead of adding one. */
  id: string;
  repeat: Pick<RepeatOptions, 'every' | 'pattern' | 'immediately'>;
  job: { name: string; data?: Record<string, unknown>; opts?: Omit<BullJobsOptions, 'repeat' | 'jobId'> };
}

/**
 * The one place job schedulers are created: upserts each declaration (BullMQ `upsertJobScheduler`).
 * Idempotent, so every start (and every replica) may call it; one job per interval is produced.
 */
export async function ensureJobSchedulers(jobs: Jobs, declarations: SchedulerDeclaration[]): Promise<void> {
  for (const declaration of declarations) {
    const queue = await jobs.queue(declaration.queue);
    await queue.upsertJobScheduler(declaration.id, declaration.repeat, {
      name: declaration.job.name,
      data: declaration.job.data ?? {},
      opts: declaration.job.opts ?? {},
    });
  }
}
