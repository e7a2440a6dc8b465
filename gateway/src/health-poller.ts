import type { Logger } from '@ies/logger';
import { Redis } from 'ioredis';
import { reconnectDelayMs } from '@ies/redis';
import { checkSubgraphs, type DependencyStates, type RedisState } from './subgraph-health';

export interface HealthPollerOptions {
  subgraphUrls: Record<string, string>;
  redisUrl: string;
  /** Time between the end of one round and the start of the next. */
  intervalMs: number;
  /** How long one subgraph (or Redis) may take to answer before it counts as `down`. */
  timeoutMs: number;
  logger: Logger;
}

export interface HealthPoller {
  /** The states of the last finished round (`unknown` before the first). Never waits. */
  current(): DependencyStates;
  stop(): Promise<void>;
}

/**
 * Polls every subgraph's `/health/ready` and Redis in the background, one round at a time (the next
 * starts `intervalMs` after the slowest answer of the last), and keeps each answer as it arrives, so that health endpoints answer from memory at once: a probe never waits on a
 * subgraph (a hanging one would make the gateway's own readiness time out), and probes, however many,
 * cost the subgraphs nothing. The timer is unref'd, and `stop` ends the round in flight.
 */
export function startHealthPoller(options: HealthPollerOptions): HealthPoller {
  const log = options.logger.child({ component: 'health-poller' });
  let states: DependencyStates = {
    subgraphs: Object.fromEntries(Object.keys(options.subgraphUrls).map((name) => [name, 'unknown'])),
    redis: 'unknown',
  };
  // A PING waits for a connection in progress and fails when it fails (no retries); one that hangs is
  // given up on after the timeout (an unref'd timer: a stopping gateway does not wait for it).
  const redis = new Redis(options.redisUrl, {
    retryStrategy: reconnectDelayMs,
    maxRetriesPerRequest: 0,
  });
  redis.on('error', () => undefined);
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;

  const redisState = async (): Promise<RedisState> => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<RedisState>((resolve) => {
      timer = setTimeout(() => resolve('down'), options.timeoutMs);
      timer.unref();
    });
    const answered = redis.ping().then(
      (reply): RedisState => (reply === 'PONG' ? 'ready' : 'down'),
      (): RedisState => 'down',
    );
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };

  /** Keeps one dependency's new state (as soon as it is known: a hanging subgraph delays no other). */
  const settle = (update: (current: DependencyStates) => DependencyStates) => {
    if (!stopping.signal.aborted) states = update(states);
  };

  const round = () =>
    Promise.all([
      ...Object.entries(options.subgraphUrls).map(async ([name, url]) => {
        const { [name]: state = 'down' } = await checkSubgraphs(
          { [name]: url },
          options.timeoutMs,
          stopping.signal,
        );
        if (states.subgraphs[name] !== state) log.info({ subgraph: name, state }, 'subgraph health changed');
        settle((current) => ({ ...current, subgraphs: { ...current.subgraphs, [name]: state } }));
      }),
      redisState().then((state) => {
        if (states.redis !== state) log.info({ state }, 'Redis health changed');
        settle((current) => ({ ...current, redis: state }));
      }),
    ]).then(() => undefined);

  let inFlight: Promise<void> = Promise.resolve();
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      inFlight = round().finally(() => {
        if (!stopping.signal.aborted) schedule(options.intervalMs);
      });
    }, delayMs);
    timer.unref();
  };
  schedule(0);

  return {
    current: () => states,
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await inFlight.catch(() => undefined);
      redis.disconnect();
    },
  };
}
