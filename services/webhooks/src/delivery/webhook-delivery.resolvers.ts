import { parsePageArgs } from '@ies/subgraph-kit';
import type { Resolvers } from '../generated/resolvers-types';

export const webhookDeliveryResolvers: Resolvers = {
  Query: {
    webhookDeliveries: (_, { endpointId, ...page }, ctx) =>
      ctx.services.deliveries.page(ctx.principal, endpointId, parsePageArgs(page)),
  },
  Mutation: {
    replayWebhookDelivery: (_, { id }, ctx) => ctx.services.deliveries.replayDelivery(ctx.principal, id),
    replayWebhookEvents: (_, { endpointId, since }, ctx) =>
      ctx.services.deliveries.replaySince(ctx.principal, endpointId, since),
  },
  WebhookDelivery: {
    id: (delivery) => delivery._id,
  },
};
