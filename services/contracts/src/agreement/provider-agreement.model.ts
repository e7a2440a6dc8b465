import { Schema, type Connection, type Model } from 'mongoose';
import type { AmendableDoc } from '../common/amendment';
import { fundingSchema, targetSchema, type Funding, type PerformanceTarget } from '../common/terms';

export const AGREEMENT_KINDS = ['SSM_AGREEMENT', 'MINISTRY_TRANSFER_PAYMENT'] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];
export const AGREEMENT_STATUSES = ['DRAFT', 'ACTIVE', 'EXPIRED', 'TERMINATED'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export interface ProviderAgreementDoc extends AmendableDoc {
  kind: AgreementKind;
  catchmentId: string;
  /** The SSM party of an SSM agreement; null for a ministry transfer-payment contract. */
  ssmId: string | null;
  providerId: string;
  programIds: string[];
  siteIds: string[];
  termStartDate: string;
  termEndDate: string;
  funding: Funding;
  targets: PerformanceTarget[];
  status: AgreementStatus;
  createdAt: Date;
  createdBy: string;
  /** Why it was created (who and when are above); seeded agreements say so. */
  creationReason: string;
}

const schema = new Schema<ProviderAgreementDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: AGREEMENT_KINDS, required: true },
    catchmentId: { type: String, required: true },
    ssmId: { type: String, default: null },
    providerId: { type: String, required: true },
    programIds: { type: [String], default: [] },
    siteIds: { type: [String], default: [] },
    termStartDate: { type: String, required: true },
    termEndDate: { type: String, required: true },
    funding: { type: fundingSchema, required: true },
    targets: { type: [targetSchema], default: [] },
    status: { type: String, enum: AGREEMENT_STATUSES, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    creationReason: { type: String, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'provider_agreements', versionKey: false },
);
// One agreement of a kind per provider, catchment and term start: a retried create is a CONFLICT, not a twin.
schema.index({ providerId: 1, catchmentId: 1, kind: 1, termStartDate: 1 }, { unique: true });
schema.index({ catchmentId: 1, _id: 1 });

export type ProviderAgreementModel = Model<ProviderAgreementDoc>;

export const providerAgreementModel = (connection: Connection): ProviderAgreementModel =>
  (connection.models.ProviderAgreement as ProviderAgreementModel | undefined) ??
  connection.model<ProviderAgreementDoc>('ProviderAgreement', schema);
