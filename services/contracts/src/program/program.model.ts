import { Schema, type Connection, type Model } from 'mongoose';

export const PROGRAM_SCOPES = ['IN_SCOPE', 'OUT_OF_SCOPE'] as const;
export type ProgramScope = (typeof PROGRAM_SCOPES)[number];
export const PROGRAM_OVERSEERS = ['MINISTRY', 'SSM'] as const;
export type ProgramOverseer = (typeof PROGRAM_OVERSEERS)[number];
export const PROGRAM_CATEGORIES = ['EMPLOYMENT_ONTARIO', 'SOCIAL_ASSISTANCE'] as const;
export type ProgramCategory = (typeof PROGRAM_CATEGORIES)[number];

export interface ProgramDoc {
  _id: string;
  name: string;
  category: ProgramCategory;
  scope: ProgramScope;
  overseer: ProgramOverseer;
  inScopeFromIesDelivery: boolean;
}

const schema = new Schema<ProgramDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    category: { type: String, enum: PROGRAM_CATEGORIES, required: true },
    scope: { type: String, enum: PROGRAM_SCOPES, required: true },
    overseer: { type: String, enum: PROGRAM_OVERSEERS, required: true },
    inScopeFromIesDelivery: { type: Boolean, required: true, default: false },
  },
  { collection: 'programs', versionKey: false },
);

export type ProgramModel = Model<ProgramDoc>;

export const programModel = (connection: Connection): ProgramModel =>
  (connection.models.Program as ProgramModel | undefined) ?? connection.model<ProgramDoc>('Program', schema);
