import type { Logger } from '@ies/logger';
import type { Redis } from '@ies/redis';
import { failureDelayMs, pauser } from './pause';
import { eventStreamKey, parseStreamEntry, type PlatformEvent, type StreamEntry } from './platform-event';

export interface TailEventsOptions {
  redis: Redis;
  prefix: string;
  logger: Logger;
  /** `$` (default): events published from now on; or a stream entry id to read after. */
  from?: '$' | string;
  handle(event: PlatformEvent): void;
  /** Entries read at a time; default 100. */
  batchSize?: number;
  /** Event ids remembered to drop duplicates; default 10,000. */
  recentIds?: number;
}

export interface EventTail {
  /** Resolves once the reader knows where it starts (events published after this reach it). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * A fan-out reader of the platform's stream (`XREAD BLOCK`): every reader sees every event, for
 * per-instance consumers such as the gateway's subscriptions. The stream may hold an event twice
 * (at-least-once relays); a reader drops an id it has seen recently. A throwing `handle` is logged
 * and the reader goes on.
 */
export function tailEvents(options: TailEventsOptions): EventTail {
  const { redis, handle } = options;
  const key = eventStreamKey(options.prefix);
  const batchSize = options.batchSize ?? 100;
  const remember = options.recentIds ?? 10_000;
  const logger = options.logger.child({ module: 'events', reader: 'tail' });
  const blocking = redis.duplicate();
  blocking.on('error', () => {});
  const pause = pauser();
  const seen = new Set<string>();
  let stopped = false;
  let lastId = '0-0';

  // `$` is resolved to the stream's last entry once, so no event is missed between two reads.
  const resolveStart = async () => {
    if (options.from && options.from !== '$') {
      lastId = options.from;
      return;
    }
    const [last] = (await redis.xrevrange(key, '+', '-', 'COUNT', 1)) as StreamEntry[];
    if (last) lastId = last[0];
  };
  let started = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const deliver = (entry: StreamEntry) => {
    lastId = entry[0];
    const event = parseStreamEntry(entry);
    if (!event || seen.has(event.id)) return;
    seen.add(event.id);
    if (seen.size > remember) seen.delete(seen.values().next().value!);
    try {
      handle(event);
    } catch (error) {
      logger.warn({ err: error, eventId: event.id, type: event.type }, 'event reader failed on an event');
    }
  };

  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      try {
        if (!started) {
          // Retried until Redis answers: a reader never starts from the beginning by mistake.
          await resolveStart();
          started = true;
          markReady();
        }
        const read = (await blocking.xread('COUNT', batchSize, 'BLOCK', 2_000, 'STREAMS', key, lastId)) as
          [string, StreamEntry[]][] | null;
        for (const [, entries] of read ?? []) for (const entry of entries) deliver(entry);
        failures = 0;
      } catch (error) {
        if (stopped) break;
        failures += 1;
        logger.warn({ err: error, failures }, 'reading the event stream failed; retrying');
        await pause.wait(failureDelayMs(failures));
      }
    }
  })();

  return {
    ready,
    async stop() {
      stopped = true;
      pause.wake();
      blocking.disconnect();
      await loop;
      markReady();
    },
  };
}
