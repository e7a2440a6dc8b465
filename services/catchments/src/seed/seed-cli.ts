/** Seeds the catchments database (idempotent). Reads MONGODB_URI and CATCHMENTS_DB_NAME. */
import { connectDatabase } from '@ies/db';
import { createLogger } from '@ies/logger';
import { ensureIndexes } from '../server';
import { seedCatchments } from './seed-catchments';

async function main() {
  const logger = createLogger('catchments-seed', process.env.LOG_LEVEL ?? 'info');
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is required');
  const connection = await connectDatabase({
    uri,
    dbName: process.env.CATCHMENTS_DB_NAME ?? 'ies_catchments',
  });
  await ensureIndexes(connection);
  logger.info(await seedCatchments(connection), 'seeded');
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`catchments seed failed: ${String(error)}\n`);
  process.exit(1);
});
