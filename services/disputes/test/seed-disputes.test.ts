import { connectTestDatabase } from '@ies/testkit';
import { disputeModel } from '../src/dispute/dispute.model';
import { generateDisputes } from '../src/exchange/dispute-generator';
import { SEED_SAMPLE, seedDisputes } from '../src/seed/seed-disputes';
import { ensureIndexes } from '../src/server';

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
      expect(await seedDisputes(connection)).toEqual({
        categoriesInserted: 0,
        processesInserted: 0,
        disputesAccepted: 0,
        disputesUnchanged: sample,
        disputesRejected: 0,
      });
      expect(await disputeModel(connection).countDocuments({})).toBe(sample);
    } finally {
      await connection.dropDatabase();
      await connection.close();
    }
  });
});
