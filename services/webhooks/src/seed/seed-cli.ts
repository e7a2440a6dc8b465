/** Seeds the webhooks database (nothing but its collections and indexes). Reads MONGODB_URI and WEBHOOKS_DB_NAME. */
import { connectDatabase } from '@ies/db';
import { createLogger } from '@ies/logger';
import { ensureIndexes } from '../server';
import { seedWebhooks } from './seed-webhooks';

async function main() {
  const logger = createLogger('webhooks-seed', process.env.LOG_LEVEL ?? 'info');
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is required');
  const connection = await connectDatabase({ uri, dbName: process.env.WEBHOOKS_DB_NAME ?? 'ies_webhooks' });
  await ensureIndexes(connection);
  logger.info(await seedWebhooks(connection), 'seeded');
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`webhooks seed failed: ${String(error)}\n`);
  process.exit(1);
});
