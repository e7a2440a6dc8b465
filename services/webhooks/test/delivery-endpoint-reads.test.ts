import { CommandCounter } from '@ies/db';
import type { Job } from '@ies/jobs';
import { createLogger } from '@ies/logger';
import { DELIVERY_QUEUE, type DeliveryJobData } from '../src/delivery/delivery-queue';
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
    const process = h.processor();

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
  it('share the read that follows one under way when they begin while it is under way', async () => {
    const registered = await endpointApi(h.ministry).register({
      url: partner.url,
      eventTypes: ['AgreementAmended'],
    });
    expect(registered.errors).toEqual([]);
    const endpointId = (registered.data as { endpoint: { id: string } }).endpoint.id;
    const queue = await h.jobs.queue<DeliveryJobData>(DELIVERY_QUEUE);
    // A type the other test's endpoint does not take, and this one's not the other's.
    const events = Array.from({ length: 8 }, () => platformEvent({ type: 'AgreementAmended' }));
    for (const event of events) expect(await h.intake.take(event)).toBe(1);
    const jobs = await Promise.all(
      events.map(
        async (event) => (await queue.getJob(h.liveJob(endpointId, event.id))) as Job<DeliveryJobData>,
      ),
    );
    // As a worker hands them out: each job's first run (which reads no delivery row, so each attempt
    // asks for the endpoint the moment it begins, one after another).
    for (const job of jobs) job.attemptsStarted = 1;
    const process = h.processor();
    const commands = new CommandCounter(h.connection);
    try {
      expect(await Promise.all(jobs.map((job) => process(job, log)))).toEqual(events.map(() => 'succeeded'));
      // The first attempt's read, and one more for the seven begun while it was under way (one each before).
      expect(commands.count('find', 'webhook_endpoints')).toBe(2);
    } finally {
      commands.dispose();
    }
    const ids = new Set(events.map((e) => e.id));
    expect(partner.received.filter((r) => ids.has(r.standard['webhook-id']!))).toHaveLength(8);
  });
  it('never send from a read that started before they began, even one still under way', async () => {
    const registered = await endpointApi(h.ministry).register({
      url: partner.url,
      eventTypes: ['DisputeOpened'],
    });
    expect(registered.errors).toEqual([]);
    const endpointId = (registered.data as { endpoint: { id: string } }).endpoint.id;
    const queue = await h.jobs.queue<DeliveryJobData>(DELIVERY_QUEUE);
    const [early, late] = [
      platformEvent({ type: 'DisputeOpened' }),
      platformEvent({ type: 'DisputeOpened' }),
    ];
    for (const event of [early, late]) expect(await h.intake.take(event)).toBe(1);
    const [earlyJob, lateJob] = await Promise.all(
      [early, late].map(
        async (e) => (await queue.getJob(h.liveJob(endpointId, e.id))) as Job<DeliveryJobData>,
      ),
    );
    earlyJob!.attemptsStarted = 1;
    lateJob!.attemptsStarted = 1;
    const process = h.processor();
    // The early attempt's read starts; the endpoint is disabled; then the late attempt begins.
    const earlyRun = process(earlyJob!, log);
    expect((await endpointApi(h.ministry).disable(endpointId)).errors).toEqual([]);
    expect(await process(lateJob!, log)).toBe('cancelled');
    // The early one may have read the endpoint before or after the disable: either answer is right.
    expect(['succeeded', 'cancelled']).toContain(await earlyRun);
    expect(partner.received.filter((r) => r.standard['webhook-id'] === late.id)).toHaveLength(0);
  });
});
