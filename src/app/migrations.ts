// The ONE list of schema migrations, applied by migrate() at start-up in this order (components in
// list order, each component's migrations by id). A component whose tables reference another
// component's tables comes after it. Real tables arrive with the components (PKI, pools, auth, ...);
// the storage tests use their own example registration (src/storage/testing/kv-migrations.ts).

import { AUDIT_MIGRATIONS } from '../audit/audit-log.ts';
import { AUTH_MIGRATIONS } from '../auth/repository.ts';
import { CA_MIGRATIONS } from '../ca/migrations.ts';
import { CCP_MIGRATIONS } from '../ccp/repository.ts';
import { EVENTS_MIGRATIONS } from '../events/migrations.ts';
import { PCP_MIGRATIONS } from '../pcp/repository.ts';
import { CRL_MIGRATIONS } from '../pki-http/crl-store.ts';
import { RCP_MIGRATIONS } from '../rcp/repository.ts';
import type { MigrationRegistration } from '../storage/types.ts';

export const componentMigrations: readonly MigrationRegistration[] = [
  AUTH_MIGRATIONS,
  // The pools' audit log (src/audit); the pool components come after it.
  AUDIT_MIGRATIONS,
  // Root Certificate Pool (src/rcp): rcp_roots.
  RCP_MIGRATIONS,
  // Provisioning Certificate Pool (src/pcp): pcp_vehicles.
  PCP_MIGRATIONS,
  // Contract Certificate Pool (src/ccp): ccp_contracts.
  CCP_MIGRATIONS,
  CA_MIGRATIONS,
  // crl_published references ca_authorities.
  CRL_MIGRATIONS,
  // Webhook service (src/events): endpoints, outbox, deliveries, delivery log.
  EVENTS_MIGRATIONS,
];
