import { removeJobsData } from '@ies/jobs';
import { startWorkerProcess, type ServiceProcess } from '@ies/service-launcher';
import { serviceNamed } from '@ies/service-registry';
import {
  principalOf,
  startProcess,
  subgraphRequest,
  testEngines,
  uniqueName,
  type RunningProcess,
} from '@ies/testkit';
import { startDisputes, type DisputesHarness } from './disputes-harness';

/**
 * The registry's entry points as real processes (through tsx, as `npm start` runs them): the API
 * answers its health check and a query; the worker upserts its schedulers, runs a first sweep at once
 * and stops on SIGTERM.
 */
describe('Disputes processes', () => {
  const service = serviceNamed('disputes');
  const prefix = uniqueName('disputes_processes');
  let h: DisputesHarness;
  let api: RunningProcess | undefined;
  let worker: ServiceProcess | undefined;

  beforeAll(async () => {
    h = await startDisputes('disputes_processes');
  });
  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await removeJobsData({ redisUrl: testEngines().redisUrl, prefix });
    await h.stop();
  });

  const env = () => ({
    MONGODB_URI: testEngines().mongoUri,
    [service.database.variable]: h.connection.name,
    INTERNAL_SIGNING_SECRET: h.secret,
    CATCHMENTS_SUBGRAPH_URL: h.catchments.url,
    REDIS_URL: testEngines().redisUrl,
    QUEUE_PREFIX: prefix,
  });

  it('starts the API from its registry entry, ready and answering', async () => {
    api = await startProcess(service.api.entry, env());
    expect((await fetch(`${api.url}/health/ready`)).status).toBe(200);
    const { body } = await subgraphRequest(
      `${api.url}/graphql`,
      `{ disputeProcess(catchmentId: "peel") { version } }`,
      {
        principal: principalOf('PUBLIC'),
        secret: h.secret,
        audience: 'disputes',
      },
    );
    expect(body).toEqual({ data: { disputeProcess: { version: 1 } } });
  });

  it('starts the worker, which sweeps at once on its scheduler', async () => {
    worker = await startWorkerProcess({ name: 'disputes-worker', entry: service.worker!.entry, env: env() });
    const ready = await worker.waitForLog((line) => line.msg === 'worker ready');
    expect(ready.queues).toEqual(['disputes-catchment-period-sync', 'disputes-sla-sweep']);
    const swept = await worker.waitForLog((line) => line.msg === 'dispute SLA sweep finished');
    expect(swept).toMatchObject({ breachesRecorded: expect.any(Number), scanned: expect.any(Number) });
    await worker.stop();
    expect(worker.child.exitCode).toBe(0);
  });
});
