import type { Resolvers } from '../generated/resolvers-types';

/** Entity extensions: references carry only the id; every field is a batched, scoped lookup. */
export const catchmentAreaResolvers: Resolvers = {
  CatchmentArea: {
    __resolveReference: (ref) => ({ id: ref.id }),
    contract: (ref, _, ctx) => ctx.loaders.contractByCatchmentId.load(ref.id),
    providers: (ref, _, ctx) => ctx.loaders.providersByCatchmentId.load(ref.id),
    agreements: async (ref, args, ctx) => {
      const agreements = await ctx.loaders.agreementsByCatchmentId.load(ref.id);
      return args.status ? agreements.filter((a) => a.status === args.status) : agreements;
    },
  },
  ServiceSystemManager: {
    __resolveReference: (ref) => ({ id: ref.id }),
    contracts: (ref, _, ctx) => ctx.loaders.contractsBySsmId.load(ref.id),
  },
};
