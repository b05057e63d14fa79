// OPNC `revokeCertificate` over HTTP (pki.api.v1.revokeCert.json). OPNC's PKI server is
// `/opnc/v1/pki` and the path `/pki/revokeCertificate`, so the spec's URL repeats the prefix
// (spec-gaps.md item 1: "strip duplicated prefixes"); spec-gaps.md item 33: "implement OPNC's
// operation under both trees". Served at:
//
//   POST /opnc/v1/pki/pki/revokeCertificate   the URL as the spec composes it
//   POST /opnc/v1/pki/revokeCertificate       the prefix once
//   POST /v1/pki/revokeCertificate            the OPCP-style tree (OPCP has no revocation API)
//
// Body `{certificate, revocationReason}` (JSON, ≤ 16 KiB; unknown fields ignored); 200 with
// `{serialNumber, revocationTime, revocationReason}`. Roles ADMIN, CPO, MO, OEM; which certificates
// each may revoke: ./revocation-service.ts.

import type { onRequestAsyncHookHandler } from 'fastify';
import type { Auth } from '../auth/index.ts';
import { principalOf } from '../auth/index.ts';
import type { RouteModule } from '../http/server.ts';
import type { RevocationService, RevokeCertificateRequest } from './revocation-service.ts';

export const REVOKE_PATHS: readonly string[] = [
  '/opnc/v1/pki/pki/revokeCertificate',
  '/opnc/v1/pki/revokeCertificate',
  '/v1/pki/revokeCertificate',
];
export const REVOKE_BODY_LIMIT = 16 * 1024;

const REVOCATION_REASONS = [
  'privilegeWithdrawn',
  'affiliationChanged',
  'superseded',
  'unspecified',
  'keyCompromise',
  'aACompromise',
  'cessationOfOperation',
];

export interface RevocationRoutesDeps {
  readonly revocation: Pick<RevocationService, 'revoke'>;
  readonly auth: Pick<Auth, 'requireAuth'>;
}

export function revocationRoutes(deps: RevocationRoutesDeps): RouteModule {
  return {
    name: 'revocation',
    register(app) {
      const preHandler: onRequestAsyncHookHandler = deps.auth.requireAuth({
        roles: ['ADMIN', 'CPO', 'MO', 'OEM'],
      });
      for (const url of REVOKE_PATHS) {
        app.post<{ Body: RevokeCertificateRequest }>(
          url,
          {
            bodyLimit: REVOKE_BODY_LIMIT,
            // At onRequest: an anonymous request is refused before its body is read or validated.
            onRequest: preHandler,
            schema: {
              body: {
                type: 'object',
                required: ['certificate', 'revocationReason'],
                properties: {
                  certificate: { type: 'string', minLength: 1, maxLength: REVOKE_BODY_LIMIT },
                  // OPNC revokeCertificateReq.v1.json enum (RFC 5280 §5.3.1 names).
                  revocationReason: { type: 'string', enum: REVOCATION_REASONS },
                },
              },
            },
          },
          async (request, reply) => {
            const result = await deps.revocation.revoke(principalOf(request), request.body);
            return reply.code(200).send(result);
          },
        );
      }
    },
  };
}
