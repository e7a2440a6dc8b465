import { parsePageArgs } from '@ies/subgraph-kit';
import type { ContractsContext } from '../context';
import type { ServiceProviderDoc, SiteDoc } from './service-provider.model';
import type { ServiceProviderFilter } from './service-provider.service';

export const serviceProviderResolvers = {
  Query: {
    serviceProviders: (
      _: unknown,
      args: { filter?: ServiceProviderFilter | null; first?: number; after?: string },
      ctx: ContractsContext,
    ) => ctx.services.serviceProviders.list(args.filter ?? {}, parsePageArgs(args)),
    serviceProvider: (_: unknown, args: { id: string }, ctx: ContractsContext) =>
      ctx.loaders.providerById.load(args.id),
  },
  ServiceProvider: {
    __resolveReference: (ref: { id: string }, ctx: ContractsContext) => ctx.loaders.providerById.load(ref.id),
    id: (doc: ServiceProviderDoc) => doc._id,
    agreements: (doc: ServiceProviderDoc, _: unknown, ctx: ContractsContext) =>
      ctx.loaders.agreementsByProviderId.load(doc._id),
  },
  Site: {
    catchment: (site: SiteDoc) => ({ __typename: 'CatchmentArea', id: site.catchmentId }),
  },
};
