import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

export interface RedisConnectionOptions {
  url: string;
  /** Prefix for plain keys; BullMQ queues take their own `prefix` option instead. */
  keyPrefix?: string;
  /** BullMQ workers require `null` here; plain clients keep ioredis' default. */
  maxRetriesPerRequest?: number | null;
}

/** Opens a Redis connection and waits until it answers PING. */
export async function connectRedis(options: RedisConnectionOptions): Promise<Redis> {
  const redisOptions: RedisOptions = { lazyConnect: true };
  if (options.keyPrefix) redisOptions.keyPrefix = options.keyPrefix;
  if (options.maxRetriesPerRequest !== undefined)
    redisOptions.maxRetriesPerRequest = options.maxRetriesPerRequest;
  const redis = new Redis(options.url, redisOptions);
  await redis.connect();
  await redis.ping();
  return redis;
}
