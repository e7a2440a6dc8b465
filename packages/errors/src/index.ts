export { ErrorCode, GRAPHQL_BUILTIN_CODES, isKnownErrorCode } from './error-code';
export {
  badUserInput,
  conflict,
  deadlineExceeded,
  forbidden,
  internalServerError,
  notFound,
  operationLimitExceeded,
  persistedQueryNotAllowed,
  subgraphUnavailable,
  unauthenticated,
} from './graphql-errors';
export { mutationError, type MutationError, type MutationErrorCode } from './mutation-error';
