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

export const storedEventModel = (connection: Connection): StoredEventModel =>
  (connection.models.WebhookStoredEvent as StoredEventModel | undefined) ??
  connection.model<StoredEventDoc>('WebhookStoredEvent', schema);
