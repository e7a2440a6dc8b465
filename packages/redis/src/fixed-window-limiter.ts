import type { Redis } from 'ioredis';

/** One counter a request spends from: `key` (already prefixed) allows `limit` requests per window. */
export interface RateBucket {
  key: string;
  limit: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Checks every bucket, then spends one request from each, in one step on the Redis server: a request
 * over any bucket's limit is refused and spends nothing (a caller refused for its principal does not
 * use up its IP's share). A window starts with the first request of a key and lasts `windowMs`; the
 * refusal says when the longest of the exhausted windows ends.
 */
const SPEND_SCRIPT = `
local window = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, window)
      ttl = window
    end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, window) end
end
return 0
`;

/**
 * A fixed-window rate limiter whose counters live in Redis, so every process sharing the Redis (gateway
 * replicas) shares the limits. The script runs atomically: of simultaneous requests exactly `limit` pass.
 * Redis Cluster: the buckets of one call must hash to one slot (a `{tag}` in their keys).
 */
export class FixedWindowLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly windowMs: number,
  ) {}

  /** Spends one request from every bucket, or none when one of them is exhausted. Rejects when Redis does. */
  async spend(buckets: readonly RateBucket[]): Promise<RateDecision> {
    if (buckets.length === 0) return { allowed: true };
    const wait = (await this.redis.eval(
      SPEND_SCRIPT,
      buckets.length,
      ...buckets.map((b) => b.key),
      this.windowMs,
      ...buckets.map((b) => b.limit),
    )) as number;
    return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
  }
}
