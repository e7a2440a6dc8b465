import type { Connection } from 'mongoose';
import { engineOf, findWhereIn } from '@ies/db';
import {
  attachChangeLogLogger,
  changeLogLoggerOf,
  changeRecordModel,
  detachChangeLogLogger,
  openBatchModel,
} from '@ies/change-log';
import type { Logger } from '@ies/logger';
import type { Redis } from '@ies/redis';
import { failureDelayMs, pauser } from './pause';
import { publishRecords } from './record-publisher';
import { pendingRecordsInOrder, type OutboxRecord } from './outbox-order';

export interface EventRelayOptions {
  /** The producing service (`service` of every entry). */
  service: string;
  /** The service database's connection (its `change_log` is the outbox). */
  connection: Connection;
  redis: Redis;
  prefix: string;
  logger: Logger;
  /** Pause between polls of an outbox with nothing to relay; default 150 ms, up to 8 times that while idle. */
  pollMs?: number;
  /** Records read per poll; default 200. */
  batchSize?: number;
  /** Approximate stream length kept; default 1,000,000. */
  streamMaxLength?: number;
  /**
   * The service's change logs. A record its writer left unprojected (a crash, or a projection the
   * engine failed twice) is held back until projected; past its log's repair delay the relay rolls
   * it forward itself, instead of waiting for a reader or the subject's next change.
   */
  repairs?: readonly UnprojectedRepair[];
}

/** What the relay needs of a change log (`ChangeLog` has it) to roll forward what it holds back. */
export interface UnprojectedRepair {
  readonly subjectType: string;
  /** Milliseconds a record stays unprojected before it is rolled forward. */
  readonly repairAfter: number;
  /** Rolls forward the subject type's records unprojected for longer; answers how many subjects. */
  repairUnprojected(): Promise<number>;
}

export interface EventRelay {
  stop(): Promise<void>;
}

export const DEFAULT_RELAY_POLL_MS = 150;
/**
 * An idle relay (its rounds relay nothing: writers publish their own records, ADR 0018) doubles its
 * pause after each such round, up to this many times `pollMs` (1.2 s by default); a round that relays
 * anything, or reads a full page, returns it to `pollMs`. Five services' relays polling an empty
 * outbox every 150 ms were about 100 engine queries a second.
 */
export const RELAY_IDLE_BACKOFF = 8;
export const DEFAULT_RELAY_BATCH_SIZE = 200;

/**
 * Reads the outbox: up to `batchSize` unpublished records outside open batches (through the
 * `published` index), and of those the ones that may be published now, in order
 * (`pendingRecordsInOrder`). `read` counts all records read, `ready` the publishable ones, `held` the
 * ids of the others. `passing` are ids the caller has seen held on this round (see `startEventRelay`):
 * they are not read again, so records held back never starve the rest of the outbox. `complete` when
 * the read saw every unpublished record (a page not full, nothing passed over, no batch open).
 *
 * FerretDB pushes down top-level equality only (ADR 0008): a sort reads every unpublished record (a
 * batch import leaves a hundred thousand), so the batch is read unsorted and ordered in memory. A
 * subject's earlier versions outside the batch are found by equality on `subject` (its index); a later
 * version waits for them.
 *
 * A batch import's records are final only once its marker is gone (`createMany` deletes a clashing
 * record, then its marker). The markers are read again after the records: a record whose batch is
 * still open is dropped, and a recent batch record whose marker may have come and gone in between is
 * checked to still exist, so a record undone by its import is never published.
 */
export async function readOutbox(
  connection: Connection,
  batchSize: number = DEFAULT_RELAY_BATCH_SIZE,
  passing: readonly string[] = [],
): Promise<{
  ready: OutboxRecord[];
  read: number;
  held: string[];
  /** Of the records held back, those not projected yet. */
  unprojected: Pick<OutboxRecord, 'subject' | 'at'>[];
  complete: boolean;
}> {
  const records = changeRecordModel(connection);
  const openBatches = async () =>
    new Set(
      (await openBatchModel(connection).find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((b) => b._id),
    );
  const readAt = Date.now();
  const openBefore = await openBatches();
  const filter: Record<string, unknown> = { published: false };
  if (openBefore.size > 0) filter.batch = { $nin: [...openBefore] };
  if (passing.length > 0) filter._id = { $nin: [...passing] };
  const read = await records
    .find(filter, { subject: 1, version: 1, at: 1, projected: 1, events: 1, batch: 1 })
    .limit(batchSize)
    .lean<OutboxRecord[]>();
  const openAfter = await openBatches();
  const batch = await finalRecords(records, read, openAfter, readAt);
  // A subject's earlier version is inserted before its later one, so one query that saw a later
  // version saw every earlier one still unpublished, unless the query left it out: a page cut short
  // by the limit, ids passed over, batches open. Only then are earlier versions looked for outside.
  const complete = read.length < batchSize && passing.length === 0 && openBefore.size + openAfter.size === 0;
  const later = complete ? [] : [...new Set(batch.filter((r) => r.version > 1).map((r) => r.subject))];
  const inBatch = new Set(batch.map((r) => r._id));
  const earlierOutside = (
    await findWhereIn<Pick<OutboxRecord, '_id' | 'subject' | 'version'>>(records, 'subject', later, {
      where: { published: false },
      projection: { _id: 1, subject: 1, version: 1 },
    })
  ).filter((r) => !inBatch.has(r._id));
  const ready = pendingRecordsInOrder(batch, earlierOutside);
  const readyIds = new Set(ready.map((r) => r._id));
  const held = read.filter((r) => !readyIds.has(r._id));
  return {
    ready,
    read: read.length,
    held: held.map((r) => r._id),
    unprojected: held.filter((r) => !r.projected).map(({ subject, at }) => ({ subject, at })),
    complete,
  };
}

/**
 * How much older than the relay's read a batch record must be to be known final without a check: its
 * `at` is taken just before its marker is inserted, so an older record's marker existed before the
 * read began (and, not open then, had closed). The margin covers clocks that disagree.
 */
const BATCH_CLOCK_MARGIN_MS = 120_000;

/**
 * Of records read from the outbox, those that are final: none of a batch open now (`openNow`, read
 * after the records), and a recent batch record only if it still exists (its batch may have opened
 * after `readAt`, then closed, undoing it, after the record was read). An older batch record's
 * marker was gone before the read (it was not open then), so it is final.
 */
async function finalRecords(
  records: ReturnType<typeof changeRecordModel>,
  read: OutboxRecord[],
  openNow: Set<string>,
  readAt: number,
): Promise<OutboxRecord[]> {
  const outsideOpen = read.filter((r) => !r.batch || !openNow.has(r.batch));
  const recent = (r: OutboxRecord) => !!r.batch && new Date(r.at).getTime() >= readAt - BATCH_CLOCK_MARGIN_MS;
  const toCheck = outsideOpen.filter(recent).map((r) => r._id);
  if (toCheck.length === 0) return outsideOpen;
  const existing = new Set(
    (await findWhereIn<{ _id: string }>(records, '_id', toCheck, { projection: { _id: 1 } })).map(
      (r) => r._id,
    ),
  );
  return outsideOpen.filter((r) => !recent(r) || existing.has(r._id));
}

/** Single updates sent to FerretDB at once (each holds two of its PostgreSQL connections). */
const MARK_CONCURRENCY = 4;

/**
 * Marks records published: an idempotent set-to-true, so a lost mark (FerretDB's last writer wins)
 * only means a re-publish. One `updateMany` on MongoDB.
 *
 * On FerretDB, which reads every row its pushed-down equality selects and filters `$in` itself
 * (ADR 0008): when the outbox holds little more than these records (`outboxRead`: the read that found
 * them saw every unpublished record), one `updateMany` on `published: false` reads just those rows;
 * otherwise one update by `_id` per record, a few at a time. Never one multi-statement command (a bulk
 * write): FerretDB 1.24 keeps each statement's PostgreSQL connection until the whole command ends, and
 * a command of many updates exhausts its pool and stalls the engine (ADR 0008).
 */
export async function markPublished(
  connection: Connection,
  recordIds: string[],
  options: { outboxRead?: boolean } = {},
): Promise<void> {
  if (recordIds.length === 0) return;
  const records = changeRecordModel(connection);
  if ((await engineOf(connection)) === 'mongodb') {
    await records.updateMany({ _id: { $in: recordIds } }, { $set: { published: true } });
    return;
  }
  if (options.outboxRead) {
    await records.updateMany({ published: false, _id: { $in: recordIds } }, { $set: { published: true } });
    return;
  }
  for (let i = 0; i < recordIds.length; i += MARK_CONCURRENCY) {
    await Promise.all(
      recordIds
        .slice(i, i + MARK_CONCURRENCY)
        .map((_id) => records.updateOne({ _id }, { $set: { published: true } })),
    );
  }
}

/**
 * One pass of the relay: publishes the events of the publishable outbox records in record order,
 * then marks those records published. A crash between the two publishes them again on the next pass
 * (at-least-once; consumers deduplicate by event id). Returns the records read and those relayed.
 */
export async function relayOutbox(
  options: Pick<EventRelayOptions, 'service' | 'connection' | 'redis' | 'prefix' | 'streamMaxLength'> & {
    batchSize?: number;
    /** Ids held back earlier in this round, not read again (see `readOutbox`). */
    passing?: readonly string[];
  },
): Promise<{
  read: number;
  relayed: number;
  held: string[];
  unprojected: Pick<OutboxRecord, 'subject' | 'at'>[];
}> {
  const { ready, read, held, unprojected, complete } = await readOutbox(
    options.connection,
    options.batchSize,
    options.passing,
  );
  await publishRecords(options.redis, options.prefix, options.service, ready, {
    maxLength: options.streamMaxLength,
  });
  await markPublished(
    options.connection,
    ready.map((record) => record._id),
    { outboxRead: complete },
  );
  return { read, relayed: ready.length, held, unprojected };
}

/**
 * Rolls forward, through their change logs, the records held back unprojected for longer than their
 * log's repair delay (a log per subject type; a type without one waits for its readers). A failure
 * is logged and tried again on a later round. Answers how many subjects were rolled forward.
 */
async function repairHeld(
  unprojected: Pick<OutboxRecord, 'subject' | 'at'>[],
  repairs: ReadonlyMap<string, UnprojectedRepair>,
  logger: Logger,
): Promise<number> {
  const now = Date.now();
  const due = new Set<UnprojectedRepair>();
  for (const { subject, at } of unprojected) {
    const log = repairs.get(subject.slice(0, subject.indexOf(':')));
    if (log && now - new Date(at).getTime() >= log.repairAfter) due.add(log);
  }
  let repaired = 0;
  for (const log of due) {
    try {
      const subjects = await log.repairUnprojected();
      if (subjects > 0)
        logger.info({ subjectType: log.subjectType, subjects }, 'rolled forward records left unprojected');
      repaired += subjects;
    } catch (error) {
      logger.warn({ err: error, subjectType: log.subjectType }, 'rolling forward unprojected records failed');
    }
  }
  return repaired;
}

/**
 * Runs the relay of one service until stopped: polls the change log's outbox every `pollMs` (at once
 * again after a full batch; up to `RELAY_IDLE_BACKOFF` times less often while it finds nothing to
 * relay), publishes, marks. Any number may run at once (several replicas of a
 * worker): they may publish a record twice, never lose one.
 *
 * A round reads page after page while pages come back full: the ids it held back (unprojected, or
 * behind an earlier version) are left out of its next reads, so a full page of held records is
 * passed over instead of read forever. A round ends at a page that is not full; the next round reads
 * the held records again.
 */
export function startEventRelay(options: EventRelayOptions): EventRelay {
  const pollMs = options.pollMs ?? DEFAULT_RELAY_POLL_MS;
  const batchSize = options.batchSize ?? DEFAULT_RELAY_BATCH_SIZE;
  const logger = options.logger.child({ module: 'events-relay' });
  const repairs = new Map((options.repairs ?? []).map((log) => [log.subjectType, log]));
  // A subject the repairs cannot roll forward is reported through the connection's change-log logger;
  // a worker with no event publisher has none, so the relay lends its own while it runs.
  const lent =
    repairs.size > 0 && !changeLogLoggerOf(options.connection)
      ? logger.child({ module: 'change-log' })
      : null;
  if (lent) attachChangeLogLogger(options.connection, lent);
  const pause = pauser();
  let stopped = false;
  const loop = (async () => {
    let failures = 0;
    let passing: string[] = [];
    let idleMs = pollMs;
    while (!stopped) {
      try {
        const { read, relayed, held, unprojected } = await relayOutbox({ ...options, batchSize, passing });
        if (relayed > 0) logger.debug({ relayed }, 'relayed change-log records');
        failures = 0;
        // Rolled forward now, published on the next round, which comes after `pollMs`.
        const progressed = relayed + (await repairHeld(unprojected, repairs, logger));
        // A full page is followed at once by the next (past what it held); otherwise the round ends
        // and the outbox waits `pollMs`, longer while rounds relay nothing (RELAY_IDLE_BACKOFF).
        if (read >= batchSize) {
          passing = [...passing, ...held];
          idleMs = pollMs;
        } else {
          passing = [];
          const wait = progressed > 0 ? pollMs : idleMs;
          idleMs = progressed > 0 ? pollMs : Math.min(idleMs * 2, pollMs * RELAY_IDLE_BACKOFF);
          if (!stopped) await pause.wait(wait);
        }
      } catch (error) {
        if (stopped) break;
        failures += 1;
        logger.warn({ err: error, failures }, 'relaying events failed; retrying');
        await pause.wait(Math.max(pollMs, failureDelayMs(failures)));
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      pause.wake();
      await loop;
      if (lent && changeLogLoggerOf(options.connection) === lent) detachChangeLogLogger(options.connection);
    },
  };
}
