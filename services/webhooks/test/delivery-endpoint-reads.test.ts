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

  /** An endpoint of its own taking `type` (no other test's endpoint takes it), at the partner. */
  async function newEndpoint(type: string): Promise<string> {
    const registered = await endpointApi(h.ministry).register({ url: partner.url, eventTypes: [type] });
    expect(registered.errors).toEqual([]);
    return (registered.data as { endpoint: { id: string } }).endpoint.id;
  }

  /**
   * `count` events of `type` taken in, for a new endpoint, and their delivery jobs as a worker hands
   * them out on their first run (which reads no delivery row, so each attempt asks for the endpoint
   * the moment it begins).
   */
  async function firstRuns(type: string, count: number) {
    const endpointId = await newEndpoint(type);
    const events = Array.from({ length: count }, () => platformEvent({ type }));
    for (const event of events) expect(await h.intake.take(event)).toBe(1);
    const queue = await h.jobs.queue<DeliveryJobData>(DELIVERY_QUEUE);
    const jobs = await Promise.all(
      events.map(async (e) => (await queue.getJob(h.liveJob(endpointId, e.id))) as Job<DeliveryJobData>),
    );
    for (const job of jobs) job.attemptsStarted = 1;
    return { endpointId, events, jobs };
  }

  it('each send once; attempts begun after the endpoint is disabled send nothing, though earlier ones shared a read', async () => {
    const endpointId = await newEndpoint('ContractCreated');
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
    // A type no other test's endpoint takes; the attempts begin one after another.
    const { events, jobs } = await firstRuns('AgreementAmended', 8);
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
    const {
      endpointId,
      events: [early, late],
      jobs: [earlyJob, lateJob],
    } = await firstRuns('DisputeOpened', 2);
    // The endpoint log, with the first read's answer held back until the test lets it go: that read
    // has fetched the endpoint (enabled) but is still under way.
    let fetched!: () => void;
    const firstFetched = new Promise<void>((resolve) => (fetched = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const endpointLog = Object.assign(Object.create(h.services.log) as typeof h.services.log, {
      latest: async (id: string) => {
        const endpoint = await h.services.log.latest(id);
        if (++reads === 1) {
          fetched();
          await gate;
        }
        return endpoint;
      },
    });
    const process = h.processor({ endpointLog });

    const earlyRun = process(earlyJob!, log);
    await firstFetched;
    expect((await endpointApi(h.ministry).disable(endpointId)).errors).toEqual([]);
    // Begun now, while the early read (which saw the endpoint enabled) is still under way.
    const lateRun = process(lateJob!, log);
    release();
    expect(await earlyRun).toBe('succeeded');
    expect(await lateRun).toBe('cancelled');
    expect(reads).toBe(2);
    expect(partner.received.filter((r) => r.standard['webhook-id'] === early.id)).toHaveLength(1);
    expect(partner.received.filter((r) => r.standard['webhook-id'] === late.id)).toHaveLength(0);
  });
  it('are not held up for long by a read that hangs', async () => {
    const {
      jobs: [firstJob, secondJob],
    } = await firstRuns('DisputeEscalated', 2);
    // The first read hangs until the end of the test (an engine that stopped answering).
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const endpointLog = Object.assign(Object.create(h.services.log) as typeof h.services.log, {
      latest: async (id: string) => {
        if (++reads === 1) await hung;
        return h.services.log.latest(id);
      },
    });
    const process = h.processor({ endpointLog });
    let firstDone = false;
    const firstRun = process(firstJob!, log).finally(() => (firstDone = true));
    // Begun while the first read hangs: its own read starts anyway (after a second), and it is sent.
    expect(await process(secondJob!, log)).toBe('succeeded');
    expect(firstDone).toBe(false);
    release();
    expect(await firstRun).toBe('succeeded');
    expect(reads).toBe(2);
  });
});
