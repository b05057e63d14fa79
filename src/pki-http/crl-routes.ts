// `GET <publicUrl>/crl/<caId>` (also `<caId>.crl`): the CA's current CRL, DER, `application/pkix-crl`
// (RFC 5280 §5; media type RFC 2585 §4.2), the URL that issued certificates carry as CRL
// distribution point when that is enabled (src/ca CA-06). Public, like OCSP.

import { createHash } from 'node:crypto';
import type { RouteModule } from '../http/server.ts';
import type { CrlService } from './crl-service.ts';

export const CRL_PATH = '/crl';
export const CRL_CONTENT_TYPE = 'application/pkix-crl';

export interface CrlRoutesDeps {
  readonly crl: Pick<CrlService, 'current'>;
}

export function crlRoutes(deps: CrlRoutesDeps): RouteModule {
  return {
    name: 'crl',
    register(app) {
      app.get<{ Params: { caId: string } }>(
        `${CRL_PATH}/:caId`,
        {
          logLevel: 'warn',
          schema: {
            params: {
              type: 'object',
              properties: { caId: { type: 'string', minLength: 1, maxLength: 100 } },
              required: ['caId'],
            },
          },
        },
        async (request, reply) => {
          const caId = request.params.caId.replace(/\.crl$/, '');
          const crl = await deps.crl.current(caId);
          const der = Buffer.from(crl.der.buffer, crl.der.byteOffset, crl.der.byteLength);
          return (
            reply
              .code(200)
              .type(CRL_CONTENT_TYPE)
              // A revocation changes the CRL at once: caches must ask again (the ETag keeps that cheap).
              .header('cache-control', 'no-cache')
              .header('last-modified', crl.thisUpdate.toUTCString())
              .header('etag', `"${createHash('sha256').update(der).digest('hex')}"`)
              .send(der)
          );
        },
      );
    },
  };
}
