import type { Resolvers } from '../generated/resolvers-types';
import { todayInOntario } from '@ies/calendar';
import { forbidden, parsePageArgs } from '@ies/subgraph-kit';
import type { ContractsContext } from '../context';
import { canSeeAgreementFunding } from '../common/access';
import { fundingFromInput, fundingView, targetView } from '../common/terms';
import type { ProgramDoc } from '../program/program.model';
import type { ProviderAgreementDoc } from './provider-agreement.model';

const withAsOf = <T extends { asOf?: string | null }>(input: T) => ({
  ...input,
  asOf: input.asOf ?? todayInOntario(),
});

const refuseFunding = (ctx: ContractsContext, doc: ProviderAgreementDoc, what: string) => {
  if (!canSeeAgreementFunding(ctx.principal, doc)) {
    throw forbidden(
      `The ${what} of agreement ${doc._id} is visible to the ministry, the catchment's SSM and the provider only`,
    );
  }
};

export const providerAgreementResolvers: Resolvers = {
  Query: {
    providerAgreements: (_, args, ctx) =>
      ctx.services.agreements.list(ctx.principal, args.filter ?? {}, parsePageArgs(args)),
    providerAgreement: (_, args, ctx) => ctx.loaders.agreementById.load(args.id),
  },
  Mutation: {
    createProviderAgreement: (_, { input }, ctx) =>
      ctx.services.agreements.create(ctx.principal, {
        ...withAsOf(input),
        funding: fundingFromInput(input.funding),
      }),
    amendAgreementFunding: (_, { input }, ctx) =>
      ctx.services.agreements.amendFunding(ctx.principal, {
        ...withAsOf(input),
        funding: fundingFromInput(input.funding),
      }),
    amendAgreementTargets: (_, { input }, ctx) =>
      ctx.services.agreements.amendTargets(ctx.principal, withAsOf(input)),
    changeAgreementStatus: (_, { input }, ctx) =>
      ctx.services.agreements.changeStatus(ctx.principal, withAsOf(input)),
  },
  ProviderAgreement: {
    __resolveReference: (ref, ctx) => ctx.loaders.agreementById.load(ref.id),
    id: (doc) => doc._id,
    catchment: (doc) => ({ id: doc.catchmentId }),
    serviceSystemManager: async (doc, _, ctx) => {
      if (doc.kind !== 'SSM_AGREEMENT') return null;
      const now = (await ctx.loaders.catchmentPeriodsById.load(doc.catchmentId))?.ssmId;
      return (now ?? doc.ssmId) ? { id: (now ?? doc.ssmId)! } : null;
    },
    provider: async (doc, _, ctx) => {
      const provider = await ctx.loaders.providerById.load(doc.providerId);
      if (!provider)
        throw new Error(`agreement ${doc._id} names provider ${doc.providerId}, which does not exist`);
      return provider;
    },
    programs: async (doc, _, ctx) =>
      (await ctx.loaders.programById.loadMany(doc.programIds)).filter(
        (p): p is ProgramDoc => p !== null && !(p instanceof Error),
      ),
    sites: async (doc, _, ctx) => {
      const provider = await ctx.loaders.providerById.load(doc.providerId);
      return (provider?.sites ?? []).filter((s) => doc.siteIds.includes(s.id));
    },
    funding: (doc, _, ctx) => {
      refuseFunding(ctx, doc, 'funding');
      return fundingView(doc.funding);
    },
    targets: (doc) => doc.targets.map(targetView),
    amendments: async (doc, _, ctx) => {
      refuseFunding(ctx, doc, 'amendment history');
      return ctx.loaders.agreementAmendments.load(doc._id);
    },
  },
};
