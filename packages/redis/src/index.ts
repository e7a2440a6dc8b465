import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };
export { FixedWindowLimiter, type RateBucket, type RateDecision } from './fixed-window-limiter';

export interface RedisConnectionOptions {
  url: string;
  /** Prefix for plain keys; BullMQ queues take their own `prefix` option instead. */
  keyPrefix?: string;
  /** BullMQ workers require `null` here; plain clients keep ioredis' default. */
  maxRetriesPerRequest?: number | null;
  /**
   * Called for each failed attempt while connecting (Redis down, refusing, not yet started): the
   * connection keeps retrying with backoff until Redis answers, so a process waits instead of exiting.
   */
  onRetry?: (error: Error, attempt: number) => void;
}

/** Backoff between connection attempts: 100 ms more each time, at most 2 s. */
export const reconnectDelayMs = (attempt: number) => Math.min(attempt * 100, 2_000);

/**
 * Opens a Redis connection and resolves once it answers PING, however long Redis takes to come up
 * (attempts are retried with `reconnectDelayMs`; `onRetry` hears of each failure). Later disconnections
 * are retried the same way by ioredis; the connection's `ready` event marks each reconnection.
 */
export async function connectRedis(options: RedisConnectionOptions): Promise<Redis> {
  const redisOptions: RedisOptions = { lazyConnect: true, retryStrategy: reconnectDelayMs };
  if (options.keyPrefix) redisOptions.keyPrefix = options.keyPrefix;
  if (options.maxRetriesPerRequest !== undefined)
    redisOptions.maxRetriesPerRequest = options.maxRetriesPerRequest;
  const redis = new Redis(options.url, redisOptions);
  let attempt = 0;
  const onError = (error: Error) => {
    attempt += 1;
    options.onRetry?.(error, attempt);
  };
  redis.on('error', onError);
  const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  // A first attempt that fails rejects here; ioredis retries on its own and emits `ready` when it is in.
  redis.connect().catch(() => {});
  await ready;
  redis.off('error', onError);
  // Errors after this (a lost connection) are retried too; whoever owns the client may listen for them.
  redis.on('error', () => {});
  await redis.ping();
  return redis;
}

/**
 * A connection for work that must not wait long for Redis (the gateway's rate limits): returned at once,
 * connecting and reconnecting in the background. A command waits for the connection at most
 * `commandTimeoutMs`, then rejects (and a command queued while Redis is down is dropped at the next failed
 * attempt), so the caller can go on without Redis. `onError` hears of connection failures.
 */
export function openRedisWithoutWaiting(options: {
  url: string;
  commandTimeoutMs: number;
  onError?: (error: Error) => void;
}): Redis {
  const redis = new Redis(options.url, {
    retryStrategy: reconnectDelayMs,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
  });
  redis.on('error', (error: Error) => options.onError?.(error));
  return redis;
}
