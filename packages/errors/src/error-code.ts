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
  CONFLICT: 'CONFLICT',
  /** Set by the gateway when a subgraph cannot be reached (down, timed out). */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /**
   * Refusals of the HTTP request itself, answered with a 4xx before any GraphQL runs: a body that is not
   * JSON (or not a JSON object), an unknown or ambiguous operation, a subscription over HTTP (400), a body
   * over the size limit (413), a content type, charset or encoding we do not read (415), a path that is
   * not served (404, as NOT_FOUND).
   */
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /**
   * Operation limits, checked by the gateway before any subgraph is called (HTTP 400): the operation's
   * cost over the caller's role limit, more aliased fields or more root fields than allowed. A document
   * over the token limit is refused while parsing, as GRAPHQL_PARSE_FAILED.
   */
  OPERATION_TOO_COSTLY: 'OPERATION_TOO_COSTLY',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  TOO_MANY_ROOT_FIELDS: 'TOO_MANY_ROOT_FIELDS',
  /** The request's deadline passed: a subgraph stopped (or never started) the work its caller gave up on. */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /**
   * The gateway refuses an operation outside the trusted documents manifest (403) when it requires
   * them; the ministry's tools are exempt.
   */
  PERSISTED_QUERY_NOT_ALLOWED: 'PERSISTED_QUERY_NOT_ALLOWED',
  /**
   * The caller (principal or IP) spent its requests for the window (429 with `Retry-After`); or, as a
   * GraphQL error with `extensions.retryAfterSeconds`, a replay to a webhook endpoint whose backlog is
   * full.
   */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * Subscriptions (graphql-ws at the gateway): a connection asking for more subscriptions at once than
   * allowed, and a subscription ended because its subscriber fell too many events behind.
   */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  SUBSCRIBER_TOO_SLOW: 'SUBSCRIBER_TOO_SLOW',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes Apollo Server and graphql-js produce themselves; they reach callers unmasked. */
export const GRAPHQL_BUILTIN_CODES = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
] as const;

const KNOWN_CODES = new Set<string>([...Object.values(ErrorCode), ...GRAPHQL_BUILTIN_CODES]);

/** Whether a code is one of ours or Apollo's (anything else is an unexpected failure to mask). */
export const isKnownErrorCode = (code: unknown): boolean => typeof code === 'string' && KNOWN_CODES.has(code);
