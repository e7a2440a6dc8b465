import type { Connection } from 'mongoose';
import type { Logger } from '@ies/logger';
import { connectRedis, type Redis } from '@ies/redis';
import { startEventRelay, type EventRelay, type UnprojectedRepair } from './event-relay';
import type { ServiceEventsConfig } from './record-publisher';

export interface ServiceEventRelayOptions {
  /** The service's name (the `service` of its events). */
  service: string;
  connection: Connection;
  redisUrl: string;
  /** `QUEUE_PREFIX`. */
  prefix: string;
  logger: Logger;
  pollMs?: number;
  streamMaxLength?: number;
  /** The service's change logs, so the relay rolls forward what their writers left unprojected. */
  repairs?: readonly UnprojectedRepair[];
}

export interface ServiceEventRelay extends EventRelay {
  /** Resolves when the relay's Redis answers a PING within `timeoutMs` (a worker's readiness). */
  checkRedis(timeoutMs?: number): Promise<void>;
}

/**
 * The relay as a service worker runs it, on a Redis connection of its own: it starts once Redis
 * answers (a worker started while Redis is down waits, like its queues), and `stop` ends the relay and
 * closes the connection.
 */
export function startServiceEventRelay(options: ServiceEventRelayOptions): ServiceEventRelay {
  const logger = options.logger.child({ module: 'events-relay' });
  let stopped = false;
  let running: { relay: EventRelay; redis: Redis } | null = null;
  connectRedis({
    url: options.redisUrl,
    onRetry: (error, attempt) => {
      if (attempt === 1) logger.warn({ err: error }, 'waiting for Redis before relaying events');
    },
  }).then(
    (redis) => {
      if (stopped) return void redis.disconnect();
      const relay = startEventRelay({
        service: options.service,
        connection: options.connection,
        redis,
        prefix: options.prefix,
        logger: options.logger,
        pollMs: options.pollMs,
        streamMaxLength: options.streamMaxLength,
        repairs: options.repairs,
      });
      running = { relay, redis };
      logger.info({ pollMs: options.pollMs, prefix: options.prefix }, 'relaying domain events');
    },
    (error: unknown) => logger.error({ err: error }, 'the events relay could not start'),
  );
  return {
    async checkRedis(timeoutMs = 1_000) {
      if (!running) throw new Error('waiting for Redis');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        running.redis.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('Redis did not answer PING')), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
    },
    async stop() {
      stopped = true;
      if (!running) return; // still waiting for Redis: the connection closes once it answers
      await running.relay.stop();
      const { redis } = running;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** `startServiceEventRelay` for a service's worker, from its loaded configuration. */
export function startConfiguredEventRelay(
  connection: Connection,
  service: string,
  config: ServiceEventsConfig,
  logger: Logger,
  repairs: readonly UnprojectedRepair[] = [],
): ServiceEventRelay {
  return startServiceEventRelay({
    service,
    connection,
    redisUrl: config.jobs.REDIS_URL,
    prefix: config.jobs.QUEUE_PREFIX,
    logger,
    pollMs: config.events.EVENTS_RELAY_POLL_MS,
    streamMaxLength: config.events.EVENTS_STREAM_MAX_LENGTH,
    repairs,
  });
}
