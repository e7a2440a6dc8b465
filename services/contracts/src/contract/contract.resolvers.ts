import { todayInOntario } from '@ies/calendar';
import { forbidden, parsePageArgs } from '@ies/subgraph-kit';
import type { ContractsContext } from '../context';
import { canSeeContractFunding } from '../common/access';
import { fundingFromInput, fundingView, targetView, type PerformanceTarget } from '../common/terms';
import type { ContractDoc } from './contract.model';
import type { ContractFilter } from './contract.service';

type Common = { contractId: string; reason: string; asOf?: string | null; expectedVersion?: number | null };

const refuseFunding = (ctx: ContractsContext, doc: ContractDoc, what: string) => {
  if (!canSeeContractFunding(ctx.principal, doc)) {
    throw forbidden(
      `The ${what} of contract ${doc._id} is visible to the ministry and the catchment's SSM only`,
    );
  }
};

export const contractResolvers = {
  Query: {
    contracts: (
      _: unknown,
      args: { filter?: ContractFilter | null; first?: number; after?: string },
      ctx: ContractsContext,
    ) => ctx.services.contracts.list(ctx.principal, args.filter ?? {}, parsePageArgs(args)),
    contract: (_: unknown, args: { id: string }, ctx: ContractsContext) =>
      ctx.loaders.contractById.load(args.id),
  },
  Mutation: {
    amendContractFunding: (
      _: unknown,
      { input }: { input: Common & { funding: { fixed: number; performanceBased: number } } },
      ctx: ContractsContext,
    ) =>
      ctx.services.contracts.amendFunding(ctx.principal, {
        ...input,
        asOf: input.asOf ?? todayInOntario(),
        funding: fundingFromInput(input.funding),
      }),
    amendContractTargets: (
      _: unknown,
      { input }: { input: Common & { targets: PerformanceTarget[] } },
      ctx: ContractsContext,
    ) =>
      ctx.services.contracts.amendTargets(ctx.principal, { ...input, asOf: input.asOf ?? todayInOntario() }),
  },
  Contract: {
    __resolveReference: (ref: { id: string }, ctx: ContractsContext) => ctx.loaders.contractById.load(ref.id),
    id: (doc: ContractDoc) => doc._id,
    catchment: (doc: ContractDoc) => ({ __typename: 'CatchmentArea', id: doc.catchmentId }),
    serviceSystemManager: (doc: ContractDoc) => ({ __typename: 'ServiceSystemManager', id: doc.ssmId }),
    funding: (doc: ContractDoc, _: unknown, ctx: ContractsContext) => {
      refuseFunding(ctx, doc, 'funding');
      return fundingView(doc.funding);
    },
    targets: (doc: ContractDoc) => doc.targets.map(targetView),
    amendments: (doc: ContractDoc, _: unknown, ctx: ContractsContext) => {
      refuseFunding(ctx, doc, 'amendment history');
      return ctx.loaders.contractAmendments.load(doc._id);
    },
  },
};
