import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Request, type Response } from 'express';
import { AuthError, PUBLIC_PRINCIPAL, createJwtVerifier } from '@ies/auth';
import { REQUEST_ID_HEADER, requestLogger, resolveRequestId, type Logger } from '@ies/logger';
import { listenOn, requestLogPlugin, unauthenticated, type ServerHandle } from '@ies/subgraph-kit';
import type { GatewayConfig } from './config';
import { depthLimit } from './depth-limit';
import type { GatewayContext } from './gateway-context';
import { checkSubgraphs } from './subgraph-health';
import { SignedDataSource } from './signed-data-source';

export type GatewayServer = ServerHandle;

/**
 * The gateway: one supergraph for front-ends, JWT verified at the edge, the caller's principal forwarded
 * to subgraphs in a signed header, health endpoints that report every subgraph.
 */
export async function createGatewayServer(config: GatewayConfig, logger: Logger): Promise<GatewayServer> {
  const verifier = await createJwtVerifier(config.jwtPublicKeyPem, {
    issuer: config.jwt.JWT_ISSUER,
    audience: config.jwt.JWT_AUDIENCE,
  });
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.supergraph.SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name }) => {
      const url = config.subgraphUrls[name];
      if (!url) throw new Error(`the supergraph names subgraph ${name}, which has no configured URL`);
      return new SignedDataSource(
        name,
        url,
        config.auth.INTERNAL_SIGNING_SECRET,
        config.limits.SUBGRAPH_TIMEOUT_MS,
      );
    },
    logger: logger.child({ component: 'apollo-gateway' }) as never,
  });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const apollo = new ApolloServer<GatewayContext>({
    gateway: gateway as never,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      requestLogPlugin(),
    ],
    validationRules: [depthLimit(config.limits.MAX_QUERY_DEPTH)],
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();

  app.get('/health/live', (_req: Request, res: Response) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/health/ready', async (_req: Request, res: Response) => {
    const subgraphs = await checkSubgraphs(
      config.subgraphUrls,
      Math.min(config.limits.SUBGRAPH_TIMEOUT_MS, 2000),
    );
    const ready = Object.values(subgraphs).every((s) => s === 'ready');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', service: 'gateway', subgraphs });
  });

  app.use(
    '/graphql',
    (req: Request, res: Response, next) => {
      const requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
      res.locals.requestId = requestId;
      res.setHeader(REQUEST_ID_HEADER, requestId);
      next();
    },
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId: string = res.locals.requestId;
        const log = requestLogger(logger, requestId);
        const authorization = req.headers.authorization;
        if (!authorization) return { principal: PUBLIC_PRINCIPAL, requestId, logger: log };
        const [scheme, token] = authorization.split(' ');
        if (scheme?.toLowerCase() !== 'bearer' || !token) {
          throw unauthenticated('Authorization must be "Bearer <token>"');
        }
        try {
          return { principal: await verifier.verify(token), requestId, logger: log };
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

  return {
    listen: (port, host) => listenOn(httpServer, port, host),
    close: () => apollo.stop(),
  };
}
