export { createHttpApp, drainPlugins } from './http-app';
export { jsonErrorHandler, notFoundHandler, requireJsonBody } from './error-handler';
export { mountHealthRoutes, type Readiness } from './health-routes';
export { createHealthServer, dependencyReadiness } from './health-server';
export { listenOn, type ServerHandle } from './listen-on';
export { operationResolutionPlugin } from './operation-resolution-plugin';
export { requestIdMiddleware } from './request-id';
export { requestLogPlugin } from './request-log-plugin';
export { withShutdown } from './with-shutdown';
