import pino from 'pino';
import type { Logger } from '@ies/logger';
import type { TestAuth } from '@ies/testkit';
import { loadGatewayConfig } from '../src/config';
import { createGatewayServer } from '../src/server';

export interface InProcessGateway {
  /** `http://127.0.0.1:<port>`: health endpoints. */
  url: string;
  /** `<url>/graphql`. */
  graphqlUrl: string;
  /** What the gateway logged, parsed (empty when the caller gave its own logger). */
  lines: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A logger at `info` that keeps every line, parsed. */
export function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** Every subgraph URL at a port nothing listens on: each read through the gateway fails as SUBGRAPH_UNAVAILABLE. */
export const UNREACHABLE_SUBGRAPHS: Record<string, string> = Object.fromEntries(
  ['CATCHMENTS_URL', 'CONTRACTS_URL', 'CLIENTS_URL', 'DISPUTES_URL'].map((name) => [
    name,
    'http://127.0.0.1:9/graphql',
  ]),
);

/**
 * A gateway in this process, on a port the OS chose, configured like the real one from `env` (with the
 * test's keys and secret). Without subgraph URLs in `env` it calls none; what the gateway answers alone
 * (`__typename`, introspection, validation, limits) needs none.
 */
export async function startGateway(
  auth: TestAuth,
  env: Record<string, string> = {},
  ownLogger?: Logger,
): Promise<InProcessGateway> {
  const captured = capturedLogger();
  const logger = ownLogger ?? captured.logger;
  const config = loadGatewayConfig({
    JWT_PUBLIC_KEY: auth.keys.publicKeyPem,
    JWT_ISSUER: auth.settings.issuer,
    JWT_AUDIENCE: auth.settings.audience,
    INTERNAL_SIGNING_SECRET: auth.internalSecret,
    ...env,
  });
  const server = await createGatewayServer(config, logger);
  const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  return { url, graphqlUrl: `${url}/graphql`, lines: captured.lines, close: () => server.close() };
}

/** A raw JSON POST to the gateway: status and JSON answer. */
export async function postJson(url: string, body: object, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: any }[] },
  };
}

/**
 * `/health/subgraphs` once `done` holds of its body. The gateway answers it at once from its background
 * poller (HEALTH_POLL_INTERVAL_MS), so a change (a subgraph stopped) shows after the next round: asked
 * again until then, within the test's timeout.
 */
export async function healthWhen(gatewayUrl: string, done: (body: any) => boolean): Promise<any> {
  for (;;) {
    const body = await (await fetch(`${gatewayUrl}/health/subgraphs`)).json();
    if (done(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
