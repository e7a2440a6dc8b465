import { startEventRelay, type EventRelay } from '@ies/events';
import type { EventConsumer } from '@ies/events';
import { createLogger } from '@ies/logger';
import { connectRedis, type Redis } from '@ies/redis';
import { startCatchments } from '../../catchments/test/catchments-harness';
import { consumeIntoWebhooks } from '../src/events/webhook-consumer';
import { endpointApi, startWebhooks, type WebhooksHarness } from './webhooks-harness';
import { startReceiver, type Receiver } from './webhook-receiver';

/**
 * From a real change through an API to a partner's receiver: the catchments subgraph changes a
 * catchment (its change-log record holds the event), the relay publishes it on the platform's
 * stream, the webhooks group takes it in, and the delivery worker sends it, signed.
 */
describe('Webhook deliveries of platform events', () => {
  let h: WebhooksHarness;
  let catchments: Awaited<ReturnType<typeof startCatchments>>;
  let redis: Redis;
  let relays: EventRelay[];
  let consumer: EventConsumer;
  const receivers: Receiver[] = [];
  const receiver = async () => {
    const started = await startReceiver([200]);
    receivers.push(started);
    return started;
  };

  beforeAll(async () => {
    h = await startWebhooks('webhook_events');
    catchments = await startCatchments('webhook_events_catchments');
    redis = await connectRedis({ url: h.redisUrl });
    const logger = createLogger('events', 'silent');
    relays = [
      startEventRelay({
        service: 'catchments',
        connection: catchments.connection,
        redis,
        prefix: h.prefix,
        logger,
        pollMs: 50,
      }),
      startEventRelay({
        service: 'webhooks',
        connection: h.connection,
        redis,
        prefix: h.prefix,
        logger,
        pollMs: 50,
      }),
    ];
    consumer = consumeIntoWebhooks({
      redis,
      prefix: h.prefix,
      consumer: 'test-worker',
      intake: h.intake,
      logger,
    });
    await consumer.ready;
  });
  afterAll(async () => {
    await consumer.stop();
    await Promise.all(relays.map((relay) => relay.stop()));
    await Promise.all(receivers.map((r) => r.stop()));
    await redis.quit();
    await catchments.stop();
    await h.stop();
  });

  it("delivers a catchment's SSM assignment to the partner endpoints of that catchment only, signed", async () => {
    const [northeast, peel] = [await receiver(), await receiver()];
    const acme = endpointApi(h.partner('acme'));
    const watching = (
      await acme.register({
        url: northeast.url,
        eventTypes: ['CatchmentServiceSystemManagerAssigned'],
        catchmentIds: ['northeast'],
      })
    ).data;
    const elsewhere = (
      await acme.register({
        url: peel.url,
        eventTypes: ['CatchmentServiceSystemManagerAssigned'],
        catchmentIds: ['peel'],
      })
    ).data;

    const assigned = await catchments
      .as(catchments.ministry)
      .query(
        `mutation { assignServiceSystemManager(input: { catchmentId: "northeast", serviceSystemManagerId: "serco-canada", reason: "Phase 3 award" }) { ok error { code message } } }`,
      );
    expect(assigned.body.data!.assignServiceSystemManager).toEqual({ ok: true, error: null });

    const [request] = await northeast.requests(1);
    const event = northeast.verify(request!, watching.signingSecret) as Record<string, any>;
    expect(event).toMatchObject({
      type: 'CatchmentServiceSystemManagerAssigned',
      catchmentId: 'northeast',
      subject: { typename: 'CatchmentArea', id: 'northeast' },
      data: expect.objectContaining({ serviceSystemManagerId: 'serco-canada' }),
      service: 'catchments',
    });
    expect(request!.standard['webhook-id']).toBe(event.id);
    // The intake scheduled every endpoint's delivery of the event at once: none for Peel's.
    expect(
      await h.models.deliveries.countDocuments({ eventId: event.id, endpointId: elsewhere.endpoint.id }),
    ).toBe(0);
    expect(await h.models.deliveries.countDocuments({ eventId: event.id })).toBe(1);
  });

  it("delivers the webhooks service's own WebhookEndpointDisabled to the ministry's endpoint", async () => {
    const ministryReceiver = await receiver();
    const ministry = endpointApi(h.ministry);
    const watcher = (
      await ministry.register({ url: ministryReceiver.url, eventTypes: ['WebhookEndpointDisabled'] })
    ).data;
    const partnerEndpoint = (
      await endpointApi(h.partner('globex')).register({
        url: 'http://127.0.0.1:9/hooks',
        eventTypes: ['ContractCreated'],
      })
    ).data.endpoint;

    expect(
      (await endpointApi(h.partner('globex')).disable(partnerEndpoint.id, 'Moving data centres')).errors,
    ).toEqual([]);

    const [request] = await ministryReceiver.requests(1);
    expect(ministryReceiver.verify(request!, watcher.signingSecret)).toMatchObject({
      type: 'WebhookEndpointDisabled',
      subject: { typename: 'WebhookEndpoint', id: partnerEndpoint.id },
      data: { endpointId: partnerEndpoint.id, partnerId: 'globex', reason: 'Moving data centres' },
      service: 'webhooks',
    });
  });
});
