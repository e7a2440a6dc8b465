import { EventEmitter, once } from 'node:events';
import pino from 'pino';
import { privateRedis, uniqueName, type PrivateRedis } from '@ies/testkit';
import { createJobs, keepJobSchedulers, type Jobs } from '../src';

/** A logger that keeps its lines and tells when one with a given message is written. */
function watchedLogger() {
  const lines: Record<string, unknown>[] = [];
  const written = new EventEmitter();
  const logger = pino(
    { level: 'info' },
    {
      write: (text: string) => {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        written.emit(String(line.msg), line);
      },
    },
  );
  const next = (msg: string) => once(written, msg).then(([line]) => line as Record<string, unknown>);
  return { logger, lines, next };
}

const SYNC = { queue: 'sync', id: 'every-hour', repeat: { every: 3_600_000 }, job: { name: 'sync' } };

/** Issue 8, finding 7: a Redis that is down at start, or restarts empty, must not stop the jobs. */
describe('Jobs when Redis fails', () => {
  let redis: PrivateRedis;
  let jobs: Jobs | undefined;
  const log = watchedLogger();

  beforeEach(async () => {
    redis = await privateRedis('jobs_faults');
  });
  afterEach(async () => {
    await redis.start(); // so closing does not wait on a Redis that is gone
    await jobs?.close();
    jobs = undefined;
    await redis.stop();
  });

  describe('when Redis is not up yet at start', () => {
    it('waits for it, saying so, instead of failing', async () => {
      jobs = createJobs({ redisUrl: redis.url, prefix: uniqueName('late'), logger: log.logger });
      const waiting = log.next('waiting for Redis').then(() => 'waiting');
      const queue = jobs.queue('late');
      const gaveUp = queue.then(
        () => 'connected',
        (error: Error) => `failed: ${error.message}`,
      );
      expect(await Promise.race([waiting, gaveUp])).toBe('waiting');
      await expect(jobs.checkRedis()).rejects.toThrow(/not connected yet/);
      await redis.start();
      await (await queue).add('one', {});
      expect(await (await queue).count()).toBe(1);
      await jobs.checkRedis();
    });
  });

  describe('when Redis restarts without its data', () => {
    it('reports it down while it is gone, and re-asserts the job schedulers once it is back', async () => {
      await redis.start();
      jobs = createJobs({ redisUrl: redis.url, prefix: uniqueName('restart'), logger: log.logger });
      await keepJobSchedulers(jobs, [SYNC], log.logger);
      const queue = await jobs.queue('sync');
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['every-hour']);

      const lost = log.next('Redis connection lost; reconnecting');
      await redis.stop();
      await lost;
      await expect(jobs.checkRedis()).rejects.toThrow(/Redis connection is/);

      const reasserted = log.next('job schedulers re-asserted');
      await redis.start();
      await reasserted;
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['every-hour']);
      await jobs.checkRedis();
    });
  });

  describe('when the process stops while Redis is gone', () => {
    it('closes without waiting for it', async () => {
      await redis.start();
      const closing = createJobs({ redisUrl: redis.url, prefix: uniqueName('gone'), logger: log.logger });
      await closing.queue('gone');
      await closing.worker('gone', async () => 1);
      const lost = log.next('Redis connection lost; reconnecting');
      await redis.stop();
      await lost;
      const warned = log.next('closing while Redis is unreachable: a running job will be retried');
      await closing.close();
      await warned;
    });
  });
});
