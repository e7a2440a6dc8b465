import type { PlatformEvent } from './platform-event';

/**
 * How the gateway reads each kind of subject through the supergraph: the payload type carrying it, the
 * payload's field holding the entity, and the root field that looks one up by id. A subject type missing
 * here (a dispute category, an SLA policy) has no lookup: its events are heard by the ministry only.
 */
export const SUBJECT_KINDS = {
  Dispute: { payloadType: 'DisputeEvent', entityField: 'dispute', lookupField: 'dispute' },
  EmploymentActionPlan: {
    payloadType: 'ActionPlanEvent',
    entityField: 'actionPlan',
    lookupField: 'actionPlan',
  },
  ProviderAgreement: {
    payloadType: 'AgreementEvent',
    entityField: 'agreement',
    lookupField: 'providerAgreement',
  },
  Contract: { payloadType: 'ContractEvent', entityField: 'contract', lookupField: 'contract' },
  CatchmentArea: {
    payloadType: 'CatchmentEvent',
    entityField: 'catchmentArea',
    lookupField: 'catchmentArea',
  },
  ServiceSystemManager: {
    payloadType: 'ServiceSystemManagerEvent',
    entityField: 'serviceSystemManager',
    lookupField: 'serviceSystemManager',
  },
  Client: { payloadType: 'ClientEvent', entityField: 'client', lookupField: 'client' },
} as const;

export type SubjectTypename = keyof typeof SUBJECT_KINDS;
export type SubjectKind = (typeof SUBJECT_KINDS)[SubjectTypename];

export const subjectKindOf = (typename: string): SubjectKind | null =>
  Object.hasOwn(SUBJECT_KINDS, typename) ? SUBJECT_KINDS[typename as SubjectTypename] : null;

/** One subscription field of the supergraph's vocabulary: the events it carries, about one subject type. */
export interface EventTopic {
  field: string;
  subject: SubjectTypename;
  description: string;
  matches(event: PlatformEvent): boolean;
}

const ofType =
  (...types: string[]) =>
  (event: PlatformEvent) =>
    types.includes(event.type);

/**
 * A dispute reaching `status`: the event named for it, or a status change to it (the disputes service
 * records every transition as `DisputeStatusChanged { from, to }`).
 */
const disputeReached =
  (type: string, status: string) =>
  (event: PlatformEvent): boolean =>
    event.type === type || (event.type === 'DisputeStatusChanged' && event.data.to === status);

/** Every typed subscription field; `events(types, catchmentIds)` carries any type. */
export const EVENT_TOPICS: readonly EventTopic[] = [
  {
    field: 'disputeOpened',
    subject: 'Dispute',
    description: 'A dispute was opened (or reopened).',
    matches: ofType('DisputeOpened', 'DisputeReopened'),
  },
  {
    field: 'disputeAcknowledged',
    subject: 'Dispute',
    description: 'A dispute was acknowledged.',
    matches: disputeReached('DisputeAcknowledged', 'ACKNOWLEDGED'),
  },
  {
    field: 'disputeEscalated',
    subject: 'Dispute',
    description: 'A dispute was escalated, by a party or by a breached SLA clock.',
    matches: disputeReached('DisputeEscalated', 'ESCALATED'),
  },
  {
    field: 'disputeResolved',
    subject: 'Dispute',
    description: 'A dispute was resolved.',
    matches: disputeReached('DisputeResolved', 'RESOLVED'),
  },
  {
    field: 'actionPlanStarted',
    subject: 'EmploymentActionPlan',
    description: 'A client started an employment action plan.',
    matches: ofType('ActionPlanStarted'),
  },
  {
    field: 'actionPlanClosed',
    subject: 'EmploymentActionPlan',
    description: 'An employment action plan was closed.',
    matches: ofType('ActionPlanClosed'),
  },
  {
    field: 'checkpointVerified',
    subject: 'EmploymentActionPlan',
    description: "An outcome checkpoint of a plan's job was verified.",
    matches: ofType('CheckpointVerified', 'OutcomeCheckpointVerified'),
  },
  {
    field: 'agreementCreated',
    subject: 'ProviderAgreement',
    description: 'An SSM → provider agreement was created.',
    matches: ofType('AgreementCreated'),
  },
  {
    field: 'agreementAmended',
    subject: 'ProviderAgreement',
    description: "An agreement's funding or targets were amended.",
    matches: ofType('AgreementAmended'),
  },
  {
    field: 'agreementStatusChanged',
    subject: 'ProviderAgreement',
    description: "An agreement's status changed.",
    matches: ofType('AgreementStatusChanged'),
  },
  {
    field: 'contractCreated',
    subject: 'Contract',
    description: 'A ministry → SSM contract was created.',
    matches: ofType('ContractCreated'),
  },
  {
    field: 'contractAmended',
    subject: 'Contract',
    description: "A contract's funding or targets were amended.",
    matches: ofType('ContractAmended'),
  },
  {
    field: 'catchmentServiceSystemManagerAssigned',
    subject: 'CatchmentArea',
    description: 'The ministry assigned a catchment its SSM.',
    matches: ofType('CatchmentServiceSystemManagerAssigned'),
  },
  {
    field: 'catchmentPeriodsChanged',
    subject: 'CatchmentArea',
    description: "A catchment's planning, transition or delivery dates changed.",
    matches: ofType('CatchmentPeriodsChanged'),
  },
];

export const topicNamed = (field: string): EventTopic | undefined =>
  EVENT_TOPICS.find((t) => t.field === field);
