import { testEngines, uniqueName } from '@ies/testkit';
import { FixedWindowLimiter, connectRedis, type Redis } from '../src';

describe('Fixed-window rate limiter on Redis', () => {
  const { redisUrl } = testEngines();
  const prefix = `${uniqueName('rate_limiter')}:`;
  const HOUR_MS = 3_600_000;
  let redis: Redis;
  let other: Redis;

  beforeAll(async () => {
    redis = await connectRedis({ url: redisUrl });
    other = await connectRedis({ url: redisUrl });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    other.disconnect();
  });

  describe('when 50 callers arrive at once with a limit of 20, through two connections', () => {
    it('lets exactly 20 through and tells the other 30 when the window ends', async () => {
      const bucket = { key: `${prefix}burst`, limit: 20 };
      const limiters = [new FixedWindowLimiter(redis, HOUR_MS), new FixedWindowLimiter(other, HOUR_MS)];
      const decisions = await Promise.all(
        Array.from({ length: 50 }, (_, i) => limiters[i % 2]!.spend([bucket])),
      );
      const refused = decisions.filter((d) => !d.allowed);
      expect(decisions.length - refused.length).toBe(20);
      expect(refused).toHaveLength(30);
      for (const decision of refused) {
        expect(decision.retryAfterMs).toBeGreaterThan(0);
        expect(decision.retryAfterMs).toBeLessThanOrEqual(HOUR_MS);
      }
      expect(await redis.get(bucket.key)).toBe('20');
    });
  });

  describe('when one of two buckets is exhausted', () => {
    it('refuses and spends nothing from the other', async () => {
      const principal = { key: `${prefix}principal`, limit: 1 };
      const ip = { key: `${prefix}ip`, limit: 10 };
      const limiter = new FixedWindowLimiter(redis, HOUR_MS);
      expect(await limiter.spend([principal, ip])).toEqual({ allowed: true });
      expect(await limiter.spend([principal, ip])).toEqual({
        allowed: false,
        retryAfterMs: expect.any(Number),
      });
      expect(await redis.get(ip.key)).toBe('1');
    });
  });

  describe('when a window ends', () => {
    it('starts counting again', async () => {
      const bucket = { key: `${prefix}short`, limit: 1 };
      const limiter = new FixedWindowLimiter(redis, HOUR_MS);
      expect(await limiter.spend([bucket])).toEqual({ allowed: true });
      expect((await limiter.spend([bucket])).allowed).toBe(false);
      // The window's end, as Redis sees it: the counter's expiry.
      await redis.del(bucket.key);
      expect(await limiter.spend([bucket])).toEqual({ allowed: true });
    });

    it('gives every new window its full length', async () => {
      const bucket = { key: `${prefix}ttl`, limit: 5 };
      await new FixedWindowLimiter(redis, 60_000).spend([bucket]);
      const ttl = await redis.pttl(bucket.key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });
  });
});
