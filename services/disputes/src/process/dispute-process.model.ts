import { Schema, type Connection, type Model } from 'mongoose';
import type { EscalationLevel } from '../dispute/dispute-lifecycle';

export interface EscalationContact {
  level: EscalationLevel;
  name: string;
  email: string | null;
  phone: string | null;
}

/**
 * A catchment's public dispute process, as its SSM (or the ministry) published it. Every published
 * version is a change-log record, so earlier versions stay readable; response times are not stored
 * here but read from the SSM's SLA policy in force, so the two cannot disagree.
 */
export interface DisputeProcessDoc {
  /** The catchment's id. */
  _id: string;
  howToFile: string;
  escalationContacts: EscalationContact[];
  /** Languages the process is offered in, e.g. `English`, `Français`. */
  languages: string[];
  publishedAt: Date;
  version: number;
}

const schema = new Schema<DisputeProcessDoc>(
  {
    _id: { type: String, required: true },
    howToFile: { type: String, required: true },
    escalationContacts: { type: Schema.Types.Mixed, default: [] },
    languages: { type: [String], default: [] },
    publishedAt: { type: Date, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'dispute_processes', versionKey: false, minimize: false },
);

export type DisputeProcessModel = Model<DisputeProcessDoc>;

export const disputeProcessModel = (connection: Connection): DisputeProcessModel =>
  (connection.models.DisputeProcess as DisputeProcessModel | undefined) ??
  connection.model<DisputeProcessDoc>('DisputeProcess', schema);
