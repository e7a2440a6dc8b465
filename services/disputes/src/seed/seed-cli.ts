/** Seeds the disputes database (idempotent). Reads MONGODB_URI and DISPUTES_DB_NAME. */
import { connectDatabase } from '@ies/db';
import { createLogger } from '@ies/logger';
import { ensureIndexes } from '../server';
import { seedDisputes } from './seed-disputes';

async function main() {
  const logger = createLogger('disputes-seed', process.env.LOG_LEVEL ?? 'info');
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is required');
  const connection = await connectDatabase({ uri, dbName: process.env.DISPUTES_DB_NAME ?? 'ies_disputes' });
  await ensureIndexes(connection);
  logger.info(await seedDisputes(connection), 'seeded');
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`disputes seed failed: ${String(error)}\n`);
  process.exit(1);
});
