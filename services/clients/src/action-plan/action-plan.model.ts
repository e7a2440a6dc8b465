import { Schema, type Connection, type Model } from 'mongoose';
import type { EquityAnswers } from '../client/client.model';
import type {
  ActiveOfferAnswer,
  ActiveOfferKind,
  ClosingReason,
  PlanItemStatus,
  PlanStatus,
  ReferralSource,
} from './plan-rules';
import type { Checkpoint as CheckpointName, EvidenceKind } from '../outcome/checkpoints';

export const STREAMS = ['A', 'B', 'C'] as const;
export type Stream = (typeof STREAMS)[number];
export {
  ACTIVE_OFFER_ANSWERS,
  ACTIVE_OFFER_KINDS,
  CLOSING_REASONS,
  PLAN_ITEM_STATUSES,
  PLAN_STATUSES,
  REFERRAL_SOURCES,
  type ActiveOfferAnswer,
  type ActiveOfferKind,
  type ClosingReason,
  type PlanItemStatus,
  type PlanStatus,
  type ReferralSource,
} from './plan-rules';
export { CHECKPOINTS, EVIDENCE_KINDS, type EvidenceKind } from '../outcome/checkpoints';
export type { Checkpoint as CheckpointName } from '../outcome/checkpoints';

/** The Common Assessment the plan links to (exactly one; optional before IES delivery). */
export interface AssessmentDoc {
  id: string;
  stream: Stream;
  assessedOn: string;
  assessedBy: string;
}

export interface PlanItemDoc {
  id: string;
  service: string;
  providerId: string;
  startDate: string;
  endDate: string | null;
  status: PlanItemStatus;
  outcome: string | null;
}

export interface SubGoalDoc {
  description: string;
  items: PlanItemDoc[];
}

export interface GoalDoc {
  description: string;
  subGoals: SubGoalDoc[];
}

export interface ReferralOutDoc {
  programId: string;
  referredOn: string;
  note: string | null;
}

export interface ActiveOfferDoc {
  kind: ActiveOfferKind;
  providerId: string;
  offeredOn: string;
  answer: ActiveOfferAnswer;
  recordedBy: string;
}

export interface JobDoc {
  employer: string;
  startedOn: string;
  hoursPerWeek: number;
  hourlyWageCents: number;
  subsidizedUntil: string | null;
}

export interface CheckpointDoc {
  checkpoint: CheckpointName;
  verifiedOn: string;
  employed: boolean;
  evidence: EvidenceKind;
  attestationPreApproved: boolean;
  /** Decided by the funded-outcome rule when verified (outcome/funded-outcome.ts). */
  fundedOutcome: boolean;
  outcomeReasons: string[];
  usesConcurrentJobs: boolean;
  verifiedBy: string;
}

/**
 * An employment action plan. A client's plans are numbered 1, 2, 3… and plan n's id is
 * `<client id>.<n>` (action-plan-slots.ts): a new plan takes the next number only after every earlier
 * plan is closed, so inserting version 1 of plan n is the lock that keeps one active plan per client.
 */
export interface ActionPlanDoc {
  _id: string;
  camsReference: string;
  clientId: string;
  sequence: number;
  catchmentId: string;
  providerId: string;
  siteId: string;
  leadCaseworker: string | null;
  referralSource: ReferralSource;
  assessment: AssessmentDoc | null;
  startedOn: string;
  status: PlanStatus;
  closedOn: string | null;
  closingReason: ClosingReason | null;
  goal: GoalDoc | null;
  reviewDates: string[];
  referralsOut: ReferralOutDoc[];
  activeOffers: ActiveOfferDoc[];
  /** Jobs the client held when the plan started (a client already working needs a new employer). */
  employmentAtStart: { employer: string; hoursPerWeek: number }[];
  jobs: JobDoc[];
  checkpoints: CheckpointDoc[];
  /** The client's equity answers and youth when the plan started: what aggregates count. */
  equityAtStart: EquityAnswers & { youth: boolean };
  createdAt: Date;
  createdBy: string;
  version: number;
}

const schema = new Schema<ActionPlanDoc>(
  {
    _id: { type: String, required: true },
    camsReference: { type: String, required: true },
    clientId: { type: String, required: true },
    sequence: { type: Number, required: true },
    catchmentId: { type: String, required: true },
    providerId: { type: String, required: true },
    siteId: { type: String, required: true },
    leadCaseworker: { type: String, default: null },
    referralSource: { type: String, enum: ['ONTARIO_WORKS', 'ODSP', 'SELF', 'OTHER'], required: true },
    assessment: { type: Schema.Types.Mixed, default: null },
    startedOn: { type: String, required: true },
    status: { type: String, enum: ['ACTIVE', 'CLOSED'], required: true },
    closedOn: { type: String, default: null },
    closingReason: { type: String, default: null },
    goal: { type: Schema.Types.Mixed, default: null },
    reviewDates: { type: [String], default: [] },
    referralsOut: { type: Schema.Types.Mixed, default: [] },
    activeOffers: { type: Schema.Types.Mixed, default: [] },
    employmentAtStart: { type: Schema.Types.Mixed, default: [] },
    jobs: { type: Schema.Types.Mixed, default: [] },
    checkpoints: { type: Schema.Types.Mixed, default: [] },
    equityAtStart: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'action_plans', versionKey: false, minimize: false },
);
schema.index({ camsReference: 1 }, { unique: true });
schema.index({ clientId: 1 });
schema.index({ catchmentId: 1 });
schema.index({ providerId: 1 });

export type ActionPlanModel = Model<ActionPlanDoc>;

export const actionPlanModel = (connection: Connection): ActionPlanModel =>
  (connection.models.EmploymentActionPlan as ActionPlanModel | undefined) ??
  connection.model<ActionPlanDoc>('EmploymentActionPlan', schema);
