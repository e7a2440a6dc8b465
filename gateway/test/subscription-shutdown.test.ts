import { createLogger } from '@ies/logger';
import { testAuth, testEngines, uniqueName, type TestAuth } from '@ies/testkit';
import { startGateway, type InProcessGateway } from './gateway-harness';
import { Subscriber } from './subscriber';

/**
 * The gateway in-process (its subgraphs are not needed: nothing is queried), on Redis of the test run and
 * an event stream of its own, stopped while a subscriber listens.
 */
describe('Subscriptions when the gateway stops', () => {
  let auth: TestAuth;
  let gateway: InProcessGateway;
  let url: string;
  beforeAll(async () => {
    auth = await testAuth();
    gateway = await startGateway(
      auth,
      { REDIS_URL: testEngines().redisUrl, QUEUE_PREFIX: uniqueName('subscription_shutdown') },
      createLogger('gateway', 'silent'),
    );
    url = gateway.graphqlUrl;
  });

  it('completes every subscription, then closes each socket with 1001 (going away)', async () => {
    const subscriber = await Subscriber.withToken(url, await auth.token('MINISTRY'));
    subscriber.subscribe('all', 'subscription { events { event { id } } }');
    await subscriber.settled();

    await gateway.close();

    expect(await subscriber.nextFor('all')).toEqual({ id: 'all', type: 'complete' });
    expect(await subscriber.closed).toEqual({ code: 1001, reason: 'Going away' });
  });
});
