import { Schema, type Connection, type Model } from 'mongoose';
import { changeRecordSchema, type ChangeRecord } from '../common/change-record';

export const ORGANIZATION_TYPES = ['PRIVATE', 'PUBLIC', 'NON_PROFIT', 'MUNICIPAL'] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export interface ServiceSystemManagerDoc {
  _id: string;
  organizationName: string;
  organizationType: OrganizationType;
  version: number;
  changes: ChangeRecord[];
}

const schema = new Schema<ServiceSystemManagerDoc>(
  {
    _id: { type: String, required: true },
    organizationName: { type: String, required: true },
    organizationType: { type: String, enum: ORGANIZATION_TYPES, required: true },
    version: { type: Number, required: true, default: 1 },
    changes: { type: [changeRecordSchema], default: [] },
  },
  { collection: 'service_system_managers', versionKey: false },
);

export type ServiceSystemManagerModel = Model<ServiceSystemManagerDoc>;

export const serviceSystemManagerModel = (connection: Connection): ServiceSystemManagerModel =>
  (connection.models.ServiceSystemManager as ServiceSystemManagerModel | undefined) ??
  connection.model<ServiceSystemManagerDoc>('ServiceSystemManager', schema);
