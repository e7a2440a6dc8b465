import { Schema, type Connection, type Model } from 'mongoose';

/**
 * An event of the platform's stream as the webhooks service received it, kept for replay. `body` is
 * the exact JSON every delivery of it sends (so a replay signs the same bytes as the first delivery).
 */
export interface StoredEventDoc {
  /** The event id (the `webhook-id` of its deliveries). */
  _id: string;
  type: string;
  catchmentId: string | null;
  occurredAt: Date;
  service: string;
  body: string;
  receivedAt: Date;
}

const schema = new Schema<StoredEventDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    catchmentId: { type: String, default: null },
    occurredAt: { type: Date, required: true },
    service: { type: String, required: true },
    body: { type: String, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'webhook_events', versionKey: false },
);
// Replays of everything since a time.
schema.index({ occurredAt: 1 });

export type StoredEventModel = Model<StoredEventDoc>;

/** Where a walk through the stored events in (occurredAt, id) order stands: the last event it read. */
export type StoredEventPosition = Pick<StoredEventDoc, '_id' | 'occurredAt'>;

/**
 * One page of the stored events in (occurredAt, id) order, the walk replays and the retention sweep
 * take: just past `after` (the last event of the previous page), or from `since` (inclusive) for the
 * first page; only events that occurred before `before`, when given.
 */
export function storedEventsPage<T extends StoredEventPosition = StoredEventDoc>(
  model: StoredEventModel,
  page: {
    since?: Date;
    before?: Date;
    after: StoredEventPosition | null;
    limit: number;
    projection?: Record<string, 1>;
  },
): Promise<T[]> {
  const { since, before, after } = page;
  const occurredAt = {
    ...(since && !after ? { $gte: since } : {}),
    ...(before ? { $lt: before } : {}),
  };
  const filter: Record<string, unknown> = {
    ...(Object.keys(occurredAt).length > 0 ? { occurredAt } : {}),
    ...(after
      ? {
          $or: [
            { occurredAt: { $gt: after.occurredAt } },
            { occurredAt: after.occurredAt, _id: { $gt: after._id } },
          ],
        }
      : {}),
  };
  return model
    .find(filter, page.projection)
    .sort({ occurredAt: 1, _id: 1 })
    .limit(page.limit)
    .lean<T[]>()
    .exec();
}

export const storedEventModel = (connection: Connection): StoredEventModel =>
  (connection.models.WebhookStoredEvent as StoredEventModel | undefined) ??
  connection.model<StoredEventDoc>('WebhookStoredEvent', schema);
