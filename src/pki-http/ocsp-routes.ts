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
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../errors/app-error.ts';
import { classifyError } from '../http/errors.ts';
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

export interface OcspRoutesDeps {
  readonly responder: Pick<OcspResponderService, 'answer'>;
  readonly clock: { now(): Date };
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

function errorAnswer(status: OcspErrorStatus, reason: string): OcspAnswer {
  return { der: ocspErrorResponse(status), status, cached: false, reason };
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: OcspAnswer,
  options: { get: boolean; now: Date; httpStatus?: number },
): FastifyReply {
  if (answer.status !== 'successful') {
    const fields = { ocspStatus: answer.status, reason: answer.reason };
    if (answer.status === 'internalError' || answer.status === 'tryLater') {
      request.log.error({ ...fields, err: answer.error }, 'OCSP request failed');
    } else {
      request.log.info(fields, 'OCSP request refused');
    }
  }
  reply.code(options.httpStatus ?? 200).type(OCSP_CONTENT_TYPE);
  if (options.get && answer.validity !== undefined) {
    // RFC 5019 §6.2: caching headers for GET responses (not for POST, not for nonce responses).
    const { thisUpdate, nextUpdate } = answer.validity;
    const maxAge = Math.max(0, Math.floor((nextUpdate.getTime() - options.now.getTime()) / 1000));
    reply.header('cache-control', `max-age=${maxAge}, public, no-transform, must-revalidate`);
    reply.header('last-modified', thisUpdate.toUTCString());
    reply.header('expires', nextUpdate.toUTCString());
    reply.header('etag', `"${createHash('sha256').update(answer.der).digest('hex')}"`);
  } else {
    reply.header('cache-control', 'no-store');
  }
  return reply.send(Buffer.from(answer.der.buffer, answer.der.byteOffset, answer.der.byteLength));
}

/** Route module: POST /ocsp, POST /ocsp/, GET /ocsp/{base64}. */
export function ocspRoutes(deps: OcspRoutesDeps): RouteModule {
  return {
    name: 'ocsp',
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
      // HTTP-level failures (body too large, aborted upload) still answer in OCSP's own format.
      app.setErrorHandler((error, request, reply) => {
        const classified = classifyError(error);
        const httpStatus = classified.serverError ? 500 : classified.status;
        const answer = {
          ...errorAnswer(classified.serverError ? 'internalError' : 'malformedRequest', classified.message),
          error,
        };
        return send(request, reply, answer, { get: false, now: deps.clock.now(), httpStatus });
      });

      const post = async (request: FastifyRequest, reply: FastifyReply) => {
        const raw = bodyBytes(request.body);
        // Only a body that starts with two hex digits can be CitrineOS hex; a DER request (0x30 and
        // a length octet) almost never does, so the common case skips the text scan.
        const der = startsWithHex(raw) ? (decodeHexOcspBody(raw) ?? raw) : raw;
        const answer = await deps.responder.answer(der);
        return send(request, reply, answer, { get: false, now: deps.clock.now() });
      };
      // High-volume, public and repetitive: per-request lines only at warn and above.
      app.post(OCSP_PATH, { logLevel: 'warn' }, post);
      app.post(`${OCSP_PATH}/`, { logLevel: 'warn' }, post);
      app.get(`${OCSP_PATH}/*`, { logLevel: 'warn' }, async (request, reply) => {
        // The raw URL, not the decoded wildcard: decodeOcspGetPath repairs the encodings itself.
        const rawPath = request.url.split('?')[0] ?? '';
        let der: Uint8Array;
        try {
          der = decodeOcspGetPath(rawPath.slice(OCSP_PATH.length + 1));
        } catch (error) {
          if (!isAppError(error)) throw error;
          return send(request, reply, errorAnswer('malformedRequest', error.message), {
            get: true,
            now: deps.clock.now(),
          });
        }
        return send(request, reply, await deps.responder.answer(der), { get: true, now: deps.clock.now() });
      });
    },
  };
}
