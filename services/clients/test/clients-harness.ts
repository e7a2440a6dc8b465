import type { Connection } from 'mongoose';
import type { Principal } from '@ies/auth';
import { changeRecordModel } from '@ies/change-log';
import { CommandCounter, refreshCollectionSize } from '@ies/db';
import { createLogger } from '@ies/logger';
import { connectTestDatabase, principalOf, subgraphRequest } from '@ies/testkit';
import { startContracts } from '../../contracts/test/contracts-harness';
import { actionPlanModel } from '../src/action-plan/action-plan.model';
import { clientModel } from '../src/client/client.model';
import { outcomeSlotModel } from '../src/outcome/outcome-slot.model';
import { ContractsProviderDirectory } from '../src/provider-directory/provider-directory';
import { contractsProgramLookup } from '../src/provider-directory/program-lookup';
import type { OutcomeConfig } from '../src/outcome/outcome-config';
import { createCatchmentPeriodSync, createClientsServer, createServices, ensureIndexes } from '../src/server';

/**
 * The catchments, contracts and clients subgraphs in-process on port 0, sharing one internal secret,
 * each on a fresh FerretDB database (catchments and contracts seeded, clients empty). The clients
 * service reads catchment periods and the provider directory from the other two over HTTP, as in
 * production.
 */
export async function startClients(name: string, options: { outcomeConfig?: OutcomeConfig } = {}) {
  const contracts = await startContracts(`${name}_contracts`);
  const secret = contracts.catchments.secret;
  const connection: Connection = await connectTestDatabase(name, { monitorCommands: true });
  await ensureIndexes(connection);
  const models = {
    clients: clientModel(connection),
    plans: actionPlanModel(connection),
    slots: outcomeSlotModel(connection),
    changeLog: changeRecordModel(connection),
  };
  const logger = createLogger('clients', process.env.CLIENTS_TEST_LOG ?? 'silent');
  const catchmentSync = createCatchmentPeriodSync({
    connection,
    logger,
    internalSecret: secret,
    catchmentsUrl: contracts.catchments.url,
  });
  await catchmentSync.syncAll();
  const upstream = { contractsUrl: contracts.url, internalSecret: secret, logger };
  const directory = new ContractsProviderDirectory(upstream);
  await directory.refresh();
  const deps = {
    connection,
    logger,
    catchmentSync,
    directory,
    programExists: contractsProgramLookup(upstream),
    outcomeConfig: options.outcomeConfig,
  };
  const server = await createClientsServer({ ...deps, internalSecret: secret });
  const port = await server.listen(0);
  const url = `http://127.0.0.1:${port}/graphql`;
  const as = (principal: Principal) => ({
    /** The GraphQL response body (`data`, `errors`). */
    query: async (
      query: string,
      variables?: Record<string, unknown>,
    ): Promise<{ data?: any; errors?: any[] }> =>
      (await subgraphRequest(url, query, { principal, secret, variables, audience: 'clients' })).body,
  });
  return {
    connection,
    url,
    secret,
    contracts,
    models,
    /** The service objects over the same database (for the import target and direct rules). */
    services: createServices(deps),
    /** What the services are built from (another database can reuse the same upstreams). */
    deps,
    commands: new CommandCounter(connection),
    refreshSizes: () => Promise.all(Object.values(models).map(refreshCollectionSize)),
    as,
    ministry: as(principalOf('MINISTRY')),
    ssmOf: (...catchmentIds: string[]) =>
      as(principalOf('SSM', { subject: `ssm-${catchmentIds[0]}`, catchmentIds })),
    provider: (...providerIds: string[]) =>
      as(principalOf('PROVIDER', { subject: `staff-${providerIds[0]}`, providerIds })),
    partner: as(principalOf('PARTNER', { partnerId: 'partner-1' })),
    anonymous: as(principalOf('PUBLIC')),
    async stop() {
      await server.close();
      await connection.close();
      await contracts.stop();
    },
  };
}

export type ClientsHarness = Awaited<ReturnType<typeof startClients>>;
