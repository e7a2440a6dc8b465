import { todayInOntario } from '@ies/calendar';
import { forbidden, parsePageArgs } from '@ies/subgraph-kit';
import type { Resolvers } from '../generated/resolvers-types';
import type { ClientsContext } from '../context';
import { canSeeClientData } from '../common/access';
import { isYouth } from './equity';
import type { ClientDoc, ClientRef } from './client.model';

const identified = (client: ClientRef, ctx: ClientsContext, field: string): ClientDoc => {
  if ('outOfScope' in client || !canSeeClientData(ctx.principal, client)) {
    throw forbidden(
      `Client ${field} is personal information: readable only by the serving provider, the catchment's SSM and the ministry`,
    );
  }
  return client;
};

export const clientResolvers: Resolvers = {
  Query: {
    clients: (_, args, ctx) =>
      ctx.services.clients.list(ctx.principal, args.filter ?? {}, parsePageArgs(args)),
    client: (_, args, ctx) => ctx.loaders.clientById.load(args.id),
    clientByCamsReference: (_, args, ctx) => ctx.loaders.clientByCamsReference.load(args.camsReference),
  },
  Mutation: {
    registerClient: (_, { input }, ctx) => ctx.services.clients.register(ctx.principal, input),
    updateClient: (_, { input }, ctx) =>
      ctx.services.clients.update(ctx.principal, {
        ...input,
        givenName: input.givenName ?? undefined,
        familyName: input.familyName ?? undefined,
        birthDate: input.birthDate ?? undefined,
        equity: input.equity ?? undefined,
      }),
  },
  Client: {
    __resolveReference: async (ref, ctx) =>
      (await ctx.loaders.clientById.load(ref.id)) ?? ({ _id: ref.id, outOfScope: true } as never),
    id: (client) => client._id,
    camsReference: (client, _, ctx) => identified(client, ctx, 'camsReference').camsReference,
    givenName: (client, _, ctx) => identified(client, ctx, 'givenName').givenName,
    familyName: (client, _, ctx) => identified(client, ctx, 'familyName').familyName,
    birthDate: (client, _, ctx) => identified(client, ctx, 'birthDate').birthDate,
    contact: (client, _, ctx) => identified(client, ctx, 'contact').contact,
    equity: (client, _, ctx) => {
      const doc = identified(client, ctx, 'equity');
      return { ...doc.equity, youth: isYouth(doc.birthDate, todayInOntario()) };
    },
    catchment: (client, _, ctx) => ({ id: identified(client, ctx, 'catchment').catchmentId }),
    servingProvider: (client, _, ctx) => ({ id: identified(client, ctx, 'servingProvider').providerId }),
    actionPlans: async (client, _, ctx) => {
      const plans = await ctx.loaders.plansByClientId.load(identified(client, ctx, 'actionPlans')._id);
      return [...plans].sort((a, b) => a.sequence - b.sequence);
    },
    activeActionPlan: async (client, _, ctx) =>
      (await ctx.loaders.plansByClientId.load(identified(client, ctx, 'activeActionPlan')._id)).find(
        (p) => p.status === 'ACTIVE',
      ) ?? null,
    version: (client, _, ctx) => identified(client, ctx, 'version').version,
  },
};
