import type { ChangeRecord } from '@ies/change-log';

/** What the relay reads of a change-log record. */
export type OutboxRecord = Pick<ChangeRecord, '_id' | 'subject' | 'version' | 'at' | 'projected' | 'events'>;

/**
 * Of unpublished change-log records (outside open batches), those the relay may publish now, in the
 * order to publish them: by time, a subject's versions in order.
 *
 * A creation (version 1) not yet projected is not final: `ChangeLog.create` deletes its record when
 * the projection collides with another document's natural key, so its events could announce a
 * creation that never happened. It waits until projected (its writer projects it within
 * milliseconds; a crashed writer's is rolled forward by the next reader or writer). A later version
 * is never undone. Whatever follows a held record of the same subject waits too, so a subject's
 * events are published in version order.
 */
export function pendingRecordsInOrder<R extends OutboxRecord>(records: R[]): R[] {
  const ordered = [...records].sort(
    (a, b) => new Date(a.at).getTime() - new Date(b.at).getTime() || a.version - b.version,
  );
  const held = new Set<string>();
  return ordered.filter((record) => {
    if (held.has(record.subject) || (record.version === 1 && !record.projected)) {
      held.add(record.subject);
      return false;
    }
    return true;
  });
}
