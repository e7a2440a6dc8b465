import { catchmentSyncQueue, startCatchmentSyncJob } from '@ies/catchment-read-model';
import { loadConfigOrExit } from '@ies/config';
import { connectDatabase } from '@ies/db';
import { withShutdown } from '@ies/http-kit';
import { attachServiceEventPublisher, startConfiguredEventRelay } from '@ies/events';
import { createJobs } from '@ies/jobs';
import { createLogger } from '@ies/logger';
import { loadDisputesConfig } from './config';
import { disputeModel } from './dispute/dispute.model';
import { SUBGRAPH_NAME, changeLogs, createCatchmentPeriodSync, ensureIndexes } from './server';
import { SlaSweep } from './sla-sweep/sla-sweep';
import { SLA_SWEEP_QUEUE, startSlaSweepJob } from './sla-sweep/sla-sweep-job';
import { createWorkerHealth } from './worker-health';

/**
 * The disputes service's BullMQ worker, a process of its own so API replicas and workers scale apart:
 * the SLA sweep (marks breaches, escalates) and the catchment period sync. It upserts both job
 * schedulers at start (idempotent). It serves `/health/live` and `/health/ready` on
 * `WORKER_HEALTH_PORT` (ready when MongoDB and Redis answer) and no other HTTP; when Redis is down at
 * start it waits for it, not ready. Same configuration as the API (`PORT` unused). It also runs the
 * service's events relay (`@ies/events`, ADR 0018): the change log's outbox published to the event stream.
 */
async function main() {
  const name = `${SUBGRAPH_NAME}-worker`;
  const config = loadConfigOrExit(name, () => loadDisputesConfig());
  const logger = createLogger(name, config.log.LOG_LEVEL);
  const connection = await connectDatabase({
    uri: config.database.MONGODB_URI,
    dbName: config.database.DISPUTES_DB_NAME,
  });
  // Writers publish their own changes' events at once; the worker's relay takes what they could not.
  const eventPublisher = attachServiceEventPublisher(connection, SUBGRAPH_NAME, config, logger);
  await ensureIndexes(connection);
  const catchmentSync = createCatchmentPeriodSync({
    connection,
    logger,
    internalSecret: config.auth.INTERNAL_SIGNING_SECRET,
    headerTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
    catchmentsUrl: config.catchments.CATCHMENTS_SUBGRAPH_URL,
  });
  // One BullMQ connection set for both jobs; it waits for Redis and re-creates the schedulers when
  // Redis comes back empty.
  const jobs = createJobs({ redisUrl: config.jobs.REDIS_URL, prefix: config.jobs.QUEUE_PREFIX, logger });
  const health = createWorkerHealth({ service: name, connection, jobs });
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
    await eventPublisher.stop();
    await connection.close();
  });
  await startCatchmentSyncJob({
    serviceName: SUBGRAPH_NAME,
    jobs,
    everyMs: config.catchments.CATCHMENT_SYNC_EVERY_MS,
    sync: catchmentSync,
    logger,
  });
  const sweep = new SlaSweep({
    disputes: disputeModel(connection),
    log: changeLogs(connection).disputes,
    logger: logger.child({ module: 'sla-sweep' }),
  });
  await startSlaSweepJob({ jobs, sweep, everyMs: config.sla.DISPUTE_SLA_SWEEP_EVERY_MS, logger });
  logger.info(
    {
      queues: [catchmentSyncQueue(SUBGRAPH_NAME), SLA_SWEEP_QUEUE],
      prefix: config.jobs.QUEUE_PREFIX,
      database: config.database.DISPUTES_DB_NAME,
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
