import { Queue, Worker, type Job } from 'bullmq';
import { connectRedis } from '@ies/redis';
import type { Logger } from '@ies/logger';
import type { CatchmentPeriodSync, SyncResult } from './catchment-period-sync';

export const CATCHMENT_SYNC_QUEUE = 'contracts-catchment-period-sync';
export const CATCHMENT_SYNC_SCHEDULER = 'catchment-period-sync';

export interface CatchmentSyncJob {
  queue: Queue;
  worker: Worker<unknown, SyncResult>;
  close(): Promise<void>;
}

/**
 * Runs the catchment period sync on a recurring BullMQ job scheduler (every `everyMs`, first run at
 * once). Upserting the scheduler is idempotent, so every replica may call this at start; only one job
 * per interval is produced. The processor is idempotent (it rewrites the read model by catchment id).
 */
export async function startCatchmentSyncJob(options: {
  redisUrl: string;
  prefix: string;
  everyMs: number;
  sync: CatchmentPeriodSync;
  logger: Logger;
}): Promise<CatchmentSyncJob> {
  const connection = () => connectRedis({ url: options.redisUrl, maxRetriesPerRequest: null });
  const [queueConnection, workerConnection] = await Promise.all([connection(), connection()]);
  const queue = new Queue(CATCHMENT_SYNC_QUEUE, { connection: queueConnection, prefix: options.prefix });
  const worker = new Worker<unknown, SyncResult>(
    CATCHMENT_SYNC_QUEUE,
    async (job: Job) => {
      const result = await options.sync.syncAll();
      await job.updateProgress(100);
      return result;
    },
    { connection: workerConnection, prefix: options.prefix, concurrency: 1, autorun: false },
  );
  worker.on('failed', (job, error) =>
    options.logger.warn({ jobId: job?.id, err: error }, 'catchment period sync job failed'),
  );
  await queue.upsertJobScheduler(
    CATCHMENT_SYNC_SCHEDULER,
    { every: options.everyMs },
    {
      name: 'sync',
      opts: {
        removeOnComplete: 50,
        removeOnFail: 200,
        attempts: 3,
        backoff: { type: 'exponential', delay: 5_000 },
      },
    },
  );
  // The worker starts only once the scheduler exists, so a caller listening right after this resolves
  // sees the first run.
  worker
    .run()
    .catch((error: unknown) => options.logger.error({ err: error }, 'catchment period sync worker stopped'));
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
      await Promise.all([queueConnection.quit(), workerConnection.quit()]);
    },
  };
}
