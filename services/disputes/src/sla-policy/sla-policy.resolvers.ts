import { todayInOntario } from '@ies/calendar';
import type { Resolvers } from '../generated/resolvers-types';
import { assertIdentifiers, refuseIdentifiers } from '../common/identifiers';
import { policyInForce, versionView } from './sla-policy.service';

export const slaPolicyResolvers: Resolvers = {
  Query: {
    disputeSlaPolicy: async (_, args, ctx) => {
      assertIdentifiers({ serviceSystemManagerId: args.serviceSystemManagerId });
      return (await ctx.loaders.policyBySsmId.load(args.serviceSystemManagerId))!;
    },
  },
  Mutation: {
    setDisputeSlaPolicy: (_, { input }, ctx) => {
      const refused = refuseIdentifiers({ 'input.serviceSystemManagerId': input.serviceSystemManagerId });
      if (refused) return { ok: false, policy: null, error: refused };
      return ctx.services.policies.set(ctx.principal, {
        ...input,
        effectiveFrom: input.effectiveFrom ?? todayInOntario(),
      });
    },
  },
  DisputeSlaPolicy: {
    serviceSystemManager: (policy) => ({ id: policy._id }),
    inForce: (policy, args) => policyInForce(policy, args.asOf ?? todayInOntario()),
    versions: (policy) => policy.versions.map(versionView),
  },
};
