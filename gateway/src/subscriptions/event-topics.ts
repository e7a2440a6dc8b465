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
  /** The event types it carries. */
  types: readonly string[];
  matches(event: PlatformEvent): boolean;
}

const topic = (
  field: string,
  subject: SubjectTypename,
  description: string,
  ...types: string[]
): EventTopic => ({ field, subject, description, types, matches: (event) => types.includes(event.type) });

/**
 * Every typed subscription field, named after the events it carries (docs/events.md lists them);
 * `events(types, catchmentIds)` carries any type.
 */
export const EVENT_TOPICS: readonly EventTopic[] = [
  topic(
    'disputeOpened',
    'Dispute',
    'A dispute was opened, or a closed one reopened.',
    'DisputeOpened',
    'DisputeReopened',
  ),
  topic('disputeAcknowledged', 'Dispute', 'A dispute was acknowledged.', 'DisputeAcknowledged'),
  topic(
    'disputeEscalated',
    'Dispute',
    'A dispute was escalated, by a party or by the SLA sweep for a breached clock.',
    'DisputeEscalated',
  ),
  topic('disputeResolved', 'Dispute', 'A dispute was resolved.', 'DisputeResolved'),
  topic('disputeWithdrawn', 'Dispute', 'A dispute was withdrawn.', 'DisputeWithdrawn'),
  topic('clientRegistered', 'Client', 'A provider registered a client.', 'ClientRegistered'),
  topic(
    'actionPlanStarted',
    'EmploymentActionPlan',
    'A client started an employment action plan.',
    'ActionPlanStarted',
  ),
  topic(
    'actionPlanClosed',
    'EmploymentActionPlan',
    'An employment action plan was closed.',
    'ActionPlanClosed',
  ),
  topic(
    'checkpointVerified',
    'EmploymentActionPlan',
    "An outcome checkpoint of a plan's job was verified, funded or not.",
    'CheckpointVerified',
    'FundedOutcomeVerified',
  ),
  topic(
    'fundedOutcomeVerified',
    'EmploymentActionPlan',
    'An outcome checkpoint was verified as a funded outcome.',
    'FundedOutcomeVerified',
  ),
  topic(
    'agreementCreated',
    'ProviderAgreement',
    'An SSM → provider agreement was created.',
    'AgreementCreated',
  ),
  topic(
    'agreementAmended',
    'ProviderAgreement',
    "An agreement's funding or targets were amended.",
    'AgreementAmended',
  ),
  topic(
    'agreementStatusChanged',
    'ProviderAgreement',
    "An agreement's status changed.",
    'AgreementStatusChanged',
  ),
  topic('contractCreated', 'Contract', 'A ministry → SSM contract was created.', 'ContractCreated'),
  topic('contractAmended', 'Contract', "A contract's funding or targets were amended.", 'ContractAmended'),
  topic(
    'catchmentServiceSystemManagerAssigned',
    'CatchmentArea',
    'The ministry assigned a catchment its SSM.',
    'CatchmentServiceSystemManagerAssigned',
  ),
  topic(
    'catchmentPeriodsChanged',
    'CatchmentArea',
    "A catchment's planning, transition or delivery dates changed.",
    'CatchmentPeriodsChanged',
  ),
];

export const topicNamed = (field: string): EventTopic | undefined =>
  EVENT_TOPICS.find((t) => t.field === field);
