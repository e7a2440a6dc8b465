import type { Logger } from '@ies/logger';
import type { StoredEventModel } from '../events/stored-event.model';
import { startPeriodic } from './periodic';
import { scheduleSpanMs } from './retry-schedule';
import { deliveryIdFloor, type WebhookDeliveryModel } from './webhook-delivery.model';

/** How long the delivery log and the stored events are kept by default. */
export const DEFAULT_RETENTION_DAYS = 30;
/** How often the worker deletes what is past the retention by default. */
export const DEFAULT_RETENTION_SWEEP_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The shortest retention a retry schedule allows: its span and a day, so that no delivery still being
 * retried loses its event or its log.
 */
export const minimumRetentionDays = (schedule: readonly number[]): number =>
  Math.ceil((scheduleSpanMs(schedule) + DAY_MS) / DAY_MS);

export interface RetentionDeps {
  deliveries: WebhookDeliveryModel;
  events: StoredEventModel;
}

/**
 * One sweep: deletes the delivery log's finished rows created before `now - retentionMs` (their ids
 * are time-ordered: one range on `_id`), then the stored events that occurred before that time,
 * except those a pending delivery still needs (a replay of an old event). Replays and the delivery log
 * reach back as far as the retention; an event deleted while a replay of it is being scheduled is
 * cancelled by its delivery (its event is gone). Answers how many of each went.
 */
export async function sweepExpired(
  deps: RetentionDeps,
  options: { retentionMs: number; now?: Date },
): Promise<{ deliveries: number; events: number }> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionMs);
  const deliveries = await deps.deliveries.deleteMany({
    _id: { $lt: deliveryIdFloor(cutoff) },
    state: { $ne: 'PENDING' },
  });
  const pending = await deps.deliveries
    .find({ state: 'PENDING' }, { eventId: 1 })
    .lean<{ eventId: string }[]>();
  const events = await deps.events.deleteMany({
    occurredAt: { $lt: cutoff },
    _id: { $nin: [...new Set(pending.map((delivery) => delivery.eventId))] },
  });
  return { deliveries: deliveries.deletedCount, events: events.deletedCount };
}

/** Sweeps every `intervalMs` until stopped (the webhooks worker runs one). */
export function startRetentionSweeper(
  deps: RetentionDeps & { logger: Logger; retentionDays: number; intervalMs?: number },
): { stop(): Promise<void> } {
  const logger = deps.logger.child({ module: 'retention-sweeper' });
  const retentionMs = deps.retentionDays * DAY_MS;
  return startPeriodic(deps.intervalMs ?? DEFAULT_RETENTION_SWEEP_MS, () =>
    sweepExpired(deps, { retentionMs })
      .then((deleted) => {
        if (deleted.deliveries + deleted.events > 0)
          logger.info(
            { ...deleted, retentionDays: deps.retentionDays },
            'deleted what is past the retention',
          );
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'deleting what is past the retention failed')),
  );
}
