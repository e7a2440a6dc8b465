import { privateRedis, testAuth, testEngines, uniqueName, type TestAuth } from '@ies/testkit';
import { capturedLogger, startGateway, type InProcessGateway } from './gateway-harness';

interface Replicas {
  urls: string[];
  lines: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * Gateway replicas in this process, each its own server and Redis connection, sharing one Redis and one
 * key prefix as replicas behind a load balancer do. `{ __typename }` is answered by the gateway alone, so
 * no subgraph is needed.
 */
async function startReplicas(auth: TestAuth, count: number, env: Record<string, string>): Promise<Replicas> {
  const captured = capturedLogger();
  const servers: InProcessGateway[] = [];
  for (let i = 0; i < count; i++) {
    servers.push(
      await startGateway(
        auth,
        {
          RATE_LIMITS_ENABLED: 'true',
          REDIS_URL: testEngines().redisUrl,
          // One window for the whole file: counts never reset under a test's feet.
          RATE_LIMIT_WINDOW_S: '3600',
          // Generous: on a loaded machine a slow answer would let requests through (fail open).
          RATE_LIMIT_REDIS_TIMEOUT_MS: '10000',
          ...env,
        },
        captured.logger,
      ),
    );
  }
  return {
    urls: servers.map((server) => server.url),
    lines: captured.lines,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

/** `{ __typename }` POSTed to a replica: status, `Retry-After` and the JSON answer. */
async function ask(url: string, token?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] },
  };
}

/** `n` simultaneous requests spread over the replicas, in turn. */
const burst = (replicas: Replicas, n: number, token?: string) =>
  Promise.all(Array.from({ length: n }, (_, i) => ask(replicas.urls[i % replicas.urls.length]!, token)));

function expectRateLimited(answer: Awaited<ReturnType<typeof ask>>) {
  expect(answer.status).toBe(429);
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(answer.retryAfter).toMatch(/^\d+$/);
  const seconds = Number(answer.retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(3600);
  expect(answer.body).toEqual({
    errors: [
      { message: expect.any(String), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds } },
    ],
  });
}

describe('Rate limits at the gateway, counted in Redis', () => {
  let auth: TestAuth;
  beforeAll(async () => {
    auth = await testAuth();
  });

  describe('per principal, across two gateway replicas', () => {
    let replicas: Replicas;
    beforeAll(async () => {
      replicas = await startReplicas(auth, 2, {
        RATE_LIMIT_KEY_PREFIX: `${uniqueName('rate_principal')}:`,
        RATE_LIMIT_PER_PRINCIPAL: '20',
        RATE_LIMIT_MINISTRY_PER_PRINCIPAL: '30',
        RATE_LIMIT_PER_IP: '1000',
      });
    });
    afterAll(async () => {
      await replicas?.close();
    });

    it('lets exactly 20 of 50 simultaneous requests of one provider through, and answers the rest 429', async () => {
      const token = await auth.token('PROVIDER', { subject: 'busy-provider', providerIds: ['sp-peel-1'] });
      const answers = await burst(replicas, 50, token);
      const served = answers.filter((a) => a.status === 200);
      expect(served).toHaveLength(20);
      for (const answer of served) expect(answer.body).toEqual({ data: { __typename: 'Query' } });
      const refused = answers.filter((a) => a.status !== 200);
      expect(refused).toHaveLength(30);
      refused.forEach(expectRateLimited);
    });

    it('still serves another provider', async () => {
      const token = await auth.token('PROVIDER', { subject: 'quiet-provider', providerIds: ['sp-peel-1'] });
      expect((await ask(replicas.urls[1]!, token)).status).toBe(200);
    });

    it('gives the ministry its own, higher limit', async () => {
      const token = await auth.token('MINISTRY', { subject: 'ministry-report' });
      const answers = await burst(replicas, 40, token);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(30);
      answers.filter((a) => a.status !== 200).forEach(expectRateLimited);
    });

    it('logs each refusal', () => {
      expect(replicas.lines).toContainEqual(
        expect.objectContaining({ msg: 'rate limited', role: 'PROVIDER', requestId: expect.any(String) }),
      );
    });
  });

  describe('per client IP', () => {
    let replicas: Replicas;
    beforeAll(async () => {
      replicas = await startReplicas(auth, 2, {
        RATE_LIMIT_KEY_PREFIX: `${uniqueName('rate_ip')}:`,
        RATE_LIMIT_PER_PRINCIPAL: '1000',
        RATE_LIMIT_PER_IP: '10',
      });
    });
    afterAll(async () => {
      await replicas?.close();
    });

    it('lets 10 of 25 simultaneous anonymous requests through', async () => {
      const answers = await burst(replicas, 25);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
      answers.filter((a) => a.status !== 200).forEach(expectRateLimited);
    });

    it('refuses a signed-in caller from that IP too, and one with an invalid token', async () => {
      expectRateLimited(await ask(replicas.urls[0]!, await auth.token('SSM', { catchmentIds: ['peel'] })));
      expectRateLimited(await ask(replicas.urls[1]!, 'not-a-token'));
    });

    it('does not limit the health endpoints', async () => {
      for (const url of replicas.urls) {
        expect((await fetch(`${url}/health/live`)).status).toBe(200);
      }
    });
  });

  describe('X-Forwarded-For from a caller that is not a listed proxy', () => {
    let replicas: Replicas;
    beforeAll(async () => {
      replicas = await startReplicas(auth, 1, {
        RATE_LIMIT_KEY_PREFIX: `${uniqueName('rate_spoof')}:`,
        RATE_LIMIT_PER_IP: '10',
        // A proxy elsewhere: this test's loopback address is a direct caller.
        RATE_LIMIT_TRUSTED_PROXIES: '192.0.2.0/24',
      });
    });
    afterAll(async () => {
      await replicas?.close();
    });

    it('is ignored: 25 requests claiming 25 different addresses spend one bucket, 10 pass', async () => {
      const answers = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          ask(replicas.urls[0]!, undefined, { 'x-forwarded-for': `198.51.100.${i + 1}` }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
      answers.filter((a) => a.status !== 200).forEach(expectRateLimited);
    });
  });

  describe('X-Forwarded-For from a listed proxy', () => {
    let replicas: Replicas;
    beforeAll(async () => {
      replicas = await startReplicas(auth, 1, {
        RATE_LIMIT_KEY_PREFIX: `${uniqueName('rate_proxy')}:`,
        RATE_LIMIT_PER_IP: '10',
        // This test plays the load balancer, from the loopback address.
        RATE_LIMIT_TRUSTED_PROXIES: '127.0.0.0/8, ::1',
      });
    });
    afterAll(async () => {
      await replicas?.close();
    });

    it('names the caller: one client is limited, another behind the same proxy still served', async () => {
      const client = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' };
      const answers = await Promise.all(
        Array.from({ length: 15 }, () => ask(replicas.urls[0]!, undefined, client)),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
      answers.filter((a) => a.status !== 200).forEach(expectRateLimited);
      // The entry left of the proxy's is the client's own claim: changing it changes nothing.
      expectRateLimited(
        await ask(replicas.urls[0]!, undefined, { 'x-forwarded-for': '7.7.7.7, 203.0.113.7' }),
      );
      const other = await ask(replicas.urls[0]!, undefined, { 'x-forwarded-for': '203.0.113.8' });
      expect(other.status).toBe(200);
    });
  });

  describe('when Redis does not answer', () => {
    let replicas: Replicas;
    beforeAll(async () => {
      // A Redis of the test's own that is never started: its port answers nothing.
      const redis = await privateRedis('rate_down');
      replicas = await startReplicas(auth, 1, {
        REDIS_URL: redis.url,
        RATE_LIMIT_REDIS_TIMEOUT_MS: '100',
        RATE_LIMIT_KEY_PREFIX: `${uniqueName('rate_down')}:`,
        RATE_LIMIT_PER_IP: '1',
        RATE_LIMIT_PER_PRINCIPAL: '1',
      });
    });
    afterAll(async () => {
      await replicas?.close();
    });

    it('serves every request (fails open) and logs that limits are not enforced', async () => {
      const answers = await burst(replicas, 5, await auth.token('PARTNER', { partnerId: 'p-1' }));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(replicas.lines).toContainEqual(
        expect.objectContaining({
          level: 40,
          msg: 'Redis unavailable: rate limits are not enforced until it answers',
        }),
      );
    });
  });
});
