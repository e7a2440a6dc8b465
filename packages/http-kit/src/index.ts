export { createHttpApp, drainPlugins } from './http-app';
export { mountHealthRoutes, type Readiness } from './health-routes';
export { listenOn, type ServerHandle } from './listen-on';
export { requestIdMiddleware } from './request-id';
export { requestLogPlugin } from './request-log-plugin';
export { withShutdown } from './with-shutdown';
