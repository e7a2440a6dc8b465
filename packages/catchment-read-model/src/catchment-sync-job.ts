import type { Queue, Worker } from 'bullmq';
import { createJobs, ensureJobSchedulers, type Jobs, type SchedulerDeclaration } from '@ies/jobs';
import type { Logger } from '@ies/logger';
import type { CatchmentSync, SyncResult } from './catchment-sync';

/** The queue of a service's catchment sync, e.g. `contracts-catchment-period-sync`. */
export const catchmentSyncQueue = (serviceName: string) => `${serviceName}-catchment-period-sync`;
export const CATCHMENT_SYNC_SCHEDULER = 'catchment-period-sync';

export interface CatchmentSyncJob {
  queue: Queue;
  worker: Worker<unknown, SyncResult>;
  close(): Promise<void>;
}

/** The recurring sync: every `everyMs`, first run at once. */
export const catchmentSyncSchedulers = (serviceName: string, everyMs: number): SchedulerDeclaration[] => [
  {
    queue: catchmentSyncQueue(serviceName),
    id: CATCHMENT_SYNC_SCHEDULER,
    repeat: { every: everyMs },
    job: { name: 'sync' },
  },
];

/**
 * Runs the catchment period sync on a recurring BullMQ job scheduler, in a service's worker process
 * (e.g. services/contracts/src/worker.ts). Upserting the scheduler is idempotent, so every worker replica may call this at
 * start; only one job per interval is produced. The processor is idempotent (it rewrites the read model
 * by catchment id). Closing closes the worker (the running job finishes), the queue and connections.
 */
export async function startCatchmentSyncJob(options: {
  serviceName: string;
  redisUrl: string;
  prefix: string;
  everyMs: number;
  sync: CatchmentSync;
  logger: Logger;
}): Promise<CatchmentSyncJob> {
  const jobs: Jobs = createJobs({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    logger: options.logger,
  });
  const queue = await jobs.queue(catchmentSyncQueue(options.serviceName));
  const worker = await jobs.worker<unknown, SyncResult>(
    catchmentSyncQueue(options.serviceName),
    async (job, log) => {
      log.info('catchment period sync started');
      const result = await options.sync.syncAll();
      await job.updateProgress(100);
      return result;
    },
    { autorun: false },
  );
  await ensureJobSchedulers(jobs, catchmentSyncSchedulers(options.serviceName, options.everyMs));
  // The worker starts only once the scheduler exists, so a caller listening right after this resolves
  // sees the first run.
  worker
    .run()
    .catch((error: unknown) => options.logger.error({ err: error }, 'catchment period sync worker stopped'));
  return { queue, worker, close: () => jobs.close() };
}
