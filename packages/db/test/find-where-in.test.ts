import { Schema, type Connection, type Model } from 'mongoose';
import { connectTestDatabase, lookupsFor } from '@ies/testkit';
import { CommandCounter, ensureCollections, findWhereIn, lookupsPayOff, refreshCollectionSize } from '../src';

interface Agreement {
  _id: string;
  catchmentId: string;
  providerId: string;
}

describe('findWhereIn, a batched lookup shaped for an index on each engine', () => {
  let connection: Connection;
  let agreements: Model<Agreement>;
  let commands: CommandCounter;
  const docs = Array.from({ length: 12 }, (_, i) => ({
    _id: `agr-${String(i).padStart(2, '0')}`,
    catchmentId: ['peel', 'york', 'durham'][i % 3]!,
    providerId: `sp-${i % 4}`,
  }));

  beforeAll(async () => {
    connection = await connectTestDatabase('find_where_in', { monitorCommands: true });
    agreements = connection.model<Agreement>(
      'Agreement',
      new Schema<Agreement>({ _id: String, catchmentId: String, providerId: String }, { versionKey: false }),
    );
    agreements.schema.index({ catchmentId: 1 });
    await ensureCollections([agreements]);
    await agreements.insertMany(docs);
    await refreshCollectionSize(agreements);
    commands = new CommandCounter(connection);
  });
  afterAll(async () => {
    commands.dispose();
    await connection.close();
  });

  it('finds every match once, sorted when asked, in one batch of lookups', async () => {
    commands.reset();
    const found = await findWhereIn<Agreement>(agreements, 'catchmentId', ['york', 'peel', 'york'], {
      sortBy: '_id',
    });
    expect(found.map((a) => a._id)).toEqual(docs.filter((d) => d.catchmentId !== 'durham').map((d) => d._id));
    expect(commands.count('find')).toBe(await lookupsFor(agreements, 2));
  });

  it('applies a scope on the same field to the values, and asks nothing when none is left', async () => {
    commands.reset();
    const none = await findWhereIn<Agreement>(agreements, '_id', ['agr-00', 'agr-01'], {
      where: { _id: { $in: [] } },
    });
    expect(none).toEqual([]);
    expect(commands.count('find')).toBe(0);
    const some = await findWhereIn<Agreement>(agreements, 'catchmentId', ['peel', 'york'], {
      where: { catchmentId: { $in: ['york'] }, providerId: 'sp-1' },
    });
    expect(some.map((a) => a._id)).toEqual(['agr-01']);
  });

  it('answers an empty list without a query', async () => {
    commands.reset();
    expect(await findWhereIn(agreements, 'catchmentId', [])).toEqual([]);
    expect(commands.count('find')).toBe(0);
  });

  it('prefers equality lookups on a large collection and one scan on a small one (FerretDB)', () => {
    expect(lookupsPayOff(20, undefined)).toBe(true);
    expect(lookupsPayOff(20, 100_000)).toBe(true);
    expect(lookupsPayOff(20, 50)).toBe(false);
    expect(lookupsPayOff(5, 50)).toBe(true);
    expect(lookupsPayOff(201, 10_000_000)).toBe(false);
  });
});
