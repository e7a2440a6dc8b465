import { Schema, type Connection, type Model } from 'mongoose';

export const ORGANIZATION_TYPES = ['PRIVATE', 'PUBLIC', 'NON_PROFIT', 'MUNICIPAL'] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export interface ServiceSystemManagerDoc {
  _id: string;
  organizationName: string;
  organizationType: OrganizationType;
  /** The version of the last change-log record this projection carries. */
  version: number;
}

const schema = new Schema<ServiceSystemManagerDoc>(
  {
    _id: { type: String, required: true },
    organizationName: { type: String, required: true },
    organizationType: { type: String, enum: ORGANIZATION_TYPES, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'service_system_managers', versionKey: false },
);

export type ServiceSystemManagerModel = Model<ServiceSystemManagerDoc>;

export const serviceSystemManagerModel = (connection: Connection): ServiceSystemManagerModel =>
  (connection.models.ServiceSystemManager as ServiceSystemManagerModel | undefined) ??
  connection.model<ServiceSystemManagerDoc>('ServiceSystemManager', schema);
