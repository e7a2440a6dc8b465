import type { JobsOptions as BullJobsOptions, RepeatOptions } from 'bullmq';
import type { Logger } from '@ies/logger';
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

/**
 * Ensures the schedulers now, and again each time a connection comes back after Redis was lost: a
 * Redis restarted without its data (or a failover to an empty replica) has no schedulers, and
 * nothing would run again. Re-assertions do not overlap; a failure is logged and retried on the next
 * reconnection.
 */
export async function keepJobSchedulers(
  jobs: Jobs,
  declarations: SchedulerDeclaration[],
  logger: Logger,
): Promise<void> {
  await ensureJobSchedulers(jobs, declarations);
  let running: Promise<void> | null = null;
  let again = false;
  const reassert = () => {
    if (running) {
      again = true;
      return;
    }
    running = ensureJobSchedulers(jobs, declarations)
      .then(
        () => logger.info({ schedulers: declarations.map((d) => d.id) }, 'job schedulers re-asserted'),
        (error: unknown) => logger.error({ err: error }, 'job schedulers could not be re-asserted'),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          reassert();
        }
      });
  };
  jobs.onReconnect(reassert);
}
