import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { internalServerError, isKnownErrorCode } from '@ies/errors';
import type { Logger } from '@ies/logger';

/**
 * What a subscriber sees of errors: ours and graphql-js's by their code (validation and parse errors
 * carry one), anything else as INTERNAL_SERVER_ERROR with the detail in the log only, as over HTTP.
 */
export function maskErrors(errors: readonly (GraphQLError | GraphQLFormattedError)[], logger: Logger) {
  return errors.map((error): GraphQLFormattedError => {
    const formatted = 'toJSON' in error ? error.toJSON() : error;
    if (isKnownErrorCode(formatted.extensions?.code)) {
      const { response: _response, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: error }, 'subscription failed unexpectedly');
    return { ...internalServerError().toJSON(), ...(formatted.path ? { path: formatted.path } : {}) };
  });
}
