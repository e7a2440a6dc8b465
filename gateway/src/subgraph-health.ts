import type { Express, Request, Response } from 'express';
import type { Readiness } from '@ies/http-kit';

/** `unknown` until the health poller's first round has an answer. */
export type SubgraphState = 'ready' | 'not ready' | 'down' | 'unknown';
export type SubgraphStates = Record<string, SubgraphState>;
/** Whether the gateway's Redis (rate limits, queue board, subscriptions) answers a PING. */
export type RedisState = 'ready' | 'down' | 'unknown';

/** What the gateway last learnt of what it depends on (see health-poller.ts). */
export interface DependencyStates {
  subgraphs: SubgraphStates;
  redis: RedisState;
}

/** Asks each subgraph's `/health/ready`; a subgraph that does not answer in time is `down`. */
export async function checkSubgraphs(
  urls: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<SubgraphStates> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      const healthUrl = new URL('/health/ready', url).toString();
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        const response = await fetch(healthUrl, {
          signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
        });
        await response.body?.cancel();
        return [name, response.ok ? 'ready' : 'not ready'] as const;
      } catch {
        return [name, 'down'] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** Every subgraph answers its own readiness: the whole supergraph can be served. */
export const allSubgraphsReady = (states: SubgraphStates): boolean =>
  Object.values(states).every((state) => state === 'ready');

/**
 * The gateway's readiness: it can serve (supergraph loaded, server started, not draining), whatever
 * its subgraphs' and Redis's state. A subgraph that is down costs only its own fields (null, with a
 * SUBGRAPH_UNAVAILABLE error), and Redis down only suspends rate limits, so neither takes the gateway
 * out of rotation; the body says how each was at the last poll.
 */
export function gatewayReadiness(serving: boolean, dependencies: DependencyStates): Readiness {
  return { ready: serving, detail: { subgraphs: dependencies.subgraphs, redis: dependencies.redis } };
}

/**
 * `/health/subgraphs`, for dashboards and alerts, from the poller's last round: 200 `{ status: 'ok',
 * subgraphs, redis }` when every subgraph is ready, 503 `{ status: 'degraded', … }` when any is
 * `not ready`, `down` or not yet known.
 */
export function mountSubgraphHealthRoute(app: Express, current: () => DependencyStates): void {
  app.get('/health/subgraphs', (_req: Request, res: Response) => {
    const { subgraphs, redis } = current();
    const ok = allSubgraphsReady(subgraphs);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', service: 'gateway', subgraphs, redis });
  });
}
