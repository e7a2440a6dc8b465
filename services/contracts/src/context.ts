import DataLoader from 'dataloader';
import type { Principal } from '@ies/auth';
import type { CatchmentPeriods } from '@ies/catchment-read-model';
import { loaderById, loaderGroupedBy, loaderOfLists, type SubgraphContext } from '@ies/subgraph-kit';
import type { ProviderAgreementDoc } from './agreement/provider-agreement.model';
import type { ProviderAgreementService } from './agreement/provider-agreement.service';
import type { CatchmentPeriodService } from '@ies/catchment-read-model';
import type { Amendment } from './common/amendment';
import type { ContractDoc } from './contract/contract.model';
import type { ContractService } from './contract/contract.service';
import type { ProgramDoc } from './program/program.model';
import type { ProgramService } from './program/program.service';
import type { ServiceProviderDoc } from './service-provider/service-provider.model';
import type { ServiceProviderService } from './service-provider/service-provider.service';

export interface ContractsServices {
  programs: ProgramService;
  serviceProviders: ServiceProviderService;
  contracts: ContractService;
  agreements: ProviderAgreementService;
  catchmentPeriods: CatchmentPeriodService;
}

/**
 * Per-request batching, bound to the caller: N lookups of one kind in a request cost one query, and
 * every query carries the caller's read scope (nothing out of scope is fetched, then dropped).
 */
export function createLoaders(services: ContractsServices, principal: Principal) {
  // By-id loaders first: the grouped loaders prime them, so a document loaded one way in a request is
  // not read again another way (an agreement's provider after the catchment's providers, say).
  const providerById = loaderById<ServiceProviderDoc>((ids) => services.serviceProviders.findByIds(ids));
  const contractById = loaderById<ContractDoc>((ids) =>
    services.contracts.findByField(principal, '_id', ids),
  );
  const agreementById = loaderById<ProviderAgreementDoc>((ids) =>
    services.agreements.findByIds(principal, ids),
  );
  return {
    programById: loaderById<ProgramDoc>((ids) => services.programs.findByIds(ids)),
    providerById,
    providersByCatchmentId: loaderGroupedBy<ServiceProviderDoc>(
      (ids) => services.serviceProviders.findByCatchmentIds(ids),
      (p) => p.catchmentIds,
      providerById,
    ),
    contractById,
    contractByCatchmentId: new DataLoader<string, ContractDoc | null>(async (ids) => {
      const found = await services.contracts.findByField(principal, 'catchmentId', ids);
      for (const contract of found) contractById.prime(contract._id, contract);
      return ids.map((id) => found.find((c) => c.catchmentId === id) ?? null);
    }),
    catchmentPeriodsById: new DataLoader<string, CatchmentPeriods | null>(async (ids) => {
      const known = await services.catchmentPeriods.knownPeriodsOf(ids);
      return ids.map((id) => known.get(id) ?? null);
    }),
    /** Contracts of the catchments each SSM manages now (not the SSM a contract was signed with). */
    contractsBySsmId: new DataLoader<string, ContractDoc[]>(async (ssmIds) => {
      const managed = await services.catchmentPeriods.catchmentsManagedBy(ssmIds);
      const contracts = await services.contracts.findByField(principal, 'catchmentId', [
        ...new Set([...managed.values()].flat()),
      ]);
      return ssmIds.map((id) => contracts.filter((c) => managed.get(id)?.includes(c.catchmentId)));
    }),
    contractAmendments: loaderOfLists<Amendment>((ids) => services.contracts.amendmentsOf(ids)),
    agreementById,
    agreementsByCatchmentId: loaderGroupedBy<ProviderAgreementDoc>(
      (ids) => services.agreements.findByField(principal, 'catchmentId', ids),
      (a) => [a.catchmentId],
      agreementById,
    ),
    agreementsByProviderId: loaderGroupedBy<ProviderAgreementDoc>(
      (ids) => services.agreements.findByField(principal, 'providerId', ids),
      (a) => [a.providerId],
      agreementById,
    ),
    agreementAmendments: loaderOfLists<Amendment>((ids) => services.agreements.amendmentsOf(ids)),
  };
}

export interface ContractsContext extends SubgraphContext {
  services: ContractsServices;
  loaders: ReturnType<typeof createLoaders>;
}
