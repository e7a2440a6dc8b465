import type { Logger } from '@ies/logger';
import {
  storedEventsPage,
  type StoredEventModel,
  type StoredEventPosition,
} from '../events/stored-event.model';
import { startPeriodic } from './periodic';
import { scheduleSpanMs } from './retry-schedule';
import { deliveryIdFloor, type WebhookDeliveryModel } from './webhook-delivery.model';

/** How long the delivery log and the stored events are kept by default. */
export const DEFAULT_RETENTION_DAYS = 30;
/** How often the worker deletes what is past the retention by default. */
export const DEFAULT_RETENTION_SWEEP_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Old stored events read per page while sweeping. */
const SWEEP_PAGE = 1_000;
/** Pages one sweep goes through at most (the next sweep goes on from the oldest left). */
const SWEEP_PAGES = 100;

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
 * are time-ordered: one range on `_id`), then the stored events that occurred before that time, a
 * page at a time in (occurredAt, id) order, except those a pending delivery still needs (a replay of
 * an old event): each page asks which of its events pending deliveries name, so the sweep's work does
 * not grow with the pending backlog (a receiver down for hours). At most `SWEEP_PAGES` pages a sweep.
 * Replays and the delivery log reach back as far as the retention; an event deleted while a replay
 * of it is being scheduled is cancelled by its delivery (its event is gone). Answers how many of each
 * went.
 */
export async function sweepExpired(
  deps: RetentionDeps,
  options: { retentionMs: number; now?: Date; page?: number },
): Promise<{ deliveries: number; events: number }> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionMs);
  const page = options.page ?? SWEEP_PAGE;
  const deliveries = await deps.deliveries.deleteMany({
    _id: { $lt: deliveryIdFloor(cutoff) },
    state: { $ne: 'PENDING' },
  });
  let events = 0;
  let after: StoredEventPosition | null = null;
  for (let pages = 0; pages < SWEEP_PAGES; pages++) {
    const old: StoredEventPosition[] = await storedEventsPage<StoredEventPosition>(deps.events, {
      before: cutoff,
      after,
      limit: page,
      projection: { _id: 1, occurredAt: 1 },
    });
    const ids = old.map((event) => event._id);
    const needed = new Set(
      ids.length > 0
        ? await deps.deliveries.distinct('eventId', { state: 'PENDING', eventId: { $in: ids } })
        : [],
    );
    const unneeded = ids.filter((id) => !needed.has(id));
    if (unneeded.length > 0)
      events += (await deps.events.deleteMany({ _id: { $in: unneeded } })).deletedCount;
    const last = old.at(-1);
    if (old.length < page || !last) break;
    after = { occurredAt: last.occurredAt, _id: last._id };
  }
  return { deliveries: deliveries.deletedCount, events };
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
      .catch((error: unknown) => logger.error({ err: error }, 'deleting what is past the retention failed')),
  );
}
