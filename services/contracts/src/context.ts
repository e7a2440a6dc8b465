import DataLoader from 'dataloader';
import type { Principal } from '@ies/auth';
import type { SubgraphContext } from '@ies/subgraph-kit';
import type { ProviderAgreementDoc } from './agreement/provider-agreement.model';
import type { ProviderAgreementService } from './agreement/provider-agreement.service';
import type { CatchmentPeriodService } from './catchment-period/catchment-period.service';
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

const byId = <T extends { _id: string }>(load: (ids: readonly string[]) => Promise<T[]>) =>
  new DataLoader<string, T | null>(async (ids) => {
    const found = new Map((await load(ids)).map((doc) => [doc._id, doc]));
    return ids.map((id) => found.get(id) ?? null);
  });

const groupedBy = <T>(load: (keys: readonly string[]) => Promise<T[]>, keysOf: (doc: T) => string[]) =>
  new DataLoader<string, T[]>(async (keys) => {
    const docs = await load(keys);
    return keys.map((key) => docs.filter((doc) => keysOf(doc).includes(key)));
  });

const historyOf = (load: (ids: readonly string[]) => Promise<Map<string, Amendment[]>>) =>
  new DataLoader<string, Amendment[]>(async (ids) => {
    const found = await load(ids);
    return ids.map((id) => found.get(id) ?? []);
  });

/**
 * Per-request batching, bound to the caller: N lookups of one kind in a request cost one query, and
 * every query carries the caller's read scope (nothing out of scope is fetched, then dropped).
 */
export function createLoaders(services: ContractsServices, principal: Principal) {
  return {
    programById: byId<ProgramDoc>((ids) => services.programs.findByIds(ids)),
    providerById: byId<ServiceProviderDoc>((ids) => services.serviceProviders.findByIds(ids)),
    providersByCatchmentId: groupedBy<ServiceProviderDoc>(
      (ids) => services.serviceProviders.findByCatchmentIds(ids),
      (p) => p.catchmentIds,
    ),
    contractById: byId<ContractDoc>((ids) => services.contracts.findByField(principal, '_id', ids)),
    contractByCatchmentId: new DataLoader<string, ContractDoc | null>(async (ids) => {
      const found = await services.contracts.findByField(principal, 'catchmentId', ids);
      return ids.map((id) => found.find((c) => c.catchmentId === id) ?? null);
    }),
    contractsBySsmId: groupedBy<ContractDoc>(
      (ids) => services.contracts.findByField(principal, 'ssmId', ids),
      (c) => [c.ssmId],
    ),
    contractAmendments: historyOf((ids) => services.contracts.amendmentsOf(ids)),
    agreementById: byId<ProviderAgreementDoc>((ids) => services.agreements.findByIds(principal, ids)),
    agreementsByCatchmentId: groupedBy<ProviderAgreementDoc>(
      (ids) => services.agreements.findByField(principal, 'catchmentId', ids),
      (a) => [a.catchmentId],
    ),
    agreementsByProviderId: groupedBy<ProviderAgreementDoc>(
      (ids) => services.agreements.findByField(principal, 'providerId', ids),
      (a) => [a.providerId],
    ),
    agreementAmendments: historyOf((ids) => services.agreements.amendmentsOf(ids)),
  };
}

export interface ContractsContext extends SubgraphContext {
  services: ContractsServices;
  loaders: ReturnType<typeof createLoaders>;
}
