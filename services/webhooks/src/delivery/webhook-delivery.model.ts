import { randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

export const DELIVERY_STATES = ['PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One attempt of a delivery: when, what came back (or why nothing did), how long it took. */
export interface DeliveryAttempt {
  at: Date;
  /** The HTTP status; null when no response came (refused target, connection error, timeout). */
  status: number | null;
  latencyMs: number;
  /** At most 1 KB of the response body. */
  responseExcerpt: string | null;
  error: string | null;
}

/** One event sent to one endpoint (its first delivery, or a replay): the delivery log's row. */
export interface WebhookDeliveryDoc {
  /** Time-ordered, so the log pages oldest first. */
  _id: string;
  /** BullMQ job id: `<endpointId>:<eventId>:live`, or `…:replay-<n>` for a replay. */
  jobId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  /** The delivery this one replays, if any. */
  replayOf: string | null;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  createdAt: Date;
  finishedAt: Date | null;
}

const idTime = (at: Date) => at.getTime().toString(36).padStart(10, '0');

/** A time-ordered id: milliseconds (base 36, fixed width), then randomness. */
export const newDeliveryId = (at = new Date()): string => `${idTime(at)}${randomBytes(6).toString('hex')}`;

/** Below every delivery id made at or after `at`, above every one made before it. */
export const deliveryIdFloor = (at: Date): string => idTime(at);

const attemptSchema = new Schema<DeliveryAttempt>(
  {
    at: { type: Date, required: true },
    status: { type: Number, default: null },
    latencyMs: { type: Number, required: true },
    responseExcerpt: { type: String, default: null },
    error: { type: String, default: null },
  },
  { _id: false },
);

const schema = new Schema<WebhookDeliveryDoc>(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    endpointId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    replayOf: { type: String, default: null },
    state: { type: String, enum: DELIVERY_STATES, required: true },
    attempts: { type: [attemptSchema], default: [] },
    createdAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { collection: 'webhook_deliveries', versionKey: false },
);
// One delivery per job: a second intake of the same event finds the first.
schema.index({ jobId: 1 }, { unique: true });
// An endpoint's log, in order.
schema.index({ endpointId: 1, _id: 1 });
// The pending deliveries (the sweeper's), and an endpoint's successes (the disabling rule's).
schema.index({ state: 1 });
schema.index({ endpointId: 1, state: 1 });

export type WebhookDeliveryModel = Model<WebhookDeliveryDoc>;

export const webhookDeliveryModel = (connection: Connection): WebhookDeliveryModel =>
  (connection.models.WebhookDelivery as WebhookDeliveryModel | undefined) ??
  connection.model<WebhookDeliveryDoc>('WebhookDelivery', schema);
