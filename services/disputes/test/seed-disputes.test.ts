import { connectTestDatabase } from '@ies/testkit';
import { disputeModel } from '../src/dispute/dispute.model';
import { generateDisputes } from '../src/exchange/dispute-generator';
import { SEED_SAMPLE, seedDisputes } from '../src/seed/seed-disputes';
import { changeLogs, ensureIndexes } from '../src/server';

describe('Disputes seed', () => {
  it('loads the catalogue, the processes and the generated sample once; a second run changes nothing', async () => {
    const connection = await connectTestDatabase('disputes_seed');
    try {
      await ensureIndexes(connection);
      const sample = [...generateDisputes(SEED_SAMPLE)].length;
      expect(await seedDisputes(connection)).toEqual({
        categoriesInserted: 8,
        processesInserted: 12,
        disputesAccepted: sample,
        disputesUnchanged: 0,
        disputesRejected: 0,
      });
      // A seeded dispute changed since (as the SLA sweep or a user changes them) is left as it is.
      const changed = await disputeModel(connection).findOne({}).lean();
      const outcome = await changeLogs(connection).disputes.change(
        { subject: 'test', role: 'MINISTRY' },
        changed!._id,
        { reason: 'changed after the seed' },
        (current) => {
          // As the SLA sweep does to an overdue dispute: one more step in its history.
          const history = [
            ...current.history,
            { ...current.history.at(-1)!, by: 'test', reason: 'Changed after the seed' },
          ];
          return { kind: 'TEST_CHANGE', before: null, after: { history }, set: { history } };
        },
      );
      expect(outcome.status).toBe('applied');
      expect(await seedDisputes(connection)).toEqual({
        categoriesInserted: 0,
        processesInserted: 0,
        disputesAccepted: 0,
        disputesUnchanged: sample,
        disputesRejected: 0,
      });
      expect(await disputeModel(connection).countDocuments({})).toBe(sample);
      expect((await disputeModel(connection).findById(changed!._id).lean())!.history.at(-1)!.reason).toBe(
        'Changed after the seed',
      );
    } finally {
      await connection.dropDatabase();
      await connection.close();
    }
  });
});
