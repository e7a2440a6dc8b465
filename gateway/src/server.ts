import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { AuthError, PUBLIC_PRINCIPAL, createJwtVerifier } from '@ies/auth';
import { unauthenticated } from '@ies/errors';
import {
  createHttpApp,
  drainPlugins,
  jsonErrorHandler,
  listenOn,
  mountHealthRoutes,
  notFoundHandler,
  operationResolutionPlugin,
  requestIdMiddleware,
  requestLogPlugin,
  requireJsonBody,
  type ServerHandle,
} from '@ies/http-kit';
import { requestLogger, type Logger } from '@ies/logger';
import { PLATFORM_QUEUES } from '@ies/service-registry';
import { documentCache, queryPlanCache } from './bounded-cache';
import type { GatewayConfig } from './config';
import { depthLimit } from './depth-limit';
import { mountQueueBoard } from './queue-board';
import type { GatewayContext } from './gateway-context';
import { operationLimitsPlugin } from './operation-limits';
import { createRateLimitGuard } from './rate-limits/rate-limit-guard';
import { gatewayDeadline } from './request-deadline';
import { startHealthPoller } from './health-poller';
import { schemaExposure } from './schema-exposure';
import { gatewayReadiness, mountSubgraphHealthRoute } from './subgraph-health';
import { formatGatewayError } from './format-error';
import { SignedDataSource, subgraphFailureLogPlugin } from './signed-data-source';
import { attachSubscriptions } from './subscriptions/attach-subscriptions';
import { loadTrustedDocuments } from './trusted-documents/manifest';
import { persistedQueryStore, trustedDocumentsPlugin } from './trusted-documents/trusted-documents-plugin';

export type GatewayServer = ServerHandle;

type PlannerCache = NonNullable<
  NonNullable<NonNullable<ConstructorParameters<typeof ApolloGateway>[0]>['queryPlannerConfig']>['cache']
>;
/** The gateway's query plan type, without depending on @apollo/query-planner directly. */
type QueryPlan = Parameters<PlannerCache['set']>[1];

/**
 * The gateway: one supergraph for front-ends, JWT verified at the edge, the caller's principal forwarded
 * to subgraphs in a signed header, health endpoints that report every subgraph (ready while it can serve).
 */
export async function createGatewayServer(config: GatewayConfig, logger: Logger): Promise<GatewayServer> {
  const verifier = await createJwtVerifier(config.jwtPublicKeyPem, {
    issuer: config.jwt.JWT_ISSUER,
    audience: config.jwt.JWT_AUDIENCE,
    maxLifetimeSeconds: config.jwt.JWT_MAX_TOKEN_LIFETIME_S,
    clockSkewSeconds: config.jwt.JWT_CLOCK_SKEW_S,
  });
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.supergraph.SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name }) => {
      const url = config.subgraphUrls[name];
      if (!url) throw new Error(`the supergraph names subgraph ${name}, which has no configured URL`);
      return new SignedDataSource({
        serviceName: name,
        url,
        secret: config.auth.INTERNAL_SIGNING_SECRET,
        timeoutMs: config.limits.SUBGRAPH_TIMEOUT_MS,
        headerTtlMs: config.auth.INTERNAL_HEADER_TTL_MS,
      });
    },
    logger: logger.child({ component: 'apollo-gateway' }) as never,
    queryPlannerConfig: { cache: queryPlanCache<QueryPlan>(config.caches.QUERY_PLAN_CACHE_MB) },
  });

  const trustedDocuments = loadTrustedDocuments(config.trustedDocuments.TRUSTED_DOCUMENTS_PATH);
  const rateLimits = config.rateLimits.RATE_LIMITS_ENABLED
    ? createRateLimitGuard(config.rateLimits, verifier, logger)
    : null;

  const { app, httpServer } = createHttpApp();
  const validationRules = [depthLimit(config.limits.MAX_QUERY_DEPTH)];
  const apollo = new ApolloServer<GatewayContext>({
    gateway: gateway as never,
    plugins: [
      ...drainPlugins<GatewayContext>(httpServer),
      requestLogPlugin<GatewayContext>(),
      operationResolutionPlugin<GatewayContext>(),
      subgraphFailureLogPlugin(),
      trustedDocumentsPlugin(trustedDocuments, config.trustedDocuments.TRUSTED_DOCUMENTS),
      operationLimitsPlugin(config.operationLimits),
    ],
    persistedQueries: { cache: persistedQueryStore(trustedDocuments) },
    parseOptions: { maxTokens: config.operationLimits.maxTokens },
    // The depth limit leaves introspection to graphql-js's MaxIntrospectionDepthRule, which Apollo
    // Server applies already (its recommended rules): the full introspection query is deeper than any
    // data query needs. Introspection's cost and aliases are the operation limits'.
    validationRules,
    ...schemaExposure(config),
    // Weighed by what a parsed document holds (its tokens too), not by its JSON: see bounded-cache.ts.
    documentStore: documentCache(config.caches.DOCUMENT_CACHE_MB),
    includeStacktraceInErrorResponses: false,
    // Signals belong to withShutdown (main.ts). Apollo's own handler (on when NODE_ENV is not `test`,
    // so under `npm start` and in production) calls stop() as well, and a second concurrent stop()
    // never returns (Apollo does not resolve its stop barrier on success): the drain hit its deadline.
    stopOnTerminationSignals: false,
    formatError: formatGatewayError,
  });
  await apollo.start();
  // graphql-ws on the same server and path (ADR 0020).
  const subscriptions = attachSubscriptions({
    httpServer,
    gateway,
    apollo,
    verifier,
    config,
    validationRules,
    trustedDocuments,
    logger,
  });

  // Ready while it can serve (started, not stopping), answered at once; each subgraph's state and
  // Redis's are reported apart, from the background poller's last round (never asked per probe).
  let serving = true;
  const health = startHealthPoller({
    subgraphUrls: config.subgraphUrls,
    redisUrl: config.rateLimits.REDIS_URL,
    intervalMs: config.health.HEALTH_POLL_INTERVAL_MS,
    timeoutMs: config.health.HEALTH_CHECK_TIMEOUT_MS,
    logger,
  });
  mountHealthRoutes(app, {
    service: 'gateway',
    readiness: async () => gatewayReadiness(serving, health.current()),
  });
  mountSubgraphHealthRoute(app, () => health.current());

  const queueBoard = mountQueueBoard(app, {
    verify: (token) => verifier.verify(token),
    redisUrl: config.rateLimits.REDIS_URL,
    prefix: config.jobs.QUEUE_PREFIX,
    queues: PLATFORM_QUEUES,
    logger,
  });

  app.use(
    '/graphql',
    requestIdMiddleware(),
    ...(rateLimits ? [rateLimits.middleware] : []),
    express.json({ limit: '1mb' }),
    requireJsonBody(logger),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId: string = res.locals.requestId;
        const log = requestLogger(logger, requestId);
        const deadline = gatewayDeadline(res, config.limits.OPERATION_TIMEOUT_MS);
        const authorization = req.headers.authorization;
        if (!authorization) return { principal: PUBLIC_PRINCIPAL, requestId, logger: log, ...deadline };
        const [scheme, token] = authorization.split(' ');
        if (scheme?.toLowerCase() !== 'bearer' || !token) {
          throw unauthenticated('Authorization must be "Bearer <token>"');
        }
        try {
          return { principal: await verifier.verify(token), requestId, logger: log, ...deadline };
        } catch (error) {
          if (error instanceof AuthError) {
            log.warn({ reason: error.message }, 'refused token');
            throw unauthenticated(error.message);
          }
          throw error;
        }
      },
    }),
  );
  app.use(notFoundHandler());
  app.use(jsonErrorHandler(logger));

  return {
    listen: (port, host) => listenOn(httpServer, port, host),
    close: async () => {
      serving = false;
      await health.stop();
      await subscriptions.close();
      await apollo.stop();
      await rateLimits?.close();
      await queueBoard.close();
    },
  };
}
