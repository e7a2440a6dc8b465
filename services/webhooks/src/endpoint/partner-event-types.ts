/**
 * The event types a partner may subscribe to: facts partners may read through the API anyway
 * (catchment periods, SSMs and delivery zones, contracts without their funding, the published dispute
 * processes), whose events carry no personal data, funding figures or provider agreements. Other
 * types (disputes, clients, action plans, agreements) reach the ministry's endpoints only. A type
 * added here must meet the same bar: its `data` is public.
 */
export const PARTNER_EVENT_TYPES: readonly string[] = [
  'CatchmentPeriodsChanged',
  'CatchmentServiceSystemManagerAssigned',
  'CatchmentServiceDeliveryZoneSaved',
  'ContractCreated',
  'DisputeProcessPublished',
];

/** An event type name: PascalCase, 3–64 characters. */
export const EVENT_TYPE_NAME = /^[A-Z][A-Za-z0-9]{2,63}$/;
