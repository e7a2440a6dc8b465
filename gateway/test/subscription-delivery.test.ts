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
