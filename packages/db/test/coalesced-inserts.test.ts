import { Schema, type Connection, type Model } from 'mongoose';
import { connectTestDatabase } from '@ies/testkit';
import { CommandCounter, coalescedInserts, ensureCollections, MAX_DOCS_PER_INSERT } from '../src';

interface Entry {
  _id: string;
  n: number;
}

describe('coalescedInserts: inserts started at once go to the engine as one command', () => {
  let connection: Connection;
  let entries: Model<Entry>;
  let commands: CommandCounter;

  beforeAll(async () => {
    connection = await connectTestDatabase('coalesced_inserts', { monitorCommands: true });
    entries = connection.model<Entry>(
      'CoalescedEntry',
      new Schema<Entry>({ _id: String, n: Number }, { versionKey: false, collection: 'coalesced_entries' }),
    );
    await ensureCollections([entries]);
    commands = new CommandCounter(connection);
  });
  beforeEach(async () => {
    await entries.deleteMany({});
    commands.reset();
  });
  afterAll(async () => {
    commands.dispose();
    await connection.close();
  });

  it('answers each caller for its own document, in one insert', async () => {
    await entries.collection.insertOne({ _id: 'taken', n: 0 } as never);
    commands.reset();
    const insert = coalescedInserts(entries);
    const outcomes = await Promise.all([
      insert({ _id: 'a', n: 1 }),
      insert({ _id: 'taken', n: 2 }),
      insert({ _id: 'b', n: 3 }),
      // Two callers with the same new key at once: one of them inserts it.
      insert({ _id: 'c', n: 4 }),
      insert({ _id: 'c', n: 5 }),
    ]);
    expect(outcomes.slice(0, 3)).toEqual(['inserted', 'duplicate', 'inserted']);
    expect([...outcomes.slice(3)].sort()).toEqual(['duplicate', 'inserted']);
    expect(commands.count('insert', 'coalesced_entries')).toBe(1);
    const stored = await entries.find().sort({ _id: 1 }).lean();
    expect(stored.map((e) => [e._id, e.n])).toEqual([
      ['a', 1],
      ['b', 3],
      ['c', 4],
      ['taken', 0],
    ]);
  });

  it('inserts a caller alone as insertNew does, and calls in later turns in commands of their own', async () => {
    const insert = coalescedInserts(entries);
    expect(await insert({ _id: 'x', n: 1 })).toBe('inserted');
    expect(await insert({ _id: 'x', n: 2 })).toBe('duplicate');
    expect(commands.count('insert', 'coalesced_entries')).toBe(2);
    expect(await entries.findById('x').lean()).toEqual({ _id: 'x', n: 1 });
  });

  it(`splits a burst into commands of at most ${MAX_DOCS_PER_INSERT} documents`, async () => {
    const insert = coalescedInserts(entries);
    const burst = Array.from({ length: MAX_DOCS_PER_INSERT + 5 }, (_, i) => insert({ _id: `e${i}`, n: i }));
    expect(new Set(await Promise.all(burst))).toEqual(new Set(['inserted']));
    expect(commands.count('insert', 'coalesced_entries')).toBe(2);
    expect(await entries.countDocuments()).toBe(MAX_DOCS_PER_INSERT + 5);
  });

  it('fails only the caller whose document the engine refuses', async () => {
    const insert = coalescedInserts(entries);
    const outcomes = await Promise.allSettled([
      insert({ _id: 'good-1', n: 1 }),
      // FerretDB refuses a field name beginning with `$` (not a duplicate; MongoDB 5+ would take it).
      insert({ _id: 'bad', $n: 2 }),
      insert({ _id: 'good-2', n: 3 }),
    ]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 'inserted' });
    expect(outcomes[1]!.status).toBe('rejected');
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 'inserted' });
    expect((await entries.find().sort({ _id: 1 }).lean()).map((e) => e._id)).toEqual(['good-1', 'good-2']);
  });
});
