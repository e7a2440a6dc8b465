/** Seeds the clients database with the synthetic sample (idempotent). Reads MONGODB_URI and CLIENTS_DB_NAME. */
import { connectDatabase } from '@ies/db';
import { createLogger } from '@ies/logger';
import { ensureIndexes } from '../server';
import { seedClients } from './seed-clients';

async function main() {
  const logger = createLogger('clients-seed', process.env.LOG_LEVEL ?? 'info');
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is required');
  const connection = await connectDatabase({ uri, dbName: process.env.CLIENTS_DB_NAME ?? 'ies_clients' });
  await ensureIndexes(connection);
  logger.info(await seedClients(connection), 'seeded');
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`clients seed failed: ${String(error)}\n`);
  process.exit(1);
});
