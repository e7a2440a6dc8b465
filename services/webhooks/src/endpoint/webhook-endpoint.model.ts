import { Schema, type Connection, type Model } from 'mongoose';

/** One signing secret of an endpoint, sealed at rest (signing-secret.ts). */
export interface SealedSecret {
  /** `v1.<iv>.<tag>.<ciphertext>`; never returned by the API. */
  sealed: string;
  createdAt: Date;
  /** When it stops signing (set when a rotation replaces it); null while it is the current one. */
  expiresAt: Date | null;
}

/** A partner's (or the ministry's) webhook endpoint: the projection of its change log. */
export interface WebhookEndpointDoc {
  _id: string;
  /** The partner that owns it; null for the ministry's own endpoints. */
  partnerId: string | null;
  url: string;
  eventTypes: string[];
  /** Only events of these catchments; null for every catchment (and province-wide events). */
  catchmentIds: string[] | null;
  description: string;
  enabled: boolean;
  /** Why it was disabled (by a caller, a 410 Gone, or the retry schedule exhausted). */
  disabledReason: string | null;
  disabledAt: Date | null;
  secrets: SealedSecret[];
  createdAt: Date;
  createdBy: string;
  version: number;
}

const secretSchema = new Schema<SealedSecret>(
  {
    sealed: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
  },
  { _id: false },
);

const schema = new Schema<WebhookEndpointDoc>(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, default: null },
    url: { type: String, required: true },
    eventTypes: { type: [String], default: [] },
    catchmentIds: { type: [String], default: null },
    description: { type: String, default: '' },
    enabled: { type: Boolean, required: true },
    disabledReason: { type: String, default: null },
    disabledAt: { type: Date, default: null },
    secrets: { type: [secretSchema], default: [] },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'webhook_endpoints', versionKey: false },
);
// A partner's endpoints; the enabled endpoints of an event type (the intake's lookup).
schema.index({ partnerId: 1 });
schema.index({ enabled: 1 });

export type WebhookEndpointModel = Model<WebhookEndpointDoc>;

export const webhookEndpointModel = (connection: Connection): WebhookEndpointModel =>
  (connection.models.WebhookEndpoint as WebhookEndpointModel | undefined) ??
  connection.model<WebhookEndpointDoc>('WebhookEndpoint', schema);
