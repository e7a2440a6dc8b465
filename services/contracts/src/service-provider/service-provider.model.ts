import { Schema, type Connection, type Model } from 'mongoose';

export const PROVIDER_ORGANIZATION_TYPES = [
  'PRIVATE',
  'PUBLIC',
  'NON_PROFIT',
  'MUNICIPAL',
  'INDIGENOUS_ORGANIZATION',
] as const;
export type ProviderOrganizationType = (typeof PROVIDER_ORGANIZATION_TYPES)[number];

export interface SiteDoc {
  id: string;
  name: string;
  address: string;
  community: string;
  catchmentId: string;
  insideCatchment: boolean;
  onReserve: boolean;
}

export interface ServiceProviderDoc {
  _id: string;
  organizationName: string;
  organizationType: ProviderOrganizationType;
  indigenousProvider: boolean;
  francophoneProvider: boolean;
  sites: SiteDoc[];
  /** Distinct catchments of the sites, kept beside them so a catchment filter is a plain array match. */
  catchmentIds: string[];
  version: number;
}

const siteSchema = new Schema<SiteDoc>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    address: { type: String, required: true },
    community: { type: String, required: true },
    catchmentId: { type: String, required: true },
    insideCatchment: { type: Boolean, required: true },
    onReserve: { type: Boolean, required: true, default: false },
  },
  { _id: false },
);

const schema = new Schema<ServiceProviderDoc>(
  {
    _id: { type: String, required: true },
    organizationName: { type: String, required: true },
    organizationType: { type: String, enum: PROVIDER_ORGANIZATION_TYPES, required: true },
    indigenousProvider: { type: Boolean, required: true, default: false },
    francophoneProvider: { type: Boolean, required: true, default: false },
    sites: { type: [siteSchema], default: [] },
    catchmentIds: { type: [String], default: [] },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'service_providers', versionKey: false },
);
schema.index({ catchmentIds: 1 });

export type ServiceProviderModel = Model<ServiceProviderDoc>;

export const serviceProviderModel = (connection: Connection): ServiceProviderModel =>
  (connection.models.ServiceProvider as ServiceProviderModel | undefined) ??
  connection.model<ServiceProviderDoc>('ServiceProvider', schema);
