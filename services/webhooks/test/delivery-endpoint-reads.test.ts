import type { Job } from '@ies/jobs';
import { createLogger } from '@ies/logger';
import { DELIVERY_QUEUE, type DeliveryJobData } from '../src/delivery/delivery-queue';
import { deliveryProcessor } from '../src/delivery/delivery-worker';
import { startReceiver, type Receiver } from './webhook-receiver';
import { endpointApi, platformEvent, startWebhooks, type WebhooksHarness } from './webhooks-harness';

/**
 * Attempts to one endpoint begun at once share one read of it (delivery-worker.ts): the real processor
 * on the real jobs of the queue (no worker runs, so the test decides when attempts begin), a real
 * receiver, the test FerretDB.
 */
describe('Delivery attempts begun at once to one endpoint', () => {
  let h: WebhooksHarness;
  let partner: Receiver;
  const log = createLogger('webhooks', 'silent');

  beforeAll(async () => {
    h = await startWebhooks('delivery_endpoint_reads', { worker: false });
    partner = await startReceiver([200]);
  });
  afterAll(async () => {
    await partner.stop();
    await h.stop();
  });

  it('each send once; attempts begun after the endpoint is disabled send nothing, though earlier ones shared a read', async () => {
    const registered = await endpointApi(h.ministry).register({
      url: partner.url,
      eventTypes: ['ContractCreated'],
    });
    expect(registered.errors).toEqual([]);
    const endpointId = (registered.data as { endpoint: { id: string } }).endpoint.id;
    const queue = await h.jobs.queue<DeliveryJobData>(DELIVERY_QUEUE);
    const jobsOf = async (events: { id: string }[]) =>
      Promise.all(
        events.map(
          async (event) => (await queue.getJob(h.liveJob(endpointId, event.id))) as Job<DeliveryJobData>,
        ),
      );
    const process = deliveryProcessor({
      deliveries: h.models.deliveries,
      events: h.storedEvents,
      endpointLog: h.services.log,
      endpoints: h.services.endpoints,
      outbound: { allowInsecure: true, allowPrivate: true, allowedPorts: 'any' },
      schedule: [20, 20, 20],
      attemptTimeoutMs: 5_000,
    });

    const first = Array.from({ length: 8 }, () => platformEvent());
    const second = Array.from({ length: 8 }, () => platformEvent());
    for (const event of [...first, ...second]) expect(await h.intake.take(event)).toBe(1);

    const firstJobs = await jobsOf(first);
    expect(await Promise.all(firstJobs.map((job) => process(job, log)))).toEqual(
      first.map(() => 'succeeded'),
    );
    expect(new Set(partner.received.map((r) => r.standard['webhook-id']))).toEqual(
      new Set(first.map((e) => e.id)),
    );
    expect(partner.received).toHaveLength(8);

    expect((await endpointApi(h.ministry).disable(endpointId)).errors).toEqual([]);
    const secondJobs = await jobsOf(second);
    expect(await Promise.all(secondJobs.map((job) => process(job, log)))).toEqual(
      second.map(() => 'cancelled'),
    );
    expect(partner.received).toHaveLength(8);
    const states = await h.models.deliveries.find({ endpointId }, { eventId: 1, state: 1 }).lean();
    expect(
      states
        .filter((d) => d.state === 'CANCELLED')
        .map((d) => d.eventId)
        .sort(),
    ).toEqual(second.map((e) => e.id).sort());
  });
});
