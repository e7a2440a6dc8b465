import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A `createMany` in progress: one small document per call, inserted before its records and deleted
 * once their projections exist. Its records are written `projected: true` (marking hundreds of
 * records afterwards costs one update per record on FerretDB); while the batch is open, readers treat
 * them as unprojected, and a batch left open longer than the repair delay (a crashed import) is rolled
 * forward by the next reader.
 */
export interface OpenBatchDoc {
  _id: string;
  subjectType: string;
  openedAt: Date;
}

const schema = new Schema<OpenBatchDoc>(
  {
    _id: { type: String, required: true },
    subjectType: { type: String, required: true },
    openedAt: { type: Date, required: true },
  },
  { collection: 'change_log_open_batches', versionKey: false },
);
schema.index({ subjectType: 1 });

export type OpenBatchModel = Model<OpenBatchDoc>;

export const openBatchModel = (connection: Connection): OpenBatchModel =>
  (connection.models.ChangeLogOpenBatch as OpenBatchModel | undefined) ??
  connection.model<OpenBatchDoc>('ChangeLogOpenBatch', schema);
