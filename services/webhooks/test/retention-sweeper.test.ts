import { ConfigError } from '@ies/config';
import { loadWebhooksConfig } from '../src/config';
import { minimumRetentionDays, sweepExpired } from '../src/delivery/retention-sweeper';
import { DEFAULT_RETRY_SCHEDULE_MS } from '../src/delivery/retry-schedule';
import { newDeliveryId, type DeliveryState } from '../src/delivery/webhook-delivery.model';
import { platformEvent, startWebhooks, type WebhooksHarness } from './webhooks-harness';

const DAY = 86_400_000;

describe('Retention of the delivery log and the stored events', () => {
  let h: WebhooksHarness;
  beforeAll(async () => {
    h = await startWebhooks('webhook_retention', { worker: false });
  });
  afterAll(async () => {
    await h.stop();
  });

  const deps = () => ({ deliveries: h.models.deliveries, events: h.models.events });
  const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
  const storedEvent = async (at: Date) => {
    const event = platformEvent({ occurredAt: at.toISOString() });
    await h.models.events.create({
      _id: event.id,
      type: event.type,
      catchmentId: event.catchmentId,
      occurredAt: at,
      service: event.service,
      body: JSON.stringify(event),
      receivedAt: at,
    });
    return event.id;
  };
  const delivery = async (eventId: string, at: Date, state: DeliveryState) => {
    const _id = newDeliveryId(at);
    await h.models.deliveries.create({
      _id,
      jobId: `endpoint-retention:${eventId}:${_id}`,
      endpointId: 'endpoint-retention',
      eventId,
      eventType: 'ContractCreated',
      replayOf: null,
      state,
      attempts: [],
      createdAt: at,
      finishedAt: state === 'PENDING' ? null : at,
    });
    return _id;
  };
  const exists = async (ids: { deliveries: string[]; events: string[] }) => ({
    deliveries: (await h.models.deliveries.find({ _id: { $in: ids.deliveries } }, { _id: 1 }).lean()).length,
    events: (await h.models.events.find({ _id: { $in: ids.events } }, { _id: 1 }).lean()).length,
  });

  it('deletes finished deliveries and events past the retention, keeping what a pending delivery needs', async () => {
    const oldEvent = await storedEvent(daysAgo(40));
    const replayedEvent = await storedEvent(daysAgo(40));
    const recentEvent = await storedEvent(daysAgo(1));
    const oldSucceeded = await delivery(oldEvent, daysAgo(40), 'SUCCEEDED');
    const oldFailed = await delivery(oldEvent, daysAgo(35), 'FAILED');
    // A replay of an old event, still being retried: its row and its event stay.
    const replay = await delivery(replayedEvent, daysAgo(40), 'PENDING');
    const recent = await delivery(recentEvent, daysAgo(1), 'SUCCEEDED');

    // Two sweepers at once (two worker replicas): each row goes once, nothing else goes.
    const sweeps = await Promise.all([
      sweepExpired(deps(), { retentionMs: 30 * DAY }),
      sweepExpired(deps(), { retentionMs: 30 * DAY }),
    ]);
    expect(sweeps.reduce((sum, s) => sum + s.deliveries, 0)).toBeLessThanOrEqual(2);
    expect(await exists({ deliveries: [oldSucceeded, oldFailed], events: [oldEvent] })).toEqual({
      deliveries: 0,
      events: 0,
    });
    expect(await exists({ deliveries: [replay, recent], events: [replayedEvent, recentEvent] })).toEqual({
      deliveries: 2,
      events: 2,
    });
    expect(await sweepExpired(deps(), { retentionMs: 30 * DAY })).toEqual({ deliveries: 0, events: 0 });
  });

  it('pages through old events, past those pending deliveries need', async () => {
    // Pages of one event: the needed ones come first and are stepped over, not read again forever.
    const needed = [await storedEvent(daysAgo(50)), await storedEvent(daysAgo(49))];
    for (const event of needed) await delivery(event, daysAgo(1), 'PENDING');
    const unneeded = [await storedEvent(daysAgo(48)), await storedEvent(daysAgo(47))];
    expect(await sweepExpired(deps(), { retentionMs: 30 * DAY, page: 1 })).toMatchObject({ events: 2 });
    expect(await exists({ deliveries: [], events: needed })).toMatchObject({ events: 2 });
    expect(await exists({ deliveries: [], events: unneeded })).toMatchObject({ events: 0 });
  });

  it('keeps everything younger than the retention', async () => {
    const event = await storedEvent(daysAgo(29));
    const row = await delivery(event, daysAgo(29), 'CANCELLED');
    await sweepExpired(deps(), { retentionMs: 30 * DAY });
    expect(await exists({ deliveries: [row], events: [event] })).toEqual({ deliveries: 1, events: 1 });
  });

  it('refuses a retention shorter than the retry schedule and a day (WEBHOOKS_RETENTION_DAYS)', () => {
    const env = {
      MONGODB_URI: 'mongodb://127.0.0.1:27017',
      INTERNAL_SIGNING_SECRET: 'x'.repeat(32),
    };
    expect(minimumRetentionDays(DEFAULT_RETRY_SCHEDULE_MS)).toBe(4);
    expect(loadWebhooksConfig(env).webhooks.WEBHOOKS_RETENTION_DAYS).toBe(30);
    expect(() => loadWebhooksConfig({ ...env, WEBHOOKS_RETENTION_DAYS: '3' })).toThrow(ConfigError);
    expect(() => loadWebhooksConfig({ ...env, WEBHOOKS_RETENTION_DAYS: '3' })).toThrow(
      /WEBHOOKS_RETENTION_DAYS: must be at least 4/,
    );
    // A schedule of a minute allows two days (its span and a day, in whole days), not one.
    const short = { ...env, WEBHOOKS_RETRY_SCHEDULE_MS: '5000,60000' };
    expect(
      loadWebhooksConfig({ ...short, WEBHOOKS_RETENTION_DAYS: '2' }).webhooks.WEBHOOKS_RETENTION_DAYS,
    ).toBe(2);
    expect(() => loadWebhooksConfig({ ...short, WEBHOOKS_RETENTION_DAYS: '1' })).toThrow(/at least 2/);
  });
});
