import { todayInOntario } from '@ies/calendar';
import { forbidden, parsePageArgs } from '@ies/subgraph-kit';
import type { ContractsContext } from '../context';
import { canSeeAgreementFunding } from '../common/access';
import { fundingFromInput, fundingView, targetView, type PerformanceTarget } from '../common/terms';
import type { AgreementKind, AgreementStatus, ProviderAgreementDoc } from './provider-agreement.model';
import type { AgreementFilter } from './provider-agreement.service';

type FundingInput = { fixed: number; performanceBased: number };
type Common = { agreementId: string; reason: string; asOf?: string | null; expectedVersion?: number | null };

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

export const providerAgreementResolvers = {
  Query: {
    providerAgreements: (
      _: unknown,
      args: { filter?: AgreementFilter | null; first?: number; after?: string },
      ctx: ContractsContext,
    ) => ctx.services.agreements.list(ctx.principal, args.filter ?? {}, parsePageArgs(args)),
    providerAgreement: (_: unknown, args: { id: string }, ctx: ContractsContext) =>
      ctx.loaders.agreementById.load(args.id),
  },
  Mutation: {
    createProviderAgreement: (
      _: unknown,
      {
        input,
      }: {
        input: Common & {
          kind?: AgreementKind | null;
          catchmentId: string;
          providerId: string;
          programIds: string[];
          siteIds: string[];
          termStartDate: string;
          termEndDate: string;
          funding: FundingInput;
          targets: PerformanceTarget[];
        };
      },
      ctx: ContractsContext,
    ) =>
      ctx.services.agreements.create(ctx.principal, {
        ...withAsOf(input),
        funding: fundingFromInput(input.funding),
      }),
    amendAgreementFunding: (
      _: unknown,
      { input }: { input: Common & { funding: FundingInput } },
      ctx: ContractsContext,
    ) =>
      ctx.services.agreements.amendFunding(ctx.principal, {
        ...withAsOf(input),
        funding: fundingFromInput(input.funding),
      }),
    amendAgreementTargets: (
      _: unknown,
      { input }: { input: Common & { targets: PerformanceTarget[] } },
      ctx: ContractsContext,
    ) => ctx.services.agreements.amendTargets(ctx.principal, withAsOf(input)),
    changeAgreementStatus: (
      _: unknown,
      { input }: { input: Common & { status: AgreementStatus } },
      ctx: ContractsContext,
    ) => ctx.services.agreements.changeStatus(ctx.principal, withAsOf(input)),
  },
  ProviderAgreement: {
    __resolveReference: (ref: { id: string }, ctx: ContractsContext) =>
      ctx.loaders.agreementById.load(ref.id),
    id: (doc: ProviderAgreementDoc) => doc._id,
    catchment: (doc: ProviderAgreementDoc) => ({ __typename: 'CatchmentArea', id: doc.catchmentId }),
    serviceSystemManager: (doc: ProviderAgreementDoc) =>
      doc.ssmId ? { __typename: 'ServiceSystemManager', id: doc.ssmId } : null,
    provider: (doc: ProviderAgreementDoc, _: unknown, ctx: ContractsContext) =>
      ctx.loaders.providerById.load(doc.providerId),
    programs: async (doc: ProviderAgreementDoc, _: unknown, ctx: ContractsContext) =>
      (await ctx.loaders.programById.loadMany(doc.programIds)).filter((p) => p && !(p instanceof Error)),
    sites: async (doc: ProviderAgreementDoc, _: unknown, ctx: ContractsContext) => {
      const provider = await ctx.loaders.providerById.load(doc.providerId);
      return (provider?.sites ?? []).filter((s) => doc.siteIds.includes(s.id));
    },
    funding: (doc: ProviderAgreementDoc, _: unknown, ctx: ContractsContext) => {
      refuseFunding(ctx, doc, 'funding');
      return fundingView(doc.funding);
    },
    targets: (doc: ProviderAgreementDoc) => doc.targets.map(targetView),
    amendments: async (doc: ProviderAgreementDoc, _: unknown, ctx: ContractsContext) => {
      refuseFunding(ctx, doc, 'amendment history');
      return ctx.loaders.agreementAmendments.load(doc._id);
    },
  },
};
