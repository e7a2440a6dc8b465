import DataLoader from 'dataloader';
import type { SubgraphContext } from '@ies/subgraph-kit';
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
  const byId = <T extends { _id: string }>(load: (ids: readonly string[]) => Promise<T[]>) =>
    new DataLoader<string, T | null>(async (ids) => {
      const found = new Map((await load(ids)).map((doc) => [doc._id, doc]));
      return ids.map((id) => found.get(id) ?? null);
    });
  return {
    catchmentById: byId<CatchmentAreaDoc>((ids) => services.catchmentAreas.findByIds(ids)),
    managerById: byId<ServiceSystemManagerDoc>((ids) => services.serviceSystemManagers.findByIds(ids)),
    catchmentsByManagerId: new DataLoader<string, CatchmentAreaDoc[]>(async (managerIds) => {
      const catchments = await services.catchmentAreas.findByManagerIds(managerIds);
      return managerIds.map((id) => catchments.filter((c) => c.ssmId === id));
    }),
  };
}

export interface CatchmentsContext extends SubgraphContext {
  services: CatchmentsServices;
  loaders: ReturnType<typeof createLoaders>;
}
