import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Principal } from '@ies/auth';
import { changeRecordModel } from '@ies/change-log';
import { QueueEvents } from 'bullmq';
import { createJobs, removeJobsData, type Jobs } from '@ies/jobs';
import { createLogger } from '@ies/logger';
import { connectTestDatabase, principalOf, subgraphRequest, testEngines, uniqueName } from '@ies/testkit';
import { DELIVERY_QUEUE, deliveryJobId } from '../src/delivery/delivery-queue';
import { deliveryProcessor, startDeliveryWorker } from '../src/delivery/delivery-worker';
import { webhookDeliveryModel } from '../src/delivery/webhook-delivery.model';
import { webhookEndpointModel } from '../src/endpoint/webhook-endpoint.model';
import { EventIntake, type IncomingEvent } from '../src/events/event-intake';
import { storedEventModel } from '../src/events/stored-event.model';
import { StoredEvents } from '../src/events/stored-events';
import type { OutboundPolicy } from '../src/outbound/outbound-policy';
import { createServices, createWebhooksServer, ensureIndexes, type WebhooksDeps } from '../src/server';

export interface HarnessOptions {
  outbound?: OutboundPolicy;
  /** Retry delays (ms); tiny by default so that retries take milliseconds. */
  schedule?: number[];
  /** Run the delivery worker (default true). */
  worker?: boolean;
  attemptTimeoutMs?: number;
  replayLimits?: WebhooksDeps['replayLimits'];
}

/**
 * The webhooks subgraph in-process on port 0, on a fresh FerretDB database and a queue prefix of this
 * test file's own, with its delivery worker (real BullMQ on the test Redis) and its event intake.
 */
export async function startWebhooks(name: string, options: HarnessOptions = {}) {
  // Commands are observable (`CommandCounter`) for the tests that count engine round trips.
  const connection: Connection = await connectTestDatabase(name, { monitorCommands: true });
  await ensureIndexes(connection);
  const logger = createLogger('webhooks', process.env.WEBHOOKS_TEST_LOG ?? 'silent');
  const { redisUrl } = testEngines();
  const prefix = uniqueName(name);
  const jobs: Jobs = createJobs({ redisUrl, prefix, logger });
  const secret = `test-internal-secret-${randomUUID()}`;
  const outbound = options.outbound ?? { allowInsecure: true, allowPrivate: true, allowedPorts: 'any' };
  const schedule = options.schedule ?? [20, 20, 20];
  const deps = {
    connection,
    jobs,
    secretKey: secret,
    outbound,
    schedule,
    replayLimits: options.replayLimits,
  };
  const server = await createWebhooksServer({ ...deps, logger, internalSecret: secret });
  const port = await server.listen(0);
  const url = `http://127.0.0.1:${port}/graphql`;
  const services = createServices(deps);
  const models = {
    endpoints: webhookEndpointModel(connection),
    deliveries: webhookDeliveryModel(connection),
    events: storedEventModel(connection),
    changeLog: changeRecordModel(connection),
  };
  // As in the worker: one store for the intake and the deliveries.
  const storedEvents = new StoredEvents(models.events);
  /** What the delivery processor works with, in the worker and in tests that run it themselves. */
  const processorDeps: Parameters<typeof deliveryProcessor>[0] = {
    deliveries: models.deliveries,
    events: storedEvents,
    endpointLog: services.log,
    endpoints: services.endpoints,
    outbound,
    schedule,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 5_000,
  };
  if (options.worker !== false) {
    await startDeliveryWorker({ ...processorDeps, jobs, concurrency: 5, logger });
  }
  const intake = new EventIntake({
    events: storedEvents,
    endpoints: models.endpoints,
    endpointLog: services.log,
    scheduler: services.scheduler,
    logger,
  });
  const queueEvents = new QueueEvents(DELIVERY_QUEUE, {
    connection: (() => {
      const parsed = new URL(redisUrl);
      return {
        host: parsed.hostname,
        port: Number(parsed.port || 6379),
        db: Number(parsed.pathname.slice(1) || 0),
      };
    })(),
    prefix,
  });
  await queueEvents.waitUntilReady();
  /**
   * Resolves when a delivery job has finished for good: 'completed', or 'failed' once its last
   * attempt failed (BullMQ's own events; no polling).
   */
  const settled = async (jobId: string): Promise<'completed' | 'failed'> => {
    const queue = await jobs.queue(DELIVERY_QUEUE);
    return new Promise((resolve, reject) => {
      const check = async () => {
        const state = await queue.getJobState(jobId);
        if (state === 'completed' || state === 'failed') {
          queueEvents.off('completed', onEvent);
          queueEvents.off('failed', onEvent);
          resolve(state);
        }
      };
      // A failed attempt with attempts left is 'delayed' or 'waiting' when asked: keep listening.
      const onEvent = ({ jobId: id }: { jobId: string }) => {
        if (id === jobId) check().catch(reject);
      };
      queueEvents.on('completed', onEvent);
      queueEvents.on('failed', onEvent);
      check().catch(reject);
    });
  };
  const as = (principal: Principal) => ({
    principal,
    query: <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) =>
      subgraphRequest<T>(url, query, { principal, secret, variables, audience: 'webhooks' }),
  });
  return {
    connection,
    url,
    secret,
    prefix,
    redisUrl,
    jobs,
    models,
    storedEvents,
    services,
    intake,
    settled,
    /** The delivery processor the worker runs, on this harness (for tests that decide when attempts run). */
    processor: (overrides: Partial<typeof processorDeps> = {}) =>
      deliveryProcessor({ ...processorDeps, ...overrides }),
    /** The live delivery job of an event for an endpoint. */
    liveJob: (endpointId: string, eventId: string) => deliveryJobId(endpointId, eventId, 'live'),
    /** The job of a delivery (a replay's, say), from its log row. */
    jobOf: async (deliveryId: string) => (await models.deliveries.findById(deliveryId).lean())!.jobId,
    as,
    ministry: as(principalOf('MINISTRY', { subject: 'ministry-officer' })),
    partner: (partnerId: string, catchmentIds: string[] = []) =>
      as(principalOf('PARTNER', { subject: `${partnerId}-system`, partnerId, catchmentIds })),
    ssm: as(principalOf('SSM', { subject: 'ssm-durham', catchmentIds: ['durham'] })),
    provider: as(principalOf('PROVIDER', { subject: 'staff', providerIds: ['sp-durham-1'] })),
    anonymous: as(principalOf('PUBLIC', { subject: 'anonymous' })),
    async stop() {
      await server.close();
      await queueEvents.close();
      await jobs.close();
      await removeJobsData({ redisUrl, prefix });
      await connection.close();
    },
  };
}

export type WebhooksHarness = Awaited<ReturnType<typeof startWebhooks>>;
export type Caller = ReturnType<WebhooksHarness['as']>;

/** An event in the platform's wire shape (what the stream carries). */
export const platformEvent = (overrides: Partial<IncomingEvent> = {}): IncomingEvent => ({
  id: randomUUID(),
  type: 'ContractCreated',
  occurredAt: new Date().toISOString(),
  catchmentId: 'durham',
  subject: { typename: 'Contract', id: `contract-${randomUUID().slice(0, 8)}` },
  data: { serviceSystemManagerId: 'ssm-durham' },
  version: 1,
  service: 'contracts',
  ...overrides,
});

export const ENDPOINT_FIELDS = `id partnerId url eventTypes catchmentIds description enabled disabledReason
  activeSecretCount previousSecretsExpireAt version`;

/** The endpoint mutations and queries, as a caller sends them; answers `{ data, errors }`. */
export const endpointApi = (who: Caller) => {
  const run = async (query: string, variables: Record<string, unknown>, field: string) => {
    const { body } = await who.query(query, variables);
    return {
      data: body.data?.[field] ?? null,
      errors: body.errors ?? [],
      code: body.errors?.[0]?.extensions?.code as string | undefined,
    };
  };
  return {
    register: (input: Record<string, unknown>) =>
      run(
        `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { signingSecret previousSecretsExpireAt endpoint { ${ENDPOINT_FIELDS} } } }`,
        { input },
        'registerWebhookEndpoint',
      ),
    rotate: (id: string, overlapHours?: number) =>
      run(
        `mutation($id: ID!, $overlapHours: Int) { rotateWebhookEndpointSecret(id: $id, overlapHours: $overlapHours) { signingSecret previousSecretsExpireAt endpoint { ${ENDPOINT_FIELDS} } } }`,
        { id, ...(overlapHours === undefined ? {} : { overlapHours }) },
        'rotateWebhookEndpointSecret',
      ),
    update: (id: string, input: Record<string, unknown>) =>
      run(
        `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} } }`,
        { id, input },
        'updateWebhookEndpoint',
      ),
    disable: (id: string, reason?: string) =>
      run(
        `mutation($id: ID!, $reason: String) { disableWebhookEndpoint(id: $id, reason: $reason) { ${ENDPOINT_FIELDS} } }`,
        { id, reason },
        'disableWebhookEndpoint',
      ),
    enable: (id: string) =>
      run(
        `mutation($id: ID!) { enableWebhookEndpoint(id: $id) { ${ENDPOINT_FIELDS} } }`,
        { id },
        'enableWebhookEndpoint',
      ),
    get: (id: string) =>
      run(`query($id: ID!) { webhookEndpoint(id: $id) { ${ENDPOINT_FIELDS} } }`, { id }, 'webhookEndpoint'),
    list: (first = 100) =>
      run(
        `query($first: Int) { webhookEndpoints(first: $first) { totalCount edges { node { ${ENDPOINT_FIELDS} } } } }`,
        { first },
        'webhookEndpoints',
      ),
    deliveries: (endpointId: string) =>
      run(
        `query($id: ID!) { webhookDeliveries(endpointId: $id, first: 100) { totalCount edges { node { id eventId eventType state replayOf attempts { at status latencyMs responseExcerpt error } } } } }`,
        { id: endpointId },
        'webhookDeliveries',
      ),
    replay: (id: string) =>
      run(
        `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id eventId state replayOf } }`,
        { id },
        'replayWebhookDelivery',
      ),
    replaySince: (endpointId: string, since: string) =>
      run(
        `mutation($id: ID!, $since: DateTime!) { replayWebhookEvents(endpointId: $id, since: $since) { truncated nextSince deliveries { id eventId state } } }`,
        { id: endpointId, since },
        'replayWebhookEvents',
      ),
  };
};
