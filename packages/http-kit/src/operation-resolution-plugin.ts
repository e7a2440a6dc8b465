import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@ies/errors';

const refuse = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } });

/**
 * Refuses with 400 BAD_REQUEST, before execution, what the caller got wrong about which operation to
 * run: an `operationName` the document does not define, several operations and no `operationName`, and
 * a subscription (served over no HTTP transport of ours). Apollo Server leaves these to the executor;
 * behind the gateway that answers HTTP 500.
 */
export function operationResolutionPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, document }) {
          if (!operation) {
            const name = request.operationName;
            if (name) throw refuse(`Unknown operation named "${name}"`);
            const count = document.definitions.filter((d) => d.kind === 'OperationDefinition').length;
            throw refuse(
              count > 1
                ? 'Must provide operationName when the document contains several operations'
                : 'The document contains no operation',
            );
          }
          if (operation.operation === 'subscription') {
            throw refuse('Subscriptions are not served over HTTP');
          }
        },
      };
    },
  };
}
