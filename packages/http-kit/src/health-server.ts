import { createHttpApp } from './http-app';
import { notFoundHandler } from './error-handler';
import { mountHealthRoutes, type Readiness } from './health-routes';
import { listenOn, type ServerHandle } from './listen-on';

/**
 * `/health/live` and `/health/ready` alone, for a process that serves no other HTTP (a worker), so an
 * orchestrator can tell whether it can do its work. `listen` resolves with the bound port.
 */
export function createHealthServer(options: {
  service: string;
  readiness: () => Promise<Readiness>;
}): ServerHandle {
  const { app, httpServer } = createHttpApp();
  mountHealthRoutes(app, options);
  app.use(notFoundHandler());
  return {
    listen: (port, host) => listenOn(httpServer, port, host),
    close: () =>
      new Promise<void>((resolve, reject) => {
        httpServer.closeAllConnections();
        httpServer.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A readiness check from named dependency checks (`mongodb`, `redis`…): ready when every check
 * resolves; the body lists each as `up` or `down`, so a probe's answer names what is missing.
 */
export function dependencyReadiness(
  checks: Record<string, () => Promise<unknown>>,
): () => Promise<Readiness> {
  return async () => {
    const states = await Promise.all(
      Object.entries(checks).map(([name, check]) =>
        check().then(
          () => [name, 'up'] as const,
          () => [name, 'down'] as const,
        ),
      ),
    );
    return {
      ready: states.every(([, state]) => state === 'up'),
      detail: { dependencies: Object.fromEntries(states) },
    };
  };
}
