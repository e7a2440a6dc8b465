import { UnrecoverableError } from '@ies/jobs';
import { DELIVERY_QUEUE } from '../src/delivery/delivery-queue';
import { sweepPendingDeliveries } from '../src/delivery/pending-sweeper';
import { endpointApi, platformEvent, startWebhooks, type WebhooksHarness } from './webhooks-harness';

describe('The pending-deliveries sweeper', () => {
  let h: WebhooksHarness;
  beforeAll(async () => {
    // No delivery worker: jobs stay where the test puts them.
    h = await startWebhooks('webhook_sweeper', { worker: false });
  });
  afterAll(async () => {
    await h.stop();
  });

  const sweepDeps = () => ({
    deliveries: h.models.deliveries,
    jobs: h.jobs,
    scheduler: h.services.scheduler,
  });
  const queue = () => h.jobs.queue(DELIVERY_QUEUE);

  async function pendingDelivery() {
    const registered = await endpointApi(h.ministry).register({
      url: 'http://127.0.0.1:9/hooks',
      eventTypes: ['ContractCreated'],
    });
    expect(registered.errors).toEqual([]);
    const endpointId = (registered.data as { endpoint: { id: string } }).endpoint.id;
    const event = platformEvent();
    await h.intake.take(event);
    const jobId = h.liveJob(endpointId, event.id);
    const delivery = await h.models.deliveries.findOne({ jobId }).lean();
    expect(delivery).toMatchObject({ state: 'PENDING' });
    return { jobId, deliveryId: delivery!._id };
  }

  describe('when a pending delivery’s job is gone from Redis', () => {
    it('adds it again under the same job id, once', async () => {
      const { jobId, deliveryId } = await pendingDelivery();
      expect(await (await queue()).getJobState(jobId)).toBe('waiting');
      // Redis lost the job (a crash before its append-only file was synced).
      expect(await (await queue()).remove(jobId)).toBe(1);
      expect(await (await queue()).getJobState(jobId)).toBe('unknown');

      const sweep = await sweepPendingDeliveries(sweepDeps(), { graceMs: 0 });
      expect(sweep.requeued).toContain(deliveryId);
      const job = await (await queue()).getJob(jobId);
      expect(job?.data).toEqual(expect.objectContaining({ deliveryId }));
      expect(await (await queue()).getJobState(jobId)).toBe('waiting');

      expect((await sweepPendingDeliveries(sweepDeps(), { graceMs: 0 })).requeued).not.toContain(deliveryId);
    });
  });

  describe('when a pending delivery’s job failed outside the worker’s verdict', () => {
    it('replaces the failed job with a fresh one', async () => {
      const { jobId, deliveryId } = await pendingDelivery();
      // A job failed for good without the delivery worker's verdict (as BullMQ fails a job whose
      // workers crashed more often than `maxStalledCount`): the row stays PENDING.
      const crashing = await h.jobs.worker(DELIVERY_QUEUE, async () => {
        throw new UnrecoverableError('job stalled more than allowable limit');
      });
      expect(await h.settled(jobId)).toBe('failed');
      await crashing.close();
      expect(await h.models.deliveries.findById(deliveryId).lean()).toMatchObject({ state: 'PENDING' });

      expect((await sweepPendingDeliveries(sweepDeps(), { graceMs: 0 })).requeued).toContain(deliveryId);
      expect(await (await queue()).getJobState(jobId)).toBe('waiting');
    });
  });

  describe('when a delivery is younger than the grace time or finished', () => {
    it('leaves it alone', async () => {
      const young = await pendingDelivery();
      await (await queue()).remove(young.jobId);
      expect((await sweepPendingDeliveries(sweepDeps(), { graceMs: 3_600_000 })).requeued).not.toContain(
        young.deliveryId,
      );

      const finished = await pendingDelivery();
      await h.models.deliveries.updateOne({ _id: finished.deliveryId }, { $set: { state: 'SUCCEEDED' } });
      await (await queue()).remove(finished.jobId);
      const sweep = await sweepPendingDeliveries(sweepDeps(), { graceMs: 0 });
      expect(sweep.requeued).not.toContain(finished.deliveryId);
      expect(await (await queue()).getJobState(finished.jobId)).toBe('unknown');
    });
  });
});
