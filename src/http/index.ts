// Public surface of the HTTP component.
export { classifyError, type ErrorBody, errorBody, INTERNAL_ERROR_MESSAGE, sendError } from './errors.ts';
export { type HealthBody, type HealthDeps, healthRoutes } from './health.ts';
export { createLogger, type LogDestination, type Logger, REDACTED, redactSecrets } from './logger.ts';
export { createMetrics, type HttpMetrics } from './metrics.ts';
export { buildHttpServer, type HttpServerDeps, REQUEST_ID_HEADER, type RouteModule } from './server.ts';
