// HTTP binding of the OCSP responder (RFC 6960 Appendix A.1) at `<publicUrl>/ocsp`:
//
//   POST /ocsp           body = DER OCSPRequest (Content-Type application/ocsp-request; any other or
//                        none is accepted too), or its ASCII hex (CitrineOS, interop.md §1.1)
//   GET  /ocsp/{base64}  url-encoded base64 of the DER request (sloppy encodings repaired,
//                        src/pki/ocsp get-path.ts)
//
// Every answer is `application/ocsp-response`. Requests that reach the responder get HTTP 200 with
// the OCSP responseStatus, also malformedRequest / unauthorized / tryLater / internalError: RFC 6960
// A.1 leaves the HTTP status open, and OpenSSL's client reads no body of a non-200 answer (it
// reports "code=400" only; D-030). Only HTTP-level
// refusals keep an HTTP error status, still with an OCSP body: 413 for a body over the limit, 404 /
// 405-style misses fall through to the platform's 404. GET answers without a nonce carry the
// RFC 5019 §6.2 caching headers. Public: OCSP status is public information (no auth).

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { errorCodes, type FastifyReply, type FastifyRequest } from 'fastify';
import { isAppError } from '../errors/app-error.ts';
import { classifyError } from '../http/errors.ts';
import type { LeanExchange, LeanRoute } from '../http/lean-routes.ts';
import type { RouteModule } from '../http/server.ts';
import {
  decodeHexOcspBody,
  decodeOcspGetPath,
  OCSP_MAX_REQUEST_BYTES,
  type OcspErrorStatus,
  ocspErrorResponse,
} from '../pki/ocsp/index.ts';
import type { OcspAnswer, OcspResponderService } from './ocsp-responder.ts';

export const OCSP_PATH = '/ocsp';
export const OCSP_CONTENT_TYPE = 'application/ocsp-response';
const OCSP_REQUEST_TYPE = 'application/ocsp-request';
/** A hex body (CitrineOS) is twice the DER plus whitespace. */
export const OCSP_BODY_LIMIT = OCSP_MAX_REQUEST_BYTES * 2 + 1024;
/** High-volume, public and repetitive: per-request log lines only at warn and above. */
const OCSP_LOG_LEVEL = 'warn';

export interface OcspRoutesDeps {
  readonly responder: Pick<OcspResponderService, 'answer'>;
  readonly clock: { now(): Date };
}

/** What both paths (Fastify route, lean route) log with: the request's logger. */
interface RequestLog {
  info(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/** An answer in HTTP terms, the same for the Fastify route and the lean route. */
interface OcspHttpReply {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

function bodyBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new Uint8Array(Buffer.from(body, 'latin1'));
  return new Uint8Array(0);
}

function isHexDigit(b: number | undefined): boolean {
  return (
    b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66))
  );
}

function startsWithHex(body: Uint8Array): boolean {
  let i = 0;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09))
    i++;
  return isHexDigit(body[i]) && isHexDigit(body[i + 1]);
}

/** The DER request of a POST body: the body itself, or its CitrineOS hex form decoded. */
function postedDer(raw: Uint8Array): Uint8Array {
  // Only a body that starts with two hex digits can be CitrineOS hex; a DER request (0x30 and a
  // length octet) almost never does, so the common case skips the text scan.
  return startsWithHex(raw) ? (decodeHexOcspBody(raw) ?? raw) : raw;
}

function errorAnswer(status: OcspErrorStatus, reason: string): OcspAnswer {
  return { der: ocspErrorResponse(status), status, cached: false, reason };
}

/** Logs refusals and failures (never request bytes) and builds the HTTP answer. */
function httpReply(
  log: RequestLog,
  answer: OcspAnswer,
  options: { get: boolean; now: Date; httpStatus?: number },
): OcspHttpReply {
  if (answer.status !== 'successful') {
    const fields = { ocspStatus: answer.status, reason: answer.reason };
    if (answer.status === 'internalError' || answer.status === 'tryLater') {
      log.error({ ...fields, err: answer.error }, 'OCSP request failed');
    } else {
      log.info(fields, 'OCSP request refused');
    }
  }
  const body = Buffer.from(answer.der.buffer, answer.der.byteOffset, answer.der.byteLength);
  const statusCode = options.httpStatus ?? 200;
  if (options.get && answer.validity !== undefined) {
    // RFC 5019 §6.2: caching headers for GET responses (not for POST, not for nonce responses).
    const { thisUpdate, nextUpdate } = answer.validity;
    const maxAge = Math.max(0, Math.floor((nextUpdate.getTime() - options.now.getTime()) / 1000));
    return {
      statusCode,
      headers: {
        'content-type': OCSP_CONTENT_TYPE,
        'cache-control': `max-age=${maxAge}, public, no-transform, must-revalidate`,
        'last-modified': thisUpdate.toUTCString(),
        expires: nextUpdate.toUTCString(),
        etag: `"${createHash('sha256').update(answer.der).digest('hex')}"`,
      },
      body,
    };
  }
  return { statusCode, headers: POST_HEADERS, body };
}

const POST_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': OCSP_CONTENT_TYPE,
  'cache-control': 'no-store',
});

/**
 * HTTP-level failures (body too large, aborted upload, wrong Content-Length) still answer in OCSP's
 * own format, with the HTTP status of the failure and the connection closed (the client may still
 * be sending; Fastify's content-type parser does the same).
 */
function httpErrorReply(log: RequestLog, error: unknown, now: Date): OcspHttpReply {
  const classified = classifyError(error);
  const httpStatus = classified.serverError ? 500 : classified.status;
  const answer = {
    ...errorAnswer(classified.serverError ? 'internalError' : 'malformedRequest', classified.message),
    error,
  };
  return httpReply(log, answer, { get: false, now, httpStatus });
}

/** The DER request of a GET path (after `/ocsp/`), or the malformedRequest answer. */
function getRequestDer(rawUrl: string): { der: Uint8Array } | { refused: OcspAnswer } {
  // The raw URL, not a decoded wildcard: decodeOcspGetPath repairs the encodings itself.
  const rawPath = rawUrl.split('?')[0] ?? '';
  try {
    return { der: decodeOcspGetPath(rawPath.slice(OCSP_PATH.length + 1)) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { refused: errorAnswer('malformedRequest', error.message) };
  }
}

function sendFastify(reply: FastifyReply, answer: OcspHttpReply): FastifyReply {
  return reply.code(answer.statusCode).headers(answer.headers).send(answer.body);
}

// --- the lean route in front of Fastify (D-096) ----------------------------------------------------

/** Content types the lean route takes: Fastify's catch-all parser takes them alike. */
const LEAN_CONTENT_TYPES = new Set([OCSP_REQUEST_TYPE, 'application/octet-stream', 'text/plain']);
/** A GET path of url-encoded base64 (RFC 5019 §5, RFC 4648 §4 and §5 alphabets), nothing else. */
const LEAN_GET_PATH =
  /^\/ocsp\/(?:[A-Za-z0-9+=_-]|%(?:2[bBfF]|3[dD]))(?:[A-Za-z0-9+/=_-]|%(?:2[bBfF]|3[dD]))*$/;

/**
 * Which Fastify route a request would reach, when it is one of the plain requests the lean route
 * answers exactly as that route does: POST /ocsp or /ocsp/ with a Content-Length within the limit
 * and a content type the catch-all parser takes; GET /ocsp/{url-encoded base64} without a body or
 * query. Anything else (HEAD, other methods, chunked or oversized bodies, unusual content types,
 * query strings, other characters) goes to Fastify, whose answers for those stay the reference.
 */
function leanMatch(request: IncomingMessage): string | undefined {
  const { method, url, headers } = request;
  if (url === undefined || headers['transfer-encoding'] !== undefined) return undefined;
  if (method === 'POST') {
    if (url !== OCSP_PATH && url !== `${OCSP_PATH}/`) return undefined;
    const type = headers['content-type'];
    if (type !== undefined && !LEAN_CONTENT_TYPES.has(type)) return undefined;
    const length = headers['content-length'];
    if (length === undefined || !(Number(length) <= OCSP_BODY_LIMIT)) return undefined;
    return url;
  }
  if (method === 'GET') {
    const length = headers['content-length'];
    if (length !== undefined && length !== '0') return undefined;
    return LEAN_GET_PATH.test(url) ? `${OCSP_PATH}/*` : undefined;
  }
  return undefined;
}

/** The request's logger, made only when something is logged (a pino child costs a few µs). */
function lazyLog(exchange: LeanExchange): RequestLog {
  return {
    info: (object, message) => exchange.log().info(object, message),
    error: (object, message) => exchange.log().error(object, message),
  };
}

function leanSend(exchange: LeanExchange, reply: OcspHttpReply, close = false): void {
  exchange.send(
    reply.statusCode,
    close ? { ...reply.headers, connection: 'close' } : reply.headers,
    reply.body,
  );
}

function leanRoute(deps: OcspRoutesDeps): LeanRoute {
  // A throw while answering gets what the Fastify scope's error handler gives it: an OCSP
  // internalError with HTTP 500, logged.
  const handlerFailed = (exchange: LeanExchange, error: unknown): void => {
    leanSend(exchange, httpErrorReply(lazyLog(exchange), error, deps.clock.now()));
  };
  const answerPost = async (exchange: LeanExchange, raw: Buffer): Promise<void> => {
    const answer = await deps.responder.answer(postedDer(raw));
    leanSend(exchange, httpReply(lazyLog(exchange), answer, { get: false, now: deps.clock.now() }));
  };
  const answerGet = async (exchange: LeanExchange, url: string): Promise<void> => {
    const decoded = getRequestDer(url);
    const answer = 'der' in decoded ? await deps.responder.answer(decoded.der) : decoded.refused;
    leanSend(exchange, httpReply(lazyLog(exchange), answer, { get: true, now: deps.clock.now() }));
  };
  return {
    match: leanMatch,
    logLevel: OCSP_LOG_LEVEL,
    handle(request, exchange) {
      if (request.method === 'GET') {
        answerGet(exchange, request.url as string).catch((error: unknown) => handlerFailed(exchange, error));
        return;
      }
      const expected = Number(request.headers['content-length']);
      const chunks: Buffer[] = [];
      let received = 0;
      // Body failures close the connection, as Fastify's content-type parser does (the client may
      // still be sending).
      const fail = (error: unknown): void => {
        request.removeListener('data', onData);
        leanSend(exchange, httpErrorReply(lazyLog(exchange), error, deps.clock.now()), true);
      };
      const onData = (chunk: Buffer): void => {
        chunks.push(chunk);
        received += chunk.byteLength;
      };
      request.on('data', onData);
      request.once('error', (error: Error & { statusCode?: number }) => {
        // As Fastify's raw-body reader: a stream error is a client error (400) unless it says more.
        if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
        fail(error);
      });
      request.once('end', () => {
        if (received !== expected) {
          fail(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
          return;
        }
        // A copy, as Fastify makes: the parsed request may be kept (ocsp-responder.ts #parse), and
        // must not hold a view of the socket's read buffer.
        answerPost(exchange, Buffer.concat(chunks, received)).catch((error: unknown) =>
          handlerFailed(exchange, error),
        );
      });
    },
  };
}

/** Route module: POST /ocsp, POST /ocsp/, GET /ocsp/{base64}; a lean route in front of them. */
export function ocspRoutes(deps: OcspRoutesDeps): RouteModule {
  return {
    name: 'ocsp',
    leanRoutes: [leanRoute(deps)],
    register(app) {
      // Raw bytes whatever the Content-Type (clients send application/ocsp-request, text/plain for
      // hex, or nothing); nothing else is parsed in this scope.
      app.removeAllContentTypeParsers();
      const raw = (_req: unknown, body: string | Buffer, done: (err: null, body: unknown) => void) => {
        done(null, body);
      };
      // The catch-all parses the Content-Type header of every request anew; the type real clients
      // send is named too, so Fastify finds its parser in its cache by the header text.
      app.addContentTypeParser(OCSP_REQUEST_TYPE, { parseAs: 'buffer', bodyLimit: OCSP_BODY_LIMIT }, raw);
      app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: OCSP_BODY_LIMIT }, raw);
      app.setErrorHandler((error, request, reply) =>
        sendFastify(reply, httpErrorReply(request.log, error, deps.clock.now())),
      );

      const post = async (request: FastifyRequest, reply: FastifyReply) => {
        const answer = await deps.responder.answer(postedDer(bodyBytes(request.body)));
        return sendFastify(reply, httpReply(request.log, answer, { get: false, now: deps.clock.now() }));
      };
      app.post(OCSP_PATH, { logLevel: OCSP_LOG_LEVEL }, post);
      app.post(`${OCSP_PATH}/`, { logLevel: OCSP_LOG_LEVEL }, post);
      app.get(`${OCSP_PATH}/*`, { logLevel: OCSP_LOG_LEVEL }, async (request, reply) => {
        const decoded = getRequestDer(request.url);
        const answer = 'der' in decoded ? await deps.responder.answer(decoded.der) : decoded.refused;
        return sendFastify(reply, httpReply(request.log, answer, { get: true, now: deps.clock.now() }));
      });
    },
  };
}
