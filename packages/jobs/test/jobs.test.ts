import pino from 'pino';
import type { Worker } from 'bullmq';
import { connectRedis } from '@ies/redis';
import { testEngines, uniqueName } from '@ies/testkit';
import { createJobs, ensureJobSchedulers, removeJobsData, scanKeys, type Jobs } from '../src';

/** A logger that keeps its lines, so a test can read what a processor wrote. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** Resolves on the worker's next event of that kind whose job matches. */
function nextEvent(
  worker: Worker,
  event: 'completed' | 'failed',
  match: (job: { id?: string; attemptsMade: number }) => boolean,
) {
  return new Promise<void>((resolve) => {
    const listener = (job: { id?: string; attemptsMade: number } | undefined) => {
      if (!job || !match(job)) return;
      worker.off(event, listener);
      resolve();
    };
    worker.on(event, listener);
  });
}

describe('Jobs on BullMQ', () => {
  const { redisUrl } = testEngines();
  const prefix = uniqueName('jobs');
  const captured = capturedLogger();
  let jobs: Jobs;

  beforeAll(() => {
    jobs = createJobs({
      redisUrl,
      prefix,
      logger: captured.logger,
      // Retries follow quickly in tests; the shape (exponential) is what production uses.
      defaultJobOptions: { backoff: { type: 'exponential', delay: 10 } },
    });
  });
  afterAll(async () => {
    await jobs.close();
    await removeJobsData({ redisUrl, prefix });
  });

  describe('when a job runs', () => {
    it('passes its result on, and every line the processor logs carries the job id, queue and request id', async () => {
      const queue = await jobs.queue<{ requestId: string; n: number }, number>('double');
      const worker = await jobs.worker<{ requestId: string; n: number }, number>(
        'double',
        async (job, log) => {
          log.info({ n: job.data.n }, 'doubling');
          return job.data.n * 2;
        },
      );
      const done = nextEvent(worker as unknown as Worker, 'completed', () => true);
      const added = await queue.add('double', { requestId: 'req-7', n: 21 });
      await done;
      expect((await queue.getJob(added.id!))?.returnvalue).toBe(42);
      expect(captured.lines.find((line) => line.msg === 'doubling')).toMatchObject({
        jobId: added.id,
        queue: 'double',
        requestId: 'req-7',
        n: 21,
      });
    });
  });

  describe('when a job keeps failing', () => {
    it('retries it with exponential backoff up to its attempts, then keeps it failed with its reason', async () => {
      const queue = await jobs.queue('flaky');
      const worker = await jobs.worker('flaky', async (job) => {
        throw new Error(`catchments subgraph answered 503 (attempt ${job.attemptsMade + 1})`);
      });
      const exhausted = nextEvent(worker, 'failed', (job) => job.attemptsMade === 3);
      const added = await queue.add('flaky', {});
      await exhausted;
      const job = (await queue.getJob(added.id!))!;
      expect(await job.getState()).toBe('failed');
      expect(job.attemptsMade).toBe(3);
      expect(job.opts.backoff).toEqual({ type: 'exponential', delay: 10 });
      expect(job.failedReason).toBe('catchments subgraph answered 503 (attempt 3)');
      expect(job.opts).toMatchObject({ removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } });
    });
  });

  describe('job schedulers', () => {
    it('are upserted: declaring the same scheduler twice leaves one, with the latest schedule', async () => {
      const declare = (every: number) =>
        ensureJobSchedulers(jobs, [
          { queue: 'recurring', id: 'nightly-recompute', repeat: { every }, job: { name: 'recompute' } },
        ]);
      await declare(3_600_000);
      await declare(7_200_000);
      const schedulers = await (await jobs.queue('recurring')).getJobSchedulers();
      expect(schedulers).toEqual([expect.objectContaining({ key: 'nightly-recompute', every: 7_200_000 })]);
    });
  });
});

describe('Removing a test file’s jobs data', () => {
  it('leaves no key under its prefix: queues, jobs and schedulers all gone', async () => {
    const { redisUrl } = testEngines();
    const prefix = uniqueName('jobs_cleanup');
    const jobs = createJobs({ redisUrl, prefix, logger: capturedLogger().logger });
    await ensureJobSchedulers(jobs, [
      { queue: 'cleanup-a', id: 'every-hour', repeat: { every: 3_600_000 }, job: { name: 'tick' } },
    ]);
    await (await jobs.queue('cleanup-b')).add('one', { n: 1 });
    await jobs.close();

    const redis = await connectRedis({ url: redisUrl });
    try {
      expect((await scanKeys(redis, prefix)).length).toBeGreaterThan(0);
      await removeJobsData({ redisUrl, prefix });
      expect(await scanKeys(redis, prefix)).toEqual([]);
    } finally {
      await redis.quit();
    }
  });
});
