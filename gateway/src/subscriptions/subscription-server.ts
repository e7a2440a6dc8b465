import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { JwtVerifier, Principal } from '@ies/auth';
import { ErrorCode, persistedQueryNotAllowed, unauthenticated } from '@ies/errors';
import { requestLogger, type Logger } from '@ies/logger';
import type { GatewayContext } from '../gateway-context';
import { limitExceeded, type OperationLimits } from '../operation-limits';
import { measureOperation } from '../operation-measure';
import { operationId, type TrustedDocuments } from '../trusted-documents/manifest';
import {
  trustedDocumentVerdict,
  type TrustedDocumentsMode,
} from '../trusted-documents/trusted-documents-plugin';
import { authenticateConnection } from './connection-auth';
import { ConnectionCounter } from './connection-counter';
import type { EventHub } from './event-hub';
import { maySubscribe } from './event-scope';
import { maskErrors } from './mask-errors';
import {
  buildSubscriptionSchema,
  type SubscriptionContext,
  type SupergraphExecutor,
} from './subscription-schema';

/** A validation error without graphql-js's "Did you mean …?" (as Apollo's hideSchemaDetailsFromClientErrors). */
const withoutSuggestions = (error: GraphQLError): GraphQLError =>
  new GraphQLError(error.message.replace(/ ?Did you mean (.+)\?$/, ''), {
    nodes: error.nodes,
    extensions: error.extensions,
  });

export interface SubscriptionLimits {
  SUBSCRIPTIONS_PER_CONNECTION: number;
  SUBSCRIPTION_CONNECTIONS_PER_PRINCIPAL: number;
  SUBSCRIPTION_MAX_PENDING_EVENTS: number;
}

export interface SubscriptionServerOptions {
  httpServer: Server;
  /** The supergraph's API schema, as the gateway loaded it. */
  apiSchema: GraphQLSchema;
  /** The gateway's own Apollo Server: every event's subject is read through it. */
  apollo: ApolloServer<GatewayContext>;
  verifier: JwtVerifier;
  /** Deadline of each read of a payload through the gateway, as of an HTTP request (`OPERATION_TIMEOUT_MS`). */
  readTimeoutMs: number;
  /** Tolerated on a token's `exp`, as over HTTP (`JWT_CLOCK_SKEW_S`). */
  clockSkewSeconds: number;
  /** Resolves once the stream reader knows where it starts: connections are acknowledged after it. */
  streamReady: Promise<void>;
  hub: EventHub;
  limits: SubscriptionLimits;
  /** The manifest and mode the gateway applies to queries, applied to subscription documents too. */
  trustedDocuments: { documents: TrustedDocuments; mode: TrustedDocumentsMode };
  /** Rules beyond graphql-js's own, as the gateway applies to queries (depth…). */
  validationRules: readonly ValidationRule[];
  /** The limits HTTP operations have (tokens, aliases, root fields, cost per role): the same here. */
  operationLimits: OperationLimits & { maxTokens: number };
  /** Validation errors without "Did you mean …?" suggestions (see schema-exposure.ts). */
  hideSchemaDetails: boolean;
  logger: Logger;
}

/** The WebSocket close code of a connection over its principal's limit (RFC 6455 "policy violation"). */
export const POLICY_VIOLATION = 1008;

interface Connection {
  id: string;
  principal: Principal;
  logger: Logger;
  expiry: NodeJS.Timeout | null;
}

/**
 * graphql-ws on the gateway's `/graphql` (ADR 0020): the same HTTP server upgrades WebSocket requests.
 * The JWT comes in `connection_init` (`{ authorization: "Bearer …" }`); an invalid one closes the socket
 * with 4403, as does the token's expiry later. Only subscriptions are served; their payloads are read
 * through the supergraph with the subscriber's principal.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): { dispose(): Promise<void> } {
  const { limits, logger } = options;
  // Aborted on dispose: reads of payloads in flight stop with the gateway.
  const stopping = new AbortController();
  const log = logger.child({ module: 'subscriptions' });
  const { schema, fieldResolver } = buildSubscriptionSchema(options.apiSchema, {
    hub: options.hub,
    execute: executorOf(options.apollo, options.readTimeoutMs, stopping.signal),
    maxPendingEvents: limits.SUBSCRIPTION_MAX_PENDING_EVENTS,
  });
  const rules = [...specifiedRules, ...options.validationRules];
  const connections = new WeakMap<object, Connection>();
  const perPrincipal = new ConnectionCounter(limits.SUBSCRIPTION_CONNECTIONS_PER_PRINCIPAL);

  const wss = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const server = useServer<Record<string, unknown>>(
    {
      schema,
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        const auth = await authenticateConnection(ctx.connectionParams, options.verifier);
        if (!auth.accepted) {
          log.warn({ reason: auth.reason }, 'refused subscription token');
          return false;
        }
        // Events published from the acknowledgement on reach the subscriber (Redis down: it waits).
        await options.streamReady;
        // The client may have gone meanwhile: then there is nothing to count.
        if (socket.readyState !== WebSocket.OPEN) return false;
        const { principal } = auth;
        if (!perPrincipal.take(principal.subject)) {
          log.warn(
            { subject: principal.subject },
            'refused subscription connection: too many for this principal',
          );
          socket.close(POLICY_VIOLATION, 'Too many connections for this principal');
          return false;
        }
        const id = randomUUID();
        // The token's life ends the connection too, with the clock skew HTTP requests are allowed.
        const expiry =
          auth.expiresAt === null
            ? null
            : setTimeout(
                () => socket.close(CloseCode.Forbidden, 'Forbidden: token expired'),
                auth.expiresAt + options.clockSkewSeconds * 1000 - Date.now(),
              );
        expiry?.unref();
        const connectionLogger = requestLogger(log, id).child({ role: principal.role });
        connections.set(socket, { id, principal, logger: connectionLogger, expiry });
        connectionLogger.info('subscription connection opened');
        return true;
      },
      onClose: (ctx, code) => {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return;
        connections.delete(ctx.extra.socket);
        if (connection.expiry) clearTimeout(connection.expiry);
        perPrincipal.give(connection.principal.subject);
        connection.logger.info({ code }, 'subscription connection closed');
      },
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        const connection = connections.get(ctx.extra.socket)!;
        if (!maySubscribe(connection.principal)) {
          return [
            unauthenticated(
              'Subscriptions need a token: send { authorization: "Bearer <token>" } in connection_init',
            ),
          ];
        }
        if (Object.keys(ctx.subscriptions).length > limits.SUBSCRIPTIONS_PER_CONNECTION) {
          return [
            new GraphQLError(`At most ${limits.SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`, {
              extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS },
            }),
          ];
        }
        const verdict = trustedDocumentVerdict(
          options.trustedDocuments.mode,
          options.trustedDocuments.documents.has(operationId(payload.query)),
          connection.principal.role,
        );
        if (verdict !== 'run') {
          const detail = { operationName: payload.operationName, role: connection.principal.role };
          if (verdict === 'refuse') {
            connection.logger.warn(detail, 'refused subscription outside the trusted documents');
            return [persistedQueryNotAllowed()];
          }
          connection.logger.warn(detail, 'subscription outside the trusted documents');
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: options.operationLimits.maxTokens });
        } catch (error) {
          return [codedError(error, 'GRAPHQL_PARSE_FAILED')];
        }
        const invalid = validate(schema, document, rules);
        if (invalid.length > 0)
          return invalid.map((e) =>
            codedError(options.hideSchemaDetails ? withoutSuggestions(e) : e, 'GRAPHQL_VALIDATION_FAILED'),
          );
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [badRequest('The document names no single operation to run')];
        if (operation.operation !== 'subscription') {
          return [
            badRequest('Only subscriptions are served over WebSocket; send queries and mutations over HTTP'),
          ];
        }
        // The same limits as an HTTP operation (aliases, root fields, cost for the subscriber's role).
        const coerced = getVariableValues(
          schema,
          operation.variableDefinitions ?? [],
          payload.variables ?? {},
        );
        // Values that do not fit their variables' types are the caller's error, as over HTTP.
        if (coerced.errors)
          return coerced.errors.map((e) =>
            codedError(options.hideSchemaDetails ? withoutSuggestions(e) : e, ErrorCode.BAD_USER_INPUT),
          );
        const measure = measureOperation(
          document,
          operation,
          schema,
          coerced.coerced,
          options.operationLimits,
        );
        const overLimit = limitExceeded(measure, connection.principal.role, options.operationLimits);
        if (overLimit) {
          connection.logger.warn(
            { ...measure, role: connection.principal.role },
            'subscription over a limit',
          );
          return [overLimit];
        }
        const contextValue: SubscriptionContext = {
          principal: connection.principal,
          logger: connection.logger,
          variables: payload.variables ?? {},
        };
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue,
          fieldResolver,
        };
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        if (!result.errors) return undefined;
        const connectionLogger = connections.get(ctx.extra.socket)?.logger ?? log;
        return { ...result, errors: maskErrors(result.errors, connectionLogger) };
      },
      onError: (ctx, _id, _payload, errors) => {
        const connectionLogger = connections.get(ctx.extra.socket)?.logger ?? log;
        return maskErrors(errors, connectionLogger);
      },
    },
    wss,
  );

  return {
    /** Completes every subscription, closes every socket (1001, going away), then the server. */
    async dispose() {
      options.hub.close();
      stopping.abort();
      // Ending the queues completes every waiting subscription within this turn's microtasks: let their
      // `complete` messages go out before the sockets close.
      await new Promise((resolve) => setImmediate(resolve));
      await server.dispose();
    },
  };
}

/** Reads through the gateway's own Apollo Server, so every access rule and the signed principal apply. */
function executorOf(
  apollo: ApolloServer<GatewayContext>,
  timeoutMs: number,
  signal: AbortSignal,
): SupergraphExecutor {
  return async (request, context) => {
    const requestId = randomUUID();
    const response = await apollo.executeOperation(request, {
      contextValue: {
        deadline: Date.now() + timeoutMs,
        signal,
        principal: context.principal,
        requestId,
        logger: context.logger.child({ requestId }),
        subscriptionPayload: true,
      },
    });
    if (response.body.kind !== 'single') throw new Error('an entity query answered incrementally');
    return response.body.singleResult as Awaited<ReturnType<SupergraphExecutor>>;
  };
}

const codedError = (error: unknown, code: string) => {
  const original = error instanceof GraphQLError ? error : new GraphQLError(String(error));
  return new GraphQLError(original.message, { nodes: original.nodes, extensions: { code } });
};

const badRequest = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_REQUEST } });
