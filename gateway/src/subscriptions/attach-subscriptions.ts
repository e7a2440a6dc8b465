import type { Server } from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServer } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { JwtVerifier } from '@ies/auth';
import { tailEvents } from '@ies/events';
import type { Logger } from '@ies/logger';
import { connectRedis } from '@ies/redis';
import type { GatewayConfig } from '../config';
import type { GatewayContext } from '../gateway-context';
import type { TrustedDocuments } from '../trusted-documents/manifest';
import { EventHub } from './event-hub';
import { startSubscriptionServer } from './subscription-server';

export interface AttachSubscriptionsOptions {
  httpServer: Server;
  gateway: ApolloGateway;
  /** Started: its API schema is loaded. */
  apollo: ApolloServer<GatewayContext>;
  verifier: JwtVerifier;
  config: GatewayConfig;
  validationRules: readonly ValidationRule[];
  trustedDocuments: TrustedDocuments;
  logger: Logger;
}

/**
 * Serves graphql-ws subscriptions on the gateway's HTTP server, fed by one reader of the platform's
 * event stream per gateway instance. Resolves once the reader knows where the stream ends, so every
 * event published after the gateway listens reaches its subscribers; waits for Redis until it answers.
 */
export async function attachSubscriptions(options: AttachSubscriptionsOptions) {
  const { config, logger } = options;
  const log = logger.child({ module: 'subscriptions' });
  const apiSchema = options.gateway.schema;
  if (!apiSchema) throw new Error('the gateway has no schema yet: start Apollo Server first');
  const redis = await connectRedis({
    url: config.rateLimits.REDIS_URL,
    // Commands wait for a lost connection to come back instead of failing the stream reader.
    maxRetriesPerRequest: null,
    onRetry: (error, attempt) => log.warn({ err: error.message, attempt }, 'waiting for Redis'),
  });
  const hub = new EventHub();
  const tail = tailEvents({
    redis,
    prefix: config.events.QUEUE_PREFIX,
    logger,
    from: '$',
    handle: (event) => hub.publish(event),
  });
  await tail.ready;
  const server = startSubscriptionServer({
    httpServer: options.httpServer,
    apiSchema,
    apollo: options.apollo,
    verifier: options.verifier,
    clockSkewSeconds: config.jwt.JWT_CLOCK_SKEW_S,
    hub,
    limits: config.subscriptions,
    validationRules: options.validationRules,
    trustedDocuments: {
      documents: options.trustedDocuments,
      mode: config.trustedDocuments.TRUSTED_DOCUMENTS,
    },
    logger,
  });
  return {
    /** Completes every subscription and closes every socket, then stops reading the stream. */
    async close() {
      await server.dispose();
      await tail.stop();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
