import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { privateRedis, testAuth, testEngines, type TestAuth } from '@ies/testkit';
import { SUBGRAPHS } from '../src/subgraphs';
import { healthWhen, startGateway, type InProcessGateway } from './gateway-harness';

/** Every subgraph's URL variable set to `url`. */
const everySubgraphAt = (url: string) => Object.fromEntries(SUBGRAPHS.map((s) => [s.urlVariable, url]));
const names = SUBGRAPHS.map((s) => s.name);

/** A server that accepts connections and never answers anything; resolves `connected(n)` on the n-th. */
async function startHangingServer() {
  const sockets: Socket[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', () => undefined);
    for (const w of waiting.filter((w) => sockets.length >= w.count)) w.resolve();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    sockets,
    /** Bytes the server ever sent: always 0. */
    written: () => sockets.reduce((sum, s) => sum + s.bytesWritten, 0),
    connected: (count: number) =>
      sockets.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.push({ count, resolve })),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Issue 8 §6 and §7, as the review found them: readiness answers from the gateway's own state at once,
 * never waiting on a subgraph; subgraphs and Redis are polled in the background and reported apart.
 */
describe('Gateway health, from a background poller', () => {
  let auth: TestAuth;
  beforeAll(async () => {
    auth = await testAuth();
  });

  describe('when every subgraph accepts connections and never answers', () => {
    let hanging: Awaited<ReturnType<typeof startHangingServer>>;
    let gateway: InProcessGateway;
    beforeAll(async () => {
      hanging = await startHangingServer();
      gateway = await startGateway(auth, {
        ...everySubgraphAt(hanging.url),
        REDIS_URL: testEngines().redisUrl,
        // Longer than any test: a probe that waited on a subgraph would never answer in time.
        HEALTH_CHECK_TIMEOUT_MS: '120000',
      });
      // The poller's first round has reached every subgraph, and none has answered.
      await hanging.connected(names.length);
    });
    afterAll(async () => {
      await gateway?.close();
      await hanging?.close();
    });

    it('answers /health/ready 200 while every subgraph check is still waiting', async () => {
      const ready = await fetch(`${gateway.url}/health/ready`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { redis: string };
      expect(body).toMatchObject({
        status: 'ready',
        service: 'gateway',
        subgraphs: Object.fromEntries(names.map((name) => [name, 'unknown'])),
      });
      expect(['unknown', 'ready']).toContain(body.redis);
      // Answered while the subgraphs' connections are open and silent: no probe waited on them.
      expect(hanging.written()).toBe(0);
      expect(hanging.sockets.every((socket) => !socket.destroyed)).toBe(true);
    });

    it('answers /health/subgraphs 503 degraded from the same state, without asking again', async () => {
      const before = hanging.sockets.length;
      const response = await fetch(`${gateway.url}/health/subgraphs`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 'degraded',
        subgraphs: Object.fromEntries(names.map((name) => [name, 'unknown'])),
      });
      expect(await (await fetch(`${gateway.url}/health/ready`)).json()).toMatchObject({ status: 'ready' });
      expect(hanging.sockets.length).toBe(before);
    });

    it('reports Redis even while the subgraphs hang', async () => {
      expect(await healthWhen(gateway.url, (body) => body.redis !== 'unknown')).toMatchObject({
        redis: 'ready',
      });
    });
  });

  describe('when subgraphs answer, refuse connections, and Redis is down', () => {
    let healthy: HttpServer;
    let gateway: InProcessGateway;
    let probes = 0;
    beforeAll(async () => {
      healthy = createHttpServer((req, res) => {
        probes += 1;
        res.writeHead(req.url === '/health/ready' ? 200 : 404).end('{}');
      });
      await new Promise<void>((resolve) => healthy.listen(0, '127.0.0.1', resolve));
      const { port } = healthy.address() as { port: number };
      // A Redis of the test's own that is never started: its port answers nothing.
      const redis = await privateRedis('health_redis_down');
      gateway = await startGateway(auth, {
        ...everySubgraphAt(`http://127.0.0.1:${port}/graphql`),
        // Nothing listens on port 9 of the loopback: connections are refused.
        [SUBGRAPHS[0]!.urlVariable]: 'http://127.0.0.1:9/graphql',
        REDIS_URL: redis.url,
        HEALTH_POLL_INTERVAL_MS: '60000',
        HEALTH_CHECK_TIMEOUT_MS: '5000',
      });
    });
    afterAll(async () => {
      await gateway?.close();
      await new Promise((resolve) => healthy?.close(resolve));
    });

    it('reports each as the last poll found it, stays ready, and probes cost the subgraphs nothing', async () => {
      const [down, ...up] = names;
      const body = await healthWhen(
        gateway.url,
        (b) => b.redis !== 'unknown' && Object.values(b.subgraphs).every((s) => s !== 'unknown'),
      );
      expect(body).toEqual({
        status: 'degraded',
        service: 'gateway',
        subgraphs: { [down!]: 'down', ...Object.fromEntries(up.map((name) => [name, 'ready'])) },
        redis: 'down',
      });
      const probesAfterOneRound = probes;
      expect(probesAfterOneRound).toBe(up.length);
      for (let i = 0; i < 20; i++) expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
      expect(probes).toBe(probesAfterOneRound);
    });
  });
});
