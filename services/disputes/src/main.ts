import { attachServiceEventPublisher } from '@ies/events';
import { loadConfigOrExit } from '@ies/config';
import { connectDatabase } from '@ies/db';
import { createLogger } from '@ies/logger';
import { withShutdown } from '@ies/subgraph-kit';
import { loadDisputesConfig } from './config';
import { SUBGRAPH_NAME, createCatchmentPeriodSync, createDisputesServer, ensureIndexes } from './server';

async function main() {
  const config = loadConfigOrExit(SUBGRAPH_NAME, () => loadDisputesConfig());
  const logger = createLogger(SUBGRAPH_NAME, config.log.LOG_LEVEL);
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
  // First copy at start; if the catchments subgraph is not up yet, the worker's scheduled sync
  // (src/worker.ts, a process of its own) and the on-demand refresh catch up.
  await catchmentSync
    .syncAll()
    .catch((error: unknown) => logger.warn({ err: error }, 'initial catchment period sync failed'));
  const server = await createDisputesServer({
    connection,
    logger,
    internalSecret: config.auth.INTERNAL_SIGNING_SECRET,
    internalHeader: {
      maxTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
      clockSkewMs: config.auth.INTERNAL_HEADER_CLOCK_SKEW_MS,
    },
    catchmentSync,
  });
  const port = await server.listen(config.http.PORT, config.http.HOST);
  logger.info({ port, host: config.http.HOST, database: config.database.DISPUTES_DB_NAME }, 'listening');
  withShutdown(logger, async () => {
    await server.close();
    await eventPublisher.stop();
    await connection.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${SUBGRAPH_NAME}: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
