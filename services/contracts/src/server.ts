import {
  CatchmentPeriodService,
  CatchmentReadModel,
  CatchmentSync,
  catchmentCopyModel,
  createCatchmentSync,
} from '@ies/catchment-read-model';
import { ChangeLog, changeRecordModel } from '@ies/change-log';
import { ensureCollections } from '@ies/db';
import type { Connection } from 'mongoose';
import type { Logger } from '@ies/logger';
import {
  createSubgraphServer,
  loadTypeDefs,
  type InternalHeaderChecks,
  type SubgraphServer,
} from '@ies/subgraph-kit';
import { providerAgreementModel, type ProviderAgreementDoc } from './agreement/provider-agreement.model';
import { providerAgreementResolvers } from './agreement/provider-agreement.resolvers';
import { ProviderAgreementService } from './agreement/provider-agreement.service';
import { catchmentAreaResolvers } from './catchment/catchment-area.resolvers';
import { commonResolvers } from './common/common.resolvers';
import { createLoaders, type ContractsContext, type ContractsServices } from './context';
import { contractModel, type ContractDoc } from './contract/contract.model';
import { contractResolvers } from './contract/contract.resolvers';
import { ContractService } from './contract/contract.service';
import { programModel } from './program/program.model';
import { programResolvers } from './program/program.resolvers';
import { ProgramService } from './program/program.service';
import { serviceProviderModel } from './service-provider/service-provider.model';
import { serviceProviderResolvers } from './service-provider/service-provider.resolvers';
import { ServiceProviderService } from './service-provider/service-provider.service';

export const SUBGRAPH_NAME = 'contracts';

const models = (connection: Connection) => [
  programModel(connection),
  serviceProviderModel(connection),
  contractModel(connection),
  providerAgreementModel(connection),
  catchmentCopyModel(connection),
  changeRecordModel(connection),
];

/** The read-model sync from the catchments subgraph (at start, by the worker's job and on demand). */
export const createCatchmentPeriodSync = createCatchmentSync;

/** The service's change logs: one `change_log` collection, one subject type per projection. */
export function changeLogs(connection: Connection) {
  const records = changeRecordModel(connection);
  return {
    contracts: new ChangeLog<ContractDoc>({
      records,
      projections: contractModel(connection),
      subjectType: 'Contract',
    }),
    agreements: new ChangeLog<ProviderAgreementDoc>({
      records,
      projections: providerAgreementModel(connection),
      subjectType: 'ProviderAgreement',
    }),
  };
}

export function createServices(
  connection: Connection,
  sync: CatchmentSync,
  logger: Logger,
): ContractsServices {
  const programs = new ProgramService(programModel(connection));
  const serviceProviders = new ServiceProviderService(serviceProviderModel(connection));
  const catchmentPeriods = new CatchmentPeriodService(
    new CatchmentReadModel(catchmentCopyModel(connection)),
    sync,
    logger,
    SUBGRAPH_NAME,
  );
  const logs = changeLogs(connection);
  return {
    programs,
    serviceProviders,
    catchmentPeriods,
    contracts: new ContractService(contractModel(connection), logs.contracts, catchmentPeriods),
    agreements: new ProviderAgreementService(
      providerAgreementModel(connection),
      logs.agreements,
      serviceProviders,
      programs,
      catchmentPeriods,
    ),
  };
}

/** Creates this service's collections and indexes; safe to run on every start. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await ensureCollections(models(connection));
}

export async function createContractsServer(deps: {
  connection: Connection;
  logger: Logger;
  internalSecret: string;
  internalHeader?: InternalHeaderChecks;
  catchmentSync: CatchmentSync;
}): Promise<SubgraphServer> {
  const services = createServices(deps.connection, deps.catchmentSync, deps.logger);
  return createSubgraphServer<ContractsContext>({
    name: SUBGRAPH_NAME,
    // Read when a server is built, not on import: seed and index scripts import this module too.
    typeDefs: loadTypeDefs(__dirname),
    resolvers: [
      commonResolvers,
      programResolvers,
      serviceProviderResolvers,
      contractResolvers,
      providerAgreementResolvers,
      catchmentAreaResolvers,
    ],
    logger: deps.logger,
    internalSecret: deps.internalSecret,
    internalHeader: deps.internalHeader,
    readiness: async () => {
      await deps.connection.db!.admin().command({ ping: 1 });
    },
    buildContext: (base) => ({ ...base, services, loaders: createLoaders(services, base.principal) }),
  });
}
