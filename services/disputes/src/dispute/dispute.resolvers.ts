import { todayInOntario } from '@ies/calendar';
import { forbidden, parsePageArgs } from '@ies/subgraph-kit';
import type { Resolvers } from '../generated/resolvers-types';
import { canSeeClientDetails } from '../common/access';
import { assertIdentifiers } from '../common/identifiers';
import type { DisputesContext } from '../context';
import { disputeIdFor } from './dispute-ids';
import { slaClocks } from './dispute-sla';
import { stateOf } from './dispute-state';
import type { DisputeDoc } from './dispute.model';

/** A client dispute's personal details, for those who may see client data only (access.ts). */
const personal = <T>(ctx: DisputesContext, doc: DisputeDoc, field: string, value: T): T => {
  if (!canSeeClientDetails(ctx.principal, doc))
    throw forbidden(
      `The ${field} of dispute ${doc._id} is visible to its parties, the SSM and the ministry only`,
    );
  return value;
};

export const disputeResolvers: Resolvers = {
  Query: {
    dispute: (_, args, ctx) => {
      assertIdentifiers({ id: args.id });
      return ctx.loaders.disputeById.load(args.id);
    },
    disputes: (_, args, ctx) => ctx.services.disputes.list(ctx.principal, args.filter, parsePageArgs(args)),
  },
  Mutation: {
    openDispute: (_, { input }, ctx) => ctx.services.disputes.open(ctx.principal, input),
    acknowledgeDispute: (_, { input }, ctx) =>
      ctx.services.disputes.transition(ctx.principal, { ...input, to: 'ACKNOWLEDGED' }),
    changeDisputeStatus: (_, { input }, ctx) =>
      ctx.services.disputes.transition(ctx.principal, { ...input, to: input.status }),
    escalateDispute: (_, { input }, ctx) =>
      ctx.services.disputes.transition(ctx.principal, { ...input, to: 'ESCALATED' }),
    resolveDispute: (_, { input }, ctx) =>
      ctx.services.disputes.transition(ctx.principal, {
        ...input,
        to: 'RESOLVED',
        resolution: { outcome: input.outcome, summary: input.summary },
      }),
    withdrawDispute: (_, { input }, ctx) =>
      ctx.services.disputes.transition(ctx.principal, { ...input, to: 'WITHDRAWN' }),
    reopenDispute: (_, { input }, ctx) => ctx.services.disputes.reopen(ctx.principal, input),
  },
  Dispute: {
    __resolveReference: (ref, ctx) => ctx.loaders.disputeById.load(ref.id),
    id: (doc) => doc._id,
    catchment: (doc) => ({ id: doc.catchmentId }),
    client: (doc, _, ctx) => personal(ctx, doc, 'client', doc.clientId ? { id: doc.clientId } : null),
    clientCamsReference: (doc, _, ctx) => personal(ctx, doc, 'client reference', doc.clientCamsReference),
    description: (doc, _, ctx) => personal(ctx, doc, 'description', doc.description),
    provider: (doc) => (doc.providerId ? { id: doc.providerId } : null),
    serviceSystemManager: (doc) => (doc.ssmId ? { id: doc.ssmId } : null),
    category: async (doc, _, ctx) =>
      (await ctx.loaders.categories()).get(doc.category) ?? {
        _id: doc.category,
        label: doc.category,
        kinds: [doc.kind],
        active: false,
        version: 0,
      },
    escalationLevel: (doc) => doc.level,
    statusHistory: (doc, _, ctx) => personal(ctx, doc, 'status history', doc.history),
    resolution: (doc, _, ctx) => personal(ctx, doc, 'resolution', doc.resolution),
    sla: (doc) => doc,
    reopenedFrom: (doc, _, ctx) =>
      doc.reopenedFrom ? ctx.loaders.disputeById.load(disputeIdFor(doc.reopenedFrom)) : null,
  },
  DisputeStatusChange: {
    escalationLevel: (transition) => transition.level,
  },
  DisputeSla: {
    acknowledgeWithinBusinessDays: (doc) => doc.sla.policy.acknowledgeWithinBusinessDays,
    resolveWithinBusinessDays: (doc) => doc.sla.policy.resolveWithinBusinessDays,
    acknowledgeBy: (doc) => doc.sla.acknowledgeBy,
    resolveBy: (doc) => doc.sla.resolveBy,
    clocks: (doc, args) => slaClocks(stateOf(doc), args.asOf ?? todayInOntario()),
    breaches: (doc) => doc.slaBreaches,
  },
};
