import { Schema, type Connection, type Model } from 'mongoose';
import type { AmendableDoc } from '../common/amendment';
import { fundingSchema, targetSchema, type Funding, type PerformanceTarget } from '../common/terms';

export interface ContractDoc extends AmendableDoc {
  catchmentId: string;
  /** The SSM the contract was signed with (the catchment's SSM now comes from the read model). */
  ssmId: string;
  termStartDate: string;
  termEndDate: string;
  funding: Funding;
  targets: PerformanceTarget[];
  createdAt: Date;
  /** Subject of the person (or `seed`) who created it. */
  createdBy: string;
  creationReason: string;
}

const schema = new Schema<ContractDoc>(
  {
    _id: { type: String, required: true },
    catchmentId: { type: String, required: true },
    ssmId: { type: String, required: true },
    termStartDate: { type: String, required: true },
    termEndDate: { type: String, required: true },
    funding: { type: fundingSchema, required: true },
    targets: { type: [targetSchema], default: [] },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    creationReason: { type: String, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'contracts', versionKey: false },
);
// One ministry → SSM contract per catchment.
schema.index({ catchmentId: 1 }, { unique: true });

export type ContractModel = Model<ContractDoc>;

export const contractModel = (connection: Connection): ContractModel =>
  (connection.models.Contract as ContractModel | undefined) ??
  connection.model<ContractDoc>('Contract', schema);
