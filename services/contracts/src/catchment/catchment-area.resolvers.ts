import type { ContractsContext } from '../context';
import type { AgreementStatus } from '../agreement/provider-agreement.model';

type Ref = { id: string };

/** Entity extensions: references carry only the id; every field is a batched, scoped lookup. */
export const catchmentAreaResolvers = {
  CatchmentArea: {
    __resolveReference: (ref: Ref) => ({ id: ref.id }),
    contract: (ref: Ref, _: unknown, ctx: ContractsContext) => ctx.loaders.contractByCatchmentId.load(ref.id),
    providers: (ref: Ref, _: unknown, ctx: ContractsContext) =>
      ctx.loaders.providersByCatchmentId.load(ref.id),
    agreements: async (ref: Ref, args: { status?: AgreementStatus | null }, ctx: ContractsContext) => {
      const agreements = await ctx.loaders.agreementsByCatchmentId.load(ref.id);
      return args.status ? agreements.filter((a) => a.status === args.status) : agreements;
    },
  },
  ServiceSystemManager: {
    __resolveReference: (ref: Ref) => ({ id: ref.id }),
    contracts: (ref: Ref, _: unknown, ctx: ContractsContext) => ctx.loaders.contractsBySsmId.load(ref.id),
  },
};
