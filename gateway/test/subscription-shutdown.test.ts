import { createLogger } from '@ies/logger';
import { testAuth, testEngines, uniqueName, type TestAuth } from '@ies/testkit';
import { loadGatewayConfig } from '../src/config';
import { createGatewayServer, type GatewayServer } from '../src/server';
import { Subscriber } from './subscriber';

/**
 * The gateway in-process (its subgraphs are not needed: nothing is queried), on Redis of the test run and
 * an event stream of its own, stopped while a subscriber listens.
 */
describe('Subscriptions when the gateway stops', () => {
  let auth: TestAuth;
  let gateway: GatewayServer;
  let url: string;
  beforeAll(async () => {
    auth = await testAuth();
    gateway = await createGatewayServer(
      loadGatewayConfig({
        JWT_PUBLIC_KEY: auth.keys.publicKeyPem,
        JWT_ISSUER: auth.settings.issuer,
        JWT_AUDIENCE: auth.settings.audience,
        INTERNAL_SIGNING_SECRET: auth.internalSecret,
        REDIS_URL: testEngines().redisUrl,
        QUEUE_PREFIX: uniqueName('subscription_shutdown'),
      }),
      createLogger('gateway', 'silent'),
    );
    url = `http://127.0.0.1:${await gateway.listen(0, '127.0.0.1')}/graphql`;
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
