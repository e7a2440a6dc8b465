import { catchmentSyncQueue, startCatchmentSyncJob } from '@ies/catchment-read-model';
import { loadConfigOrExit } from '@ies/config';
import { connectDatabase } from '@ies/db';
import { withShutdown } from '@ies/http-kit';
import { createLogger } from '@ies/logger';
import { loadClientsConfig } from './config';
import { SUBGRAPH_NAME, createCatchmentPeriodSync, ensureIndexes } from './server';

/**
 * The clients service's BullMQ worker, a process of its own so API replicas and workers scale apart:
 * it keeps the service's copy of the catchments' periods fresh on a job scheduler. Same configuration
 * as the API (`PORT`/`HOST` unused).
 */
async function main() {
  const name = `${SUBGRAPH_NAME}-worker`;
  const config = loadConfigOrExit(name, () => loadClientsConfig());
  const logger = createLogger(name, config.log.LOG_LEVEL);
  const connection = await connectDatabase({
    uri: config.database.MONGODB_URI,
    dbName: config.database.CLIENTS_DB_NAME,
  });
  await ensureIndexes(connection);
  const catchmentSync = createCatchmentPeriodSync({
    connection,
    logger,
    internalSecret: config.auth.INTERNAL_SIGNING_SECRET,
    catchmentsUrl: config.upstream.CATCHMENTS_SUBGRAPH_URL,
  });
  const syncJob = await startCatchmentSyncJob({
    serviceName: SUBGRAPH_NAME,
    redisUrl: config.jobs.REDIS_URL,
    prefix: config.jobs.QUEUE_PREFIX,
    everyMs: config.upstream.CATCHMENT_SYNC_EVERY_MS,
    sync: catchmentSync,
    logger,
  });
  logger.info(
    { queues: [catchmentSyncQueue(SUBGRAPH_NAME)], prefix: config.jobs.QUEUE_PREFIX },
    'worker ready',
  );
  withShutdown(logger, async () => {
    await syncJob.close();
    await connection.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${SUBGRAPH_NAME}-worker: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
