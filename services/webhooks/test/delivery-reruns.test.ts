import type { Job } from '@ies/jobs';
import { DELIVERY_QUEUE, type DeliveryJobData } from '../src/delivery/delivery-queue';
import { firstRunOfInsertedRow } from '../src/delivery/delivery-worker';
import { endpointApi, platformEvent, startWebhooks, type WebhooksHarness } from './webhooks-harness';
import { startReceiver, type Receiver } from './webhook-receiver';

/**
 * A delivery job that runs more than once. Its first run does not read the delivery's row (the call
 * that inserted it added the job); every later run does, and no run rewrites a finished row.
 */
describe('A delivery job run again', () => {
  let h: WebhooksHarness;
  let partner: Receiver;
  let endpointId: string;
  beforeAll(async () => {
    // No delivery worker: each test starts the workers it needs.
    h = await startWebhooks('webhook_reruns', { worker: false });
    partner = await startReceiver([200]);
    const registered = await endpointApi(h.ministry).register({
      url: partner.url,
      eventTypes: ['ContractCreated'],
    });
    expect(registered.errors).toEqual([]);
    endpointId = (registered.data as { endpoint: { id: string } }).endpoint.id;
  });
  afterAll(async () => {
    await partner.stop();
    await h.stop();
  });

  /**
   * Stalls looked for every 200 ms by every worker of this file (the stall check is queue-wide: a worker
   * with the default 30 s interval would hold off everyone's checks that long). Only the worker that
   * dies holds a short lock; the others keep the default, so a slow machine never makes them look
   * stalled.
   */
  const quickStalls = { stalledInterval: 200 };

  /** A delivery taken in (its row inserted, its job added), and the row marked finished behind its back. */
  async function finishedBehindItsBack() {
    const event = platformEvent();
    await h.intake.take(event);
    const jobId = h.liveJob(endpointId, event.id);
    const row = (await h.models.deliveries.findOne({ jobId }).lean())!;
    const finishedAt = new Date('2026-01-01T00:00:00Z');
    await h.models.deliveries.updateOne({ _id: row._id }, { $set: { state: 'SUCCEEDED', finishedAt } });
    return { jobId, deliveryId: row._id, finishedAt, eventId: event.id };
  }

  it('reads the row after its worker died mid-run, and sends nothing for a delivery that run finished', async () => {
    const event = platformEvent();
    await h.intake.take(event);
    const jobId = h.liveJob(endpointId, event.id);
    // A worker takes the job and dies in the middle: its lock is no longer renewed.
    let taken!: (job: Job<DeliveryJobData>) => void;
    const takenJob = new Promise<Job<DeliveryJobData>>((resolve) => (taken = resolve));
    const dying = await h.jobs.worker<DeliveryJobData>(
      DELIVERY_QUEUE,
      async (job) => {
        taken(job);
        return new Promise<never>(() => {});
      },
      { ...quickStalls, lockDuration: 1_000 },
    );
    const first = await takenJob;
    expect(first.id).toBe(jobId);
    expect(firstRunOfInsertedRow(first)).toBe(true);
    await dying.close(true);
    // Its delivery had gone out and been recorded before it died.
    const row = (await h.models.deliveries.findOne({ jobId }).lean())!;
    await h.models.deliveries.updateOne(
      { _id: row._id },
      { $set: { state: 'SUCCEEDED', finishedAt: new Date() } },
    );

    // Another worker sees the job stalled (its lock expired), runs it again, reads the row: finished.
    const worker = await h.jobs.worker(DELIVERY_QUEUE, h.processor(), quickStalls);
    try {
      expect(await h.settled(jobId)).toBe('completed');
      const again = (await (await h.jobs.queue(DELIVERY_QUEUE)).getJob(jobId))!;
      expect(again.stalledCounter).toBe(1);
      expect(again.attemptsStarted).toBe(2);
      expect(again.returnvalue).toBe('skipped');
      expect(partner.received.filter((r) => r.standard['webhook-id'] === event.id)).toHaveLength(0);
    } finally {
      await worker.close();
    }
  });

  it('never rewrites a finished row, even on a first run that did not read it', async () => {
    // Redis lost the record of an earlier run (a crash under appendfsync everysec): the job looks new.
    const { jobId, deliveryId, finishedAt } = await finishedBehindItsBack();
    const worker = await h.jobs.worker(DELIVERY_QUEUE, h.processor(), quickStalls);
    try {
      expect(await h.settled(jobId)).toBe('completed');
      const job = (await (await h.jobs.queue<DeliveryJobData>(DELIVERY_QUEUE)).getJob(jobId))!;
      expect(job.attemptsStarted).toBe(1);
      // Sent again without reading the row (at least once), but the log keeps what the earlier run wrote.
      expect(job.returnvalue).toBe('skipped');
      expect(partner.received.filter((r) => r.standard['webhook-id'] === job.data.eventId)).toHaveLength(1);
      expect(await h.models.deliveries.findById(deliveryId).lean()).toMatchObject({
        state: 'SUCCEEDED',
        finishedAt,
        attempts: [],
      });
    } finally {
      await worker.close();
    }
  });

  it('reads the row of a copy of the job under another id', async () => {
    const { jobId, eventId } = await finishedBehindItsBack();
    const queue = await h.jobs.queue<DeliveryJobData>(DELIVERY_QUEUE);
    const original = (await queue.getJob(jobId))!;
    // Copied from the queue board ("duplicate"): same data, its own id.
    const copy = await queue.add('deliver', original.data, { jobId: `${jobId}-copy` });
    expect(firstRunOfInsertedRow(copy)).toBe(false);
    await queue.remove(jobId);
    const worker = await h.jobs.worker(DELIVERY_QUEUE, h.processor(), quickStalls);
    try {
      expect(await h.settled(copy.id!)).toBe('completed');
      expect((await queue.getJob(copy.id!))!.returnvalue).toBe('skipped');
      expect(partner.received.filter((r) => r.standard['webhook-id'] === eventId)).toHaveLength(0);
    } finally {
      await worker.close();
    }
  });
});
