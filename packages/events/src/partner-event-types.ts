/**
 * The event types a partner may hear, over webhooks and over subscriptions alike (ADR 0019, ADR 0020):
 * facts partners may read through the API anyway (catchment periods, SSMs and delivery zones, contracts
 * without their funding, the published dispute processes), whose events carry no personal data, funding
 * figures or provider agreements. Other types (disputes, clients, action plans, agreements, contract
 * amendments) reach the ministry and the roles they concern only. A type added here must meet the same
 * bar: its `data` is public, and its subject is one a partner may read.
 */
export const PARTNER_EVENT_TYPES: readonly string[] = [
  'CatchmentPeriodsChanged',
  'CatchmentServiceSystemManagerAssigned',
  'CatchmentServiceDeliveryZoneSaved',
  'ContractCreated',
  'DisputeProcessPublished',
];

export const isPartnerEventType = (type: string): boolean => PARTNER_EVENT_TYPES.includes(type);
