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
import { catchmentAreaModel, type CatchmentAreaDoc } from './catchment-area/catchment-area.model';
import { catchmentAreaResolvers } from './catchment-area/catchment-area.resolvers';
import { CatchmentAreaService } from './catchment-area/catchment-area.service';
import { createLoaders, type CatchmentsContext, type CatchmentsServices } from './context';
import {
  serviceSystemManagerModel,
  type ServiceSystemManagerDoc,
} from './service-system-manager/service-system-manager.model';
import { serviceSystemManagerResolvers } from './service-system-manager/service-system-manager.resolvers';
import { ServiceSystemManagerService } from './service-system-manager/service-system-manager.service';

export const SUBGRAPH_NAME = 'catchments';

/** The service's change logs: one `change_log` collection, one subject type per projection. */
export function changeLogs(connection: Connection) {
  const records = changeRecordModel(connection);
  return {
    catchmentAreas: new ChangeLog<CatchmentAreaDoc>({
      records,
      projections: catchmentAreaModel(connection),
      subjectType: 'CatchmentArea',
    }),
    serviceSystemManagers: new ChangeLog<ServiceSystemManagerDoc>({
      records,
      projections: serviceSystemManagerModel(connection),
      subjectType: 'ServiceSystemManager',
    }),
  };
}

export function createServices(connection: Connection): CatchmentsServices {
  const catchments = catchmentAreaModel(connection);
  const managers = serviceSystemManagerModel(connection);
  const logs = changeLogs(connection);
  return {
    catchmentAreas: new CatchmentAreaService(catchments, logs.catchmentAreas, managers),
    serviceSystemManagers: new ServiceSystemManagerService(managers, logs.serviceSystemManagers),
  };
}

/** Creates this service's collections and indexes; safe to run on every start. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await ensureCollections([
    catchmentAreaModel(connection),
    serviceSystemManagerModel(connection),
    changeRecordModel(connection),
  ]);
}

export async function createCatchmentsServer(deps: {
  connection: Connection;
  logger: Logger;
  internalSecret: string;
  internalHeader?: InternalHeaderChecks;
}): Promise<SubgraphServer> {
  const services = createServices(deps.connection);
  return createSubgraphServer<CatchmentsContext>({
    name: SUBGRAPH_NAME,
    // Read when a server is built, not on import: seed and index scripts import this module too.
    typeDefs: loadTypeDefs(__dirname),
    resolvers: [catchmentAreaResolvers, serviceSystemManagerResolvers],
    logger: deps.logger,
    internalSecret: deps.internalSecret,
    internalHeader: deps.internalHeader,
    readiness: async () => {
      await deps.connection.db!.admin().command({ ping: 1 });
    },
    buildContext: (base) => ({ ...base, services, loaders: createLoaders(services) }),
  });
}
