import { publishEvents } from '@ies/events';
import { connectRedis, type Redis } from '@ies/redis';
import { testAuth, testEngines, uniqueName, type TestAuth } from '@ies/testkit';
import { UNREACHABLE_SUBGRAPHS, startGateway, type InProcessGateway } from './gateway-harness';
import { logLines, type LogLines } from './log-lines';
import { Subscriber } from './subscriber';

const EVERY_EVENT = `subscription { events {
  event { id type catchmentId subject { typename id } version }
  subject { __typename ... on CatchmentArea { name } } } }`;

/**
 * The real gateway in-process, on an event stream of its own, with every subgraph unreachable (nothing
 * listens on port 9): each subject read through it fails as SUBGRAPH_UNAVAILABLE, as in an outage.
 */
describe('Subscriptions when the subject of an event cannot be read', () => {
  const prefix = uniqueName('subscription_read_failure');
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

  const subscribed = async (...args: Parameters<TestAuth['token']>) => {
    const subscriber = await Subscriber.withToken(url, await auth.token(...args));
    subscribers.push(subscriber);
    subscriber.subscribe('all', EVERY_EVENT);
    await subscriber.settled();
    return subscriber;
  };
  const dropped = (eventId: string, role: string) =>
    log.first(
      (line) =>
        line.msg === 'subscription event dropped: its subject could not be read' &&
        line.eventId === eventId &&
        line.role === role,
    );

  it('tells the ministry, and no one else, that an event happened whose subject it could not read', async () => {
    const ministry = await subscribed('MINISTRY', { subject: 'ministry-outage' });
    const ssm = await subscribed('SSM', { subject: 'ssm-durham-outage', catchmentIds: ['durham'] });
    // A partner token naming no catchments hears every catchment's partner events (as its webhooks do).
    const partner = await subscribed('PARTNER', { subject: 'partner-outage', partnerId: 'partner-1' });

    await publishEvents(redis, prefix, 'catchments', [
      {
        id: 'evt-outage-1',
        type: 'CatchmentPeriodsChanged',
        occurredAt: new Date('2026-12-01T12:00:00Z'),
        catchmentId: 'durham',
        subject: { typename: 'CatchmentArea', id: 'durham' },
        data: {},
        version: 3,
      },
    ]);

    expect(await ministry.nextFor('all')).toMatchObject({
      type: 'next',
      payload: {
        data: {
          events: {
            event: {
              id: 'evt-outage-1',
              type: 'CatchmentPeriodsChanged',
              catchmentId: 'durham',
              subject: { typename: 'CatchmentArea', id: 'durham' },
              version: 3,
            },
            subject: null,
          },
        },
        errors: [{ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'catchments' } }],
      },
    });
    // The SSM and the partner passed the first filter; their reads failed, and the event went no further.
    for (const [subscriber, role] of [
      [ssm, 'SSM'],
      [partner, 'PARTNER'],
    ] as const) {
      const line = await dropped('evt-outage-1', role);
      expect(line).toMatchObject({
        eventType: 'CatchmentPeriodsChanged',
        errors: [{ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }],
      });
      await subscriber.settled();
      expect(subscriber.waiting('all')).toEqual([]);
    }
  });
});
