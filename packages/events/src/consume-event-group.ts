import { randomUUID } from 'node:crypto';
import type { Logger } from '@ies/logger';
import type { Redis } from '@ies/redis';
import { handledMarks } from './handled-marks';
import { failureDelayMs, pauser } from './pause';
import { eventStreamKey, parseStreamEntry, type PlatformEvent, type StreamEntry } from './platform-event';

export interface ConsumeEventGroupOptions {
  redis: Redis;
  prefix: string;
  /** The consumer group: every group gets every event; within a group each event is handled once. */
  group: string;
  /** This consumer's name within the group (e.g. `${hostname}-${pid}`); unique per running process. */
  consumer: string;
  logger: Logger;
  handle(event: PlatformEvent): Promise<void>;
  /** A new group starts at the stream's first entry instead of its end. Ignored if the group exists. */
  fromStart?: boolean;
  /** A pending entry idle this long (a failed handler, a crashed consumer) is claimed again; default 30 s. */
  claimIdleMs?: number;
  /** Entries read or claimed at a time; default 100. */
  batchSize?: number;
  /**
   * Entries of one read handled at once; default 1 (one at a time, in stream order). A consumer whose
   * handling does not depend on order (webhook intake) raises it to keep up with bursts.
   */
  concurrency?: number;
  /**
   * How long an event's lease lasts; default 60 s. It is renewed every `leaseMs / 3` while the handler
   * runs, so it only lapses when the consumer stops renewing it (a crash): then another may take it.
   */
  leaseMs?: number;
  /** How long a handled event id is remembered (duplicates later than this are handled again); default 24 h. */
  dedupeTtlMs?: number;
  /** Hears what became of each entry read (for metrics and tests). */
  observe?: (entry: { entryId: string; eventId: string | null; outcome: EntryOutcome }) => void;
}

/**
 * What a consumer did with an entry: `handled` (and acknowledged), `duplicate` (the group had handled
 * its event: acknowledged unhandled), `busy` (another consumer of the group holds it: left pending),
 * `failed` (the handler threw: left pending), `malformed` (not an event: acknowledged).
 */
export type EntryOutcome = 'handled' | 'duplicate' | 'busy' | 'failed' | 'malformed';

export interface EventConsumer {
  /** Resolves once the group exists (events published after this reach it). */
  ready: Promise<void>;
  /** Stops reading; resolves once the event in hand (if any) is handled. */
  stop(): Promise<void>;
}

export const DEFAULT_CLAIM_IDLE_MS = 30_000;
export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_DEDUPE_TTL_MS = 24 * 3_600_000;

/**
 * A consumer of a group on the platform's stream (`XREADGROUP`). Each event is handled once per
 * group: its id is marked in Redis (see `handledMarks`) so a duplicate entry or a redelivery is
 * skipped, and the entry is acknowledged once `handle` resolves. A failing `handle` leaves the entry
 * pending; it is claimed again (`XAUTOCLAIM`) by any consumer of the group after `claimIdleMs`.
 * Entries are handled one at a time, in stream order, apart from those retried, unless `concurrency`
 * lets several of one read be handled at once.
 */
export function consumeEventGroup(options: ConsumeEventGroupOptions): EventConsumer {
  const { redis, prefix, group, consumer, handle } = options;
  const key = eventStreamKey(prefix);
  const claimIdleMs = options.claimIdleMs ?? DEFAULT_CLAIM_IDLE_MS;
  const batchSize = options.batchSize ?? 100;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const renewEveryMs = Math.max(1, Math.floor(leaseMs / 3));
  const dedupeTtlMs = options.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
  const blockMs = Math.max(10, Math.min(claimIdleMs, 2_000));
  const logger = options.logger.child({ module: 'events', group, consumer });
  const marks = handledMarks(redis, prefix, group);
  // A blocking read holds its connection: it gets one of its own.
  const blocking = redis.duplicate();
  blocking.on('error', () => {});
  const pause = pauser();
  let stopped = false;
  let claimCursor = '0-0';

  const ensureGroup = async () => {
    try {
      await redis.xgroup('CREATE', key, group, options.fromStart ? '0' : '$', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
  };

  const process = async (entry: StreamEntry) => {
    const [entryId] = entry;
    const event = parseStreamEntry(entry);
    if (!event) {
      logger.warn({ entryId }, 'skipping a stream entry that is not an event');
      await redis.xack(key, group, entryId);
      options.observe?.({ entryId, eventId: null, outcome: 'malformed' });
      return;
    }
    const settled = (outcome: EntryOutcome) => options.observe?.({ entryId, eventId: event.id, outcome });
    const token = `${consumer}:${randomUUID()}`;
    const claim = await marks.begin(event.id, token, leaseMs);
    // Another consumer has it in hand: the entry stays pending, is claimed again later, then `done`.
    if (claim === 'busy') return settled('busy');
    if (claim === 'mine') {
      // The lease is renewed while the handler runs, however long it takes: no other consumer of the
      // group takes the event from a live handler (only from a crashed one, once the lease expires).
      const renewal = setInterval(() => {
        marks.renew(event.id, token, leaseMs).catch((error: unknown) => {
          logger.warn({ err: error, eventId: event.id }, 'renewing an event lease failed');
        });
      }, renewEveryMs);
      try {
        await handle(event);
      } catch (error) {
        logger.warn(
          { err: error, eventId: event.id, type: event.type, entryId },
          'event handler failed; the event stays pending and is retried',
        );
        await marks.release(event.id, token);
        return settled('failed');
      } finally {
        clearInterval(renewal);
      }
      await marks.done(event.id, dedupeTtlMs);
    }
    await redis.xack(key, group, entryId);
    settled(claim === 'mine' ? 'handled' : 'duplicate');
  };

  const claimStale = async () => {
    const [next, entries] = (await redis.xautoclaim(
      key,
      group,
      consumer,
      claimIdleMs,
      claimCursor,
      'COUNT',
      batchSize,
    )) as [string, (StreamEntry | null)[], string[]?];
    claimCursor = next;
    await processAll(entries.filter((entry): entry is StreamEntry => entry !== null));
  };

  /** Handles entries `concurrency` at a time, taking the next as one finishes; stops taking once stopped. */
  const processAll = async (entries: StreamEntry[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, entries.length) }, async () => {
        while (next < entries.length && !stopped) await process(entries[next++]!);
      }),
    );
  };

  const readNew = async () => {
    const read = (await blocking.xreadgroup(
      'GROUP',
      group,
      consumer,
      'COUNT',
      batchSize,
      'BLOCK',
      blockMs,
      'STREAMS',
      key,
      '>',
    )) as [string, StreamEntry[]][] | null;
    for (const [, entries] of read ?? []) await processAll(entries);
  };

  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let grouped = false;
  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      try {
        if (!grouped) {
          // Retried until Redis answers.
          await ensureGroup();
          grouped = true;
          markReady();
        }
        await claimStale();
        if (!stopped) await readNew();
        failures = 0;
      } catch (error) {
        if (stopped) break;
        failures += 1;
        // Redis restarted without the stream or the group: create it again (from the start: nothing
        // published since can be older than this consumer).
        if (String((error as Error).message).includes('NOGROUP')) {
          await redis.xgroup('CREATE', key, group, '0', 'MKSTREAM').catch(() => {});
        }
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
