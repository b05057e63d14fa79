// The HTTP server skeleton (Fastify): request ids, structured logs, the OPCP error body for every
// failure, metrics, and the route modules of the components (registered in the order of the one
// route table, src/app/routes.ts). Components never create servers or routes elsewhere.

import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { RandomSource } from '../app/runtime.ts';
import type { AppConfig } from '../config/fields.ts';
import { errorBody, sendError } from './errors.ts';
import { type LeanRoute, leanServerFactory } from './lean-routes.ts';
import type { Logger } from './logger.ts';
import { type HttpMetrics, UNMATCHED_ROUTE } from './metrics.ts';
import { type OpenApiOptions, PLATFORM_MODULE, registerOpenApi, tagModuleRoutes } from './openapi.ts';
import { REQUEST_ID_HEADER, requestIdGenerator } from './request-id.ts';

export { REQUEST_ID_HEADER } from './request-id.ts';

/**
 * A component's HTTP adapter: it adds its routes (with their JSON schemas), content-type parsers and
 * hooks to `app`, an encapsulated Fastify scope of its own (hooks do not leak into other modules).
 * The logic behind the routes lives in the component's service, without Fastify types
 * (architecture-practices §3.2).
 */
export interface RouteModule {
  readonly name: string;
  register(app: FastifyInstance): void | Promise<void>;
  /**
   * Hot routes answered in front of Fastify on node:http's own objects (./lean-routes.ts, D-096).
   * Each stands in front of a Fastify route of this module with the same behaviour, which serves
   * app.inject(), the OpenAPI document and every request the lean route leaves to Fastify.
   */
  readonly leanRoutes?: readonly LeanRoute[];
}

export interface HttpServerDeps {
  readonly config: Pick<AppConfig, 'bodyLimit' | 'trustProxy' | 'requestTimeoutMs'>;
  readonly logger: Logger;
  readonly metrics: HttpMetrics;
  readonly routes: readonly RouteModule[];
  /** Source of generated request ids. */
  readonly random: RandomSource;
  /** info and servers of the OpenAPI document at GET /openapi.json (./openapi.ts). */
  readonly openapi?: OpenApiOptions;
}

/** Builds the server with every route module registered; `ready()` has run, `listen()` has not. */
export async function buildHttpServer(deps: HttpServerDeps): Promise<FastifyInstance> {
  const names = new Set<string>();
  for (const module of deps.routes) {
    if (names.has(module.name)) throw new Error(`route module '${module.name}' listed twice`);
    names.add(module.name);
  }

  // One generator for Fastify's routes and the lean ones: ids from one pool of random bytes.
  const requestId = requestIdGenerator(deps.random);
  const leanRoutes = deps.routes.flatMap((module) => module.leanRoutes ?? []);
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.config.bodyLimit,
    trustProxy: deps.config.trustProxy,
    requestTimeout: deps.config.requestTimeoutMs,
    // Ids come from genReqId (validated client id or random), logged as traceId like the error body.
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'traceId' }),
    genReqId: requestId,
    ...(leanRoutes.length === 0
      ? {}
      : {
          serverFactory: leanServerFactory(leanRoutes, {
            logger: deps.logger,
            metrics: deps.metrics,
            requestId,
          }),
        }),
    // Errors Fastify raises before routing (malformed URL, ...) get the same body as all others.
    frameworkErrors: (error, request, reply) => {
      sendError(error, request, reply);
    },
  }) as unknown as FastifyInstance;

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.requestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((error, request: FastifyRequest, reply: FastifyReply) =>
    sendError(error, request, reply),
  );
  app.setNotFoundHandler((request, reply) => {
    // The path only: a query string may carry tokens, and the body should not echo much input.
    const path = request.url.split('?')[0] ?? '';
    const shown = path.length > 200 ? `${path.slice(0, 200)}...` : path;
    request.log.info({ status: 404 }, 'no route');
    return reply.code(404).send(errorBody(`no route for ${request.method} ${shown}`, request.id));
  });

  // Before any route: @fastify/swagger must see every route of every module (docs/openapi.md).
  await registerOpenApi(app, deps.openapi);

  const metricsSchema = {
    summary: 'Prometheus metrics',
    tags: [PLATFORM_MODULE],
    produces: ['text/plain'],
    response: { 200: { description: 'Prometheus text exposition format', type: 'string' } },
  };
  app.get('/metrics', { logLevel: 'warn', schema: metricsSchema }, async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });

  for (const module of deps.routes) {
    await app.register(async (scope) => {
      tagModuleRoutes(scope, module.name);
      await module.register(scope);
    });
  }
  await app.ready();
  return app;
}
