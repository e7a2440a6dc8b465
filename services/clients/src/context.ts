import DataLoader from 'dataloader';
import type { Principal } from '@ies/auth';
import type { CatchmentPeriodService } from '@ies/catchment-read-model';
import { loaderById, loaderGroupedBy, type SubgraphContext } from '@ies/subgraph-kit';
import type { ActionPlanDoc } from './action-plan/action-plan.model';
import type { ActionPlanService } from './action-plan/action-plan.service';
import type { CheckpointService } from './outcome/checkpoint.service';
import type { PlanContentService } from './action-plan/plan-content.service';
import type { ClientDoc } from './client/client.model';
import type { ClientService } from './client/client.service';
import type { ActionPlanExchange } from './exchange/action-plan-import';
import type { SummaryService } from './summary/summary.service';

export interface ClientsServices {
  clients: ClientService;
  plans: ActionPlanService;
  planContent: PlanContentService;
  checkpoints: CheckpointService;
  summaries: SummaryService;
  catchmentPeriods: CatchmentPeriodService;
  exchange: ActionPlanExchange;
  /** Every catchment the service has a copy of (the default scope of a summary). */
  knownCatchments(): Promise<string[]>;
}

/**
 * Per-request batching bound to the caller: every query carries the caller's scope, so N lookups of a
 * kind cost one query and nothing out of scope is fetched.
 */
export function createLoaders(services: ClientsServices, principal: Principal) {
  const clientById = loaderById<ClientDoc>((ids) => services.clients.findByIds(principal, ids));
  const planById = loaderById<ActionPlanDoc>((ids) => services.plans.findByIds(principal, ids));
  return {
    clientById,
    clientByCamsReference: new DataLoader<string, ClientDoc | null>(async (refs) => {
      const found = await services.clients.findByCamsReferences(principal, refs);
      for (const client of found) clientById.prime(client._id, client);
      return refs.map((ref) => found.find((c) => c.camsReference === ref) ?? null);
    }),
    planById,
    planByCamsReference: new DataLoader<string, ActionPlanDoc | null>(async (refs) => {
      const found = await services.plans.findByField(principal, 'camsReference', refs);
      for (const plan of found) planById.prime(plan._id, plan);
      return refs.map((ref) => found.find((p) => p.camsReference === ref) ?? null);
    }),
    plansByClientId: loaderGroupedBy<ActionPlanDoc>(
      (ids) => services.plans.findByField(principal, 'clientId', ids),
      (plan) => [plan.clientId],
      planById,
    ),
  };
}

export interface ClientsContext extends SubgraphContext {
  services: ClientsServices;
  loaders: ReturnType<typeof createLoaders>;
}
