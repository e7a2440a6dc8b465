import { Schema, type Connection, type Model } from 'mongoose';
import type { IsoDate } from '@ies/calendar';
import {
  DISPUTE_KINDS,
  DISPUTE_STATUSES,
  ESCALATION_LEVELS,
  type DisputeKind,
  type DisputeResolution,
  type DisputeStatus,
  type DisputeTransition,
  type EscalationLevel,
} from './dispute-lifecycle';
import type { SlaClock, SlaDueDates, SlaPolicy } from './dispute-sla';

/**
 * How the SLA sweep handled one breached clock (recorded once per clock, so it never acts twice):
 * - ESCALATED: the sweep escalated the dispute to `escalatedTo`;
 * - ALREADY_ESCALATED: someone escalated it after the due date already, the sweep did not again;
 * - AT_TOP_LEVEL: the dispute was at the ministry, there is no level above.
 */
export const BREACH_HANDLINGS = ['ESCALATED', 'ALREADY_ESCALATED', 'AT_TOP_LEVEL'] as const;
export type BreachHandling = (typeof BREACH_HANDLINGS)[number];

export interface SlaBreachDoc {
  clock: SlaClock;
  dueOn: IsoDate;
  /** The date the sweep found the clock breached. */
  detectedOn: IsoDate;
  handling: BreachHandling;
  escalatedTo: EscalationLevel | null;
}

/**
 * A dispute's current state: the projection of its change log (docs/adr/0010). The lifecycle fields
 * (`DisputeState` of dispute-lifecycle.ts) plus the parties, the category and what the sweep recorded.
 */
export interface DisputeDoc {
  /** `dsp-<hash of reference>`: the reference is the natural key, so a duplicate open is a CONFLICT. */
  _id: string;
  reference: string;
  kind: DisputeKind;
  catchmentId: string;
  /** The catchment's SSM when the dispute was opened (the SSM party). */
  ssmId: string | null;
  /** The provider party: the provider serving the client (client disputes) or the complainant. */
  providerId: string | null;
  /** The clients service's `Client` id, when the dispute was opened through the API with one. */
  clientId: string | null;
  /** The client's CaMS reference as an import gave it (the clients service is the authority). */
  clientCamsReference: string | null;
  /** A code of the category catalogue. */
  category: string;
  /** What the dispute is about: the reason recorded with OPENED. */
  description: string;
  status: DisputeStatus;
  /** `status` is not RESOLVED or WITHDRAWN: the sweep's equality filter. */
  open: boolean;
  level: EscalationLevel;
  openedOn: IsoDate;
  history: DisputeTransition[];
  resolution: DisputeResolution | null;
  /** The reference of the closed dispute this one reopens. */
  reopenedFrom: string | null;
  sla: { policy: SlaPolicy } & SlaDueDates;
  slaBreaches: SlaBreachDoc[];
  createdAt: Date;
  createdBy: string;
  version: number;
}

const transitionSchema = new Schema(
  {
    status: { type: String, enum: DISPUTE_STATUSES, required: true },
    level: { type: String, enum: ESCALATION_LEVELS, required: true },
    by: { type: String, required: true },
    on: { type: String, required: true },
    reason: { type: String, required: true },
  },
  { _id: false },
);

const schema = new Schema<DisputeDoc>(
  {
    _id: { type: String, required: true },
    reference: { type: String, required: true },
    kind: { type: String, enum: DISPUTE_KINDS, required: true },
    catchmentId: { type: String, required: true },
    ssmId: { type: String, default: null },
    providerId: { type: String, default: null },
    clientId: { type: String, default: null },
    clientCamsReference: { type: String, default: null },
    category: { type: String, required: true },
    description: { type: String, required: true },
    status: { type: String, enum: DISPUTE_STATUSES, required: true },
    open: { type: Boolean, required: true },
    level: { type: String, enum: ESCALATION_LEVELS, required: true },
    openedOn: { type: String, required: true },
    history: { type: [transitionSchema], default: [] },
    resolution: { type: Schema.Types.Mixed, default: null },
    reopenedFrom: { type: String, default: null },
    sla: { type: Schema.Types.Mixed, required: true },
    slaBreaches: { type: Schema.Types.Mixed, default: [] },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'disputes', versionKey: false, minimize: false },
);
schema.index({ reference: 1 }, { unique: true });
// Every list and summary starts from an equality on one of these (ADR 0008).
schema.index({ catchmentId: 1, _id: 1 });
schema.index({ providerId: 1, _id: 1 });
schema.index({ clientId: 1, _id: 1 });
// The SLA sweep reads the open disputes.
schema.index({ open: 1 });

export type DisputeModel = Model<DisputeDoc>;

export const disputeModel = (connection: Connection): DisputeModel =>
  (connection.models.Dispute as DisputeModel | undefined) ?? connection.model<DisputeDoc>('Dispute', schema);
