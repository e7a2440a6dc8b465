import { attachServiceEventPublisher } from '@ies/events';
import { loadConfigOrExit } from '@ies/config';
import { connectDatabase } from '@ies/db';
import { createLogger } from '@ies/logger';
import { withShutdown } from '@ies/subgraph-kit';
import { loadClientsConfig } from './config';
import { loadOutcomeConfig } from './outcome/outcome-config';
import { ContractsProviderDirectory } from './provider-directory/provider-directory';
import { contractsProgramLookup } from './provider-directory/program-lookup';
import { SUBGRAPH_NAME, createCatchmentPeriodSync, createClientsServer, ensureIndexes } from './server';

async function main() {
  const config = loadConfigOrExit(SUBGRAPH_NAME, () => loadClientsConfig());
  const logger = createLogger(SUBGRAPH_NAME, config.log.LOG_LEVEL);
  const outcomeConfig = loadOutcomeConfig(config.outcomes.OUTCOME_CONFIG_FILE);
  const connection = await connectDatabase({
    uri: config.database.MONGODB_URI,
    dbName: config.database.CLIENTS_DB_NAME,
  });
  // Writers publish their own changes' events at once; the worker's relay takes what they could not.
  const eventPublisher = attachServiceEventPublisher(connection, SUBGRAPH_NAME, config, logger);
  await ensureIndexes(connection);
  const internalSecret = config.auth.INTERNAL_SIGNING_SECRET;
  const catchmentSync = createCatchmentPeriodSync({
    connection,
    logger,
    internalSecret,
    headerTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
    catchmentsUrl: config.upstream.CATCHMENTS_SUBGRAPH_URL,
  });
  await catchmentSync
    .syncAll()
    .catch((error: unknown) => logger.warn({ err: error }, 'initial catchment period sync failed'));
  const upstream = {
    contractsUrl: config.upstream.CONTRACTS_SUBGRAPH_URL,
    internalSecret,
    headerTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
    logger,
  };
  const directory = new ContractsProviderDirectory(upstream);
  await directory.refresh();
  const server = await createClientsServer({
    connection,
    logger,
    internalSecret,
    internalHeader: {
      maxTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
      clockSkewMs: config.auth.INTERNAL_HEADER_CLOCK_SKEW_MS,
    },
    catchmentSync,
    directory,
    programExists: contractsProgramLookup(upstream),
    outcomeConfig,
  });
  const port = await server.listen(config.http.PORT, config.http.HOST);
  logger.info({ port, host: config.http.HOST, database: config.database.CLIENTS_DB_NAME }, 'listening');
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
