/**
 * Every event type the platform publishes, with the GraphQL type of its subject: the catalogue that
 * filters are checked against (a webhook endpoint's `eventTypes`, a subscription's `events(types:)`),
 * so a misspelt or invented type is refused instead of matching nothing forever. docs/events.md lists
 * the same types (a test holds them together). A service that adds an event type adds it here.
 * Types recorded but never published (`DisputeImported`: a batch import's history, ADR 0018) are not
 * in it: nobody can hear them.
 */
export const PLATFORM_EVENT_SUBJECTS: Readonly<Record<string, string>> = Object.freeze({
  CatchmentServiceSystemManagerAssigned: 'CatchmentArea',
  CatchmentPeriodsChanged: 'CatchmentArea',
  CatchmentServiceDeliveryZoneSaved: 'CatchmentArea',
  ContractCreated: 'Contract',
  ContractAmended: 'Contract',
  AgreementCreated: 'ProviderAgreement',
  AgreementAmended: 'ProviderAgreement',
  AgreementStatusChanged: 'ProviderAgreement',
  ClientRegistered: 'Client',
  ClientUpdated: 'Client',
  ClientServingChanged: 'Client',
  ActionPlanStarted: 'EmploymentActionPlan',
  ActionPlanUpdated: 'EmploymentActionPlan',
  ClientReferredOut: 'EmploymentActionPlan',
  ActiveOfferRecorded: 'EmploymentActionPlan',
  EmploymentRecorded: 'EmploymentActionPlan',
  CheckpointVerified: 'EmploymentActionPlan',
  FundedOutcomeVerified: 'EmploymentActionPlan',
  ActionPlanClosed: 'EmploymentActionPlan',
  DisputeOpened: 'Dispute',
  DisputeReopened: 'Dispute',
  DisputeStatusChanged: 'Dispute',
  DisputeAcknowledged: 'Dispute',
  DisputeUnderReview: 'Dispute',
  DisputeEscalated: 'Dispute',
  DisputeResolved: 'Dispute',
  DisputeWithdrawn: 'Dispute',
  DisputeSlaBreached: 'Dispute',
  DisputeCategoryAdded: 'DisputeCategory',
  DisputeCategoryChanged: 'DisputeCategory',
  DisputeSlaPolicySet: 'DisputeSlaPolicy',
  DisputeProcessPublished: 'DisputeProcess',
  WebhookEndpointDisabled: 'WebhookEndpoint',
});

export const isPlatformEventType = (type: string): boolean => Object.hasOwn(PLATFORM_EVENT_SUBJECTS, type);

/** The GraphQL type of the subject of an event type, or null for a type the platform does not publish. */
export const subjectTypenameOf = (type: string): string | null =>
  isPlatformEventType(type) ? PLATFORM_EVENT_SUBJECTS[type]! : null;

/** Of these names, those that are not event types of the platform (at most 10, each cut to 64 characters). */
export const unknownEventTypes = (types: readonly string[]): string[] =>
  types
    .filter((type) => !isPlatformEventType(type))
    .slice(0, 10)
    .map((type) => type.slice(0, 64));
