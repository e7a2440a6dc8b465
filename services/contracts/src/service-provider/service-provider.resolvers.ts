import { parsePageArgs } from '@ies/subgraph-kit';
import type { Resolvers } from '../generated/resolvers-types';

export const serviceProviderResolvers: Resolvers = {
  Query: {
    serviceProviders: (_, args, ctx) =>
      ctx.services.serviceProviders.list(args.filter ?? {}, parsePageArgs(args)),
    serviceProvider: (_, args, ctx) => ctx.loaders.providerById.load(args.id),
  },
  ServiceProvider: {
    __resolveReference: (ref, ctx) => ctx.loaders.providerById.load(ref.id),
    id: (doc) => doc._id,
    agreements: (doc, _, ctx) => ctx.loaders.agreementsByProviderId.load(doc._id),
  },
  Site: {
    catchment: (site) => ({ id: site.catchmentId }),
  },
};
