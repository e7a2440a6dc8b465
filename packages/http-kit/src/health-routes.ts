import type { Express, Request, Response } from 'express';

export interface Readiness {
  ready: boolean;
  /** Extra fields of the `/health/ready` body (the gateway's `subgraphs`, a subgraph's `reason`). */
  detail?: Record<string, unknown>;
}

/**
 * `/health/live` (the process answers: `{ status: 'ok', service }`) and `/health/ready`
 * (`{ status: 'ready' | 'not ready', service, ...detail }`, 503 when not ready).
 */
export function mountHealthRoutes(
  app: Express,
  options: { service: string; readiness: () => Promise<Readiness> },
): void {
  const { service } = options;
  app.get('/health/live', (_req: Request, res: Response) => {
    res.json({ status: 'ok', service });
  });
  app.get('/health/ready', async (_req: Request, res: Response) => {
    const { ready, detail } = await options.readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service, ...detail });
  });
}
