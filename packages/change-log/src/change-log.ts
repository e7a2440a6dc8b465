import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { checkDeadline, findWhereIn, insertEach, insertNew } from '@ies/db';
import { domainEvent, type EventDraft } from './domain-event';
import { recordId, subjectKey, type ChangeRecord, type ChangeRecordModel } from './change-record';
import { openBatchModel } from './open-batch';
import { changeLogLoggerOf, recordPublisherOf } from './record-publisher';

/** Who makes a change (a principal carries both). */
export interface Actor {
  subject: string;
  role: string;
}

/** A current-state document: the projection of its subject's log. */
export interface Versioned {
  _id: string;
  version: number;
}

/** What a change does to the current state, decided by the service's rules. */
export interface PlannedChange<S> {
  kind: string;
  /** The changed values before and after (what the audit history shows). */
  before: object | null;
  after: object;
  /** The fields of the current state the change sets. */
  set: Partial<Omit<S, '_id' | 'version'>>;
  events?: EventDraft[];
}

/** A plan's answer: the change, or a refusal of the service's own type. */
export type Planned<S, E> = PlannedChange<S> | { refused: E };

export interface ChangeInput {
  reason: string;
  asOf?: string | null;
  /** When given, the change applies only to this version (the one the caller read). */
  expectedVersion?: number | null;
}

export type ChangeOutcome<S, E> =
  | { status: 'applied'; state: S; record: ChangeRecord<S> }
  | { status: 'refused'; refusal: E }
  | { status: 'not-found' }
  /** Another change won this version (or `expectedVersion` is not the current one). */
  | { status: 'conflict'; version: number };

export interface ChangeLogOptions<S> {
  records: ChangeRecordModel;
  projections: Model<S>;
  /** The subject's type, e.g. `ProviderAgreement` (also the GraphQL typename in its events). */
  subjectType: string;
  /** Readers persist the roll-forward of a record still unprojected after this long (a crashed writer). */
  repairAfterMs?: number;
  /** Readers roll forward a `createMany` left open this long (a crashed import); default 5 minutes. */
  openBatchRepairAfterMs?: number;
}

export const DEFAULT_REPAIR_AFTER_MS = 10_000;
/**
 * An open batch (a `createMany` in progress) is rolled forward by readers only after this long: far
 * longer than any batch takes (seconds), so a reader never repairs a batch still being written.
 */
export const OPEN_BATCH_REPAIR_AFTER_MS = 300_000;
const PROJECTION_ATTEMPTS = 5;
/** How often a writer tries to project its own record when the engine fails it. */
const PROJECTION_TRIES_AFTER_APPEND = 2;
/** The longest a writer waits for its connection's publisher before leaving its record to the relay. */
const PUBLISH_WAIT_MS = 1_000;

/**
 * The one way a service changes state that matters (docs/adr/0010). A change is an inserted,
 * immutable record keyed by (subject, version): inserting version n+1 is the optimistic lock, so of
 * simultaneous writers exactly one wins and the others get a conflict, on every engine. The record
 * holds who, when, why, the values before and after, the domain events, and the whole new state; the
 * current-state document is a projection of the log. A writer always starts from the log's head, so
 * a projection left behind by a crash (or by FerretDB's non-atomic updates) never loses a change:
 * writers roll it forward, and readers overlay unprojected records and persist their roll-forward.
 */
export class ChangeLog<S extends Versioned> {
  private readonly repairAfterMs: number;
  private readonly openBatchRepairAfterMs: number;

  constructor(private readonly options: ChangeLogOptions<S>) {
    this.repairAfterMs = options.repairAfterMs ?? DEFAULT_REPAIR_AFTER_MS;
    this.openBatchRepairAfterMs = options.openBatchRepairAfterMs ?? OPEN_BATCH_REPAIR_AFTER_MS;
  }

  get subjectType(): string {
    return this.options.subjectType;
  }

  /** Creates a subject: version 1 of its log. `duplicate` when the subject id is taken. */
  async create(
    by: Actor,
    state: Omit<S, 'version'>,
    change: { kind: string; reason: string; asOf?: string | null; events?: EventDraft[] },
  ): Promise<{ status: 'created'; state: S } | { status: 'duplicate' }> {
    const initial = { ...state, version: 1 } as S;
    if (await this.options.projections.exists({ _id: initial._id })) return { status: 'duplicate' };
    const { _id: _ignored, ...after } = initial as Versioned & Record<string, unknown>;
    const record = this.record(by, initial, { ...change, before: null, after, set: {} });
    if ((await this.append(record)) === 'duplicate') return { status: 'duplicate' };
    try {
      // Not `projectAppended`: until its projection is in, a creation may yet collide with another
      // document's natural key, so a failed projection fails the creation.
      await this.project(record, { written: true });
    } catch (error) {
      if (!(error instanceof ProjectionConflict)) throw error;
      // Another document holds this subject's natural key (a unique index of the projection): the
      // creation did not happen, so its record goes too (no reader can have built on it).
      await this.options.records.deleteOne({ _id: record._id });
      return { status: 'duplicate' };
    }
    return { status: 'created', state: initial };
  }

  /**
   * Creates many subjects at once (a batch import): version 1 of each, with the guarantees of
   * `create` per subject, in a few round trips instead of three per subject. An open-batch marker is
   * inserted first; records are inserted unordered (a taken id is that subject's `duplicate`), then
   * the projections of the records this call inserted (a projection colliding with another document's
   * unique key undoes its record and is a `duplicate`), then the marker is deleted. Records are
   * written `projected: true`: while the marker exists readers treat them as unprojected, and a
   * marker older than the repair delay (a crash in between) is rolled forward by the next reader.
   *
   * `publish: false` keeps the records' events for the audit history but never hands them to the
   * events relay (written `published: true`): a batch import loads history, and announcing each of its
   * tens of thousands of subjects would flood subscribers and partners (ADR 0018).
   */
  async createMany(
    by: Actor,
    items: {
      state: Omit<S, 'version'>;
      change: { kind: string; reason: string; asOf?: string | null; events?: EventDraft[] };
    }[],
    options: { publish?: boolean } = {},
  ): Promise<('created' | 'duplicate')[]> {
    if (items.length === 0) return [];
    const batch = randomUUID();
    const records = items.map(({ state, change }) => {
      const initial = { ...state, version: 1 } as S;
      const { _id: _ignored, ...after } = initial as Versioned & Record<string, unknown>;
      return {
        ...this.record(by, initial, { ...change, before: null, after, set: {} }),
        projected: true,
        published: options.publish === false,
        batch,
      };
    });
    const batches = this.openBatches();
    checkDeadline();
    await batches.create({ _id: batch, subjectType: this.subjectType, openedAt: new Date() });
    const appended = await insertEach(this.options.records, records);
    const fresh = records.filter((_, i) => appended[i] === 'inserted');
    const projected = await insertEach(
      this.options.projections,
      fresh.map((r) => r.state),
    );
    const outcomes = new Map<string, 'created' | 'duplicate'>();
    const clashing: ChangeRecord<S>[] = [];
    fresh.forEach((record, i) => {
      if (projected[i] === 'inserted') outcomes.set(record._id, 'created');
      else clashing.push(record);
    });
    for (const record of clashing) {
      outcomes.set(record._id, (await this.settleClash(record)) ? 'created' : 'duplicate');
    }
    await batches.deleteOne({ _id: batch });
    return records.map((record) => outcomes.get(record._id) ?? 'duplicate');
  }

  /**
   * A creation whose projection insert collided: either this subject's projection exists already
   * (a reader rolled it forward: created), or another document holds the natural key: the creation
   * did not happen, and its record goes (no reader can have built on it). True when created.
   */
  private async settleClash(record: ChangeRecord<S>): Promise<boolean> {
    const own = await this.options.projections.collection.findOne({ _id: record.state._id } as never, {
      projection: { _id: 1 },
    });
    if (own) return true;
    await this.options.records.deleteOne({ _id: record._id });
    return false;
  }

  private openBatches() {
    return openBatchModel(this.options.records.db);
  }

  /**
   * Records of open batches (see `createMany`), as unprojected records. A batch open longer than the
   * repair delay is rolled forward here: each record projected (or undone on a natural-key clash),
   * then the marker deleted.
   */
  private async openBatchRecords(): Promise<ChangeRecord<S>[]> {
    const open = await this.openBatches()
      .find({ subjectType: this.subjectType })
      .lean<{ _id: string; openedAt: Date }[]>();
    const pending: ChangeRecord<S>[] = [];
    for (const batch of open) {
      const records = await this.options.records
        .find({ batch: batch._id }, { events: 0 })
        .lean<ChangeRecord<S>[]>();
      if (Date.now() - new Date(batch.openedAt).getTime() < this.openBatchRepairAfterMs) {
        pending.push(...records);
        continue;
      }
      for (const record of records) {
        try {
          await this.project(record);
        } catch (error) {
          if (!(error instanceof ProjectionConflict)) throw error;
          await this.settleClash(record);
        }
      }
      await this.openBatches().deleteOne({ _id: batch._id });
    }
    return pending;
  }

  /**
   * Seeds subjects that are absent (version 1, with its record) and touches none that exist, so a
   * second run, or two at once, change nothing more, and later changes survive restarts. Only the
   * records this run inserted are projected. Returns how many subjects it created.
   */
  async seed(by: Actor, states: Omit<S, 'version'>[], reason: string): Promise<number> {
    const outcomes = await Promise.all(
      states.map(async (state) => {
        const initial = { ...state, version: 1 } as S;
        const { _id: _ignored, ...after } = initial as Versioned & Record<string, unknown>;
        const record = this.record(by, initial, { kind: 'CREATE', reason, before: null, after, set: {} });
        if ((await this.append(record)) === 'duplicate') return 0;
        await this.project(record);
        return 1;
      }),
    );
    return outcomes.reduce<number>((sum, n) => sum + n, 0);
  }

  /**
   * Applies one change to the subject's latest state: `plan` sees that state (read once) and returns
   * the change or a refusal, after any reads its rules need. Nothing is written unless the change is
   * applied.
   */
  async change<E>(
    by: Actor,
    subjectId: string,
    input: ChangeInput,
    plan: (current: S) => Planned<S, E> | Promise<Planned<S, E>>,
  ): Promise<ChangeOutcome<S, E>> {
    const current = await this.latest(subjectId);
    if (!current) return { status: 'not-found' };
    // The plan (which may check who may change what, and read what its rules need) runs first, so a
    // caller refused the change learns nothing from a version mismatch.
    const planned = await plan(current);
    if ('refused' in planned) return { status: 'refused', refusal: planned.refused };
    if (typeof input.expectedVersion === 'number' && input.expectedVersion !== current.version) {
      return { status: 'conflict', version: current.version };
    }
    const state = { ...current, ...planned.set, version: current.version + 1 } as S;
    const record = this.record(by, state, { ...planned, reason: input.reason, asOf: input.asOf ?? null });
    if ((await this.append(record)) === 'duplicate') {
      const winner = await this.newerThan(subjectId, current.version);
      return { status: 'conflict', version: winner?.version ?? current.version };
    }
    await this.projectAppended(record);
    return { status: 'applied', state, record };
  }

  /**
   * Projects a record this writer has just inserted. From that insert on the change is applied: the
   * record is the truth, readers overlay a record left unprojected and roll it forward, and the next
   * change of the subject starts from it. So a projection that fails (the engine failing one of its
   * writes: FerretDB answers a broken PostgreSQL connection as a command error) is tried once more
   * and, failing again, is logged and left to them; the caller is told its change was applied, which
   * it was (telling it otherwise would invite it to make the change twice). (A creation is not
   * projected this way: only its projection can tell whether its natural key collides.)
   */
  private async projectAppended(record: ChangeRecord<S>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.project(record, { written: true });
        return;
      } catch (error) {
        if (attempt < PROJECTION_TRIES_AFTER_APPEND) continue;
        changeLogLoggerOf(this.options.records.db)?.warn(
          { err: error, record: record._id },
          'projection failed after the change was recorded: left to readers and the next change',
        );
        return;
      }
    }
  }

  /**
   * The subject's latest state: the log's head when it is ahead of the stored projection (which is
   * then rolled forward), otherwise the projection. Null when neither exists.
   */
  async latest(subjectId: string): Promise<S | null> {
    const stored = await this.options.projections.findById(subjectId).lean<S>();
    const head = await this.newerThan(subjectId, stored?.version ?? 0);
    if (head) return (await this.projectOrSettle(head)) === 'projected' ? head.state : null;
    return stored ?? null;
  }

  /**
   * The subject's newest record above `version`, or null when there is none. A subject's versions are
   * consecutive from 1 (version n+1 is inserted only by a writer that read version n), and a projection
   * is only ever a record's state, so from a version known to exist the head is found by reading
   * version+1, version+2, … by id until one is absent: one read by `_id` when the projection is up to
   * date. (A query by subject sorted by version would read and sort every record of the subject, its
   * whole history, on FerretDB, which sorts in memory: ADR 0008.)
   */
  private async newerThan(subjectId: string, version: number): Promise<ChangeRecord<S> | null> {
    let newest: ChangeRecord<S> | null = null;
    for (let next = version + 1; ; next++) {
      // On the driver's collection, not through mongoose: a projector's look for a newer record after
      // its write must not be cut short by the request's deadline (deadlinePlugin), or a late write of
      // an older version would stay in place.
      const record = (await this.options.records.collection.findOne({
        _id: recordId(this.subjectType, subjectId, next),
      } as never)) as ChangeRecord<S> | null;
      if (!record) return newest;
      newest = record;
    }
  }

  /**
   * Corrects documents a reader fetched from the projection: a document behind an unprojected record
   * is replaced by that record's state, and ids asked for that only a record holds so far are added.
   * Records left unprojected longer than `repairAfterMs` (a crashed writer) are rolled forward.
   */
  async overlay(docs: S[], requestedIds: readonly string[] = []): Promise<S[]> {
    const pending = await this.unprojected();
    if (pending.length === 0) return docs;
    const latest = latestBySubject(pending);
    await this.repairStale(latest);
    const seen = new Set(docs.map((doc) => doc._id));
    const added = requestedIds
      .filter((id) => !seen.has(id) && latest.has(id))
      .map((id) => latest.get(id)!.state);
    return [
      ...docs.map((doc) => {
        const record = latest.get(doc._id);
        return record && record.version > doc.version ? record.state : doc;
      }),
      ...added,
    ];
  }

  /** How long a record stays unprojected before readers (and the events relay) roll it forward. */
  get repairAfter(): number {
    return this.repairAfterMs;
  }

  /**
   * Rolls forward this subject type's records left unprojected longer than `repairAfterMs`, as a
   * reader does before it overlays: for the events relay, whose records wait for their projection
   * and must not wait for a reader (a quiet service may have none for hours). Answers how many
   * subjects it rolled forward or settled.
   */
  async repairUnprojected(): Promise<number> {
    return this.repairStale(latestBySubject(await this.unprojected()));
  }

  /**
   * Projects each of these (a subject's newest unprojected record) that is older than the repair
   * delay. A creation whose projection collides with another document's unique key is one whose
   * writer crashed before it learned that: it did not happen, its record goes (`settleClash`, as in
   * an import's batch left open) and so does its entry in `latest`. Records of an open batch are
   * left to its own delay (`openBatchRecords`: the import may still be writing them). A subject that
   * cannot be repaired (the engine failing) is logged and skipped, so it holds up no other; readers
   * still see its record's state.
   */
  private async repairStale(latest: Map<string, ChangeRecord<S>>): Promise<number> {
    const now = Date.now();
    let repaired = 0;
    for (const [subjectId, record] of latest) {
      if (record.batch || now - new Date(record.at).getTime() < this.repairAfterMs) continue;
      try {
        if ((await this.projectOrSettle(record)) === 'undone') latest.delete(subjectId);
        repaired++;
      } catch (error) {
        changeLogLoggerOf(this.options.records.db)?.warn(
          { err: error, record: record._id },
          'rolling forward an unprojected record failed: left for the next reader or relay round',
        );
      }
    }
    return repaired;
  }

  /**
   * Projects a record; a creation whose projection collides with another document's natural key is
   * undone instead (`settleClash`). Answers whether the subject exists after it.
   */
  private async projectOrSettle(record: ChangeRecord<S>): Promise<'projected' | 'undone'> {
    try {
      await this.project(record);
      return 'projected';
    } catch (error) {
      if (!(error instanceof ProjectionConflict) || record.version !== 1) throw error;
      return (await this.settleClash(record)) ? 'projected' : 'undone';
    }
  }

  private inFlight: Promise<ChangeRecord<S>[]> | null = null;

  /**
   * The subject type's unprojected records (usually none). Readers arriving while the query runs
   * share it: its answer is as fresh as any they would have started themselves.
   */
  private unprojected(): Promise<ChangeRecord<S>[]> {
    this.inFlight ??= Promise.all([
      // Only the (few) unprojected records: adding the subject type to the query would make the
      // engine intersect with every record of the type (a GIN bitmap as large as the log).
      this.options.records
        .find({ projected: false }, { events: 0 })
        .sort({ version: 1 })
        .lean<ChangeRecord<S>[]>()
        .exec()
        .then((records) => records.filter((r) => r.subjectType === this.subjectType)),
      this.openBatchRecords(),
    ])
      .then(([unprojected, inOpenBatches]) => [...unprojected, ...inOpenBatches])
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  /** A page of projections (a GraphQL connection) with its nodes corrected by `overlay`. */
  async overlayPage<P extends { edges: { node: S }[] }>(page: P): Promise<P> {
    const nodes = await this.overlay(page.edges.map((edge) => edge.node));
    // In place: a page may carry lazily computed fields (a `totalCount` getter) that a copy would run.
    page.edges = page.edges.map((edge, i) => ({ ...edge, node: nodes[i]! }));
    return page;
  }

  /** The projections of these ids, corrected by `overlay`, in no particular order. */
  async findByIds(ids: readonly string[], where: Record<string, unknown> = {}): Promise<S[]> {
    const docs = await findWhereIn<S>(this.options.projections, '_id', ids, { where });
    const unscoped = Object.keys(where).length === 0;
    // An id known only from the log so far is added only when no scope filter applies to it.
    return this.overlay(docs, unscoped ? ids : []);
  }

  /** Each subject's history, oldest first, without the states and events. */
  async histories(subjectIds: readonly string[]): Promise<Map<string, ChangeRecord<S>[]>> {
    const records = await findWhereIn<ChangeRecord<S>>(
      this.options.records,
      'subject',
      subjectIds.map((id) => subjectKey(this.subjectType, id)),
      { projection: { state: 0, events: 0 }, sortBy: 'version' },
    );
    const bySubject = new Map<string, ChangeRecord<S>[]>();
    for (const record of records) {
      bySubject.set(record.subjectId, [...(bySubject.get(record.subjectId) ?? []), record]);
    }
    return bySubject;
  }

  /**
   * Inserts a record: `duplicate` when that version of the subject exists already (another writer
   * won it). Refused (`DeadlineExceededError`) when the current work's deadline has passed. Exposed so that tests can leave the state a crash between insert and projection leaves.
   */
  async append(record: ChangeRecord<S>): Promise<'inserted' | 'duplicate'> {
    // The last moment to give up: past the request's deadline its caller has been answered already.
    checkDeadline();
    return insertNew(this.options.records, record);
  }

  /**
   * Rolls the projection forward to a record's state, or to the subject's head if that is newer,
   * never back, then marks the record projected. Idempotent: any number of writers and readers may
   * project the same record. FerretDB's version-matched replace is not atomic (a slower write of an
   * older version can land after a newer one), so after its own write each projector looks for a newer
   * record and writes that too, until there is none; a record is marked projected only then, otherwise
   * it stays for readers to overlay and repair. That check alone keeps the head: whichever write lands
   * last, its projector looks for newer records after it landed (a look the request's deadline does not
   * cut short), and a record inserted later has a writer of its own that projects it after that (or, if
   * it crashed, readers repair it). So the stored version is read back only when the write did not
   * happen (a projection was there already). A projector that dies between its write and that look
   * can leave an older write in place with the newer records marked: the next change of the subject
   * (which starts from the log's head) puts the projection right (ADR 0010). Everything after the first
   * write goes to the driver directly, outside the request's deadline: once a write has landed, the
   * projection is finished even for a caller that has gone.
   */
  async project(record: ChangeRecord<S>, options: { written?: boolean } = {}): Promise<void> {
    const projections = this.options.projections.collection;
    const id = record.state._id;
    let target = record;
    for (let attempt = 0; attempt < PROJECTION_ATTEMPTS; attempt++) {
      const replaced = await projections.replaceOne(
        { _id: id, version: { $lt: target.version } } as never,
        target.state as never,
      );
      if (
        replaced.matchedCount === 0 &&
        (await insertNew(this.options.projections, target.state)) === 'duplicate'
      ) {
        // The insert collides either with this subject's projection (at or past the version, or
        // inserted by another projector since the replace looked) or, when there is none, with
        // another document's unique natural key.
        const stored = await projections.findOne({ _id: id } as never, { projection: { version: 1 } });
        if (!stored) throw new ProjectionConflict(record._id);
        // Inserted meanwhile at an older version (a concurrent first projection): write again.
        if ((stored.version as number) < target.version) continue;
      }
      const newer = await this.newerThan(id, target.version);
      if (!newer) {
        // The writer publishes its record now, before marking it, so the relay (which publishes only
        // projected records) never takes it too, and then marks just that record, by `_id`. Its
        // earlier versions are on the stream already (the writer publishes only after them) and each
        // is marked by whoever published it; one left unmarked by a crash is published again by the
        // relay (at least once: consumers take each event id once) and projected by readers. A mark
        // by subject and `published: false` would read, on FerretDB, every GIN entry of
        // `published: false` the table still holds (each record's first version until a vacuum):
        // thousands per write under load.
        if (options.written && (await this.publishWritten(record))) {
          await this.options.records.collection.updateOne({ _id: record._id } as never, {
            $set: { projected: true, published: true },
          });
          return;
        }
        await this.options.records.collection.updateMany(
          { subject: record.subject, projected: false, version: { $lte: record.version } } as never,
          { $set: { projected: true } },
        );
        return;
      }
      target = newer;
    }
  }

  /**
   * Hands a record its writer has just projected to the connection's publisher, if there is one
   * (`attachRecordPublisher`): true when its events are on the stream. Otherwise the events relay
   * publishes it within a poll.
   */
  private async publishWritten(record: ChangeRecord<S>): Promise<boolean> {
    const publisher = recordPublisherOf(this.options.records.db);
    if (!publisher) return false;
    // The change is applied already: whatever the publisher does (throws, hangs), the writer goes on.
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      Promise.resolve()
        .then(() => publisher(record as ChangeRecord<object>))
        .catch(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), PUBLISH_WAIT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  private record(
    by: Actor,
    state: S,
    change: PlannedChange<S> & { reason: string; asOf?: string | null },
  ): ChangeRecord<S> {
    const at = new Date();
    const subject = { typename: this.subjectType, id: state._id };
    return {
      _id: recordId(this.subjectType, state._id, state.version),
      subject: subjectKey(this.subjectType, state._id),
      subjectType: this.subjectType,
      subjectId: state._id,
      version: state.version,
      kind: change.kind,
      at,
      asOf: change.asOf ?? null,
      bySubject: by.subject,
      byRole: by.role,
      reason: change.reason.trim(),
      before: change.before as Record<string, unknown> | null,
      after: change.after as Record<string, unknown>,
      state,
      events: (change.events ?? []).map((draft) => domainEvent(draft, subject, state.version, at)),
      projected: false,
      published: false,
    };
  }
}

/** Of records, each subject's newest. */
function latestBySubject<S>(records: readonly ChangeRecord<S>[]): Map<string, ChangeRecord<S>> {
  const latest = new Map<string, ChangeRecord<S>>();
  for (const record of records) {
    if ((latest.get(record.subjectId)?.version ?? 0) < record.version) latest.set(record.subjectId, record);
  }
  return latest;
}

/** A subject's creation collided with another document's unique natural key. */
export class ProjectionConflict extends Error {
  constructor(recordId: string) {
    super(`the projection of ${recordId} collides with another document's unique key`);
    this.name = 'ProjectionConflict';
  }
}
