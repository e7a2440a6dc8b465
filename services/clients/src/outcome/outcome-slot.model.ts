import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One place under a catchment's concurrent-jobs cap for one checkpoint in one fiscal quarter
 * (`<catchment>:<checkpoint>:<quarter>:<n>`, n = 1…cap). Taking a place is a unique insert, the one
 * atomic primitive on every engine, so simultaneous verifications never exceed the cap.
 */
export interface OutcomeSlotDoc {
  _id: string;
  /** `<catchment>:<checkpoint>:<quarter>`: the cap's key. */
  capKey: string;
  planId: string;
  takenAt: Date;
}

const schema = new Schema<OutcomeSlotDoc>(
  {
    _id: { type: String, required: true },
    capKey: { type: String, required: true },
    planId: { type: String, required: true },
    takenAt: { type: Date, required: true },
  },
  { collection: 'outcome_cap_slots', versionKey: false },
);
schema.index({ capKey: 1 });
schema.index({ planId: 1 });

export type OutcomeSlotModel = Model<OutcomeSlotDoc>;

export const outcomeSlotModel = (connection: Connection): OutcomeSlotModel =>
  (connection.models.OutcomeSlot as OutcomeSlotModel | undefined) ??
  connection.model<OutcomeSlotDoc>('OutcomeSlot', schema);
