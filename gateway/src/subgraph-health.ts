import type { Express, Request, Response } from 'express';
import type { Readiness } from '@ies/http-kit';

export type SubgraphState = 'ready' | 'not ready' | 'down';
export type SubgraphStates = Record<string, SubgraphState>;

/** Asks each subgraph's `/health/ready`; a subgraph that does not answer in time is `down`. */
export async function checkSubgraphs(
  urls: Record<string, string>,
  timeoutMs: number,
): Promise<SubgraphStates> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      const healthUrl = new URL('/health/ready', url).toString();
      try {
        const response = await fetch(healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
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
 * its subgraphs' state. A subgraph that is down costs only its own fields (null, with a
 * SUBGRAPH_UNAVAILABLE error), so it must not take the gateway out of rotation; the body still says
 * how each subgraph is.
 */
export function gatewayReadiness(serving: boolean, subgraphs: SubgraphStates): Readiness {
  return { ready: serving, detail: { subgraphs } };
}

/**
 * `/health/subgraphs`, for dashboards and alerts: 200 `{ status: 'ok', subgraphs }` when every
 * subgraph is ready, 503 `{ status: 'degraded', subgraphs }` when any is `not ready` or `down`.
 */
export function mountSubgraphHealthRoute(app: Express, check: () => Promise<SubgraphStates>): void {
  app.get('/health/subgraphs', async (_req: Request, res: Response) => {
    const subgraphs = await check();
    const ok = allSubgraphsReady(subgraphs);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', service: 'gateway', subgraphs });
  });
}
