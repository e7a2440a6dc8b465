import { todayInOntario } from '@ies/calendar';
import type { Resolvers } from '../generated/resolvers-types';
import { assertIdentifiers } from '../common/identifiers';
import { ESCALATION_LEVELS } from '../dispute/dispute-lifecycle';
import { defaultPolicyOf, policyInForce } from '../sla-policy/sla-policy.service';

export const disputeProcessResolvers: Resolvers = {
  Query: {
    disputeProcess: (_, args, ctx) => {
      assertIdentifiers({ catchmentId: args.catchmentId });
      return ctx.loaders.processByCatchmentId.load(args.catchmentId);
    },
  },
  Mutation: {
    publishDisputeProcess: (_, { input }, ctx) => ctx.services.processes.publish(ctx.principal, input),
  },
  DisputeProcess: {
    catchment: (process) => ({ id: process._id }),
    /** The response times the catchment's SSM promises today: its SLA policy in force. */
    responseTimes: async (process, _, ctx) => {
      const ssmId = (await ctx.loaders.catchmentPeriodsById.load(process._id))?.ssmId ?? null;
      const policy = ssmId ? await ctx.loaders.policyBySsmId.load(ssmId) : null;
      const inForce = policyInForce(policy ?? defaultPolicyOf(ssmId ?? ''), todayInOntario());
      return {
        acknowledgeWithinBusinessDays: inForce.acknowledgeWithinBusinessDays,
        resolveWithinBusinessDays: inForce.resolveWithinBusinessDays,
        escalationLevels: [...ESCALATION_LEVELS],
      };
    },
    revisions: (process, _, ctx) => ctx.loaders.processRevisions.load(process._id),
  },
};
