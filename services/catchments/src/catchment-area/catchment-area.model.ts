import { Schema, type Connection, type Model } from 'mongoose';

export const ROLLOUT_PHASES = ['PROTOTYPE', 'PHASE_1', 'PHASE_2', 'PHASE_3'] as const;
export type RolloutPhase = (typeof ROLLOUT_PHASES)[number];

export interface ServiceDeliveryZone {
  id: string;
  name: string;
  communities: string[];
}

export interface CatchmentAreaDoc {
  _id: string;
  name: string;
  phase: RolloutPhase;
  ssmId: string | null;
  planningStartDate: string | null;
  transitionStartDate: string | null;
  iesDeliveryStartDate: string | null;
  zones: ServiceDeliveryZone[];
  notes: string[];
  /** The version of the last change-log record this projection carries (docs/adr/0010). */
  version: number;
}

const zoneSchema = new Schema<ServiceDeliveryZone>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    communities: { type: [String], required: true },
  },
  { _id: false },
);

const catchmentAreaSchema = new Schema<CatchmentAreaDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    phase: { type: String, enum: ROLLOUT_PHASES, required: true },
    ssmId: { type: String, default: null },
    planningStartDate: { type: String, default: null },
    transitionStartDate: { type: String, default: null },
    iesDeliveryStartDate: { type: String, default: null },
    zones: { type: [zoneSchema], default: [] },
    notes: { type: [String], default: [] },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'catchment_areas', versionKey: false },
);
catchmentAreaSchema.index({ ssmId: 1 });
catchmentAreaSchema.index({ phase: 1 });

export type CatchmentAreaModel = Model<CatchmentAreaDoc>;

export const catchmentAreaModel = (connection: Connection): CatchmentAreaModel =>
  (connection.models.CatchmentArea as CatchmentAreaModel | undefined) ??
  connection.model<CatchmentAreaDoc>('CatchmentArea', catchmentAreaSchema);
