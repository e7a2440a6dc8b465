import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishEvents } from '@ies/events';
import { connectRedis, type Redis } from '@ies/redis';
import { testAuth, testEngines, uniqueName, type TestAuth } from '@ies/testkit';
import type { Manifest } from '../src/trusted-documents/manifest';
import { UNREACHABLE_SUBGRAPHS, startGateway, type InProcessGateway } from './gateway-harness';
import { logLines, type LogLines } from './log-lines';
import { Subscriber } from './subscriber';

const manifest = JSON.parse(
  readFileSync(join(__dirname, '..', 'trusted-documents.json'), 'utf8'),
) as Manifest;
const listed = (name: string) => manifest.operations.find((o) => o.name === name)!.body;

/**
 * The gateway in-process requiring trusted documents, on an event stream of its own; its subgraphs are
 * unreachable (nothing listens on port 9), so a subject read through it fails as SUBGRAPH_UNAVAILABLE.
 */
describe('Subscriptions when the gateway requires trusted documents', () => {
  const prefix = uniqueName('subscription_trusted');
  let auth: TestAuth;
  let gateway: InProcessGateway;
  let redis: Redis;
  let url: string;
  let log: LogLines;
  const subscribers: Subscriber[] = [];
  beforeAll(async () => {
    auth = await testAuth();
    log = logLines('gateway');
    redis = await connectRedis({ url: testEngines().redisUrl });
    gateway = await startGateway(
      auth,
      {
        REDIS_URL: testEngines().redisUrl,
        QUEUE_PREFIX: prefix,
        TRUSTED_DOCUMENTS: 'require',
        ...UNREACHABLE_SUBGRAPHS,
      },
      log.logger,
    );
    url = gateway.graphqlUrl;
  });
  afterAll(async () => {
    for (const subscriber of subscribers) subscriber.close();
    await gateway?.close();
    await redis?.del(`${prefix}:events`);
    await redis?.quit();
  });

  const ssm = async () => {
    const subscriber = await Subscriber.withToken(
      url,
      await auth.token('SSM', { subject: 'ssm-durham', catchmentIds: ['durham'] }),
    );
    subscribers.push(subscriber);
    return subscriber;
  };

  it('refuses a subscription outside the manifest with PERSISTED_QUERY_NOT_ALLOWED', async () => {
    const subscriber = await ssm();
    subscriber.subscribe('s', 'subscription Mine { disputeEscalated { event { id } } }');
    expect(await subscriber.nextFor('s')).toMatchObject({
      type: 'error',
      payload: [{ extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } }],
    });
  });

  it("serves the manifest's subscriptions and reads their subjects through the gateway", async () => {
    const subscriber = await ssm();
    subscriber.subscribe('listed', listed('EscalatedInDurham'));
    await subscriber.settled();

    await publishEvents(redis, prefix, 'disputes', [
      {
        id: 'evt-trusted-1',
        type: 'DisputeEscalated',
        occurredAt: new Date('2026-12-01T12:00:00Z'),
        catchmentId: 'durham',
        subject: { typename: 'Dispute', id: 'dsp-trusted-1' },
        data: { providerId: 'sp-durham-1', trigger: 'PARTY' },
        version: 2,
      },
    ]);

    // The subject's read was not refused as an operation outside the manifest: it ran, and failed as
    // the unreachable disputes service. An SSM is not told of an event whose subject it could not read
    // (ADR 0020): the gateway logs the drop.
    const dropped = await log.first(
      (line) =>
        line.msg === 'subscription event dropped: its subject could not be read' &&
        line.eventId === 'evt-trusted-1',
    );
    expect(dropped).toMatchObject({
      role: 'SSM',
      errors: [{ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'disputes' } }],
    });
    await subscriber.settled();
    expect(subscriber.waiting('listed')).toEqual([]);
  });

  it("serves a partner the manifest's partner subscription with its own variables", async () => {
    const partner = await Subscriber.withToken(
      url,
      await auth.token('PARTNER', { subject: 'partner-trusted', partnerId: 'acme' }),
    );
    subscribers.push(partner);
    partner.subscribe('events', listed('PartnerEvents'), {
      types: ['ContractCreated'],
      catchmentIds: ['durham'],
    });
    partner.subscribe('refused', listed('PartnerEvents'), { types: ['DisputeOpened'] });
    // A type partners do not hear is refused by the subscription itself, not by the manifest.
    expect(await partner.nextFor('refused')).toMatchObject({
      type: 'next',
      payload: { errors: [{ extensions: { code: 'FORBIDDEN' } }] },
    });
    await partner.settled();
    await publishEvents(redis, prefix, 'contracts', [
      {
        id: 'evt-trusted-partner-1',
        type: 'ContractCreated',
        occurredAt: new Date('2026-12-01T12:00:00Z'),
        catchmentId: 'durham',
        subject: { typename: 'Contract', id: 'contract-trusted-1' },
        data: { serviceSystemManagerId: 'ssm-durham' },
        version: 1,
      },
    ]);
    // Its subject's read ran through the gateway (and failed as the unreachable contracts service).
    const dropped = await log.first(
      (line) =>
        line.msg === 'subscription event dropped: its subject could not be read' &&
        line.eventId === 'evt-trusted-partner-1',
    );
    expect(dropped).toMatchObject({ role: 'PARTNER' });
    await partner.settled();
    expect(partner.waiting('events')).toEqual([]);
  });
});
