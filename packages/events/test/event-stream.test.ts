import { connectRedis, type Redis } from '@ies/redis';
import { testEngines, uniqueName } from '@ies/testkit';
import {
  consumeEventGroup,
  eventStreamKey,
  publishEvents,
  tailEvents,
  type EntryOutcome,
  type EventConsumer,
  type PlatformEvent,
} from '../src';
import { anEvent, Arrivals, counts, silentLogger } from './event-fixtures';

type Outcome = { entryId: string; eventId: string | null; outcome: EntryOutcome };

describe('The platform event stream', () => {
  const prefix = uniqueName('events');
  let redis: Redis;
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    redis = await connectRedis({ url: testEngines().redisUrl });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((reader) => reader.stop()));
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  /** A consumer of `group` whose handled events and entry outcomes a test can await. */
  async function groupConsumer(
    group: string,
    consumer: string,
    options: {
      claimIdleMs?: number;
      leaseMs?: number;
      concurrency?: number;
      handle?: (event: PlatformEvent) => Promise<void>;
      /** Outcomes shared with other consumers. */
      outcomes?: Arrivals<Outcome>;
    } = {},
  ) {
    const handled = new Arrivals<PlatformEvent>();
    const outcomes = options.outcomes ?? new Arrivals<Outcome>();
    const reader: EventConsumer = consumeEventGroup({
      redis,
      prefix,
      group,
      consumer,
      logger: silentLogger,
      claimIdleMs: options.claimIdleMs,
      leaseMs: options.leaseMs,
      concurrency: options.concurrency,
      handle: async (event) => {
        await options.handle?.(event);
        handled.push(event);
      },
      observe: outcomes.push,
    });
    running.push(reader);
    await reader.ready;
    return { handled, outcomes };
  }

  const entryCount = () => redis.xlen(eventStreamKey(prefix));

  describe('when a service publishes events', () => {
    it('appends one entry per event to the one stream, with the event, its id, type and service', async () => {
      const event = anEvent({ type: 'ContractCreated', subject: { typename: 'Contract', id: 'contract-x' } });
      const before = await redis.xrevrange(eventStreamKey(prefix), '+', '-', 'COUNT', 1);
      await publishEvents(redis, prefix, 'contracts', [event]);
      const [entry] = await redis.xrange(eventStreamKey(prefix), before[0] ? `(${before[0][0]}` : '-', '+');
      const fields = Object.fromEntries(
        entry![1].reduce<[string, string][]>((pairs, value, i, all) => {
          if (i % 2 === 0) pairs.push([value, all[i + 1]!]);
          return pairs;
        }, []),
      );
      expect(fields).toMatchObject({ id: event.id, type: 'ContractCreated', service: 'contracts' });
      expect(JSON.parse(fields.event!)).toEqual({
        ...event,
        occurredAt: '2026-11-30T14:00:00.000Z',
      });
    });

    it('reaches a consumer group as a platform event with its time as an ISO string and its service', async () => {
      const { handled } = await groupConsumer('g-shape', 'c1');
      const event = anEvent();
      await publishEvents(redis, prefix, 'disputes', [event]);
      await handled.until((events) => events.some((e) => e.id === event.id));
      expect(handled.items.find((e) => e.id === event.id)).toEqual({
        ...event,
        occurredAt: '2026-11-30T14:00:00.000Z',
        service: 'disputes',
      });
    });
  });

  describe('a consumer group', () => {
    it('handles an event once even when the stream holds it twice', async () => {
      const { handled, outcomes } = await groupConsumer('g-dedupe', 'c1');
      const [a, b] = [anEvent(), anEvent()];
      const last = anEvent({ type: 'DisputeResolved' });
      await publishEvents(redis, prefix, 'disputes', [a, b, a, b, a, last]);
      // One consumer handles entries in stream order: once the last is settled, all are.
      await outcomes.until((seen) => seen.some((o) => o.eventId === last.id));
      expect(handled.items.map((e) => e.id)).toEqual([a.id, b.id, last.id]);
      expect(outcomes.items.map((o) => o.outcome)).toEqual([
        'handled',
        'handled',
        'duplicate',
        'duplicate',
        'duplicate',
        'handled',
      ]);
      const pending = (await redis.xpending(eventStreamKey(prefix), 'g-dedupe')) as [number];
      expect(pending[0]).toBe(0);
    });

    it('split between two consumers, handles each event once between them', async () => {
      const outcomes = new Arrivals<Outcome>();
      const first = await groupConsumer('g-split', 'c1', { claimIdleMs: 200, outcomes });
      const second = await groupConsumer('g-split', 'c2', { claimIdleMs: 200, outcomes });
      const events = Array.from({ length: 60 }, () => anEvent());
      // Each event twice, so the two consumers also meet copies of one event.
      await publishEvents(redis, prefix, 'disputes', [...events, ...events]);
      const all = () => [...first.handled.items, ...second.handled.items].map((e) => e.id);
      // Every entry acknowledged (handled or skipped as a duplicate); `busy` ones come back later.
      await outcomes.until(
        (seen) =>
          new Set(
            seen.filter((o) => o.outcome === 'handled' || o.outcome === 'duplicate').map((o) => o.entryId),
          ).size === 120,
      );
      expect(counts(all())).toEqual(new Map(events.map((e) => [e.id, 1])));
      expect(first.handled.items.length).toBeGreaterThan(0);
      expect(second.handled.items.length).toBeGreaterThan(0);
    });

    it('with a concurrency, handles several entries of a read at once, each event still once', async () => {
      // The first four handlers wait for each other: one at a time, they would wait forever.
      let arrived = 0;
      let allArrived: () => void = () => {};
      const together = new Promise<void>((resolve) => (allArrived = resolve));
      const { handled, outcomes } = await groupConsumer('g-concurrent', 'c1', {
        concurrency: 8,
        claimIdleMs: 200,
        handle: async () => {
          if (++arrived === 4) allArrived();
          if (arrived <= 4) await together;
        },
      });
      const events = Array.from({ length: 40 }, () => anEvent());
      await publishEvents(redis, prefix, 'disputes', [...events, ...events]);
      await outcomes.until(
        (seen) =>
          new Set(
            seen.filter((o) => o.outcome === 'handled' || o.outcome === 'duplicate').map((o) => o.entryId),
          ).size === 80,
      );
      expect(counts(handled.items.map((e) => e.id))).toEqual(new Map(events.map((e) => [e.id, 1])));
    });

    it('starts from the stream’s first entry when asked to (a new group catching up)', async () => {
      const earlier = anEvent();
      await publishEvents(redis, prefix, 'disputes', [earlier]);
      const { handled } = await (async () => {
        const arrivals = new Arrivals<PlatformEvent>();
        const reader = consumeEventGroup({
          redis,
          prefix,
          group: 'g-from-start',
          consumer: 'c1',
          logger: silentLogger,
          fromStart: true,
          handle: async (event) => arrivals.push(event),
        });
        running.push(reader);
        await reader.ready;
        return { handled: arrivals };
      })();
      await handled.until((events) => events.some((e) => e.id === earlier.id));
      expect(handled.items.filter((e) => e.id === earlier.id)).toHaveLength(1);
    });
  });

  describe('two consumer groups', () => {
    it('each get every event', async () => {
      const webhooks = await groupConsumer('g-webhooks', 'c1');
      const audit = await groupConsumer('g-audit', 'c1');
      const events = Array.from({ length: 5 }, () => anEvent());
      await publishEvents(redis, prefix, 'disputes', events);
      const ids = events.map((e) => e.id);
      const hasAll = (handled: PlatformEvent[]) => ids.every((id) => handled.some((e) => e.id === id));
      await Promise.all([webhooks.handled.until(hasAll), audit.handled.until(hasAll)]);
      expect(webhooks.handled.items.map((e) => e.id)).toEqual(ids);
      expect(audit.handled.items.map((e) => e.id)).toEqual(ids);
    });
  });

  describe('when a handler fails', () => {
    it('leaves the event pending, claims it again after the idle time, and handles it once it succeeds', async () => {
      const attempts = new Arrivals<string>();
      const { handled, outcomes } = await groupConsumer('g-retry', 'c1', {
        claimIdleMs: 50,
        handle: async (event) => {
          attempts.push(event.id);
          if (attempts.items.length < 3) throw new Error('partner endpoint answered 503');
        },
      });
      const event = anEvent();
      await publishEvents(redis, prefix, 'disputes', [event]);
      await outcomes.until((seen) => seen.some((o) => o.outcome === 'handled'));
      expect(attempts.items).toEqual([event.id, event.id, event.id]);
      expect(handled.items.map((e) => e.id)).toEqual([event.id]);
      expect(outcomes.items.map((o) => o.outcome)).toEqual(['failed', 'failed', 'handled']);
      const pending = (await redis.xpending(eventStreamKey(prefix), 'g-retry')) as [number];
      expect(pending[0]).toBe(0);
    });

    it('lets another consumer of the group claim what a stopped consumer left pending', async () => {
      const failing = await groupConsumer('g-takeover', 'c1', {
        claimIdleMs: 50,
        handle: async () => {
          throw new Error('worker is shutting down');
        },
      });
      const event = anEvent();
      await publishEvents(redis, prefix, 'disputes', [event]);
      await failing.outcomes.until((seen) => seen.some((o) => o.outcome === 'failed'));
      await running.splice(0).at(-1)!.stop();
      const healthy = await groupConsumer('g-takeover', 'c2', { claimIdleMs: 50 });
      await healthy.handled.until((events) => events.length === 1);
      expect(healthy.handled.items[0]!.id).toBe(event.id);
    });
  });

  describe('when a handler runs longer than the lease', () => {
    it('keeps renewing its lease, so another consumer of the group finds the event busy and does not handle it', async () => {
      let openGate: () => void = () => {};
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      const calls = new Arrivals<string>();
      const outcomes = new Arrivals<Outcome>();
      const handle = async (event: PlatformEvent) => {
        calls.push(event.id);
        await gate;
      };
      // Both consumers claim an entry idle 40 ms; a lease lasts 120 ms unless renewed.
      const slow = await groupConsumer('g-lease', 'c1', { claimIdleMs: 40, leaseMs: 120, handle, outcomes });
      const event = anEvent();
      await publishEvents(redis, prefix, 'disputes', [event]);
      await calls.until((ids) => ids.length === 1);
      const other = await groupConsumer('g-lease', 'c2', { claimIdleMs: 40, leaseMs: 120, handle, outcomes });
      // Each claim waits for the entry to be idle 40 ms: twelve claims span several leases.
      const busy = (seen: Outcome[]) => seen.filter((o) => o.outcome === 'busy').length;
      await Promise.race([outcomes.until((seen) => busy(seen) >= 12), calls.until((ids) => ids.length > 1)]);
      expect(calls.items).toEqual([event.id]);

      openGate();
      await outcomes.until((seen) => seen.some((o) => o.outcome === 'handled'));
      expect(calls.items).toEqual([event.id]);
      expect([...slow.handled.items, ...other.handled.items].map((e) => e.id)).toEqual([event.id]);
    });
  });

  describe('tailing the stream', () => {
    it('fans every event out to every reader, each id once, from the moment each started', async () => {
      const readers = [new Arrivals<PlatformEvent>(), new Arrivals<PlatformEvent>()];
      for (const arrivals of readers) {
        const tail = tailEvents({ redis, prefix, logger: silentLogger, handle: arrivals.push });
        running.push(tail);
        await tail.ready;
      }
      const [a, b, last] = [anEvent(), anEvent(), anEvent({ type: 'DisputeResolved' })];
      await publishEvents(redis, prefix, 'disputes', [a, b, a, last]);
      await Promise.all(readers.map((r) => r.until((events) => events.some((e) => e.id === last.id))));
      for (const arrivals of readers) {
        expect(arrivals.items.map((e) => e.id)).toEqual([a.id, b.id, last.id]);
        expect(arrivals.items[0]).toMatchObject({
          service: 'disputes',
          occurredAt: '2026-11-30T14:00:00.000Z',
        });
      }
      expect(await entryCount()).toBeGreaterThanOrEqual(4);
    });
  });
});
