import { catchmentSyncQueue, startCatchmentSyncJob } from '@ies/catchment-read-model';
import { loadConfigOrExit } from '@ies/config';
import { connectDatabase } from '@ies/db';
import { createHealthServer, dependencyReadiness, withShutdown } from '@ies/http-kit';
import { startConfiguredEventRelay } from '@ies/events';
import { createJobs } from '@ies/jobs';
import { createLogger } from '@ies/logger';
import type { Connection } from 'mongoose';
import { loadContractsConfig } from './config';
import { SUBGRAPH_NAME, changeLogs, createCatchmentPeriodSync, ensureIndexes } from './server';

/**
 * The contracts service's BullMQ worker, a process of its own so API replicas and workers scale apart.
 * It creates the service's job schedulers (one place, idempotent; again whenever Redis comes back) and
 * consumes its queues. It serves `/health/live` and `/health/ready` on `WORKER_HEALTH_PORT` (ready when
 * MongoDB and Redis answer) and no other HTTP. When Redis is down at start it waits for it, not ready,
 * instead of exiting. Same configuration as the API (`PORT` unused). It also runs the service's events
 * relay (`@ies/events`, ADR 0018): the change log's outbox published to the platform's event stream.
 */
async function main() {
  const name = `${SUBGRAPH_NAME}-worker`;
  const config = loadConfigOrExit(name, () => loadContractsConfig());
  const logger = createLogger(name, config.log.LOG_LEVEL);
  const connection: Connection = await connectDatabase({
    uri: config.database.MONGODB_URI,
    dbName: config.database.CONTRACTS_DB_NAME,
  });
  await ensureIndexes(connection);
  const jobs = createJobs({ redisUrl: config.jobs.REDIS_URL, prefix: config.jobs.QUEUE_PREFIX, logger });
  const health = createHealthServer({
    service: name,
    readiness: dependencyReadiness({
      mongodb: () => connection.db!.admin().command({ ping: 1 }),
      redis: () => jobs.checkRedis(),
    }),
  });
  const healthPort = await health.listen(config.worker.WORKER_HEALTH_PORT, config.http.HOST);
  logger.info({ healthPort }, 'health endpoints listening');
  // The change log's outbox, published to the platform's event stream (ADR 0018).
  const relay = startConfiguredEventRelay(connection, SUBGRAPH_NAME, config, logger, [
    ...Object.values(changeLogs(connection)),
  ]);
  withShutdown(logger, async () => {
    await relay.stop();
    await jobs.close();
    await health.close();
    await connection.close();
  });

  const catchmentSync = createCatchmentPeriodSync({
    connection,
    logger,
    internalSecret: config.auth.INTERNAL_SIGNING_SECRET,
    headerTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
    catchmentsUrl: config.catchments.CATCHMENTS_SUBGRAPH_URL,
  });
  await startCatchmentSyncJob({
    serviceName: SUBGRAPH_NAME,
    jobs,
    everyMs: config.catchments.CATCHMENT_SYNC_EVERY_MS,
    sync: catchmentSync,
    logger,
  });
  logger.info(
    {
      queues: [catchmentSyncQueue(SUBGRAPH_NAME)],
      prefix: config.jobs.QUEUE_PREFIX,
      database: config.database.CONTRACTS_DB_NAME,
      healthPort,
    },
    'worker ready',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${SUBGRAPH_NAME}-worker: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
