import { parsePageArgs } from '@ies/subgraph-kit';
import type { Resolvers } from '../generated/resolvers-types';
import { signingSecretsAt } from './webhook-endpoint.service';

export const webhookEndpointResolvers: Resolvers = {
  Query: {
    webhookEndpoints: (_, args, ctx) => ctx.services.endpoints.page(ctx.principal, parsePageArgs(args)),
    webhookEndpoint: (_, { id }, ctx) => ctx.services.endpoints.find(ctx.principal, id),
  },
  Mutation: {
    registerWebhookEndpoint: async (_, { input }, ctx) => ({
      ...(await ctx.services.endpoints.register(ctx.principal, input)),
      previousSecretsExpireAt: null,
    }),
    updateWebhookEndpoint: (_, { id, input }, ctx) => ctx.services.endpoints.update(ctx.principal, id, input),
    disableWebhookEndpoint: (_, { id, reason, expectedVersion }, ctx) =>
      ctx.services.endpoints.setEnabled(ctx.principal, id, false, { reason, expectedVersion }),
    enableWebhookEndpoint: (_, { id, expectedVersion }, ctx) =>
      ctx.services.endpoints.setEnabled(ctx.principal, id, true, { expectedVersion }),
    rotateWebhookEndpointSecret: (_, { id, overlapHours, expectedVersion }, ctx) =>
      ctx.services.endpoints.rotateSecret(ctx.principal, id, {
        overlapHours: overlapHours ?? 24,
        expectedVersion,
      }),
  },
  WebhookEndpoint: {
    id: (endpoint) => endpoint._id,
    activeSecretCount: (endpoint) => signingSecretsAt(endpoint.secrets, new Date()).length,
    previousSecretsExpireAt: (endpoint) => {
      const ending = signingSecretsAt(endpoint.secrets, new Date()).filter((s) => s.expiresAt !== null);
      return ending.length === 0
        ? null
        : new Date(Math.max(...ending.map((s) => new Date(s.expiresAt!).getTime())));
    },
    deliveries: (endpoint, args, ctx) =>
      ctx.services.deliveries.page(ctx.principal, endpoint._id, parsePageArgs(args)),
  },
};
