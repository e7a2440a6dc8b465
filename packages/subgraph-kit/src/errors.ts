import { GraphQLError } from 'graphql';

/**
 * The catalogue of `extensions.code` values our servers throw. Clients branch on these, never on
 * messages. Expected business outcomes of mutations are not thrown: they are payload data
 * (see mutation-error.ts).
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const unauthenticated = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });

export const forbidden = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });

export const badUserInput = (message: string, field?: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) } });

export const notFound = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });
