import { forbidden, parsePageArgs } from '@ies/subgraph-kit';
import type { Resolvers } from '../generated/resolvers-types';

/** Entity extensions: references carry only the id; every field is a scoped read. */
export const federationResolvers: Resolvers = {
  CatchmentArea: {
    __resolveReference: (ref) => ({ id: ref.id }),
    actionPlanSummary: (ref, args, ctx) =>
      ctx.services.summaries.actionPlanSummary(
        ctx.principal,
        { catchmentIds: [ref.id], startedFrom: args.startedFrom, startedTo: args.startedTo },
        () => ctx.services.knownCatchments(),
      ),
  },
  ServiceProvider: {
    __resolveReference: (ref) => ({ id: ref.id }),
    actionPlans: (ref, args, ctx) => {
      if (ctx.principal.role === 'PUBLIC' || ctx.principal.role === 'PARTNER') {
        throw forbidden(
          `A provider's action plans are visible to the provider, its SSMs and the ministry only`,
        );
      }
      return ctx.services.plans.list(
        ctx.principal,
        { providerId: ref.id, status: args.status },
        parsePageArgs(args),
      );
    },
  },
};
