import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-code';

export const unauthenticated = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });

export const forbidden = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });

export const badUserInput = (message: string, field?: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) } });

export const notFound = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });

export const conflict = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });

/** A subgraph the gateway could not reach; `serviceName` lets clients tell which part is missing. */
export const subgraphUnavailable = (serviceName: string, detail: string) =>
  new GraphQLError(`The ${serviceName} service is unavailable: ${detail}`, {
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName },
  });

/** What callers see of an unexpected failure; the detail goes to the log only. */
export const internalServerError = (message = 'Internal server error') =>
  new GraphQLError(message, { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });

/** An operation over one of the gateway's limits, refused with 400 before any subgraph is called. */
export const operationLimitExceeded = (
  code:
    | typeof ErrorCode.OPERATION_TOO_COSTLY
    | typeof ErrorCode.TOO_MANY_ALIASES
    | typeof ErrorCode.TOO_MANY_ROOT_FIELDS,
  message: string,
  measure: { limit: number; actual: number },
) => new GraphQLError(message, { extensions: { code, ...measure, http: { status: 400 } } });

/**
 * Work refused or stopped because the request's deadline passed (or its caller went away). `status` is
 * the HTTP status when the whole request is refused (a subgraph answers 504 to a request that arrives
 * too late); a field stopped mid-operation carries none.
 */
export const deadlineExceeded = (
  message = 'The request deadline passed before the work was done',
  status?: number,
) =>
  new GraphQLError(message, {
    extensions: { code: ErrorCode.DEADLINE_EXCEEDED, ...(status ? { http: { status } } : {}) },
  });

/** An operation outside the trusted documents manifest, from a caller who may only run those (HTTP 403). */
export const persistedQueryNotAllowed = () =>
  new GraphQLError(
    'Only operations of the trusted documents manifest are accepted: send a listed operation or its id',
    { extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_ALLOWED, http: { status: 403 } } },
  );
