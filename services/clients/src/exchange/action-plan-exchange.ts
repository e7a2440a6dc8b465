import { connectDatabase } from '@ies/db';
import { createStderrLogger } from '@ies/logger';
import { loadClientsConfig } from '../config';
import { loadOutcomeConfig } from '../outcome/outcome-config';
import { ContractsProviderDirectory } from '../provider-directory/provider-directory';
import { contractsProgramLookup } from '../provider-directory/program-lookup';
import { createCatchmentPeriodSync, createServices, ensureIndexes } from '../server';
import type { ActionPlanLine } from './action-plan-line';
import type { ImportTarget } from './exchange-types';

/**
 * The batch exchange as the CLI uses it (`npm run import|export -- action-plans`): the clients
 * database from the same variables as the service (MONGODB_URI, CLIENTS_DB_NAME…), and the catchments
 * and contracts subgraphs of a running stack for catchment periods and the provider directory.
 */
export async function openActionPlanExchange(env: NodeJS.ProcessEnv): Promise<{
  target: ImportTarget<ActionPlanLine>;
  exportLines(catchmentId: string): AsyncIterable<ActionPlanLine>;
  close(): Promise<void>;
}> {
  const config = loadClientsConfig(env);
  const logger = createStderrLogger('clients-exchange', env.LOG_LEVEL ?? 'warn');
  const connection = await connectDatabase({
    uri: config.database.MONGODB_URI,
    dbName: config.database.CLIENTS_DB_NAME,
  });
  await ensureIndexes(connection);
  const internalSecret = config.auth.INTERNAL_SIGNING_SECRET;
  const catchmentSync = createCatchmentPeriodSync({
    connection,
    logger,
    internalSecret,
    headerTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
    catchmentsUrl: config.upstream.CATCHMENTS_SUBGRAPH_URL,
  });
  await catchmentSync.syncAll();
  const upstream = {
    contractsUrl: config.upstream.CONTRACTS_SUBGRAPH_URL,
    internalSecret,
    headerTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
    logger,
  };
  const directory = new ContractsProviderDirectory(upstream);
  await directory.refresh();
  if (!directory.available) {
    await connection.close();
    throw new Error(
      `the contracts subgraph at ${config.upstream.CONTRACTS_SUBGRAPH_URL} did not answer (provider directory)`,
    );
  }
  const services = createServices({
    connection,
    logger,
    catchmentSync,
    directory,
    programExists: contractsProgramLookup(upstream),
    outcomeConfig: loadOutcomeConfig(config.outcomes.OUTCOME_CONFIG_FILE),
  });
  return {
    target: services.exchange,
    exportLines: (catchmentId) => services.exchange.exportLines(catchmentId),
    close: () => connection.close(),
  };
}
