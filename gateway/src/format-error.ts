import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '@ies/errors';
import { stripSubgraphResponse } from './signed-data-source';

/** The HTTP status Apollo Server answers an error of its own with, if it set one. */
const httpStatusOf = (error: unknown): number | undefined => {
  if (!(error instanceof GraphQLError)) return undefined;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
};

/**
 * Apollo Server refuses some requests with a 4xx and no code (an APQ hash that does not match its query,
 * an unsupported persisted query version), which its formatting then codes INTERNAL_SERVER_ERROR: the
 * caller's mistake, answered as the server's. Such an error is BAD_REQUEST; the HTTP status stays.
 */
export function codeClientErrors(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return formatted;
  const status = httpStatusOf(error);
  if (status === undefined || status < 400 || status >= 500) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_REQUEST } };
}

/** The gateway's `formatError`: client errors coded as such, subgraph internals removed. */
export const formatGatewayError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError =>
  stripSubgraphResponse(codeClientErrors(formatted, error));
