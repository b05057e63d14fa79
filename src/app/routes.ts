// The ONE route table: every HTTP route module, in registration order. A component's routes appear
// on the server only by being listed here (architecture-practices §3.2).

import type { Auth } from '../auth/index.ts';
import { oauthTokenRoutes } from '../auth/token-routes.ts';
import type { CertificateAuthorityService } from '../ca/index.ts';
import { ccpRoutes } from '../ccp/routes.ts';
import type { CcpService } from '../ccp/service.ts';
import type { AppConfig } from '../config/fields.ts';
import { type CpsService, cpsRoutes } from '../cps/index.ts';
import type { Events } from '../events/index.ts';
import { healthRoutes } from '../http/health.ts';
import type { Logger } from '../http/logger.ts';
import type { RouteModule } from '../http/server.ts';
import { type ProvisioningCertificatePool, pcpRoutes } from '../pcp/index.ts';
import { createPkiHttp } from '../pki-http/index.ts';
import { createRcpRoutes, type Rcp } from '../rcp/index.ts';
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
  /** The Root Certificate Pool and its CTL (src/rcp, docs/rcp.md). */
  readonly rcp: Rcp;
  /** The webhook service: endpoint subscriptions of both trees (src/events, docs/events.md). */
  readonly events: Pick<Events, 'routes'>;
  /** The Provisioning Certificate Pool (src/pcp, docs/pcp.md). */
  readonly pcp: Pick<ProvisioningCertificatePool, 'put' | 'get' | 'lookup' | 'remove' | 'factoryReset'>;
  /** The Contract Certificate Pool (src/ccp, docs/ccp.md). */
  readonly ccp: CcpService;
  /** The Certificate Provisioning Service (src/cps, docs/cps.md). */
  readonly cps: Pick<CpsService, 'signContractData' | 'generateAndSign' | 'listSigners'>;
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
    // Root Certificate Pool, OPCP /v1/root and OPNC /opnc/v1/rcp (docs/rcp.md).
    createRcpRoutes(services.rcp, services.auth),
    // Provisioning Certificate Pool, OPCP /v1/oem/provCerts and OPNC /opnc/v1/pcp (docs/pcp.md).
    pcpRoutes({ pcp: services.pcp, auth: services.auth }),
    // Contract Certificate Pool, OPCP /v1/ccp and OPNC /opnc/v1/ccp (docs/ccp.md).
    ccpRoutes({
      ccp: services.ccp,
      auth: services.auth,
      emaidContentShape: services.config.ccpEmaidContentShape,
    }),
    // Certificate Provisioning Service, OPCP /v1/cps, /cps/signer and OPNC /opnc/v1/cps (docs/cps.md).
    cpsRoutes({ cps: services.cps, auth: services.auth }),
    // Webhook endpoints, OPCP /v1/webhook/endpoints and OPNC /opnc/v1/event/endpoints (docs/events.md).
    ...services.events.routes,
  ];
}
