export {
  ChangeLog,
  DEFAULT_REPAIR_AFTER_MS,
  type Actor,
  type ChangeInput,
  type ChangeLogOptions,
  type ChangeOutcome,
  type Planned,
  type PlannedChange,
  type Versioned,
} from './change-log';
export {
  changeRecordModel,
  recordId,
  subjectKey,
  type ChangeRecord,
  type ChangeRecordModel,
} from './change-record';
export { domainEvent, type DomainEvent, type EventDraft } from './domain-event';
export { openBatchModel, type OpenBatchDoc, type OpenBatchModel } from './open-batch';
export {
  attachChangeLogLogger,
  attachRecordPublisher,
  changeLogLoggerOf,
  detachChangeLogLogger,
  detachRecordPublisher,
  recordPublisherOf,
  type ChangeLogLogger,
  type RecordPublisher,
} from './record-publisher';
