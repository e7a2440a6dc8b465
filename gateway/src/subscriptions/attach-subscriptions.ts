import type { Server } from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServer } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { JwtVerifier } from '@ies/auth';
import { tailEvents } from '@ies/events';
import type { Logger } from '@ies/logger';
import { openRedisWithoutWaiting } from '@ies/redis';
import type { GatewayConfig } from '../config';
import type { GatewayContext } from '../gateway-context';
import { schemaExposure } from '../schema-exposure';
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
 * event stream per gateway instance. Nothing here holds up the gateway's start: the reader connects in
 * the background, and a WebSocket connection is acknowledged once it knows where the stream ends (at
 * once while Redis answers), so every event published after a subscriber is acknowledged reaches it.
 */
export function attachSubscriptions(options: AttachSubscriptionsOptions) {
  const { config, logger } = options;
  const log = logger.child({ module: 'subscriptions' });
  const apiSchema = options.gateway.schema;
  if (!apiSchema) throw new Error('the gateway has no schema yet: start Apollo Server first');
  let redisDown = false;
  // Its commands fail at once while Redis is down and the reader retries them, so nothing waits on
  // Redis: not the gateway's start, not its stop. The timeout only has to exceed a blocking read's 2 s.
  const redis = openRedisWithoutWaiting({
    url: config.rateLimits.REDIS_URL,
    commandTimeoutMs: 10_000,
    onError: (error) => {
      if (!redisDown) log.warn({ err: error.message }, 'Redis unavailable: subscriptions wait for it');
      redisDown = true;
    },
  });
  redis.on('ready', () => {
    if (redisDown) log.info('Redis answers again: subscriptions are served');
    redisDown = false;
  });
  const hub = new EventHub();
  const tail = tailEvents({
    redis,
    prefix: config.events.QUEUE_PREFIX,
    logger,
    from: '$',
    handle: (event) => hub.publish(event),
  });
  const server = startSubscriptionServer({
    httpServer: options.httpServer,
    apiSchema,
    apollo: options.apollo,
    verifier: options.verifier,
    clockSkewSeconds: config.jwt.JWT_CLOCK_SKEW_S,
    readTimeoutMs: config.limits.OPERATION_TIMEOUT_MS,
    streamReady: tail.ready,
    hub,
    limits: config.subscriptions,
    validationRules: options.validationRules,
    operationLimits: config.operationLimits,
    hideSchemaDetails: schemaExposure(config).hideSchemaDetailsFromClientErrors,
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
      redis.disconnect();
    },
  };
}
