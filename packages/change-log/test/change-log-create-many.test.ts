import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollections } from '@ies/db';
import { connectTestDatabase } from '@ies/testkit';
import { ChangeLog, changeRecordModel, openBatchModel, recordId } from '../src';

interface Item {
  _id: string;
  reference: string;
  version: number;
}

const actor = { subject: 'batch-import', role: 'MINISTRY' };
const itemSchema = new Schema<Item>(
  { _id: String, reference: String, version: Number },
  { collection: 'batch_items', versionKey: false },
);
itemSchema.index({ reference: 1 }, { unique: true });

describe('the change log: batch creations (createMany)', () => {
  let connection: Connection;
  let items: Model<Item>;
  const log = (openBatchRepairAfterMs?: number) =>
    new ChangeLog<Item>({
      records: changeRecordModel(connection),
      projections: items,
      subjectType: 'BatchItem',
      openBatchRepairAfterMs,
    });
  const create = (ids: string[], changes = log()) =>
    changes.createMany(
      actor,
      ids.map((id) => ({
        state: { _id: id, reference: `ref-${id}` },
        change: { kind: 'CREATE', reason: 'batch import', events: [] },
      })),
    );

  beforeAll(async () => {
    connection = await connectTestDatabase('change_log_create_many');
    items = connection.model<Item>('BatchItem', itemSchema);
    await ensureCollections([items, changeRecordModel(connection), openBatchModel(connection)]);
  });
  afterAll(async () => {
    await connection.close();
  });

  it('creates version 1 of each subject with its record, projected, and leaves no open batch', async () => {
    expect(await create(['a1', 'a2', 'a3'])).toEqual(['created', 'created', 'created']);
    expect(await items.countDocuments({ _id: { $in: ['a1', 'a2', 'a3'] } })).toBe(3);
    const records = await changeRecordModel(connection)
      .find({ subjectType: 'BatchItem', subjectId: { $in: ['a1', 'a2', 'a3'] } })
      .lean();
    expect(records.map((r) => [r._id, r.version, r.projected])).toEqual(
      ['a1', 'a2', 'a3'].map((id) => [recordId('BatchItem', id, 1), 1, true]),
    );
    expect(await openBatchModel(connection).countDocuments({})).toBe(0);
  });

  it('keeps the events of a batch that is not to be published, and leaves them out of the outbox', async () => {
    const created = await log().createMany(
      actor,
      ['p1', 'p2'].map((id) => ({
        state: { _id: id, reference: `ref-${id}` },
        change: {
          kind: 'CREATE',
          reason: 'batch import',
          events: [{ type: 'BatchItemCreated', catchmentId: null }],
        },
      })),
      { publish: false },
    );
    expect(created).toEqual(['created', 'created']);
    const records = await changeRecordModel(connection)
      .find({ subjectType: 'BatchItem', subjectId: { $in: ['p1', 'p2'] } })
      .lean();
    expect(records.map((r) => [r.events.map((e) => e.type), r.published])).toEqual([
      [['BatchItemCreated'], true],
      [['BatchItemCreated'], true],
    ]);
    // Published by default, as any change.
    await create(['p3']);
    expect(
      (await changeRecordModel(connection)
        .findById(recordId('BatchItem', 'p3', 1))
        .lean())!.published,
    ).toBe(false);
  });

  it('of simultaneous batches naming the same subjects, each subject is created exactly once', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `b${i}`);
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => create(ids)));
    for (let i = 0; i < ids.length; i++) {
      expect(outcomes.map((o) => o[i]).filter((o) => o === 'created')).toHaveLength(1);
    }
    expect(await items.countDocuments({ _id: { $in: ids } })).toBe(20);
    expect(await changeRecordModel(connection).countDocuments({ subjectId: { $in: ids } })).toBe(20);
  });

  it('undoes the record of a subject whose natural key another document holds', async () => {
    await items.collection.insertOne({ _id: 'other', reference: 'ref-c1', version: 1 } as never);
    expect(await create(['c1', 'c2'])).toEqual(['duplicate', 'created']);
    expect(await changeRecordModel(connection).countDocuments({ subjectId: 'c1' })).toBe(0);
  });

  it('undoes a single creation whose writer crashed before its projection, once it is rolled forward and its natural key is taken', async () => {
    await items.collection.insertOne({ _id: 'other-c9', reference: 'ref-c9', version: 1 } as never);
    const changes = log();
    // The record `create` inserts before it projects, left by a writer that crashed 60 s ago.
    await changes.append({
      _id: recordId('BatchItem', 'c9', 1),
      subject: 'BatchItem:c9',
      subjectType: 'BatchItem',
      subjectId: 'c9',
      version: 1,
      kind: 'CREATE',
      at: new Date(Date.now() - 60_000),
      asOf: null,
      bySubject: actor.subject,
      byRole: actor.role,
      reason: 'created just before a crash',
      before: null,
      after: { reference: 'ref-c9' },
      state: { _id: 'c9', reference: 'ref-c9', version: 1 },
      events: [],
      projected: false,
      published: false,
    });

    // A reader asking for it is told it does not exist (it never did), and the record goes.
    expect(await changes.findByIds(['c9'])).toEqual([]);
    expect(await changeRecordModel(connection).countDocuments({ subjectId: 'c9' })).toBe(0);
    expect(await items.countDocuments({ _id: 'c9' })).toBe(0);
  });

  it('shows the records of an open batch to readers, and a reader rolls forward a batch left open by a crash', async () => {
    // The state a crash between the records and their projections leaves: marker and records only.
    const crashed = log();
    const records = changeRecordModel(connection);
    await openBatchModel(connection).create({
      _id: 'crashed-batch',
      subjectType: 'BatchItem',
      openedAt: new Date(),
    });
    const record = (id: string) => ({
      _id: recordId('BatchItem', id, 1),
      subject: `BatchItem:${id}`,
      subjectType: 'BatchItem',
      subjectId: id,
      version: 1,
      kind: 'CREATE',
      at: new Date(),
      asOf: null,
      bySubject: actor.subject,
      byRole: actor.role,
      reason: 'batch import',
      before: null,
      after: { reference: `ref-${id}` },
      state: { _id: id, reference: `ref-${id}`, version: 1 },
      events: [],
      projected: true,
      published: false,
      batch: 'crashed-batch',
    });
    await records.collection.insertMany([record('d1'), record('d2')] as never[]);
    // While the batch may still be running, readers see its subjects without writing anything.
    expect((await crashed.findByIds(['d1', 'd2'])).map((d) => d._id).sort()).toEqual(['d1', 'd2']);
    expect(await items.countDocuments({ _id: { $in: ['d1', 'd2'] } })).toBe(0);
    // Once it is older than the repair delay, the next reader projects it and closes the batch.
    await log(0).findByIds(['d1']);
    expect(await items.countDocuments({ _id: { $in: ['d1', 'd2'] } })).toBe(2);
    expect(await openBatchModel(connection).countDocuments({ _id: 'crashed-batch' })).toBe(0);
  });
});
