// The HTTP edge of the error model (architecture-practices §3.7, docs/errors.md): every failure
// leaves the server as the OPCP error body
//
//   { "errorMessages": [string], "traceId": string }
//
// with the status of the AppError kind (httpStatusFor). Fastify's own client errors (validation,
// malformed or empty JSON, body too large, unsupported media type, ...) keep their 4xx status and
// message. Server-side failures, known (AppError of kind Internal / Unavailable) or not (any other
// throw), get a generic message: details and stacks go to the log only, under the same traceId.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpStatusFor, isAppError } from '../errors/app-error.ts';

export interface ErrorBody {
  readonly errorMessages: readonly string[];
  readonly traceId: string;
}

export interface ClassifiedError {
  readonly status: number;
  /** What the client sees. */
  readonly message: string;
  /** The AppError code, or Fastify's FST_ code, for the log. */
  readonly code: string | undefined;
  /** A server-side failure: logged at error level with the stack. */
  readonly serverError: boolean;
}

export const INTERNAL_ERROR_MESSAGE = 'internal error';
export const UNAVAILABLE_MESSAGE = 'service unavailable, retry later';

function genericFor(status: number): string {
  return status === 503 ? UNAVAILABLE_MESSAGE : INTERNAL_ERROR_MESSAGE;
}

/** Fastify's own request errors: an `FST_` code with a 4xx status (messages are fixed texts). */
function fastifyClientError(error: unknown): { status: number; code: string; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode, message } = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) return undefined;
  return { status: statusCode, code, message: typeof message === 'string' ? message : 'bad request' };
}

export function classifyError(error: unknown): ClassifiedError {
  if (isAppError(error)) {
    const status = httpStatusFor(error.kind);
    if (status >= 500) return { status, message: genericFor(status), code: error.code, serverError: true };
    return { status, message: error.message, code: error.code, serverError: false };
  }
  const client = fastifyClientError(error);
  if (client !== undefined) return { ...client, serverError: false };
  return { status: 500, message: INTERNAL_ERROR_MESSAGE, code: undefined, serverError: true };
}

export function errorBody(message: string, traceId: string): ErrorBody {
  return { errorMessages: [message], traceId };
}

/** Logs the error (without secrets; see ./logger.ts) and sends the OPCP error body. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const classified = classifyError(error);
  if (classified.serverError) {
    request.log.error({ err: error, code: classified.code, status: classified.status }, 'request failed');
  } else {
    request.log.info(
      { code: classified.code, status: classified.status, reason: classified.message },
      'request refused',
    );
  }
  return reply
    .code(classified.status)
    .type('application/json; charset=utf-8')
    .send(errorBody(classified.message, request.id));
}
