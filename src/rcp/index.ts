// Public surface of the Root Certificate Pool (docs/rcp.md). Importing it has no side effects.
// createRcp builds the service, the CTL service and the route module from the composition root's
// services (src/app/create-app.ts, src/app/routes.ts); the CLI builds the same over a data directory.

import type { Auth } from '../auth/index.ts';
import type { EventSink } from '../events/event-sink.ts';
import type { RouteModule } from '../http/server.ts';
import type { KeyStore } from '../signer/types.ts';
import type { Database } from '../storage/types.ts';
import { type CtlCertificateSource, CtlService } from './ctl-service.ts';
import { SqlRcpRepository } from './repository.ts';
import { rcpRoutes } from './routes.ts';
import { RcpService } from './service.ts';

export {
  buildCtlPayload,
  CTL_TYP,
  CTL_VALIDITY_MS,
  CTL_VERSION,
  type CtlDocument,
  type CtlPayload,
  type CtlRootEntry,
  MAX_CTL_CHARS,
  signCtl,
  type VerifiedCtl,
  type VerifyCtlOptions,
  verifyCtl,
} from './ctl.ts';
export {
  CTL_SIGNER_CN,
  type CtlCertificateSource,
  CtlService,
  ctlSigners,
  isCtlSigner,
} from './ctl-service.ts';
export { type PublishedDemoRoots, type PublishedRoot, publishDemoRoots } from './demo-roots.ts';
export {
  type LintFinding,
  RCP_MIGRATIONS,
  type RcpRepository,
  type RootFilter,
  type RootRecord,
  SqlRcpRepository,
} from './repository.ts';
export { checkRoot, type RootFacts, rootFacts } from './root-certificate.ts';
export {
  OPCP_CTL_PATH,
  OPCP_ROOTS_PATH,
  OPNC_CTL_PATH,
  OPNC_ROOTS_PATH,
  RCP_BODY_LIMIT,
  rcpRoutes,
} from './routes.ts';
export {
  type AddedRoot,
  type AddRootRequest,
  parseRootId,
  parseRootType,
  RcpService,
  type RootListFilter,
  rootEventData,
} from './service.ts';
export * from './trust-anchors.ts';
export { opcpRootCert, opncRootCertificate } from './views.ts';

export interface RcpDeps {
  readonly db: Database;
  readonly clock: { now(): Date };
  readonly random: (n: number) => Uint8Array;
  /** The CA (CTL signer certificate and chain). */
  readonly ca: CtlCertificateSource;
  /** The configured key store (the CTL signer key). */
  readonly keyStore: Pick<KeyStore, 'open'>;
  /** Webhook events of the changes (src/events): root.cert.added, root.cert.revoked. */
  readonly events?: EventSink;
  /** trustedRoots() answers from roots read at most this long ago, in ms (D-175); default 0. */
  readonly trustedRootsMaxAgeMs?: number;
}

export interface Rcp {
  readonly service: RcpService;
  readonly ctl: CtlService;
}

/** The pool and its CTL over one database. */
export function createRcp(deps: RcpDeps): Rcp {
  const repository = new SqlRcpRepository(deps.db);
  return {
    service: new RcpService({
      repository,
      clock: deps.clock,
      random: deps.random,
      ...(deps.events === undefined ? {} : { events: deps.events }),
      ...(deps.trustedRootsMaxAgeMs === undefined ? {} : { trustedRootsMaxAgeMs: deps.trustedRootsMaxAgeMs }),
    }),
    ctl: new CtlService({ roots: repository, ca: deps.ca, keyStore: deps.keyStore, clock: deps.clock }),
  };
}

/** The route module of both trees. */
export function createRcpRoutes(rcp: Rcp, auth: Pick<Auth, 'requireAuth'>): RouteModule {
  return rcpRoutes({ rcp: rcp.service, ctl: rcp.ctl, auth });
}
