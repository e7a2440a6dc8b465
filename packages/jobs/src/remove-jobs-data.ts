import { Queue } from 'bullmq';
import { connectRedis, type Redis } from '@ies/redis';

const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** Every key under a prefix, by SCAN (never KEYS). */
export async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}:*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/**
 * For tests: obliterates every queue under `prefix` (jobs, schedulers, events) and deletes whatever
 * key is left under it, so a test file leaves nothing behind in Redis.
 */
export async function removeJobsData(options: { redisUrl: string; prefix: string }): Promise<void> {
  const redis = await connectRedis({ url: options.redisUrl, maxRetriesPerRequest: null });
  try {
    const metaKeys = (await scanKeys(redis, options.prefix)).filter((k) => k.endsWith(':meta'));
    const names = metaKeys.map((k) => k.slice(options.prefix.length + 1, -':meta'.length));
    for (const name of names) {
      const queue = new Queue(name, { connection: redis, prefix: options.prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    const left = await scanKeys(redis, options.prefix);
    if (left.length > 0) await redis.del(...left);
  } finally {
    await redis.quit();
  }
}
