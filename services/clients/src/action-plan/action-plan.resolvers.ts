import { addMonths } from '@ies/calendar';
import { forbidden, parsePageArgs } from '@ies/subgraph-kit';
import type { Resolvers } from '../generated/resolvers-types';
import { refuseUnlessMinistry } from '@ies/subgraph-kit';
import { activeOffersDue, checkpointMonths } from './plan-view';

export const actionPlanResolvers: Resolvers = {
  Query: {
    actionPlans: (_, args, ctx) =>
      ctx.services.plans.list(ctx.principal, args.filter ?? {}, parsePageArgs(args)),
    actionPlan: (_, args, ctx) => ctx.loaders.planById.load(args.id),
    actionPlanByCamsReference: (_, args, ctx) => ctx.loaders.planByCamsReference.load(args.camsReference),
  },
  Mutation: {
    startActionPlan: (_, { input }, ctx) => ctx.services.plans.start(ctx.principal, input),
    closeActionPlan: (_, { input }, ctx) => ctx.services.plans.close(ctx.principal, input),
    updateActionPlan: (_, { input }, ctx) =>
      ctx.services.planContent.updatePlan(ctx.principal, {
        ...input,
        goal:
          input.goal === undefined
            ? undefined
            : input.goal && {
                ...input.goal,
                subGoals: input.goal.subGoals.map((s) => ({
                  ...s,
                  items: s.items.map((i) => ({
                    ...i,
                    endDate: i.endDate ?? null,
                    outcome: i.outcome ?? null,
                  })),
                })),
              },
      }),
    addReferralOut: (_, { input }, ctx) => ctx.services.planContent.addReferralOut(ctx.principal, input),
    recordActiveOffer: (_, { input }, ctx) =>
      ctx.services.planContent.recordActiveOffer(ctx.principal, input),
    recordJob: (_, { input }, ctx) =>
      ctx.services.planContent.recordJob(ctx.principal, {
        ...input,
        job: { ...input.job, subsidizedUntil: input.job.subsidizedUntil ?? null },
      }),
    verifyCheckpoint: (_, { input }, ctx) =>
      ctx.services.checkpoints.verify(ctx.principal, {
        ...input,
        attestationPreApproved: input.attestationPreApproved ?? false,
      }),
    importActionPlans: async (_, { ndjson }, ctx) => {
      const refusal = refuseUnlessMinistry(ctx.principal, 'import action plans');
      if (refusal) throw forbidden(refusal.message);
      return ctx.services.exchange.importText(ctx.principal, ndjson);
    },
  },
  EmploymentActionPlan: {
    __resolveReference: (ref, ctx) => ctx.loaders.planById.load(ref.id),
    id: (plan) => plan._id,
    client: async (plan, _, ctx) =>
      (await ctx.loaders.clientById.load(plan.clientId)) ??
      ({ _id: plan.clientId, outOfScope: true } as const),
    catchment: (plan) => ({ id: plan.catchmentId }),
    servingProvider: (plan) => ({ id: plan.providerId }),
    activeOffersDue: (plan) => activeOffersDue(plan),
    checkpoints: (plan) => {
      const firstJob = [...plan.jobs].sort((a, b) => a.startedOn.localeCompare(b.startedOn))[0];
      return plan.checkpoints.map((c) => ({
        ...c,
        dueOn: firstJob ? addMonths(firstJob.startedOn, checkpointMonths(c.checkpoint)) : c.verifiedOn,
      }));
    },
  },
  PlanItem: {
    provider: (item) => ({ id: item.providerId }),
  },
  ReferralOut: {
    program: (referral) => ({ id: referral.programId }),
  },
  ActiveOffer: {
    provider: (offer) => ({ id: offer.providerId }),
  },
};
