import { connectDatabase } from '@ies/db';
import type { ServiceEntry } from '@ies/service-registry';
import { loadServiceHooks, type SeedResult } from './service-hooks';

/** Creates a service's collections and indexes, then seeds what is absent; returns the seed's counts. */
export async function prepareServiceDatabase(
  service: ServiceEntry,
  mongoUri: string,
  dbName: string,
): Promise<SeedResult> {
  const hooks = await loadServiceHooks(service);
  const connection = await connectDatabase({ uri: mongoUri, dbName });
  try {
    await hooks.ensureIndexes(connection);
    return await hooks.seed(connection);
  } finally {
    await connection.close();
  }
}
