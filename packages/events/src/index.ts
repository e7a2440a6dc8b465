export {
  DEFAULT_STREAM_MAX_LENGTH,
  eventStreamKey,
  parseStreamEntry,
  streamFields,
  wireEvent,
  type PlatformEvent,
  type StreamEntry,
} from './platform-event';
export { PARTNER_EVENT_TYPES, isPartnerEventType } from './partner-event-types';
export {
  PLATFORM_EVENT_SUBJECTS,
  isPlatformEventType,
  subjectTypenameOf,
  unknownEventTypes,
} from './event-types';
export { publishEvents, type PublishOptions } from './publish-events';
export {
  PUBLISHED_VERSION_TTL_MS,
  attachEventPublisher,
  attachServiceEventPublisher,
  publishRecordInOrder,
  publishRecords,
  publishedVersionKey,
  type EventPublisher,
  type ServiceEventsConfig,
  type EventPublisherOptions,
  type PublishableRecord,
} from './record-publisher';
export {
  DEFAULT_RELAY_BATCH_SIZE,
  DEFAULT_RELAY_POLL_MS,
  markPublished,
  readOutbox,
  relayOutbox,
  startEventRelay,
  type EventRelay,
  type EventRelayOptions,
  type UnprojectedRepair,
} from './event-relay';
export { pendingRecordsInOrder, type OutboxRecord } from './outbox-order';
export {
  DEFAULT_CLAIM_IDLE_MS,
  DEFAULT_DEDUPE_TTL_MS,
  DEFAULT_LEASE_MS,
  consumeEventGroup,
  type ConsumeEventGroupOptions,
  type EntryOutcome,
  type EventConsumer,
} from './consume-event-group';
export { handledKey } from './handled-marks';
export { tailEvents, type EventTail, type TailEventsOptions } from './tail-events';
export {
  startConfiguredEventRelay,
  startServiceEventRelay,
  type ServiceEventRelay,
  type ServiceEventRelayOptions,
} from './service-event-relay';
