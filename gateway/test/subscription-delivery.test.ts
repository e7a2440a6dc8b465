import { EventHub } from '../src/subscriptions/event-hub';
import { deliveryStream } from '../src/subscriptions/delivery-stream';
import type { PlatformEvent } from '../src/subscriptions/platform-event';

const event = (id: string, catchmentId = 'durham'): PlatformEvent => ({
  id,
  type: 'AgreementAmended',
  occurredAt: '2025-06-01T12:00:00.000Z',
  catchmentId,
  subject: { typename: 'ProviderAgreement', id: `agr-${id}` },
  data: {},
  version: 1,
  service: 'contracts',
});

describe('Delivering events to a subscription', () => {
  describe('when events arrive faster than they are taken', () => {
    it('delivers the accepted ones in stream order, each resolved, skipping those that resolve to null', async () => {
      const hub = new EventHub();
      const stream = deliveryStream(
        hub.queue((e) => e.catchmentId === 'durham', 10),
        async (e) => (e.id === 'hidden' ? null : e.id),
        () => 'overflowed',
      );
      for (const e of [event('1'), event('x', 'york'), event('hidden'), event('2')]) hub.publish(e);
      expect(await stream.next()).toEqual({ done: false, value: '1' });
      expect(await stream.next()).toEqual({ done: false, value: '2' });
    });
  });

  describe('when events wait behind the one being read', () => {
    it('reads several at once and still delivers them in stream order', async () => {
      const hub = new EventHub();
      let reading = 0;
      let mostAtOnce = 0;
      const release: (() => void)[] = [];
      const waiters: { count: number; done(): void }[] = [];
      /** Resolves once `count` reads have started. */
      const started = (count: number) =>
        new Promise<void>((done) => {
          if (release.length >= count) done();
          else waiters.push({ count, done });
        });
      const stream = deliveryStream(
        hub.queue(() => true, 10),
        async (e) => {
          reading++;
          mostAtOnce = Math.max(mostAtOnce, reading);
          const finished = new Promise<void>((done) => release.push(done));
          for (const waiter of waiters.filter((w) => release.length >= w.count)) waiter.done();
          await finished;
          reading--;
          return e.id;
        },
        () => 'overflowed',
        3,
        1,
      );
      for (const id of ['1', '2', '3', '4', '5']) hub.publish(event(id));
      const first = stream.next();
      // Three reads started at once (the window); the later ones finish first.
      await started(3);
      expect(release).toHaveLength(3);
      release[2]!();
      release[1]!();
      release[0]!();
      expect(await first).toEqual({ done: false, value: '1' });
      // Taking the next refills the window: '2' and '3' are read, so '4' starts, and then '5'.
      expect(await stream.next()).toEqual({ done: false, value: '2' });
      await started(4);
      expect(release).toHaveLength(4);
      release[3]!();
      expect(await stream.next()).toEqual({ done: false, value: '3' });
      await started(5);
      release[4]!();
      expect(await stream.next()).toEqual({ done: false, value: '4' });
      expect(await stream.next()).toEqual({ done: false, value: '5' });
      expect(mostAtOnce).toBe(3);
    });

    it('starts waiting reads a group at a time, so each group is read as one query', async () => {
      const hub = new EventHub();
      const started: string[] = [];
      const release = new Map<string, () => void>();
      const stream = deliveryStream(
        hub.queue(() => true, 10),
        async (e) => {
          started.push(e.id);
          await new Promise<void>((done) => release.set(e.id, done));
          return e.id;
        },
        () => 'overflowed',
        4,
        2,
      );
      for (const id of ['1', '2', '3', '4', '5', '6', '7']) hub.publish(event(id));
      const first = stream.next();
      await new Promise((resolve) => setImmediate(resolve));
      expect(started).toEqual(['1', '2', '3', '4']);
      release.get('1')!();
      expect(await first).toEqual({ done: false, value: '1' });
      // One place free: less than a group, so nothing starts yet.
      const second = stream.next();
      await new Promise((resolve) => setImmediate(resolve));
      expect(started).toEqual(['1', '2', '3', '4']);
      release.get('2')!();
      expect(await second).toEqual({ done: false, value: '2' });
      // Two places free: the next two start together.
      const third = stream.next();
      await new Promise((resolve) => setImmediate(resolve));
      expect(started).toEqual(['1', '2', '3', '4', '5', '6']);
      for (const id of ['3', '4', '5', '6']) release.get(id)!();
      expect(await third).toEqual({ done: false, value: '3' });
      expect(await stream.next()).toEqual({ done: false, value: '4' });
      const fifth = stream.next();
      await new Promise((resolve) => setImmediate(resolve));
      expect(started).toEqual(['1', '2', '3', '4', '5', '6', '7']);
      release.get('7')!();
      expect(await fifth).toEqual({ done: false, value: '5' });
      expect(await stream.next()).toEqual({ done: false, value: '6' });
      expect(await stream.next()).toEqual({ done: false, value: '7' });
    });

    it('passes a failed read on in its place', async () => {
      const hub = new EventHub();
      const stream = deliveryStream(
        hub.queue(() => true, 10),
        async (e) => {
          if (e.id === '2') throw new Error('read failed');
          return e.id;
        },
        () => 'overflowed',
      );
      for (const id of ['1', '2', '3']) hub.publish(event(id));
      expect(await stream.next()).toEqual({ done: false, value: '1' });
      await expect(stream.next()).rejects.toThrow('read failed');
    });
  });

  describe('when a subscriber falls more than its limit behind', () => {
    it('ends it with one overflow message and stops holding its events', async () => {
      const hub = new EventHub();
      const stream = deliveryStream(
        hub.queue(() => true, 2),
        async (e) => e.id,
        () => 'overflowed',
      );
      for (const id of ['1', '2', '3', '4']) hub.publish(event(id));
      expect(hub.size).toBe(0);
      expect(await stream.next()).toEqual({ done: false, value: 'overflowed' });
      expect(await stream.next()).toEqual({ done: true, value: undefined });
    });
  });

  describe('when the subscriber completes while waiting for an event', () => {
    it('ends the waiting read at once and leaves the hub', async () => {
      const hub = new EventHub();
      const stream = deliveryStream(
        hub.queue(() => true, 10),
        async (e) => e.id,
        () => 'overflowed',
      );
      const waiting = stream.next();
      expect(hub.size).toBe(1);
      await stream.return!();
      expect(await waiting).toEqual({ done: true, value: undefined });
      expect(hub.size).toBe(0);
    });
  });

  describe('when the gateway shuts down', () => {
    it('ends every subscription', async () => {
      const hub = new EventHub();
      const streams = [1, 2].map(() =>
        deliveryStream(
          hub.queue(() => true, 10),
          async (e) => e.id,
          () => 'overflowed',
        ),
      );
      const reads = streams.map((s) => s.next());
      hub.close();
      expect(await Promise.all(reads)).toEqual([
        { done: true, value: undefined },
        { done: true, value: undefined },
      ]);
    });
  });
});
