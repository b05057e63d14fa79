// Lean routes: a few hot, public routes answered on node:http's own request and response objects,
// in front of Fastify (D-096). Fastify's per-request work — the request and reply objects, a pino
// child logger, routing, the content-type parser, four hooks, reply serialisation — costs ~25 µs of
// CPU per request on top of node:http; for the OCSP responder (thousands of requests per second
// per core, RFC 5019 §6) that is as much as the whole answer.
//
// The platform keeps what it gives every other route: the request id (same generator, echoed in
// x-request-id and bound as traceId in logs), the request duration histogram (same labels, the
// route pattern of the Fastify route it stands in front of), the route's log level, and the OPCP
// error body for a handler that throws. A lean route decides from the method, URL and headers alone
// (before any body byte is read) whether it answers a request; everything else goes to Fastify,
// which keeps the same routes registered for app.inject(), OpenAPI and every request the lean route
// leaves alone.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LevelWithSilent } from 'pino';
import { classifyError, errorBody } from './errors.ts';
import type { Logger } from './logger.ts';
import type { HttpMetrics } from './metrics.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

/** One request taken by a lean route. */
export interface LeanExchange {
  /** The request id (x-request-id): a safe client token or a random UUID, as for Fastify routes. */
  readonly id: string;
  /** The logger of this request: traceId bound, at the route's level (made on first use). */
  log(): Logger;
  /**
   * Answers with `x-request-id` and content-length added, and records the request in the metrics.
   * Once only; later calls are ignored.
   */
  send(statusCode: number, headers: Readonly<Record<string, string>>, body: Buffer): void;
}

export interface LeanRoute {
  /**
   * The Fastify route pattern (as registered, e.g. `/ocsp/*`) of a request this route answers
   * itself, or undefined to leave the request to Fastify. Must not read the body.
   */
  match(request: IncomingMessage): string | undefined;
  /** Answers the request through `exchange.send`; a throw or rejection gets the OPCP error body. */
  handle(request: IncomingMessage, exchange: LeanExchange): void | Promise<void>;
  /** Level of the request's logger, like Fastify's route option logLevel (default: the logger's). */
  readonly logLevel?: LevelWithSilent;
}

export interface LeanPlatform {
  readonly logger: Logger;
  readonly metrics: HttpMetrics;
  readonly requestId: (request: IncomingMessage) => string;
}

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

class Exchange implements LeanExchange {
  readonly id: string;
  readonly #request: IncomingMessage;
  readonly #response: ServerResponse;
  readonly #route: string;
  readonly #logLevel: LevelWithSilent | undefined;
  readonly #platform: LeanPlatform;
  readonly #started: number;
  #logger: Logger | undefined;
  #sent = false;

  constructor(
    request: IncomingMessage,
    response: ServerResponse,
    route: string,
    logLevel: LevelWithSilent | undefined,
    platform: LeanPlatform,
  ) {
    this.#started = performance.now();
    this.id = platform.requestId(request);
    this.#request = request;
    this.#response = response;
    this.#route = route;
    this.#logLevel = logLevel;
    this.#platform = platform;
  }

  log(): Logger {
    // The same bindings as Fastify's request logger (requestIdLogLabel traceId, src/http/server.ts).
    this.#logger ??= this.#platform.logger.child(
      { traceId: this.id },
      this.#logLevel === undefined ? {} : { level: this.#logLevel },
    );
    return this.#logger;
  }

  send(statusCode: number, headers: Readonly<Record<string, string>>, body: Buffer): void {
    if (this.#sent) return;
    this.#sent = true;
    const response = this.#response;
    if (response.destroyed) return;
    response.writeHead(statusCode, {
      [REQUEST_ID_HEADER]: this.id,
      ...headers,
      'content-length': String(body.byteLength),
    });
    response.end(body);
    // Fastify observes in onResponse, once the answer is flushed; here it is queued: the same
    // figure but for the socket write.
    this.#platform.metrics.requestDuration.observe(
      { method: this.#request.method ?? '', route: this.#route, status_code: String(statusCode) },
      (performance.now() - this.#started) / 1000,
    );
  }

  /** A handler failure: the platform's answer to any unexpected throw (src/http/errors.ts). */
  fail(error: unknown): void {
    if (this.#sent || this.#response.headersSent) {
      this.#response.destroy();
      return;
    }
    const classified = classifyError(error);
    this.log().error({ err: error, code: classified.code, status: classified.status }, 'request failed');
    const body = Buffer.from(JSON.stringify(errorBody(classified.message, this.id)));
    this.send(classified.status, { 'content-type': 'application/json; charset=utf-8' }, body);
  }
}

/**
 * The request handler of the server: each lean route in turn may take the request, else Fastify's
 * handler gets it.
 */
export function leanDispatcher(
  routes: readonly LeanRoute[],
  platform: LeanPlatform,
  fastify: RequestHandler,
): RequestHandler {
  return (request, response) => {
    for (const route of routes) {
      const pattern = route.match(request);
      if (pattern === undefined) continue;
      const exchange = new Exchange(request, response, pattern, route.logLevel, platform);
      try {
        const done = route.handle(request, exchange);
        if (done !== undefined) done.catch((error: unknown) => exchange.fail(error));
      } catch (error) {
        exchange.fail(error);
      }
      return;
    }
    fastify(request, response);
  };
}

/**
 * Fastify's serverFactory: the node:http server Fastify would create itself (fastify lib/server.js
 * getServerInstance, HTTP/1.1 branch: the same timeouts and limits), with the lean routes in front.
 */
export function leanServerFactory(
  routes: readonly LeanRoute[],
  platform: LeanPlatform,
): (handler: RequestHandler, options: Record<string, unknown>) => Server {
  // `options` are Fastify's, defaults applied (fastify lib/config-validator.js).
  const numberOf = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  return (handler, options) => {
    const http = typeof options.http === 'object' && options.http !== null ? options.http : {};
    const server = createServer(http, leanDispatcher(routes, platform, handler));
    const keepAliveTimeout = numberOf(options.keepAliveTimeout);
    const requestTimeout = numberOf(options.requestTimeout);
    const maxRequestsPerSocket = numberOf(options.maxRequestsPerSocket) ?? 0;
    if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout;
    if (requestTimeout !== undefined) server.requestTimeout = requestTimeout;
    server.setTimeout(numberOf(options.connectionTimeout) ?? 0);
    // Fastify treats 0 as Node's default and does not pass it on.
    if (maxRequestsPerSocket > 0) server.maxRequestsPerSocket = maxRequestsPerSocket;
    return server;
  };
}
