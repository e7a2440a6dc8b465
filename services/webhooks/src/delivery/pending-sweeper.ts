import type { Jobs } from '@ies/jobs';
import type { Logger } from '@ies/logger';
import { startPeriodic } from './periodic';
import { DELIVERY_QUEUE, type DeliveryJobData, type DeliveryScheduler } from './delivery-queue';
import type { WebhookDeliveryDoc, WebhookDeliveryModel } from './webhook-delivery.model';

/** How often the worker looks for stuck deliveries by default. */
export const DEFAULT_SWEEP_INTERVAL_MS = 5 * 60_000;
/** A pending delivery younger than this is left alone (its job may be about to be added). */
export const DEFAULT_SWEEP_GRACE_MS = 60_000;

/** BullMQ states in which a job will not run again by itself. */
const SETTLED_JOB_STATES = new Set(['unknown', 'completed', 'failed']);

export interface SweepDeps {
  deliveries: WebhookDeliveryModel;
  jobs: Jobs;
  scheduler: DeliveryScheduler;
}

/**
 * One sweep: every delivery still `PENDING` (older than `graceMs`) whose BullMQ job will not run again
 * (gone from Redis, say after a Redis crash lost it, or failed outside the worker's verdict: stalled
 * past `maxStalledCount` by crashing workers) gets its job again, under the same job id, with the
 * whole schedule. The row is read again once the job is seen settled, so a delivery that finished in
 * between is not sent twice. Any number of sweeps may run at once: the job id is the row's.
 */
export async function sweepPendingDeliveries(
  deps: SweepDeps,
  options: { graceMs?: number; now?: Date } = {},
): Promise<{ checked: number; requeued: string[] }> {
  const cutoff = (options.now ?? new Date()).getTime() - (options.graceMs ?? DEFAULT_SWEEP_GRACE_MS);
  const pending = (
    await deps.deliveries
      .find({ state: 'PENDING' }, { jobId: 1, endpointId: 1, eventId: 1, createdAt: 1 })
      .lean<Pick<WebhookDeliveryDoc, '_id' | 'jobId' | 'endpointId' | 'eventId' | 'createdAt'>[]>()
  ).filter((delivery) => new Date(delivery.createdAt).getTime() <= cutoff);
  const queue = await deps.jobs.queue<DeliveryJobData>(DELIVERY_QUEUE);
  const requeued: string[] = [];
  for (const delivery of pending) {
    const state = await queue.getJobState(delivery.jobId);
    if (!SETTLED_JOB_STATES.has(state)) continue;
    const still = await deps.deliveries.exists({ _id: delivery._id, state: 'PENDING' });
    if (!still) continue;
    // A settled job keeps its id in Redis: it goes, so the id can be added again.
    if (state !== 'unknown') await queue.remove(delivery.jobId);
    await deps.scheduler.enqueue(delivery);
    requeued.push(delivery._id);
  }
  return { checked: pending.length, requeued };
}

/** Sweeps every `intervalMs` until stopped (the webhooks worker runs one). */
export function startPendingSweeper(
  deps: SweepDeps & { logger: Logger; intervalMs?: number; graceMs?: number },
): { stop(): Promise<void> } {
  const logger = deps.logger.child({ module: 'pending-sweeper' });
  return startPeriodic(deps.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, () =>
    sweepPendingDeliveries(deps, { graceMs: deps.graceMs })
      .then(({ requeued }) => {
        if (requeued.length > 0)
          logger.warn({ requeued }, 'pending deliveries had lost their jobs: added them again');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'sweeping pending deliveries failed')),
  );
}
