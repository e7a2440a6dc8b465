import { loaderById, loaderGroupedBy, loaderOfLists, type SubgraphContext } from '@ies/subgraph-kit';
import type { ChangeView } from './common/change-history';
import type { CatchmentAreaDoc } from './catchment-area/catchment-area.model';
import type { CatchmentAreaService } from './catchment-area/catchment-area.service';
import type { ServiceSystemManagerDoc } from './service-system-manager/service-system-manager.model';
import type { ServiceSystemManagerService } from './service-system-manager/service-system-manager.service';

export interface CatchmentsServices {
  catchmentAreas: CatchmentAreaService;
  serviceSystemManagers: ServiceSystemManagerService;
}

/** Per-request batching: N lookups of one kind in a request cost one query. */
export function createLoaders(services: CatchmentsServices) {
  const catchmentById = loaderById<CatchmentAreaDoc>((ids) => services.catchmentAreas.findByIds(ids));
  return {
    catchmentById,
    managerById: loaderById<ServiceSystemManagerDoc>((ids) => services.serviceSystemManagers.findByIds(ids)),
    changeHistoryById: loaderOfLists<ChangeView>((ids) => services.catchmentAreas.changeHistories(ids)),
    catchmentsByManagerId: loaderGroupedBy<CatchmentAreaDoc>(
      (managerIds) => services.catchmentAreas.findByManagerIds(managerIds),
      (catchment) => (catchment.ssmId ? [catchment.ssmId] : []),
      catchmentById,
    ),
  };
}

export interface CatchmentsContext extends SubgraphContext {
  services: CatchmentsServices;
  loaders: ReturnType<typeof createLoaders>;
}
