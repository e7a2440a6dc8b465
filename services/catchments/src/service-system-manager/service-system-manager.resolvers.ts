import { parsePageArgs } from '@ies/subgraph-kit';
import type { CatchmentsContext } from '../context';
import type { ServiceSystemManagerDoc } from './service-system-manager.model';
import type { ServiceSystemManagerService } from './service-system-manager.service';

export const serviceSystemManagerResolvers = {
  Query: {
    serviceSystemManagers: (_: unknown, args: { first?: number; after?: string }, ctx: CatchmentsContext) =>
      ctx.services.serviceSystemManagers.list(parsePageArgs(args)),
    serviceSystemManager: (_: unknown, args: { id: string }, ctx: CatchmentsContext) =>
      ctx.loaders.managerById.load(args.id),
  },
  Mutation: {
    registerServiceSystemManager: (
      _: unknown,
      { input }: { input: Parameters<ServiceSystemManagerService['register']>[1] },
      ctx: CatchmentsContext,
    ) => ctx.services.serviceSystemManagers.register(ctx.principal, input),
  },
  ServiceSystemManager: {
    __resolveReference: (ref: { id: string }, ctx: CatchmentsContext) => ctx.loaders.managerById.load(ref.id),
    id: (doc: ServiceSystemManagerDoc) => doc._id,
    catchments: (doc: ServiceSystemManagerDoc, _: unknown, ctx: CatchmentsContext) =>
      ctx.loaders.catchmentsByManagerId.load(doc._id),
  },
};
