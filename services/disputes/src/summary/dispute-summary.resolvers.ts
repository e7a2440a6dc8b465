import type { Resolvers } from '../generated/resolvers-types';

export const disputeSummaryResolvers: Resolvers = {
  Query: {
    disputeSummary: (_, args, ctx) => ctx.services.summaries.summarize(ctx.principal, args.filter ?? {}),
  },
  DisputeCategoryCount: {
    category: async (cell, _, ctx) =>
      (await ctx.loaders.categories()).get(cell.category) ?? {
        _id: cell.category,
        label: cell.category,
        kinds: [],
        active: false,
        version: 0,
      },
  },
};
