import type { Resolvers } from '../generated/resolvers-types';
import { todayInOntario } from '@ies/calendar';
import { forbidden, parsePageArgs } from '@ies/subgraph-kit';
import type { ContractsContext } from '../context';
import { canSeeContractFunding } from '../common/access';
import { fundingFromInput, fundingView, targetView } from '../common/terms';
import type { ContractDoc } from './contract.model';

const refuseFunding = (ctx: ContractsContext, doc: ContractDoc, what: string) => {
  if (!canSeeContractFunding(ctx.principal, doc)) {
    throw forbidden(
      `The ${what} of contract ${doc._id} is visible to the ministry and the catchment's SSM only`,
    );
  }
};

export const contractResolvers: Resolvers = {
  Query: {
    contracts: (_, args, ctx) =>
      ctx.services.contracts.list(ctx.principal, args.filter ?? {}, parsePageArgs(args)),
    contract: (_, args, ctx) => ctx.loaders.contractById.load(args.id),
  },
  Mutation: {
    createContract: (_, { input }, ctx) =>
      ctx.services.contracts.create(ctx.principal, { ...input, funding: fundingFromInput(input.funding) }),
    amendContractFunding: (_, { input }, ctx) =>
      ctx.services.contracts.amendFunding(ctx.principal, {
        ...input,
        asOf: input.asOf ?? todayInOntario(),
        funding: fundingFromInput(input.funding),
      }),
    amendContractTargets: (_, { input }, ctx) =>
      ctx.services.contracts.amendTargets(ctx.principal, { ...input, asOf: input.asOf ?? todayInOntario() }),
  },
  Contract: {
    __resolveReference: (ref, ctx) => ctx.loaders.contractById.load(ref.id),
    id: (doc) => doc._id,
    catchment: (doc) => ({ id: doc.catchmentId }),
    serviceSystemManager: async (doc, _, ctx) => ({
      id: (await ctx.loaders.catchmentPeriodsById.load(doc.catchmentId))?.ssmId ?? doc.ssmId,
    }),
    signedWithServiceSystemManager: (doc) => ({ id: doc.ssmId }),
    funding: (doc, _, ctx) => {
      refuseFunding(ctx, doc, 'funding');
      return fundingView(doc.funding);
    },
    targets: (doc) => doc.targets.map(targetView),
    amendments: (doc, _, ctx) => {
      refuseFunding(ctx, doc, 'amendment history');
      return ctx.loaders.contractAmendments.load(doc._id);
    },
  },
};
