import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Principal } from '@ies/auth';
import type { Logger } from '@ies/logger';

/** A server built by one of our builders: listens on a port (0 = any free one), drains on close. */
export interface ServerHandle {
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** Starts listening and resolves with the bound port. */
export function listenOn(httpServer: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve((httpServer.address() as AddressInfo).port));
  });
}

/** One log line per GraphQL request: operation, role, error count, duration (with the request id). */
export function requestLogPlugin<
  C extends { logger: Logger; principal?: Principal },
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
