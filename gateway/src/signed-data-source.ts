import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { ErrorCode, badUserInput, subgraphUnavailable } from '@ies/errors';
import { PRINCIPAL_HEADER, signPrincipalHeader } from '@ies/auth';
import { REQUEST_ID_HEADER } from '@ies/logger';
import type { GatewayContext } from './gateway-context';

/**
 * Calls one subgraph with the caller's principal signed in the internal header and the request id
 * attached, giving up after the configured timeout.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly serviceName: string,
    url: string,
    secret: string,
    timeoutMs: number,
  ) {
    super({
      url,
      fetcher: ((input: string, init?: RequestInit) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never,
      willSendRequest: ({ request, context }) => {
        if (!context.principal) return;
        request.http!.headers.set(REQUEST_ID_HEADER, context.requestId);
        request.http!.headers.set(
          PRINCIPAL_HEADER,
          signPrincipalHeader(context.principal, context.requestId, secret),
        );
      },
    });
  }

  /** A subgraph that cannot be reached (down, timed out) is a typed error naming it, not a gateway failure. */
  override didEncounterError(error: Error, _request: unknown, response?: unknown): void {
    if (response === undefined) {
      throw subgraphUnavailable(this.serviceName, error.message);
    }
    throw error;
  }

  /**
   * A subgraph answers 400 with BAD_USER_INPUT when a variable fails its scalar (an impossible Date):
   * pass that on as the caller's error instead of a gateway failure.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]) {
    const error = await super.errorFromResponse(response);
    const body = (
      error.extensions.response as {
        body?: { errors?: { message: string; extensions?: { code?: string } }[] };
      }
    )?.body;
    const first = typeof body === 'object' ? body?.errors?.[0] : undefined;
    if (response.status === 400 && first?.extensions?.code === ErrorCode.BAD_USER_INPUT) {
      return badUserInput(first.message);
    }
    return error;
  }
}
