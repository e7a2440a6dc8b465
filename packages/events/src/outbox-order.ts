import type { ChangeRecord } from '@ies/change-log';

/** What the relay reads of a change-log record. */
export type OutboxRecord = Pick<ChangeRecord, '_id' | 'subject' | 'version' | 'at' | 'projected' | 'events'> &
  Pick<Partial<ChangeRecord>, 'batch'>;

/**
 * Of unpublished change-log records (outside open batches), those the relay may publish now, in the
 * order to publish them: by time, a subject's versions in order. `earlierOutside` are unpublished
 * records of the same subjects that were not read with them: a later version waits for those.
 *
 * A record not yet projected waits until it is, whatever its version (its writer projects it within
 * milliseconds; a crashed writer's is rolled forward by the next reader or writer). A creation
 * (version 1) is not final before: `ChangeLog.create` deletes its record when the projection collides
 * with another document's natural key, so its events could announce a creation that never happened.
 * And any record: the writer's `projected: true` update rewrites the whole document on FerretDB (last
 * writer wins), so a relay's `published: true` landing before it could be erased, or could erase it.
 * Waiting until projected means the writer's update has landed before the relay marks. Whatever
 * follows a held record of the same subject waits too, so a subject's events are published in
 * version order.
 */
export function pendingRecordsInOrder<R extends OutboxRecord>(
  records: R[],
  earlierOutside: Pick<OutboxRecord, 'subject' | 'version'>[] = [],
): R[] {
  const lowestOutside = new Map<string, number>();
  for (const { subject, version } of earlierOutside) {
    lowestOutside.set(subject, Math.min(version, lowestOutside.get(subject) ?? Infinity));
  }
  const ordered = inVersionOrderPerSubject(
    [...records].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime() || a.version - b.version),
  );
  const held = new Set<string>();
  return ordered.filter((record) => {
    const waits = (lowestOutside.get(record.subject) ?? Infinity) < record.version;
    if (waits || held.has(record.subject) || !record.projected) {
      held.add(record.subject);
      return false;
    }
    return true;
  });
}

/**
 * Records sorted by time, with each subject's records put in version order in the places its records
 * hold (writers' clocks may disagree by a few milliseconds; a subject's versions never do).
 */
function inVersionOrderPerSubject<R extends OutboxRecord>(byTime: R[]): R[] {
  const bySubject = new Map<string, R[]>();
  for (const record of byTime)
    bySubject.set(record.subject, [...(bySubject.get(record.subject) ?? []), record]);
  for (const list of bySubject.values()) list.sort((a, b) => a.version - b.version);
  const next = new Map<string, number>();
  return byTime.map((record) => {
    const i = next.get(record.subject) ?? 0;
    next.set(record.subject, i + 1);
    return bySubject.get(record.subject)![i]!;
  });
}
