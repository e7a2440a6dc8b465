import {
  privateRedis,
  startLoggedProcess,
  testEngines,
  uniqueName,
  type LogLine,
  type LoggedProcess,
  type PrivateRedis,
} from '@ies/testkit';
import { startCatchments } from '../../catchments/test/catchments-harness';

const SYNCED = 'catchment periods synchronized';

/**
 * Issue 8, finding 7: the contracts worker (a real process) against a Redis of each test's own, down
 * at start or restarted without its data. The catchments subgraph it syncs from is shared (read only).
 */
describe('The contracts worker when Redis fails', () => {
  let catchments: Awaited<ReturnType<typeof startCatchments>>;
  beforeAll(async () => {
    catchments = await startCatchments('worker_redis_catchments');
  });
  afterAll(async () => {
    await catchments?.stop();
  });

  /** A worker on a private Redis (not started), with what a test needs to follow it. */
  interface Running {
    redis: PrivateRedis;
    worker: LoggedProcess;
    /** Lines logged from now on that carry `msg`, as a predicate for `waitForLog`. */
    nextLine(msg: string): (line: LogLine) => boolean;
    readiness(): Promise<{ status: number; body: Record<string, unknown> }>;
  }
  const running: Running[] = [];

  async function startWorker(name: string): Promise<Running> {
    const redis = await privateRedis(name);
    const worker = startLoggedProcess('services/contracts/src/worker.ts', {
      MONGODB_URI: testEngines().mongoUri,
      CONTRACTS_DB_NAME: uniqueName(`${name}_contracts`),
      CATCHMENTS_SUBGRAPH_URL: catchments.url,
      INTERNAL_SIGNING_SECRET: catchments.secret,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: uniqueName(name),
      CATCHMENT_SYNC_EVERY_MS: '3600000',
      WORKER_HEALTH_PORT: '0',
    });
    const started: Running = {
      redis,
      worker,
      nextLine: (msg) => {
        const mark = worker.logs.length;
        return (line) => line.msg === msg && worker.logs.indexOf(line) >= mark;
      },
      readiness: async () => {
        const { healthPort } = await worker.waitForLog((line) => line.msg === 'health endpoints listening');
        const response = await fetch(`http://127.0.0.1:${healthPort}/health/ready`);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      },
    };
    running.push(started);
    return started;
  }

  afterEach(async () => {
    for (const { redis, worker } of running.splice(0)) {
      await redis.start(); // so the worker's close does not wait on a Redis that is gone
      expect(await worker.stop()).toBe(0);
      await redis.stop();
    }
  });

  it('waits for a Redis that is down at start, not ready and saying why, then syncs once it is up', async () => {
    const { redis, worker, nextLine, readiness } = await startWorker('worker_redis_late');
    await worker.waitForLog((line) => line.msg === 'waiting for Redis');
    expect(await readiness()).toEqual({
      status: 503,
      body: {
        status: 'not ready',
        service: 'contracts-worker',
        dependencies: { mongodb: 'up', redis: 'down' },
      },
    });
    expect(worker.child.exitCode).toBeNull();

    const synced = nextLine(SYNCED);
    await redis.start();
    await worker.waitForLog((line) => line.msg === 'worker ready');
    await worker.waitForLog(synced);
    expect(await readiness()).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('is not ready while Redis is gone, then re-creates its scheduler on the empty Redis and syncs again', async () => {
    const { redis, worker, nextLine, readiness } = await startWorker('worker_redis_restart');
    await redis.start();
    await worker.waitForLog((line) => line.msg === 'worker ready');
    await worker.waitForLog((line) => line.msg === SYNCED);

    const lost = nextLine('Redis connection lost; reconnecting');
    await redis.stop();
    await worker.waitForLog(lost);
    expect(await readiness()).toMatchObject({ status: 503, body: { dependencies: { redis: 'down' } } });

    const reasserted = nextLine('job schedulers re-asserted');
    const synced = nextLine(SYNCED);
    await redis.start();
    await worker.waitForLog(reasserted);
    await worker.waitForLog(synced);
    expect(await readiness()).toMatchObject({ status: 200, body: { status: 'ready' } });
  });
});
