import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@ies/logger';

/** One log line per GraphQL request: operation, role, error count, duration (with the request id). */
export function requestLogPlugin<
  C extends { logger: Logger; principal?: { role: string } },
>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, errors, response }) {
          const body = response.body;
          const executionErrors = body.kind === 'single' ? (body.singleResult.errors?.length ?? 0) : 0;
          contextValue.logger?.info(
            {
              operationName,
              role: contextValue.principal?.role,
              errors: (errors?.length ?? 0) + executionErrors,
              ms: Number(process.hrtime.bigint() - started) / 1e6,
            },
            'graphql request',
          );
        },
      };
    },
  };
}
