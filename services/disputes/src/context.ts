import DataLoader from 'dataloader';
import type { Principal } from '@ies/auth';
import type { CatchmentPeriods } from '@ies/catchment-read-model';
import { loaderById, loaderGroupedBy, loaderOfLists, type SubgraphContext } from '@ies/subgraph-kit';
import type { DisputeCategoryDoc } from './category/dispute-category.model';
import type { DisputeCategoryService } from './category/dispute-category.service';
import type { PeriodsSource } from './common/periods-source';
import type { DisputeDoc } from './dispute/dispute.model';
import type { DisputeService } from './dispute/dispute.service';
import type { DisputeProcessDoc } from './process/dispute-process.model';
import type { DisputeProcessRevision, DisputeProcessService } from './process/dispute-process.service';
import type { SlaPolicyDoc } from './sla-policy/sla-policy.model';
import type { SlaPolicyService } from './sla-policy/sla-policy.service';
import type { DisputeSummary } from './summary/dispute-summary';
import type { DisputeSummaryService } from './summary/dispute-summary.service';
import type { DisputeKind } from './dispute/dispute-lifecycle';

export interface DisputesServices {
  disputes: DisputeService;
  categories: DisputeCategoryService;
  policies: SlaPolicyService;
  processes: DisputeProcessService;
  summaries: DisputeSummaryService;
  periods: PeriodsSource;
}

/** The arguments of `CatchmentArea.disputeSummary`, as one loader key. */
export interface CatchmentSummaryKey {
  catchmentId: string;
  openedFrom: string | null;
  openedTo: string | null;
  kind: DisputeKind | null;
}

/**
 * Per-request batching, bound to the caller: N lookups of one kind in a request cost one batch of
 * queries (one `$in` on MongoDB, one indexed equality per value on FerretDB), and every query carries
 * the caller's read scope (nothing out of scope is fetched, then dropped).
 */
export function createLoaders(services: DisputesServices, principal: Principal) {
  const disputeById = loaderById<DisputeDoc>((ids) => services.disputes.findByIds(principal, ids));
  let categories: Promise<Map<string, DisputeCategoryDoc>> | undefined;
  return {
    disputeById,
    disputesByProviderId: loaderGroupedBy<DisputeDoc>(
      (ids) => services.disputes.findByField(principal, 'providerId', ids),
      (d) => (d.providerId ? [d.providerId] : []),
      disputeById,
    ),
    disputesByClientId: loaderGroupedBy<DisputeDoc>(
      (ids) => services.disputes.findByField(principal, 'clientId', ids),
      (d) => (d.clientId ? [d.clientId] : []),
      disputeById,
    ),
    /** The whole catalogue, read once per request (a handful of rows). */
    categories: () => (categories ??= services.categories.byCode()),
    processByCatchmentId: loaderById<DisputeProcessDoc>((ids) => services.processes.findByCatchmentIds(ids)),
    processRevisions: loaderOfLists<DisputeProcessRevision>((ids) => services.processes.revisionsOf(ids)),
    policyBySsmId: loaderById<SlaPolicyDoc>((ids) => services.policies.findBySsmIds(ids)),
    catchmentPeriodsById: new DataLoader<string, CatchmentPeriods | null>(async (ids) => {
      const known = await services.periods.knownPeriodsOf(ids);
      return ids.map((id) => known.get(id) ?? null);
    }),
    /** Summaries of N catchments with the same arguments: one batched read. */
    catchmentSummary: new DataLoader<CatchmentSummaryKey, DisputeSummary, string>(
      async (keys) => {
        const byArgs = new Map<string, CatchmentSummaryKey[]>();
        for (const key of keys) {
          const args = JSON.stringify([key.openedFrom, key.openedTo, key.kind]);
          byArgs.set(args, [...(byArgs.get(args) ?? []), key]);
        }
        const found = new Map<CatchmentSummaryKey, DisputeSummary>();
        for (const group of byArgs.values()) {
          const summaries = await services.summaries.summarizeEach(
            principal,
            group.map((k) => [k.catchmentId]),
            group[0]!,
          );
          group.forEach((key, i) => found.set(key, summaries[i]!));
        }
        return keys.map((key) => found.get(key)!);
      },
      { cacheKeyFn: (key) => JSON.stringify([key.catchmentId, key.openedFrom, key.openedTo, key.kind]) },
    ),
  };
}

export interface DisputesContext extends SubgraphContext {
  services: DisputesServices;
  loaders: ReturnType<typeof createLoaders>;
}
