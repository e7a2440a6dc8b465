import type { Redis } from '@ies/redis';

/**
 * Per consumer group, one Redis key per event id says whether the group has handled it: absent,
 * leased by the consumer handling it now (`PX leaseMs`), or `done` (kept `dedupeTtlMs`). A consumer
 * handles an event only when it takes the lease, so a duplicate in the stream, a redelivery after a
 * crash, or the same event read by two consumers of the group at once is handled once.
 */
export const handledKey = (prefix: string, group: string, eventId: string) =>
  `${prefix}:events:group:${group}:handled:${eventId}`;

const BEGIN = `
local v = redis.call('GET', KEYS[1])
if v == 'done' then return 'done' end
if v then return 'busy' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'mine'`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export type Claim = 'mine' | 'busy' | 'done';

export function handledMarks(redis: Redis, prefix: string, group: string) {
  return {
    /** Takes the lease on an event unless it is handled (`done`) or leased by another (`busy`). */
    async begin(eventId: string, token: string, leaseMs: number): Promise<Claim> {
      return (await redis.eval(BEGIN, 1, handledKey(prefix, group, eventId), token, leaseMs)) as Claim;
    },
    /** The event is handled: later copies are skipped for `dedupeTtlMs`. */
    async done(eventId: string, dedupeTtlMs: number): Promise<void> {
      await redis.set(handledKey(prefix, group, eventId), 'done', 'PX', dedupeTtlMs);
    },
    /**
     * Extends the lease by `leaseMs` from now, if it is still this token's (a handler running longer
     * than a lease keeps it). False when the lease is no longer this token's.
     */
    async renew(eventId: string, token: string, leaseMs: number): Promise<boolean> {
      return (await redis.eval(RENEW, 1, handledKey(prefix, group, eventId), token, leaseMs)) === 1;
    },
    /** Gives the lease back (the handler failed), if it is still this token's. */
    async release(eventId: string, token: string): Promise<void> {
      await redis.eval(RELEASE, 1, handledKey(prefix, group, eventId), token);
    },
  };
}
