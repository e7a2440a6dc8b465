import { AsyncLocalStorage } from 'node:async_hooks';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, badUserInput, deadlineExceeded, subgraphUnavailable } from '@ies/errors';
import { PRINCIPAL_HEADER, signPrincipalHeader, type Principal } from '@ies/auth';
import { REQUEST_ID_HEADER } from '@ies/logger';
import type { GatewayContext } from './gateway-context';
import { fetchDeadline, signedDeadline } from './request-deadline';
import { SubgraphFetcher, type SubgraphRequestInit } from './subgraph-fetcher';

export interface SignedDataSourceOptions {
  /** The subgraph's name: the audience its principal headers are signed for. */
  serviceName: string;
  url: string;
  secret: string;
  timeoutMs: number;
  /** Lifetime of each principal header. */
  headerTtlMs: number;
}

/** The caller on whose behalf the current subgraph fetch runs (set around each `process`). */
const caller = new AsyncLocalStorage<{
  principal: Principal;
  requestId: string;
  /** The request's deadline (epoch ms) and whether its caller is still there. */
  deadline: number;
  signal: AbortSignal;
}>();

/**
 * Calls one subgraph with the caller's principal signed in the internal header and the request id
 * attached, giving up after the configured timeout. The header is signed in the fetcher, where the
 * body is final, so it binds this subgraph, this body, a few seconds of life, a single-use id and the
 * fetch's deadline: the timeout from now, never past the request's own deadline, less a margin
 * (`signedDeadline`). The fetch is aborted at the deadline itself or when the caller goes away; the
 * subgraph, which reads the earlier deadline from the header, stops its work at its next check and its
 * partial answer (DEADLINE_EXCEEDED fields) still reaches the caller; when the caller has gone it sees
 * the connection close.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly serviceName: string;

  constructor(options: SignedDataSourceOptions) {
    const fetcher = new SubgraphFetcher({ serviceName: options.serviceName });
    super({
      url: options.url,
      // RemoteGraphQLDataSource gives the fetcher plain headers and the body as the string it sends.
      // Over node:http with a keep-alive agent of this data source's own, not the global fetch (see
      // subgraph-fetcher.ts).
      fetcher: ((input: string, init: SubgraphRequestInit) => {
        const signing = caller.getStore();
        const headers: Record<string, string> = { ...init.headers };
        if (!signing || typeof init.body !== 'string') {
          return fetcher.fetch(input, { ...init, headers }, { timeoutMs: options.timeoutMs });
        }
        const now = Date.now();
        const deadline = fetchDeadline(now, options.timeoutMs, signing.deadline);
        if (deadline === null) {
          return Promise.reject(
            deadlineExceeded(
              `The request deadline passed before the ${options.serviceName} service was called`,
            ),
          );
        }
        headers[PRINCIPAL_HEADER] = signPrincipalHeader(
          {
            principal: signing.principal,
            requestId: signing.requestId,
            audience: options.serviceName,
            body: init.body,
            // Earlier than the abort below, so the subgraph's partial answer arrives in time.
            deadline: signedDeadline(now, deadline),
          },
          options.secret,
          { ttlMs: options.headerTtlMs, now },
        );
        return fetcher.fetch(
          input,
          { ...init, headers },
          { timeoutMs: deadline - now, signal: signing.signal },
        );
      }) as never,
      willSendRequest: ({ request, context }) => {
        if (!context.principal) return;
        request.http!.headers.set(REQUEST_ID_HEADER, context.requestId);
      },
    });
    this.serviceName = options.serviceName;
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const { principal, requestId, deadline, signal } = options.context;
    if (!principal) return super.process(options);
    return caller.run({ principal, requestId, deadline, signal }, () => super.process(options));
  }

  /** A subgraph that cannot be reached (down, timed out) is a typed error naming it, not a gateway failure. */
  override didEncounterError(error: Error, _request: unknown, response?: unknown): void {
    if (error instanceof GraphQLError && error.extensions.code === ErrorCode.DEADLINE_EXCEEDED) throw error;
    if (response === undefined) {
      throw subgraphUnavailable(this.serviceName, error.message);
    }
    throw error;
  }

  /**
   * A subgraph answers 400 with BAD_USER_INPUT when a variable fails its scalar (an impossible Date), and
   * with GRAPHQL_VALIDATION_FAILED when a literal does (`period(asOf: "2023-02-30")`, `fixed: 1.5`): the
   * supergraph knows custom scalars only by name, so the gateway validated the document without them and
   * only the subgraph can tell. Both are the caller's error: pass them on as BAD_USER_INPUT. Any other
   * failure is SUBGRAPH_UNAVAILABLE naming the service.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]) {
    const error = await super.errorFromResponse(response);
    const body = (
      error.extensions.response as {
        body?: { errors?: { message: string; extensions?: { code?: string } }[] };
      }
    )?.body;
    const first = typeof body === 'object' ? body?.errors?.[0] : undefined;
    const code = first?.extensions?.code;
    if (
      first &&
      response.status === 400 &&
      (code === ErrorCode.BAD_USER_INPUT || code === 'GRAPHQL_VALIDATION_FAILED')
    ) {
      return badUserInput(first.message);
    }
    // The subgraph received the request after its deadline (a slow hop): the caller's time ran out.
    if (first && code === ErrorCode.DEADLINE_EXCEEDED) {
      return deadlineExceeded(`The request deadline passed before the ${this.serviceName} service answered`);
    }
    // The subgraph's address, status and body are for the log (subgraphFailureLogPlugin), not callers.
    return new GraphQLError(`The ${this.serviceName} service is unavailable`, {
      extensions: {
        code: ErrorCode.SUBGRAPH_UNAVAILABLE,
        serviceName: this.serviceName,
        response: error.extensions.response,
      },
    });
  }
}

/** Logs, with the request id, what a failing subgraph answered (its address, status and body). */
export function subgraphFailureLogPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const response = error.extensions?.response;
            if (response === undefined) continue;
            contextValue.logger?.warn(
              { serviceName: error.extensions.serviceName, response },
              'subgraph answered with a failure',
            );
          }
        },
      };
    },
  };
}

/** Removes the subgraph's response (an internal address, status and body) from errors sent to callers. */
export function stripSubgraphResponse(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('response' in formatted.extensions)) return formatted;
  const { response: _response, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
