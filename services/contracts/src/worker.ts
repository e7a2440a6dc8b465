import { loadConfigOrExit } from '@ies/config';
import { connectDatabase } from '@ies/db';
import { withShutdown } from '@ies/http-kit';
import { createLogger } from '@ies/logger';
import { CATCHMENT_SYNC_QUEUE, startCatchmentSyncJob } from './catchment-period/catchment-sync-job';
import { loadContractsConfig } from './config';
import { SUBGRAPH_NAME, createCatchmentPeriodSync, ensureIndexes } from './server';

/**
 * The contracts service's BullMQ worker, a process of its own so API replicas and workers scale apart.
 * It creates the service's job schedulers at start (one place, idempotent) and consumes its queues;
 * it serves no HTTP. Same configuration as the API (`PORT`/`HOST` unused).
 */
async function main() {
  const name = `${SUBGRAPH_NAME}-worker`;
  const config = loadConfigOrExit(name, () => loadContractsConfig());
  const logger = createLogger(name, config.log.LOG_LEVEL);
  const connection = await connectDatabase({
    uri: config.database.MONGODB_URI,
    dbName: config.database.CONTRACTS_DB_NAME,
  });
  await ensureIndexes(connection);
  const catchmentSync = createCatchmentPeriodSync({
    connection,
    logger,
    internalSecret: config.auth.INTERNAL_SIGNING_SECRET,
    headerTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
    catchmentsUrl: config.catchments.CATCHMENTS_SUBGRAPH_URL,
  });
  const syncJob = await startCatchmentSyncJob({
    redisUrl: config.jobs.REDIS_URL,
    prefix: config.jobs.QUEUE_PREFIX,
    everyMs: config.catchments.CATCHMENT_SYNC_EVERY_MS,
    sync: catchmentSync,
    logger,
  });
  logger.info(
    {
      queues: [CATCHMENT_SYNC_QUEUE],
      prefix: config.jobs.QUEUE_PREFIX,
      database: config.database.CONTRACTS_DB_NAME,
    },
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
