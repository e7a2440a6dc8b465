import { parsePageArgs } from '@ies/subgraph-kit';
import type { Resolvers } from '../generated/resolvers-types';

export const serviceSystemManagerResolvers: Resolvers = {
  Query: {
    serviceSystemManagers: (_, args, ctx) => ctx.services.serviceSystemManagers.list(parsePageArgs(args)),
    serviceSystemManager: (_, args, ctx) => ctx.loaders.managerById.load(args.id),
  },
  Mutation: {
    registerServiceSystemManager: (_, { input }, ctx) =>
      ctx.services.serviceSystemManagers.register(ctx.principal, input),
  },
  ServiceSystemManager: {
    __resolveReference: (ref, ctx) => ctx.loaders.managerById.load(ref.id),
    id: (doc) => doc._id,
    catchments: (doc, _, ctx) => ctx.loaders.catchmentsByManagerId.load(doc._id),
  },
};
