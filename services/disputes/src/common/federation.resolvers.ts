import { parsePageArgs } from '@ies/subgraph-kit';
import type { Resolvers } from '../generated/resolvers-types';
import type { DisputeDoc } from '../dispute/dispute.model';
import type { DisputeStatus } from '../dispute/dispute-lifecycle';
import { pageOf } from './in-memory-page';

const withStatus = (docs: DisputeDoc[], status: DisputeStatus | null | undefined) =>
  status ? docs.filter((d) => d.status === status) : docs;

/** Entity extensions: references carry only the id; every field is a batched, scoped lookup. */
export const federationResolvers: Resolvers = {
  CatchmentArea: {
    __resolveReference: (ref) => ({ id: ref.id }),
    disputeProcess: (ref, _, ctx) => ctx.loaders.processByCatchmentId.load(ref.id),
    disputeSummary: (ref, args, ctx) =>
      ctx.loaders.catchmentSummary.load({
        catchmentId: ref.id,
        openedFrom: args.openedFrom ?? null,
        openedTo: args.openedTo ?? null,
        kind: args.kind ?? null,
      }),
  },
  ServiceProvider: {
    __resolveReference: (ref) => ({ id: ref.id }),
    disputes: async (ref, args, ctx) => {
      const page = parsePageArgs(args);
      return pageOf(withStatus(await ctx.loaders.disputesByProviderId.load(ref.id), args.status), page);
    },
  },
  Client: {
    __resolveReference: (ref) => ({ id: ref.id }),
    disputes: async (ref, args, ctx) => {
      const page = parsePageArgs(args);
      return pageOf(withStatus(await ctx.loaders.disputesByClientId.load(ref.id), args.status), page);
    },
  },
  ServiceSystemManager: {
    __resolveReference: (ref) => ({ id: ref.id }),
    disputeSlaPolicy: async (ref, _, ctx) => (await ctx.loaders.policyBySsmId.load(ref.id))!,
  },
};
