// Public surface of the Provisioning Certificate Pool (docs/pcp.md). Importing it has no side effects.

import type { CertificateAuthorityService } from '../ca/index.ts';
import type { VehicleContracts } from '../ccp/contract-record.ts';
import type { EventSink } from '../events/event-sink.ts';
import type { TrustAnchorSource } from '../rcp/trust-anchors.ts';
import type { Database } from '../storage/types.ts';
import { SqlPcpRepository } from './repository.ts';
import { RevocationChecker, type RevocationCheckerOptions } from './revocation/checker.ts';
import { FetchRevocationHttpClient, type RevocationHttpClient } from './revocation/http-client.ts';
import { ProvisioningCertificatePool, type UnknownRevocationPolicy } from './service.ts';

export type { ProvisioningLookup, ProvisioningRecord } from './provisioning-lookup.ts';
export {
  type NewProvisioning,
  PCP_MIGRATIONS,
  type PcpRepository,
  type ProvisioningRow,
  pcidKey,
  SqlPcpRepository,
  type StoredRoot,
} from './repository.ts';
export { type CertificateRevocation, type ChainLink, RevocationChecker } from './revocation/checker.ts';
export {
  FetchRevocationHttpClient,
  type HttpExchange,
  type HttpResult,
  type RevocationHttpClient,
} from './revocation/http-client.ts';
export { OPCP_PCP_PATHS, OPNC_PCP_PATHS, opcpData, opncData, PCP_BODY_LIMIT, pcpRoutes } from './routes.ts';
export {
  type PcpServiceDeps,
  ProvisioningCertificatePool,
  type ProvisioningView,
  type PutResult,
  type UnknownRevocationPolicy,
} from './service.ts';

export interface PcpDeps {
  readonly db: Database;
  readonly clock: { now(): Date };
  /** This server's CA: revocation status of its own certificates without HTTP. */
  readonly ca: Pick<CertificateAuthorityService, 'listCas' | 'findCertificate'>;
  /** The Root Certificate Pool. */
  readonly trustAnchors: TrustAnchorSource;
  /** The Contract Certificate Pool. */
  readonly vehicleContracts?: VehicleContracts;
  /** Webhook events of the PCP's changes (src/events). */
  readonly events?: Pick<EventSink, 'raise'>;
  readonly unknownRevocation?: UnknownRevocationPolicy;
  /** Outbound HTTP for OCSP / CRL (default: fetch with bounds). */
  readonly http?: RevocationHttpClient;
  readonly revocationOptions?: RevocationCheckerOptions;
}

/** The pool over one database (the composition root's constructor). */
export function createPcp(deps: PcpDeps): ProvisioningCertificatePool {
  return new ProvisioningCertificatePool({
    repository: new SqlPcpRepository(deps.db),
    trustAnchors: deps.trustAnchors,
    revocation: new RevocationChecker({
      ca: deps.ca,
      http: deps.http ?? new FetchRevocationHttpClient(),
      clock: deps.clock,
      ...(deps.revocationOptions === undefined ? {} : { options: deps.revocationOptions }),
    }),
    ...(deps.vehicleContracts === undefined ? {} : { vehicleContracts: deps.vehicleContracts }),
    ...(deps.events === undefined ? {} : { events: deps.events }),
    clock: deps.clock,
    ...(deps.unknownRevocation === undefined ? {} : { unknownRevocation: deps.unknownRevocation }),
  });
}
