import type { Connection } from 'mongoose';
import type { Principal } from '@ies/auth';
import { CommandCounter, refreshCollectionSize } from '@ies/db';
import { changeRecordModel } from '@ies/change-log';
import { contractModel } from '../src/contract/contract.model';
import { programModel } from '../src/program/program.model';
import { serviceProviderModel } from '../src/service-provider/service-provider.model';
import { createLogger } from '@ies/logger';
import { connectTestDatabase, principalOf, subgraphRequest } from '@ies/testkit';
import { startCatchments } from '../../catchments/test/catchments-harness';
import { providerAgreementModel } from '../src/agreement/provider-agreement.model';
import { CatchmentReadModel, catchmentCopyModel } from '@ies/catchment-read-model';
import { seedContracts } from '../src/seed/seed-contracts';
import {
  SUBGRAPH_NAME,
  createCatchmentPeriodSync,
  createContractsServer,
  ensureIndexes,
} from '../src/server';

/**
 * The catchments subgraph and the contracts subgraph in-process on port 0, sharing one internal
 * secret, each with a fresh seeded FerretDB database. The contracts read model starts empty unless
 * `sync` is asked for.
 */
export async function startContracts(
  name: string,
  options: { sync?: boolean; onDemandMinIntervalMs?: number } = {},
) {
  const catchments = await startCatchments(`${name}_catchments`);
  const connection: Connection = await connectTestDatabase(name, { monitorCommands: true });
  await ensureIndexes(connection);
  const seeded = await seedContracts(connection);
  const models = {
    contracts: contractModel(connection),
    agreements: providerAgreementModel(connection),
    providers: serviceProviderModel(connection),
    programs: programModel(connection),
    copies: catchmentCopyModel(connection),
    changeLog: changeRecordModel(connection),
  };
  const logger = createLogger('contracts', process.env.CONTRACTS_TEST_LOG ?? 'silent');
  const catchmentSync = createCatchmentPeriodSync({
    connection,
    logger,
    internalSecret: catchments.secret,
    catchmentsUrl: catchments.url,
    onDemandMinIntervalMs: options.onDemandMinIntervalMs,
  });
  if (options.sync ?? true) await catchmentSync.syncAll();
  // The sizes the service's batched lookups decide with (ADR 0008), known before any test asks.
  await Promise.all(Object.values(models).map(refreshCollectionSize));
  const server = await createContractsServer({
    connection,
    logger,
    internalSecret: catchments.secret,
    catchmentSync,
  });
  const port = await server.listen(0);
  const url = `http://127.0.0.1:${port}/graphql`;
  const as = (principal: Principal) => ({
    query: <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) =>
      subgraphRequest<T>(url, query, {
        principal,
        secret: catchments.secret,
        audience: SUBGRAPH_NAME,
        variables,
      }),
  });
  return {
    connection,
    url,
    seeded,
    catchments,
    catchmentSync,
    commands: new CommandCounter(connection),
    models,
    /** The read model's rows (a few versioned copies per catchment). */
    copies: catchmentCopyModel(connection),
    /** The newest known periods and SSM of a catchment, as the service reads them. */
    periodsOf: async (catchmentId: string) =>
      (await new CatchmentReadModel(catchmentCopyModel(connection)).periodsOf([catchmentId])).get(
        catchmentId,
      ),
    agreements: providerAgreementModel(connection),
    as,
    ministry: as(principalOf('MINISTRY')),
    ssmOf: (...catchmentIds: string[]) =>
      as(principalOf('SSM', { subject: `ssm-${catchmentIds[0]}`, catchmentIds })),
    provider: (...providerIds: string[]) => as(principalOf('PROVIDER', { providerIds })),
    async stop() {
      await server.close();
      await connection.close();
      await catchments.stop();
    },
  };
}

export type ContractsHarness = Awaited<ReturnType<typeof startContracts>>;
