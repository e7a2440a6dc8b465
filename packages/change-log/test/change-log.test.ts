import { Schema, type Connection, type Model } from 'mongoose';
import { DeadlineExceededError, ensureCollections, withDeadline } from '@ies/db';
import { connectTestDatabase } from '@ies/testkit';
import {
  attachChangeLogLogger,
  ChangeLog,
  changeRecordModel,
  detachChangeLogLogger,
  recordId,
  subjectKey,
  type ChangeRecord,
} from '../src';

interface Counter {
  _id: string;
  catchmentId: string;
  n: number;
  version: number;
}

const actor = { subject: 'test-ministry', role: 'MINISTRY' };
const counterSchema = new Schema<Counter>(
  { _id: String, catchmentId: String, n: Number, version: Number },
  { collection: 'counters', versionKey: false },
);

describe('the change log', () => {
  let connection: Connection;
  let counters: Model<Counter>;
  const log = (repairAfterMs?: number, subjectType = 'Counter') =>
    new ChangeLog<Counter>({
      records: changeRecordModel(connection),
      projections: counters,
      subjectType,
      repairAfterMs,
    });
  const increment = (
    changes: ChangeLog<Counter>,
    id: string,
    i: number,
    input: { expectedVersion?: number } = {},
  ) =>
    changes.change(actor, id, { reason: `increment ${i}`, ...input }, (current) => ({
      kind: 'INCREMENT',
      before: { n: current.n },
      after: { n: current.n + 1 },
      set: { n: current.n + 1 },
      events: [{ type: 'CounterIncremented', catchmentId: current.catchmentId, data: { by: i } }],
    }));
  let nextId = 0;
  const newCounter = async (changes = log()) => {
    const id = `counter-${++nextId}`;
    const created = await changes.create(
      actor,
      { _id: id, catchmentId: 'peel', n: 0 },
      {
        kind: 'CREATE',
        reason: 'a counter for this test',
      },
    );
    expect(created.status).toBe('created');
    return id;
  };

  beforeAll(async () => {
    connection = await connectTestDatabase('change_log');
    counters = connection.model<Counter>('Counter', counterSchema);
    await ensureCollections([counters, changeRecordModel(connection)]);
  });
  afterAll(async () => {
    await connection.close();
  });

  describe('when the request’s deadline passes while a change is being planned', () => {
    it('refuses to write it (DeadlineExceededError), and the log and projection stay as they were', async () => {
      const changes = log();
      const id = await newCounter(changes);
      // The deadline has time left for the reads; it runs out while the change is planned.
      let leftMs = 60_000;
      const deadline = { remainingMs: () => leftMs };
      const late = withDeadline(deadline, () =>
        changes.change(actor, id, { reason: 'too late' }, (current) => {
          leftMs = 0;
          return { kind: 'INCREMENT', before: { n: current.n }, after: { n: 1 }, set: { n: 1 } };
        }),
      );
      await expect(late).rejects.toBeInstanceOf(DeadlineExceededError);
      expect((await changes.histories([id])).get(id)!.map((r) => r.version)).toEqual([1]);
      expect(await counters.findById(id).lean()).toMatchObject({ n: 0, version: 1 });
    });

    it('refuses a batch creation too, before anything is written', async () => {
      const changes = log();
      const id = `counter-late-${++nextId}`;
      const late = withDeadline({ remainingMs: () => 0 }, () =>
        changes.createMany(actor, [
          { state: { _id: id, catchmentId: 'peel', n: 0 }, change: { kind: 'CREATE', reason: 'late' } },
        ]),
      );
      await expect(late).rejects.toBeInstanceOf(DeadlineExceededError);
      expect(await changes.histories([id])).toEqual(new Map());
      expect(await counters.findById(id).lean()).toBeNull();
    });
  });

  describe('when 20 callers change the version they read at once', () => {
    it('applies exactly one and answers the 19 others with a conflict', async () => {
      const changes = log();
      const id = await newCounter(changes);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => increment(changes, id, i, { expectedVersion: 1 })),
      );
      expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'conflict')).toHaveLength(19);
      expect((await changes.histories([id])).get(id)!.map((r) => r.version)).toEqual([1, 2]);
      expect(await counters.findById(id).lean()).toMatchObject({ n: 1, version: 2 });
    });
  });

  describe('when 20 callers change one subject at once without retrying', () => {
    it('applies exactly one change per version, and the history holds every applied change', async () => {
      const changes = log();
      const id = await newCounter(changes);
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => increment(changes, id, i)));
      const applied = outcomes.flatMap((o) => (o.status === 'applied' ? [o.state.version] : []));
      expect(applied.length).toBeGreaterThanOrEqual(1);
      expect(new Set(applied).size).toBe(applied.length);
      expect(outcomes.filter((o) => o.status === 'conflict')).toHaveLength(20 - applied.length);
      const history = (await changes.histories([id])).get(id)!;
      expect(history.map((r) => r.version)).toEqual(
        Array.from({ length: applied.length + 1 }, (_, i) => i + 1),
      );
      expect(await counters.findById(id).lean()).toMatchObject({
        n: applied.length,
        version: applied.length + 1,
      });
    });
  });

  describe('when 20 callers change one subject at once and retry on conflict', () => {
    it('applies all 20, in 20 consecutive versions, losing none', async () => {
      const changes = log();
      const id = await newCounter(changes);
      const attempts = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          for (let attempt = 1; ; attempt++) {
            const outcome = await increment(changes, id, i);
            if (outcome.status === 'applied') return attempt;
            expect(outcome.status).toBe('conflict');
          }
        }),
      );
      expect(attempts).toHaveLength(20);
      const history = (await changes.histories([id])).get(id)!;
      expect(history.map((r) => r.version)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(history.slice(1).map((r) => r.after.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await counters.findById(id).lean()).toMatchObject({ n: 20, version: 21 });
      const byIncrement = history
        .slice(1)
        .map((r) => r.reason)
        .sort();
      expect(new Set(byIncrement).size).toBe(20);
    });
  });

  describe('when 10 callers create the same subject at once', () => {
    it('creates it once and tells the others it is a duplicate', async () => {
      const changes = log();
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () =>
          changes.create(
            actor,
            { _id: 'counter-once', catchmentId: 'york', n: 0 },
            {
              kind: 'CREATE',
              reason: 'once',
            },
          ),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'created')).toHaveLength(1);
      expect((await changes.histories(['counter-once'])).get('counter-once')).toHaveLength(1);
    });
  });

  describe('when two seeds run at once, twice', () => {
    it('creates each subject once, with one record, and reports each creation once', async () => {
      const changes = log();
      const states = Array.from({ length: 10 }, (_, i) => ({
        _id: `seeded-${i}`,
        catchmentId: 'durham',
        n: i,
      }));
      const counts = await Promise.all([
        changes.seed(actor, states, 'seed'),
        changes.seed(actor, states, 'seed'),
      ]);
      expect(counts[0]! + counts[1]!).toBe(10);
      expect(await changes.seed(actor, states, 'seed')).toBe(0);
      const histories = await changes.histories(states.map((s) => s._id));
      expect([...histories.values()].map((h) => h.length)).toEqual(Array(10).fill(1));
      expect(await counters.countDocuments({ _id: { $in: states.map((s) => s._id) } })).toBe(10);
      expect(
        await changeRecordModel(connection).countDocuments({
          subject: { $in: states.map((s) => subjectKey('Counter', s._id)) },
          projected: false,
        }),
      ).toBe(0);
    });
  });

  /**
   * The counters, with the projection's replace failing `times` times, as FerretDB fails a write when
   * its PostgreSQL connection breaks (`timeout: read tcp …: i/o timeout`, seen under load).
   */
  const replacesFailing = (times: number): Model<Counter> => {
    let left = times;
    const collection = new Proxy(counters.collection, {
      get(target, property) {
        if (property === 'replaceOne' && left > 0) {
          left--;
          return async () => {
            throw new Error('timeout: read tcp 127.0.0.1:1->127.0.0.1:5432: i/o timeout');
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    return new Proxy(counters, {
      get: (target, property) =>
        property === 'collection' ? collection : Reflect.get(target, property, target),
    });
  };
  const failing = (times: number, subjectType = 'Counter') =>
    new ChangeLog<Counter>({
      records: changeRecordModel(connection),
      projections: replacesFailing(times),
      subjectType,
    });

  describe('when the engine fails the projection of a change whose record is in', () => {
    it('tries again, answers applied, and the projection holds the change', async () => {
      const id = await newCounter();
      const outcome = await increment(failing(1), id, 1);
      expect(outcome).toMatchObject({ status: 'applied', state: { n: 1, version: 2 } });
      expect(await counters.findById(id).lean()).toMatchObject({ n: 1, version: 2 });
      expect(
        await changeRecordModel(connection)
          .findById(recordId('Counter', id, 2))
          .lean(),
      ).toMatchObject({
        projected: true,
      });
    });

    it('answers applied when it fails again, logs it, and readers and the next writer build on the record', async () => {
      const id = await newCounter();
      const warnings: string[] = [];
      attachChangeLogLogger(connection, { warn: (_details, message) => warnings.push(message) });
      try {
        expect(await increment(failing(2), id, 1)).toMatchObject({
          status: 'applied',
          state: { n: 1, version: 2 },
        });
      } finally {
        detachChangeLogLogger(connection);
      }
      expect(warnings).toEqual([
        'projection failed after the change was recorded: left to readers and the next change',
      ]);
      // The projection is behind, the record (with its events) unprojected: nothing of the change is lost.
      expect(await counters.findById(id).lean()).toMatchObject({ n: 0, version: 1 });
      const record = await changeRecordModel(connection)
        .findById(recordId('Counter', id, 2))
        .lean();
      expect(record).toMatchObject({
        projected: false,
        published: false,
        events: [{ type: 'CounterIncremented' }],
      });
      // Readers see it at once; the next change starts from it.
      expect(await log().findByIds([id])).toEqual([expect.objectContaining({ n: 1, version: 2 })]);
      expect(await increment(log(), id, 2)).toMatchObject({ status: 'applied', state: { n: 2, version: 3 } });
      expect(await counters.findById(id).lean()).toMatchObject({ n: 2, version: 3 });
    });
  });

  describe('when a writer crashed between its record and the projection', () => {
    /** A record written by a writer that crashed before projecting it, built on `from` (the projection). */
    const crash = async (changes: ChangeLog<Counter>, id: string, at: Date, from?: Counter) => {
      const current = from ?? (await counters.findById(id).lean<Counter>())!;
      const state = { ...current, n: current.n + 100, version: current.version + 1 };
      const type = changes.subjectType;
      const record: ChangeRecord<Counter> = {
        _id: recordId(type, id, state.version),
        subject: subjectKey(type, id),
        subjectType: type,
        subjectId: id,
        version: state.version,
        kind: 'INCREMENT',
        at,
        asOf: null,
        bySubject: 'crashed-writer',
        byRole: 'MINISTRY',
        reason: 'written just before a crash',
        before: { n: current.n },
        after: { n: state.n },
        state,
        events: [],
        projected: false,
        published: false,
      };
      expect(await changes.append(record)).toBe('inserted');
      return state;
    };

    it('shows readers the logged state at once without writing while the writer may still finish', async () => {
      const changes = log();
      const id = await newCounter(changes);
      await crash(changes, id, new Date());
      const [read] = await changes.findByIds([id]);
      expect(read).toMatchObject({ n: 100, version: 2 });
      expect(await counters.findById(id).lean()).toMatchObject({ n: 0, version: 1 });
    });

    it('rolls the projection forward on the next read once the writer is surely gone', async () => {
      const changes = log();
      const id = await newCounter(changes);
      const state = await crash(changes, id, new Date(Date.now() - 60_000));
      expect(await counters.findById(id).lean()).toMatchObject({ n: 0, version: 1 });

      const [read] = await changes.findByIds([id]);
      expect(read).toMatchObject({ n: 100, version: 2 });
      expect(await counters.findById(id).lean()).toMatchObject(state);
      expect(
        await changeRecordModel(connection).countDocuments({
          subject: subjectKey('Counter', id),
          projected: false,
        }),
      ).toBe(0);
    });

    // A subject type of their own: no other test's records are theirs to repair.
    it('is rolled forward by repairUnprojected (the events relay) only once the writer is surely gone', async () => {
      const changes = log(undefined, 'RelayRepairedCounter');
      const recent = await newCounter(changes);
      const stale = await newCounter(changes);
      await crash(changes, recent, new Date());
      const state = await crash(changes, stale, new Date(Date.now() - 60_000));

      expect(await changes.repairUnprojected()).toBe(1);
      expect(await counters.findById(stale).lean()).toMatchObject(state);
      // The recent one's writer may still be projecting it: left alone.
      expect(await counters.findById(recent).lean()).toMatchObject({ n: 0, version: 1 });
      expect(
        await changeRecordModel(connection).countDocuments({
          subjectType: changes.subjectType,
          projected: false,
        }),
      ).toBe(1);
    });

    it('logs a subject it cannot roll forward (the engine failing) and rolls forward the others', async () => {
      const type = 'RepairFailingCounter';
      const first = await newCounter(log(undefined, type));
      const second = await newCounter(log(undefined, type));
      const longAgo = new Date(Date.now() - 60_000);
      await crash(log(undefined, type), first, longAgo);
      await crash(log(undefined, type), second, longAgo);
      const warnings: string[] = [];
      attachChangeLogLogger(connection, { warn: (_details, message) => warnings.push(message) });
      try {
        // The first replace fails: one subject stays behind, the other is rolled forward.
        expect(await failing(1, type).repairUnprojected()).toBe(1);
      } finally {
        detachChangeLogLogger(connection);
      }
      expect(warnings).toEqual([
        'rolling forward an unprojected record failed: left for the next reader or relay round',
      ]);
      const versions = async () =>
        (await counters.find({ _id: { $in: [first, second] } }).lean<Counter[]>())
          .map((c) => c.version)
          .sort();
      expect(await versions()).toEqual([1, 2]);
      // The next round takes it.
      expect(await log(undefined, type).repairUnprojected()).toBe(1);
      expect(await versions()).toEqual([2, 2]);
    });

    it('lets the next writer build on the logged state instead of losing it', async () => {
      const changes = log();
      const id = await newCounter(changes);
      await crash(changes, id, new Date());
      const outcome = await increment(changes, id, 7);
      expect(outcome.status).toBe('applied');
      expect(await counters.findById(id).lean()).toMatchObject({ n: 101, version: 3 });
      expect((await changes.histories([id])).get(id)!.map((r) => r.after.n)).toEqual([0, 100, 101]);
    });

    it('finds the head several versions past the projection, and the next writer builds on it', async () => {
      const changes = log();
      const id = await newCounter(changes);
      const v2 = await crash(changes, id, new Date());
      await crash(changes, id, new Date(), v2);
      expect(await counters.findById(id).lean()).toMatchObject({ n: 0, version: 1 });
      // Readers see the head already (without writing: the writers may still finish).
      expect(await changes.findByIds([id])).toEqual([expect.objectContaining({ version: 3, n: 200 })]);
      expect(await counters.findById(id).lean()).toMatchObject({ n: 0, version: 1 });
      const outcome = await increment(changes, id, 7);
      expect(outcome.status).toBe('applied');
      expect(await counters.findById(id).lean()).toMatchObject({ n: 201, version: 4 });
      expect((await changes.histories([id])).get(id)!.map((r) => r.after.n)).toEqual([0, 100, 200, 201]);
    });

    it('never moves a projection back when an older record is projected late', async () => {
      const changes = log();
      const id = await newCounter(changes);
      await increment(changes, id, 1);
      await increment(changes, id, 2);
      const records = changeRecordModel(connection);
      const v2 = (await records.findById(recordId('Counter', id, 2)).lean<ChangeRecord<Counter>>())!;
      await changes.project(v2);
      expect(await counters.findById(id).lean()).toMatchObject({ n: 2, version: 3 });
    });

    /**
     * A counter at version 3 whose projection a slower write of version 2 put back after version 3's
     * (what FerretDB's non-atomic replace can do), and that version's record, whose projector is
     * still to look for newer records.
     */
    const overwrittenByVersion2 = async (changes: ChangeLog<Counter>) => {
      const id = await newCounter(changes);
      await increment(changes, id, 1);
      await increment(changes, id, 2);
      const records = changeRecordModel(connection);
      const v2 = (await records.findById(recordId('Counter', id, 2)).lean<ChangeRecord<Counter>>())!;
      await counters.collection.replaceOne({ _id: id } as never, v2.state as never);
      return { id, v2 };
    };

    it('puts the head back when a slower write of an older version landed after it', async () => {
      const changes = log();
      const { id, v2 } = await overwrittenByVersion2(changes);
      await changes.project(v2);
      expect(await counters.findById(id).lean()).toMatchObject({ n: 2, version: 3 });
    });

    it('puts the head back even when the deadline of the work has passed by then', async () => {
      const changes = log();
      const { id, v2 } = await overwrittenByVersion2(changes);
      // The late write's request ran out of time: its projector must still finish.
      const gone = { remainingMs: () => 0 };
      await expect(withDeadline(gone, () => counters.findById(id).lean().exec())).rejects.toThrow(
        DeadlineExceededError,
      );
      await withDeadline(gone, () => changes.project(v2));
      expect(await counters.findById(id).lean()).toMatchObject({ n: 2, version: 3 });
    });

    it('keeps the events of every change inside its record', async () => {
      const changes = log();
      const id = await newCounter(changes);
      await increment(changes, id, 3);
      const record = await changeRecordModel(connection)
        .findById(recordId('Counter', id, 2))
        .lean();
      expect(record?.events).toEqual([
        expect.objectContaining({
          type: 'CounterIncremented',
          catchmentId: 'peel',
          subject: { typename: 'Counter', id },
          version: 2,
          data: { by: 3 },
        }),
      ]);
      expect(record?.published).toBe(false);
    });
  });
});
