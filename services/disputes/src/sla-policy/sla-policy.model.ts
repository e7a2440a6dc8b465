import { Schema, type Connection, type Model } from 'mongoose';
import type { SlaPolicyVersion } from '../dispute/dispute-sla';

/** One version of an SSM's SLA policy, as set: the numbers, from when, and who set it, when and why. */
export interface SlaPolicyVersionDoc extends SlaPolicyVersion {
  setAt: Date;
  setBy: string;
  reason: string;
}

/**
 * An SSM's dispute SLA policy: every version it ever set, oldest first (only appended to; a version
 * takes effect from its `effectiveFrom`, never before the day it was set). No document: the defaults.
 */
export interface SlaPolicyDoc {
  /** The SSM's id. */
  _id: string;
  versions: SlaPolicyVersionDoc[];
  version: number;
}

const schema = new Schema<SlaPolicyDoc>(
  {
    _id: { type: String, required: true },
    versions: { type: Schema.Types.Mixed, default: [] },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'dispute_sla_policies', versionKey: false, minimize: false },
);

export type SlaPolicyModel = Model<SlaPolicyDoc>;

export const slaPolicyModel = (connection: Connection): SlaPolicyModel =>
  (connection.models.DisputeSlaPolicy as SlaPolicyModel | undefined) ??
  connection.model<SlaPolicyDoc>('DisputeSlaPolicy', schema);
