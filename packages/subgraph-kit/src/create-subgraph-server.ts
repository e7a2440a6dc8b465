import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLScalarType, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import {
  InternalHeaderError,
  PRINCIPAL_HEADER,
  PrincipalHeaderVerifier,
  type PrincipalHeaderVerifierOptions,
} from '@ies/auth';
import { DeadlineExceededError, withDeadline } from '@ies/db';
import { ErrorCode, isKnownErrorCode } from '@ies/errors';
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
import type { SubgraphContext } from './context';
import { deadlinePlugin, requestDeadline, type DeadlineOptions } from './request-deadline';
import { DateScalar, DateTimeScalar } from './scalars';

/** How a subgraph checks principal headers beyond their signature (see `PrincipalHeaderVerifier`). */
export type InternalHeaderChecks = Pick<
  PrincipalHeaderVerifierOptions,
  'maxTtlMs' | 'clockSkewMs' | 'seenIds' | 'now'
>;

export interface SubgraphServerOptions<C extends SubgraphContext> {
  name: string;
  typeDefs: DocumentNode;
  /** Resolver maps of the service's modules; maps for the same type are merged. */
  resolvers: Record<string, object>[];
  logger: Logger;
  /** Shared with the gateway; requests without a header signed by it are refused. */
  internalSecret: string;
  /**
   * How the principal header is checked beyond its signature: longest lifetime, clock skew, where used
   * ids are remembered (defaults: `INTERNAL_HEADER_DEFAULTS`, a bounded set in this process).
   */
  internalHeader?: InternalHeaderChecks;
  /** How long a request may run at most, and the clock its deadline is read with (see request-deadline.ts). */
  deadline?: DeadlineOptions;
  /** Resolves when the service can do its work (database answers); throws otherwise. */
  readiness: () => Promise<void>;
  /** Adds per-request state (data loaders) to the base context. */
  buildContext: (base: SubgraphContext) => C;
}

export type SubgraphServer = ServerHandle;

/** Merges the resolver maps of several modules (`Query` from each, and so on). */
export function mergeResolvers(maps: Record<string, object>[]): GraphQLResolverMap<unknown> {
  const merged: Record<string, object> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      merged[typeName] =
        typeName in merged && !(fields instanceof GraphQLScalarType)
          ? { ...merged[typeName], ...fields }
          : fields;
    }
  }
  return merged as GraphQLResolverMap<unknown>;
}

/** FerretDB on PostgreSQL answers a NUL in a document or filter with this PostgreSQL error. */
const isNulRefusedByEngine = (error: unknown): boolean => {
  for (
    let cause = error as { message?: unknown; originalError?: unknown } | undefined, i = 0;
    cause && i < 5;
    i++
  ) {
    if (typeof cause.message === 'string' && cause.message.includes('unsupported Unicode escape sequence'))
      return true;
    cause = cause.originalError as typeof cause;
  }
  return false;
};

/** A query the deadline stopped: refused before it was sent, or abandoned by the engine (MaxTimeMSExpired). */
const isStoppedByDeadline = (error: unknown): boolean => {
  for (
    let cause = error as { code?: unknown; originalError?: unknown } | undefined, i = 0;
    cause && i < 5;
    i++
  ) {
    if (cause instanceof DeadlineExceededError || cause.code === 50) return true;
    cause = cause.originalError as typeof cause;
  }
  return false;
};

/** Hides unexpected failures behind a stable code; their detail goes to the log only. */
export function maskUnexpected(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? '');
    if (isKnownErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
    if (isStoppedByDeadline(error)) {
      return {
        message: 'The request deadline passed before the work was done',
        path: formatted.path,
        extensions: { code: ErrorCode.DEADLINE_EXCEEDED },
      };
    }
    if (isNulRefusedByEngine(error)) {
      // A NUL (U+0000) in a lookup value or a text no rule checked: the embedded engine's PostgreSQL
      // refuses it before reading or writing anything. The caller's input, not a failure.
      logger.warn({ path: formatted.path }, 'NUL character refused by the engine');
      return {
        message: 'Text with a NUL character (U+0000) is not accepted',
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      };
    }
    logger.error({ err: error, path: formatted.path }, 'unexpected resolver failure');
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/**
 * Builds a subgraph's HTTP server: the federation schema behind `/graphql` (signed principal required),
 * `/health/live` and `/health/ready`, request ids in every log line, graceful drain on close.
 */
export async function createSubgraphServer<C extends SubgraphContext>(
  options: SubgraphServerOptions<C>,
): Promise<SubgraphServer> {
  const { logger } = options;
  const { app, httpServer } = createHttpApp();
  const apollo = new ApolloServer<C>({
    schema: buildSubgraphSchema([
      {
        typeDefs: options.typeDefs,
        resolvers: mergeResolvers([{ Date: DateScalar, DateTime: DateTimeScalar }, ...options.resolvers]),
      },
    ]),
    plugins: [
      ...drainPlugins<C>(httpServer),
      requestLogPlugin<C>(),
      operationResolutionPlugin<C>(),
      deadlinePlugin<C>(),
    ],
    includeStacktraceInErrorResponses: false,
    // Signals belong to withShutdown (main.ts). Apollo's own handler (on when NODE_ENV is not `test`,
    // so under `npm start` and in production) calls stop() as well, and a second concurrent stop()
    // never returns (Apollo does not resolve its stop barrier on success): the drain hit its deadline.
    stopOnTerminationSignals: false,
    formatError: maskUnexpected(logger),
  });
  await apollo.start();

  mountHealthRoutes(app, {
    service: options.name,
    readiness: async () => {
      try {
        await options.readiness();
        return { ready: true };
      } catch (error) {
        // The detail (which may name hosts) goes to the log, not to whoever asks.
        logger.warn({ err: error }, 'not ready');
        return { ready: false, detail: { reason: 'a dependency is not answering' } };
      }
    },
  });

  const verifier = new PrincipalHeaderVerifier({
    ...options.internalHeader,
    secret: options.internalSecret,
    audience: options.name,
  });
  const refuse = (res: Response, requestId: string, error: InternalHeaderError) => {
    const status = error.reason === 'REPLAY_GUARD_FULL' ? 503 : 401;
    res.status(status).json({
      errors: [
        {
          message: `this service only answers the gateway: ${error.message}`,
          extensions: { code: ErrorCode.UNAUTHENTICATED, reason: error.reason },
        },
      ],
    });
    logger.warn(
      { requestId, reason: error.reason, detail: error.message },
      'refused request without a valid gateway signature',
    );
  };

  app.use(
    '/graphql',
    requestIdMiddleware(),
    express.json({
      limit: '1mb',
      // The principal header is bound to the body's digest: keep the bytes as they came.
      verify: (_req, res, raw) => {
        (res as Response).locals.rawBody = raw;
      },
    }),
    requireJsonBody(logger),
    async (req: Request, res: Response, next: NextFunction) => {
      const requestId: string = res.locals.requestId;
      try {
        const raw: Buffer = res.locals.rawBody ?? Buffer.alloc(0);
        const signed = await verifier.verify(req.header(PRINCIPAL_HEADER), raw);
        res.locals.signed = signed;
        res.locals.requestId = signed.requestId || requestId;
        res.locals.deadline = requestDeadline(signed.deadline, res, options.deadline);
        // Everything the request runs from here (resolvers, loaders, queries) is bounded by its deadline.
        withDeadline(res.locals.deadline, next);
      } catch (error) {
        if (error instanceof InternalHeaderError) return refuse(res, requestId, error);
        next(error);
      }
    },
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const requestId: string = res.locals.requestId;
        return options.buildContext({
          principal: res.locals.signed.principal,
          requestId,
          logger: requestLogger(logger, requestId),
          deadline: res.locals.deadline,
        });
      },
    }),
  );
  app.use(notFoundHandler());
  app.use(jsonErrorHandler(logger));

  return {
    listen: (port, host) => listenOn(httpServer, port, host),
    close: () => apollo.stop(),
  };
}
