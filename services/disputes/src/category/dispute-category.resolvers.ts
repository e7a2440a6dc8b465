import type { Resolvers } from '../generated/resolvers-types';

export const disputeCategoryResolvers: Resolvers = {
  Query: {
    disputeCategories: async (_, args, ctx) =>
      [...(await ctx.loaders.categories()).values()].filter((c) => args.includeRetired || c.active),
  },
  Mutation: {
    saveDisputeCategory: (_, { input }, ctx) => ctx.services.categories.save(ctx.principal, input),
  },
  DisputeCategory: {
    code: (category) => category._id,
  },
};
