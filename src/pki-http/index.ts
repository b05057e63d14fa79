// The V2G PKI protocols over HTTP (docs/pki-http.md): OCSP responder, CRLs, EST, OPNC
// revokeCertificate. The services here are transport-free; the route modules bind them to the
// server. pkiHttpRoutes builds all of them from the composition root's services.

import type { Auth } from '../auth/index.ts';
import type { CertificateAuthorityService } from '../ca/index.ts';
import type { AppConfig } from '../config/fields.ts';
import type { RouteModule } from '../http/server.ts';
import type { KeyStore } from '../signer/types.ts';
import type { Database } from '../storage/types.ts';
import { CaDirectory } from './ca-directory.ts';
import { crlRoutes } from './crl-routes.ts';
import { CrlService } from './crl-service.ts';
import { CrlStore } from './crl-store.ts';
import { estRoutes } from './est-routes.ts';
import { EstService } from './est-service.ts';
import { OcspResponderService } from './ocsp-responder.ts';
import { ocspRoutes } from './ocsp-routes.ts';
import { revocationRoutes } from './revocation-routes.ts';
import { RevocationService } from './revocation-service.ts';

export { CaDirectory } from './ca-directory.ts';
export { CRL_CONTENT_TYPE, CRL_PATH, crlRoutes } from './crl-routes.ts';
export { CrlService, entriesDigest } from './crl-service.ts';
export { CRL_MIGRATIONS, CrlStore, type PublishedCrl } from './crl-store.ts';
export { EST_ROUTE_PATTERNS, estRoutes } from './est-routes.ts';
export { EST_ENROLL_ROLES, EstService } from './est-service.ts';
export {
  DELEGATED_RENEW_BEFORE_MS,
  type OcspAnswer,
  type OcspResponderMode,
  type OcspResponderOptions,
  OcspResponderService,
} from './ocsp-responder.ts';
export { OCSP_BODY_LIMIT, OCSP_CONTENT_TYPE, OCSP_PATH, ocspRoutes } from './ocsp-routes.ts';
export { REVOKE_PATHS, revocationRoutes } from './revocation-routes.ts';
export { decodeCertificateField, RevocationService } from './revocation-service.ts';

export interface PkiHttpDeps {
  readonly db: Database;
  readonly clock: { now(): Date };
  readonly auth: Auth;
  readonly ca: CertificateAuthorityService;
  readonly keyStore: Pick<KeyStore, 'open'>;
  readonly config: Pick<
    AppConfig,
    | 'ocspResponder'
    | 'ocspValiditySeconds'
    | 'ocspStatusMaxAgeMs'
    | 'crlValiditySeconds'
    | 'estLenientCommonName'
  >;
  readonly logger: {
    warn(object: Record<string, unknown>, message: string): void;
    info(object: Record<string, unknown>, message: string): void;
  };
}

export interface PkiHttp {
  readonly routes: readonly RouteModule[];
  readonly ocsp: OcspResponderService;
  readonly crl: CrlService;
  readonly est: EstService;
  readonly revocation: RevocationService;
}

/** Builds the services and their route modules (OCSP, CRL, EST, revocation). */
export function createPkiHttp(deps: PkiHttpDeps): PkiHttp {
  const directory = new CaDirectory({ listCas: () => deps.ca.listCas(), clock: deps.clock });
  const ocsp = new OcspResponderService({
    ca: deps.ca,
    keyStore: deps.keyStore,
    directory,
    clock: deps.clock,
    logger: deps.logger,
    options: {
      mode: deps.config.ocspResponder,
      validitySeconds: deps.config.ocspValiditySeconds,
      statusMaxAgeMs: deps.config.ocspStatusMaxAgeMs,
    },
  });
  // Every revocation this process commits reaches the responder's status view at once (D-091).
  deps.ca.onRevoked((issuerCaId, serial) => ocsp.statusChanged(issuerCaId, serial));
  const crl = new CrlService({
    ca: deps.ca,
    keyStore: deps.keyStore,
    store: new CrlStore(deps.db),
    clock: deps.clock,
    validitySeconds: deps.config.crlValiditySeconds,
  });
  const est = new EstService({
    ca: deps.ca,
    clock: deps.clock,
    lenientCommonName: deps.config.estLenientCommonName,
  });
  const revocation = new RevocationService({
    ca: deps.ca,
    // The revoke path drops the pre-signed OCSP responses of the certificate at once.
    onRevoked: async (issuerCaId, serialNumber) => {
      const issuer = await directory.byId(issuerCaId);
      if (issuer !== undefined) ocsp.invalidate(issuer.issuer, serialNumber);
    },
  });
  return {
    routes: [
      ocspRoutes({ responder: ocsp, clock: deps.clock }),
      crlRoutes({ crl }),
      estRoutes({ est, auth: deps.auth }),
      revocationRoutes({ revocation, auth: deps.auth }),
    ],
    ocsp,
    crl,
    est,
    revocation,
  };
}
