import type { Connection } from 'mongoose';
import type { ChangeRecord } from './change-record';

/**
 * Publishes one change-log record's events the moment its writer has projected it, if the subject's
 * previous version is known to be published already (so a subject's events stay in version order).
 * Resolves true when the record's events are on the stream (the writer then marks it published in
 * the same update that marks it projected), false when they are left to the events relay (the
 * previous version not known published, the broker down or slow). Never rejects.
 */
export type RecordPublisher = (record: ChangeRecord<object>) => Promise<boolean>;

const publishers = new WeakMap<Connection, RecordPublisher>();

/**
 * Makes every change log on this connection publish its writers' records at once (`@ies/events`
 * `attachEventPublisher` builds the publisher). Without one, records wait for the relay's next poll.
 */
export function attachRecordPublisher(connection: Connection, publisher: RecordPublisher): void {
  publishers.set(connection, publisher);
}

export function detachRecordPublisher(connection: Connection): void {
  publishers.delete(connection);
}

export function recordPublisherOf(connection: Connection): RecordPublisher | undefined {
  return publishers.get(connection);
}

/** Where a change log reports what it left to readers (a warning with its error and the record's id). */
export interface ChangeLogLogger {
  warn(details: object, message: string): void;
}

const loggers = new WeakMap<Connection, ChangeLogLogger>();

/**
 * Gives the change logs on this connection a logger for what they leave to readers (a projection that
 * failed after its change was recorded). `@ies/events` `attachEventPublisher` attaches the process's.
 */
export function attachChangeLogLogger(connection: Connection, logger: ChangeLogLogger): void {
  loggers.set(connection, logger);
}

export function detachChangeLogLogger(connection: Connection): void {
  loggers.delete(connection);
}

export function changeLogLoggerOf(connection: Connection): ChangeLogLogger | undefined {
  return loggers.get(connection);
}
