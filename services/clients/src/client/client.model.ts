import { Schema, type Connection, type Model } from 'mongoose';

import type { ClientEquity } from './equity';

export { EQUITY_ANSWERS, EQUITY_FIELDS, type EquityAnswer, type EquityField } from './equity';

/** Self-identified and optional: null means not asked (or not answered yet). */
export type EquityAnswers = ClientEquity;

export interface ClientContact {
  email: string | null;
  phone: string | null;
}

/**
 * A person served by IES. Identifying fields (names, birth date, contact, CaMS reference, equity
 * answers) are personal information: only the serving provider, the SSM of the client's catchment and
 * the ministry read them (client-access.ts). The id is random, so it reveals nothing.
 */
export interface ClientDoc {
  _id: string;
  /** The CaMS client reference: unique, the key partners use. */
  camsReference: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  contact: ClientContact | null;
  equity: EquityAnswers;
  /** The catchment and provider serving the client now (those of the latest plan). */
  catchmentId: string;
  providerId: string;
  createdAt: Date;
  createdBy: string;
  version: number;
}

/**
 * A client as resolved: a reference from another subgraph (a dispute's party, say) may be out of the
 * caller's scope, and then resolves to its id only, with every identifying field FORBIDDEN.
 */
export type ClientRef = ClientDoc | { _id: string; outOfScope: true };

const schema = new Schema<ClientDoc>(
  {
    _id: { type: String, required: true },
    camsReference: { type: String, required: true },
    givenName: { type: String, required: true },
    familyName: { type: String, required: true },
    birthDate: { type: String, required: true },
    contact: { type: Schema.Types.Mixed, default: null },
    equity: { type: Schema.Types.Mixed, required: true },
    catchmentId: { type: String, required: true },
    providerId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'clients', versionKey: false, minimize: false },
);
// The CaMS reference identifies a client: a second registration of it is a CONFLICT, not a twin.
schema.index({ camsReference: 1 }, { unique: true });
schema.index({ catchmentId: 1 });
schema.index({ providerId: 1 });

export type ClientModel = Model<ClientDoc>;

export const clientModel = (connection: Connection): ClientModel =>
  (connection.models.Client as ClientModel | undefined) ?? connection.model<ClientDoc>('Client', schema);
