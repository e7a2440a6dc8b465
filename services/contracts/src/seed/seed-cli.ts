/** Seeds the contracts database (idempotent). Reads MONGODB_URI and CONTRACTS_DB_NAME. */
import { connectDatabase } from '@ies/db';
import { createLogger } from '@ies/logger';
import { ensureIndexes } from '../server';
import { seedContracts } from './seed-contracts';

async function main() {
  const logger = createLogger('contracts-seed', process.env.LOG_LEVEL ?? 'info');
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is required');
  const connection = await connectDatabase({ uri, dbName: process.env.CONTRACTS_DB_NAME ?? 'ies_contracts' });
  await ensureIndexes(connection);
  logger.info(await seedContracts(connection), 'seeded');
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`contracts seed failed: ${String(error)}\n`);
  process.exit(1);
});
