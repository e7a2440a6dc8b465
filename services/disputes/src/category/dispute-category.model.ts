import { Schema, type Connection, type Model } from 'mongoose';
import { DISPUTE_KINDS, type DisputeKind } from '../dispute/dispute-lifecycle';

/** One category of the catalogue (configurable by the ministry; defaults in category-catalogue.ts). */
export interface DisputeCategoryDoc {
  /** The code, e.g. `SERVICE_QUALITY`. */
  _id: string;
  label: string;
  /** The kinds of dispute that may use it. */
  kinds: DisputeKind[];
  /** Retired categories stay on the disputes that used them but take no new ones. */
  active: boolean;
  version: number;
}

const schema = new Schema<DisputeCategoryDoc>(
  {
    _id: { type: String, required: true },
    label: { type: String, required: true },
    kinds: { type: [String], enum: DISPUTE_KINDS, default: [] },
    active: { type: Boolean, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'dispute_categories', versionKey: false },
);

export type DisputeCategoryModel = Model<DisputeCategoryDoc>;

export const disputeCategoryModel = (connection: Connection): DisputeCategoryModel =>
  (connection.models.DisputeCategory as DisputeCategoryModel | undefined) ??
  connection.model<DisputeCategoryDoc>('DisputeCategory', schema);
