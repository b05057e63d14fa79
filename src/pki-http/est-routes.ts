// HTTP binding of EST (RFC 7030) for every path form of the interop.md §1.6 compatibility matrix
// (src/pki/est estPathMatrix): `/.well-known/est/{ca}/…`, `/.well-known/{ca}/…`, `/est/{ca}/…`,
// `/{ca}/…`, the RFC 7030 default-CA forms and OPNC's `/opnc/v1/pki/est/{op}?caDomain&iso15118Version`.
//
// Fastify routes cover the shapes (wildcards under the fixed prefixes; `/:label/simpleenroll[/*]` and
// `/:label/cacerts[/*]` for the bare form), and resolveEstPath decides on the whole URL; what it does
// not resolve, or resolves to the other method, gets the platform's 404. cacerts (GET) is public
// (RFC 7030 §4.1.1: "SHOULD NOT require client authentication or authorization"); simpleenroll
// (POST) needs a token of CPO, MO, OEM or CPS (the label then narrows it, ./est-service.ts).
// Success: 200 (not 201: CitrineOS), `application/pkcs7-mime; smime-type=certs-only`,
// `Content-Transfer-Encoding: base64`, base64 wrapped at 76 characters. Failures: the OPCP error body.

import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Auth } from '../auth/index.ts';
import { principalOf } from '../auth/index.ts';
import type { RouteModule } from '../http/server.ts';
import {
  EST_CERTS_RESPONSE_HEADERS,
  EST_MAX_BODY_BYTES,
  type EstRoute,
  resolveEstPath,
} from '../pki/est/index.ts';
import { EST_ENROLL_ROLES, type EstService } from './est-service.ts';

export interface EstRoutesDeps {
  readonly est: Pick<EstService, 'cacerts' | 'simpleenroll'>;
  readonly auth: Pick<Auth, 'requireAuth'>;
}

/** URL shapes that can hold an EST path; resolveEstPath has the last word. */
export const EST_ROUTE_PATTERNS: readonly string[] = [
  '/.well-known/*',
  '/est/*',
  '/opnc/v1/pki/est/*',
  '/:label/simpleenroll',
  '/:label/simpleenroll/*',
  '/:label/cacerts',
  '/:label/cacerts/*',
];

export function estRoutes(deps: EstRoutesDeps): RouteModule {
  return {
    name: 'est',
    register(app) {
      // EST bodies are base64 text under application/pkcs10 (or anything else clients send):
      // parseEstCsrBody checks the media type and the bytes itself.
      app.removeAllContentTypeParsers();
      app.addContentTypeParser(
        '*',
        { parseAs: 'buffer', bodyLimit: EST_MAX_BODY_BYTES },
        (_req, body, done) => {
          done(null, body);
        },
      );

      const resolved = new WeakMap<FastifyRequest, EstRoute>();
      const resolve: onRequestAsyncHookHandler = async (request, reply) => {
        const route = resolveEstPath(request.url);
        const method = request.method === 'HEAD' ? 'GET' : request.method;
        if (route === undefined || route.method !== method) {
          reply.callNotFound();
          return reply;
        }
        resolved.set(request, route);
      };
      const routeOf = (request: FastifyRequest): EstRoute => {
        const route = resolved.get(request);
        if (route === undefined) throw new Error('EST route not resolved');
        return route;
      };
      const sendCerts = (reply: FastifyReply, body: string) =>
        reply.code(200).headers(EST_CERTS_RESPONSE_HEADERS).send(body);

      const requireEnrollRole: onRequestAsyncHookHandler = deps.auth.requireAuth({ roles: EST_ENROLL_ROLES });
      for (const url of EST_ROUTE_PATTERNS) {
        app.get(url, { onRequest: [resolve] }, async (request, reply) =>
          sendCerts(reply, await deps.est.cacerts(routeOf(request))),
        );
        // Resolve first: an unknown path is 404 for everyone, not 401 for the anonymous; both before
        // the body is read.
        app.post(url, { onRequest: [resolve, requireEnrollRole] }, async (request, reply) => {
          const header = request.headers['content-type'];
          const body = await deps.est.simpleenroll({
            route: routeOf(request),
            principal: principalOf(request),
            body: (request.body as Uint8Array | undefined) ?? new Uint8Array(0),
            contentType: Array.isArray(header) ? header[0] : header,
          });
          return sendCerts(reply, body);
        });
      }
    },
  };
}
