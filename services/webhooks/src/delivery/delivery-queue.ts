import { coalescedInserts } from '@ies/db';
import type { Jobs } from '@ies/jobs';
import { attemptsOf } from './retry-schedule';
import { newDeliveryId, type WebhookDeliveryDoc, type WebhookDeliveryModel } from './webhook-delivery.model';

/** The platform's queue of webhook deliveries (listed in the service registry). */
export const DELIVERY_QUEUE = 'webhooks-delivery';
/** The custom backoff type whose delays come from the retry schedule (delivery-worker.ts). */
export const SCHEDULE_BACKOFF = 'webhook-schedule';

export interface DeliveryJobData {
  deliveryId: string;
  endpointId: string;
  eventId: string;
  /**
   * Set (to the job's own id) on the job added by the call that inserted its row: until the job first
   * runs, nothing else writes that row (its attempts are this job's), so the first run knows it is
   * `PENDING` with no attempts without reading it. A copy of the job under another id is not that job.
   */
  inserted?: string;
}

/** `<endpointId>:<eventId>:<suffix>` (BullMQ takes a colon in a custom id only in three parts). */
export const deliveryJobId = (endpointId: string, eventId: string, suffix: string) =>
  `${endpointId}:${eventId}:${suffix}`;

/**
 * Creates delivery log rows and their jobs. A row and its job share an idempotent key: the same
 * event for the same endpoint is one delivery however often it is taken in (a redelivered stream
 * entry, two intakes at once); a replay is a new key.
 */
export class DeliveryScheduler {
  /** The rows of a burst (the deliveries of events taken in at once) go in one insert. */
  private readonly insert: (doc: object) => Promise<'inserted' | 'duplicate'>;

  constructor(
    private readonly deps: { deliveries: WebhookDeliveryModel; jobs: Jobs; schedule: readonly number[] },
  ) {
    this.insert = coalescedInserts(deps.deliveries);
  }

  async schedule(
    endpointId: string,
    event: { _id: string; type: string },
    suffix = 'live',
    replayOf: string | null = null,
  ): Promise<WebhookDeliveryDoc> {
    const jobId = deliveryJobId(endpointId, event._id, suffix);
    const now = new Date();
    const fresh: WebhookDeliveryDoc = {
      _id: newDeliveryId(now),
      jobId,
      endpointId,
      eventId: event._id,
      eventType: event.type,
      replayOf,
      state: 'PENDING',
      attempts: [],
      createdAt: now,
      finishedAt: null,
    };
    if ((await this.insert(fresh)) === 'inserted') {
      await this.enqueue(fresh, { inserted: true });
      return fresh;
    }
    const delivery = (await this.deps.deliveries.findOne({ jobId }).lean<WebhookDeliveryDoc>())!;
    // A finished delivery is not sent again (its job may be gone from Redis already); a pending one
    // is (re-)added: BullMQ ignores a job id it holds.
    if (delivery.state === 'PENDING') await this.enqueue(delivery);
    return delivery;
  }

  /**
   * Adds a pending delivery's job (under the row's own job id: BullMQ ignores an id it holds), with
   * the whole retry schedule ahead of it.
   */
  async enqueue(
    delivery: Pick<WebhookDeliveryDoc, '_id' | 'jobId' | 'endpointId' | 'eventId'>,
    { inserted = false }: { inserted?: boolean } = {},
  ): Promise<void> {
    const queue = await this.deps.jobs.queue<DeliveryJobData>(DELIVERY_QUEUE);
    await queue.add(
      'deliver',
      {
        deliveryId: delivery._id,
        endpointId: delivery.endpointId,
        eventId: delivery.eventId,
        ...(inserted ? { inserted: delivery.jobId } : {}),
      },
      {
        jobId: delivery.jobId,
        attempts: attemptsOf(this.deps.schedule),
        backoff: { type: SCHEDULE_BACKOFF },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    );
  }
}
