import type { Resolvers } from '../generated/resolvers-types';

export const summaryResolvers: Resolvers = {
  Query: {
    actionPlanSummary: (_, args, ctx) =>
      ctx.services.summaries.actionPlanSummary(ctx.principal, args.filter ?? {}, () =>
        ctx.services.knownCatchments(),
      ),
  },
};
