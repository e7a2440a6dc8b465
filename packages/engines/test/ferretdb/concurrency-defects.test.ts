import type { Db, MongoClient } from 'mongodb';
import { connectMongo, freshDbName } from './test-databases';

/**
 * The three concurrency facts of the embedded engine (FerretDB 1.24 on its default backend) that
 * ARCHITECTURE.md builds on: version-matched updates and $inc lose writes under contention; an insert
 * on a unique key is the one atomic primitive. The first two pin engine DEFECTS (MongoDB does not lose
 * these writes): if they start failing, the engine got better, and the change-log design may be
 * revisited. A few rounds each, since a lost write is a race that a single round may not show.
 */
describe('FerretDB 1.24 concurrency defects the change-log design works around (engine defects, not product behaviour)', () => {
  const ROUNDS = 4;
  let mongo: MongoClient;
  let db: Db;

  beforeAll(async () => {
    mongo = await connectMongo();
    db = mongo.db(freshDbName('concurrency'));
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await mongo?.close();
  });

  it('defect: of 20 simultaneous version-matched updates, more than one is told it matched, and pushes are lost', async () => {
    const rounds: { matched: number; pushes: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const docs = db.collection<{ _id: string; version: number; log: number[] }>(`versioned_${round}`);
      await docs.insertOne({ _id: 'doc', version: 1, log: [] });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          docs.updateOne({ _id: 'doc', version: 1 }, { $inc: { version: 1 }, $push: { log: i } }),
        ),
      );
      const after = await docs.findOne({ _id: 'doc' });
      rounds.push({ matched: results.filter((r) => r.matchedCount === 1).length, pushes: after!.log.length });
    }
    // MongoDB: exactly one matches in every round, and its one push survives.
    expect(rounds.some((r) => r.matched > 1 && r.pushes < r.matched)).toBe(true);
  });

  it('defect: of 40 simultaneous $inc on one field, fewer than 40 survive', async () => {
    const totals: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const counters = db.collection<{ _id: string; n: number }>(`counters_${round}`);
      await counters.insertOne({ _id: 'c', n: 0 });
      await Promise.all(
        Array.from({ length: 40 }, () => counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } })),
      );
      totals.push((await counters.findOne({ _id: 'c' }))!.n);
    }
    // MongoDB: 40 every round.
    expect(totals.some((n) => n < 40)).toBe(true);
  });

  it('holds: of 20 simultaneous inserts of one unique key, exactly one succeeds, every round', async () => {
    const winners: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const records = db.collection<{ _id: string; subject: string; version: number; by: number }>(
        `log_${round}`,
      );
      await records.createIndex({ subject: 1, version: 1 }, { unique: true });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          records.insertOne({ _id: `r${i}`, subject: 's', version: 2, by: i }),
        ),
      );
      winners.push(outcomes.filter((o) => o.status === 'fulfilled').length);
      expect(await records.countDocuments({ subject: 's', version: 2 })).toBe(1);
    }
    expect(winners).toEqual(Array.from({ length: ROUNDS }, () => 1));
  });
});
