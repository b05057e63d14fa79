// The ONE route table: every HTTP route module, in registration order. A component's routes appear
// on the server only by being listed here (architecture-practices §3.2).

import type { Auth } from '../auth/index.ts';
import { oauthTokenRoutes } from '../auth/token-routes.ts';
import type { CertificateAuthorityService } from '../ca/index.ts';
import type { AppConfig } from '../config/fields.ts';
import { healthRoutes } from '../http/health.ts';
import type { Logger } from '../http/logger.ts';
import type { RouteModule } from '../http/server.ts';
import { createPkiHttp } from '../pki-http/index.ts';
import type { KeyStore } from '../signer/types.ts';
import type { Database } from '../storage/types.ts';
import type { Clock } from './runtime.ts';

/** The long-lived services the route modules are built from (grows with the components). */
export interface RouteServices {
  readonly db: Database;
  readonly clock: Clock;
  readonly version: string;
  /** Token service and requireAuth({ roles }) for protected routes (src/auth, docs/auth.md). */
  readonly auth: Auth;
  /** The certificate authority (src/ca): EST issues, OCSP / CRL / revocation read and revoke. */
  readonly ca: CertificateAuthorityService;
  /** The configured key store: the OCSP responder and the CRL issuer sign with the CA keys. */
  readonly keyStore: Pick<KeyStore, 'open'>;
  readonly config: AppConfig;
  readonly logger: Logger;
}

export function routeTable(services: RouteServices): RouteModule[] {
  const pki = createPkiHttp({
    db: services.db,
    clock: services.clock,
    auth: services.auth,
    ca: services.ca,
    keyStore: services.keyStore,
    config: services.config,
    logger: services.logger,
  });
  return [
    healthRoutes({ db: services.db, clock: services.clock, version: services.version }),
    oauthTokenRoutes({ tokens: services.auth.tokens }),
    // OCSP, CRL, EST and OPNC revokeCertificate (docs/pki-http.md).
    ...pki.routes,
  ];
}
