import { loadConfigOrExit } from '@ies/config';
import { connectDatabase } from '@ies/db';
import { startConfiguredEventRelay } from '@ies/events';
import { createHealthServer, dependencyReadiness, withShutdown } from '@ies/http-kit';
import { createLogger } from '@ies/logger';
import type { Connection } from 'mongoose';
import { loadCatchmentsConfig } from './config';
import { SUBGRAPH_NAME, changeLogs, ensureIndexes } from './server';

/**
 * The catchments service's worker, a process of its own so API replicas and workers scale apart: it
 * runs the events relay (the change log's outbox published to the platform's stream, ADR 0018; the
 * catchments service has no queues). It serves `/health/live` and `/health/ready` on
 * `WORKER_HEALTH_PORT` (ready when MongoDB and Redis answer) and no other HTTP. When Redis is down at
 * start it waits for it, not ready, instead of exiting. Same configuration as the API (`PORT` unused).
 */
async function main() {
  const name = `${SUBGRAPH_NAME}-worker`;
  const config = loadConfigOrExit(name, () => loadCatchmentsConfig());
  const logger = createLogger(name, config.log.LOG_LEVEL);
  const connection: Connection = await connectDatabase({
    uri: config.database.MONGODB_URI,
    dbName: config.database.CATCHMENTS_DB_NAME,
  });
  await ensureIndexes(connection);
  const relay = startConfiguredEventRelay(connection, SUBGRAPH_NAME, config, logger, [
    ...Object.values(changeLogs(connection)),
  ]);
  const health = createHealthServer({
    service: name,
    readiness: dependencyReadiness({
      mongodb: () => connection.db!.admin().command({ ping: 1 }),
      redis: () => relay.checkRedis(),
    }),
  });
  const healthPort = await health.listen(config.worker.WORKER_HEALTH_PORT, config.http.HOST);
  logger.info({ healthPort }, 'health endpoints listening');
  withShutdown(logger, async () => {
    await relay.stop();
    await health.close();
    await connection.close();
  });
  logger.info(
    { prefix: config.jobs.QUEUE_PREFIX, database: config.database.CATCHMENTS_DB_NAME, healthPort },
    'worker ready',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${SUBGRAPH_NAME}-worker: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
