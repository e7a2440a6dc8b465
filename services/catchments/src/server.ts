import { ensureCollections } from '@ies/db';
import type { Connection } from 'mongoose';
import type { Logger } from '@ies/logger';
import { createSubgraphServer, loadTypeDefs, type SubgraphServer } from '@ies/subgraph-kit';
import { catchmentAreaModel } from './catchment-area/catchment-area.model';
import { catchmentAreaResolvers } from './catchment-area/catchment-area.resolvers';
import { CatchmentAreaService } from './catchment-area/catchment-area.service';
import { createLoaders, type CatchmentsContext, type CatchmentsServices } from './context';
import { serviceSystemManagerModel } from './service-system-manager/service-system-manager.model';
import { serviceSystemManagerResolvers } from './service-system-manager/service-system-manager.resolvers';
import { ServiceSystemManagerService } from './service-system-manager/service-system-manager.service';

export const SUBGRAPH_NAME = 'catchments';

export function createServices(connection: Connection): CatchmentsServices {
  const catchments = catchmentAreaModel(connection);
  const managers = serviceSystemManagerModel(connection);
  return {
    catchmentAreas: new CatchmentAreaService(catchments, managers),
    serviceSystemManagers: new ServiceSystemManagerService(managers),
  };
}

/** Creates this service's collections and indexes; safe to run on every start. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await ensureCollections([catchmentAreaModel(connection), serviceSystemManagerModel(connection)]);
}

export async function createCatchmentsServer(deps: {
  connection: Connection;
  logger: Logger;
  internalSecret: string;
}): Promise<SubgraphServer> {
  const services = createServices(deps.connection);
  return createSubgraphServer<CatchmentsContext>({
    name: SUBGRAPH_NAME,
    // Read when a server is built, not on import: seed and index scripts import this module too.
    typeDefs: loadTypeDefs(__dirname),
    resolvers: [catchmentAreaResolvers, serviceSystemManagerResolvers],
    logger: deps.logger,
    internalSecret: deps.internalSecret,
    readiness: async () => {
      await deps.connection.db!.admin().command({ ping: 1 });
    },
    buildContext: (base) => ({ ...base, services, loaders: createLoaders(services) }),
  });
}
