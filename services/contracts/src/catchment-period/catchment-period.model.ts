import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Replicated read model of each catchment's period dates and SSM, copied from the catchments subgraph
 * by `CatchmentPeriodSync`. Never written by anything else; never read from the catchments database.
 */
export interface CatchmentPeriodDoc {
  /** The catchment id. */
  _id: string;
  planningStartDate: string | null;
  transitionStartDate: string | null;
  iesDeliveryStartDate: string | null;
  ssmId: string | null;
  /** When the copy was fetched from the catchments subgraph; a write only replaces an older fetch. */
  syncedAt: Date;
  /** Content hash of the replicated fields as fetched; changes exactly when the source changed. */
  /** The catchment's `version` in the catchments service when this copy was taken. */
  sourceVersion: number;
}

const schema = new Schema<CatchmentPeriodDoc>(
  {
    _id: { type: String, required: true },
    planningStartDate: { type: String, default: null },
    transitionStartDate: { type: String, default: null },
    iesDeliveryStartDate: { type: String, default: null },
    ssmId: { type: String, default: null },
    syncedAt: { type: Date, required: true },
    sourceVersion: { type: Number, required: true },
  },
  { collection: 'catchment_periods', versionKey: false },
);
schema.index({ ssmId: 1 });

export type CatchmentPeriodModel = Model<CatchmentPeriodDoc>;

export const catchmentPeriodModel = (connection: Connection): CatchmentPeriodModel =>
  (connection.models.CatchmentPeriod as CatchmentPeriodModel | undefined) ??
  connection.model<CatchmentPeriodDoc>('CatchmentPeriod', schema);
