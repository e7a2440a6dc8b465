import type { Logger } from '@ies/logger';
import { openRedisWithoutWaiting } from '@ies/redis';
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
 * Polls every subgraph's `/health/ready` and Redis in the background, one round at a time, and keeps
 * the last answers, so that health endpoints answer from memory at once: a probe never waits on a
 * subgraph (a hanging one would make the gateway's own readiness time out), and probes, however many,
 * cost the subgraphs nothing. The timer is unref'd, and `stop` ends the round in flight.
 */
export function startHealthPoller(options: HealthPollerOptions): HealthPoller {
  const log = options.logger.child({ component: 'health-poller' });
  let states: DependencyStates = {
    subgraphs: Object.fromEntries(Object.keys(options.subgraphUrls).map((name) => [name, 'unknown'])),
    redis: 'unknown',
  };
  const redis = openRedisWithoutWaiting({ url: options.redisUrl, commandTimeoutMs: options.timeoutMs });
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;

  const redisState = async (): Promise<RedisState> => {
    try {
      return (await redis.ping()) === 'PONG' ? 'ready' : 'down';
    } catch {
      return 'down';
    }
  };

  const round = async () => {
    const [subgraphs, redisNow] = await Promise.all([
      checkSubgraphs(options.subgraphUrls, options.timeoutMs, stopping.signal),
      redisState(),
    ]);
    if (stopping.signal.aborted) return;
    for (const [name, state] of Object.entries(subgraphs)) {
      if (states.subgraphs[name] !== state) log.info({ subgraph: name, state }, 'subgraph health changed');
    }
    if (states.redis !== redisNow) log.info({ state: redisNow }, 'Redis health changed');
    states = { subgraphs, redis: redisNow };
  };

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
