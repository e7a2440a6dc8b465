import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One copy of one catchment's period dates and SSM, as the catchments subgraph had them at one
 * `version`. Copies are inserted, never updated: `_id` is `catchmentId@version`, so overlapping syncs
 * (from any replica, in any order) insert the same rows, and the newest version is the truth. On
 * FerretDB an update in place could put an older copy back over a newer one (docs/adr/0010).
 */
export interface CatchmentCopyDoc {
  _id: string;
  catchmentId: string;
  /** The catchment's `version` in the catchments service when this copy was taken. */
  sourceVersion: number;
  planningStartDate: string | null;
  transitionStartDate: string | null;
  iesDeliveryStartDate: string | null;
  ssmId: string | null;
  /** When this version was first copied. */
  syncedAt: Date;
}

const schema = new Schema<CatchmentCopyDoc>(
  {
    _id: { type: String, required: true },
    catchmentId: { type: String, required: true },
    sourceVersion: { type: Number, required: true },
    planningStartDate: { type: String, default: null },
    transitionStartDate: { type: String, default: null },
    iesDeliveryStartDate: { type: String, default: null },
    ssmId: { type: String, default: null },
    syncedAt: { type: Date, required: true },
  },
  { collection: 'catchment_copies', versionKey: false },
);
schema.index({ catchmentId: 1, sourceVersion: 1 }, { unique: true });
schema.index({ ssmId: 1 });

export type CatchmentCopyModel = Model<CatchmentCopyDoc>;

export const catchmentCopyModel = (connection: Connection): CatchmentCopyModel =>
  (connection.models.CatchmentCopy as CatchmentCopyModel | undefined) ??
  connection.model<CatchmentCopyDoc>('CatchmentCopy', schema);

export const copyId = (catchmentId: string, sourceVersion: number) => `${catchmentId}@${sourceVersion}`;
