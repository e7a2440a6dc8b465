import { Schema, type Connection } from 'mongoose';
import { isDuplicateKeyError } from '@ies/db';
import { connectTestDatabase } from '../src';

/**
 * Proves the portable MongoDB subset (docs/adr/0002) against the test engine through mongoose, before
 * any service builds on it.
 */
describe('the document engine through mongoose', () => {
  let connection: Connection;
  const visitSchema = new Schema(
    {
      _id: String,
      catchmentId: { type: String, required: true },
      quarter: { type: String, required: true },
      clients: { type: Number, required: true },
      tags: [String],
      version: { type: Number, default: 1 },
    },
    { versionKey: false },
  );
  visitSchema.index({ catchmentId: 1, quarter: 1 }, { unique: true });

  beforeAll(async () => {
    connection = await connectTestDatabase('engine_proof');
  });
  afterAll(async () => {
    await connection.close();
  });

  /** The visits every query test starts from (each test gets a collection of its own). */
  const VISITS = [
    { _id: 'a', catchmentId: 'peel', quarter: '2024Q1', clients: 10, tags: ['x'] },
    { _id: 'b', catchmentId: 'peel', quarter: '2024Q2', clients: 6 },
    { _id: 'c', catchmentId: 'york', quarter: '2024Q1', clients: 7 },
    { _id: 'd', catchmentId: 'york', quarter: '2024Q2', clients: 3 },
  ];
  let collections = 0;
  /** A model over a fresh collection with its indexes, holding `docs`: no test depends on another. */
  const visits = async (docs: object[] = VISITS) => {
    const n = ++collections;
    const model = connection.model(`Visit${n}`, visitSchema.clone(), `visits_${n}`);
    await model.createCollection();
    await model.syncIndexes();
    if (docs.length) await model.insertMany(docs);
    return model;
  };

  it('creates indexes, including a unique compound one', async () => {
    const Visit = await visits([]);
    const indexes = await Visit.collection.indexes();
    const unique = indexes.find((i) => i.name === 'catchmentId_1_quarter_1');
    expect(unique?.unique).toBe(true);
  });

  it('inserts, finds, updates and upserts', async () => {
    const Visit = await visits(VISITS.slice(0, 3));
    const peel = await Visit.find({ catchmentId: 'peel' }).sort({ quarter: 1 }).lean();
    expect(peel.map((v) => v._id)).toEqual(['a', 'b']);

    const updated = await Visit.updateOne(
      { _id: 'b', version: 1 },
      { $set: { clients: 8 }, $inc: { version: 1 } },
    );
    expect(updated.modifiedCount).toBe(1);
    const stale = await Visit.updateOne({ _id: 'b', version: 1 }, { $set: { clients: 99 } });
    expect(stale.matchedCount).toBe(0);

    await Visit.updateOne(
      { _id: 'd' },
      { $setOnInsert: { catchmentId: 'york', quarter: '2024Q2', clients: 3 } },
      { upsert: true },
    );
    await Visit.updateOne({ _id: 'd' }, { $setOnInsert: { clients: 1000 } }, { upsert: true });
    expect((await Visit.findById('d').lean())?.clients).toBe(3);
    expect(await Visit.countDocuments({ catchmentId: 'york' })).toBe(2);
  });

  it('refuses a duplicate on the unique index with E11000', async () => {
    const Visit = await visits();
    let caught: unknown;
    try {
      await Visit.create({ _id: 'dup', catchmentId: 'peel', quarter: '2024Q1', clients: 1 });
    } catch (error) {
      caught = error;
    }
    expect(isDuplicateKeyError(caught)).toBe(true);
  });

  it('runs $match then $group with one $sum accumulator per stage', async () => {
    const Visit = await visits();
    const clients = await Visit.aggregate<{ _id: string; clients: number }>([
      { $match: { clients: { $gt: 0 } } },
      { $group: { _id: '$catchmentId', clients: { $sum: '$clients' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(clients).toEqual([
      { _id: 'peel', clients: 16 },
      { _id: 'york', clients: 10 },
    ]);
    const quarters = await Visit.aggregate<{ _id: string; quarters: number }>([
      { $match: { clients: { $gt: 0 } } },
      { $group: { _id: '$catchmentId', quarters: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(quarters).toEqual([
      { _id: 'peel', quarters: 2 },
      { _id: 'york', quarters: 2 },
    ]);
  });

  it('characterizes the FerretDB 1.24 defect the code avoids: only the first accumulator of a $group is computed', async () => {
    const Visit = await visits();
    const [peel] = await Visit.aggregate<{ clients: number; quarters: number }>([
      { $match: { catchmentId: 'peel' } },
      { $group: { _id: '$catchmentId', clients: { $sum: '$clients' }, quarters: { $sum: 1 } } },
    ]);
    expect(peel!.clients).toBe(16);
    // MongoDB answers 2 here; FerretDB 1.24 answers 0. See docs/adr/0002-portable-mongodb-subset.md.
    expect(peel!.quarters).toBe(0);
  });

  it('characterizes the FerretDB 1.24 defect the seeds avoid: $setOnInsert upserts drop null and empty-array fields', async () => {
    const raw = connection.db!.collection(`raw_upserts_${++collections}`);
    await raw.updateOne(
      { _id: 'u' as never },
      { $setOnInsert: { n: null, list: [], name: 'kept' } },
      { upsert: true },
    );
    // MongoDB stores all three fields; FerretDB 1.24 keeps only `name`. See docs/adr/0002.
    expect(await raw.findOne({ _id: 'u' as never })).toEqual({ _id: 'u', name: 'kept' });
    await raw.insertOne({ _id: 'i' as never, n: null, list: [], name: 'kept' });
    expect(await raw.findOne({ _id: 'i' as never })).toEqual({ _id: 'i', n: null, list: [], name: 'kept' });
  });

  it('supports $in, $nor, $or on nullable fields and plain $push', async () => {
    const Visit = await visits();
    await Visit.updateOne({ _id: 'a' }, { $push: { tags: 'y' } });
    expect((await Visit.findById('a').lean())?.tags).toEqual(['x', 'y']);
    const found = await Visit.find({
      $nor: [{ quarter: { $lte: '2024Q1' } }],
      $or: [{ tags: null }, { clients: { $gte: 3 } }],
    })
      .sort({ _id: 1 })
      .lean();
    expect(found.map((v) => v._id)).toEqual(['b', 'd']);
    expect(await Visit.distinct('catchmentId')).toEqual(['peel', 'york']);
  });
});
