import type { Connection } from 'mongoose';
import { createJobs, type Jobs } from '@ies/jobs';
import { createLogger } from '@ies/logger';
import { connectTestDatabase, testEngines, uniqueName } from '@ies/testkit';
import { loadDisputesConfig } from '../src/config';
import { createWorkerHealth } from '../src/worker-health';

/** The disputes worker's health endpoints (as the contracts worker's), and their port setting. */
describe('Disputes worker: health', () => {
  let connection: Connection;
  let jobs: Jobs;
  beforeAll(async () => {
    connection = await connectTestDatabase('disputes_worker_health');
    jobs = createJobs({
      redisUrl: testEngines().redisUrl,
      prefix: uniqueName('disputes_health'),
      logger: createLogger('disputes-worker', 'silent'),
    });
    await jobs.queue('disputes-health-probe'); // a connection, as the worker's queues open
  });
  afterAll(async () => {
    await jobs.close();
    await connection.close();
  });

  const readyOf = async (health: ReturnType<typeof createWorkerHealth>) => {
    const port = await health.listen(0, '127.0.0.1');
    try {
      const live = await fetch(`http://127.0.0.1:${port}/health/live`);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      return { live: live.status, ready: ready.status, body: (await ready.json()) as Record<string, any> };
    } finally {
      await health.close();
    }
  };

  it('is ready when MongoDB and Redis answer', async () => {
    const answer = await readyOf(createWorkerHealth({ service: 'disputes-worker', connection, jobs }));
    expect(answer).toMatchObject({ live: 200, ready: 200 });
    expect(JSON.stringify(answer.body)).toContain('"redis":"up"');
  });

  it('is alive but not ready while Redis does not answer, and says so', async () => {
    const noRedis = { checkRedis: () => Promise.reject(new Error('ECONNREFUSED')) };
    const answer = await readyOf(
      createWorkerHealth({ service: 'disputes-worker', connection, jobs: noRedis }),
    );
    expect(answer).toMatchObject({ live: 200, ready: 503 });
    expect(JSON.stringify(answer.body)).toContain('"redis":"down"');
  });

  it('listens on WORKER_HEALTH_PORT (default 0: any free port)', () => {
    const env = { MONGODB_URI: 'mongodb://127.0.0.1:27017', INTERNAL_SIGNING_SECRET: 'x'.repeat(48) };
    expect(loadDisputesConfig(env).worker.WORKER_HEALTH_PORT).toBe(0);
    expect(loadDisputesConfig({ ...env, WORKER_HEALTH_PORT: '4104' }).worker.WORKER_HEALTH_PORT).toBe(4104);
  });
});
