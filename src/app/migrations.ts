// The ONE list of schema migrations, applied by migrate() at start-up in this order (components in
// list order, each component's migrations by id). A component whose tables reference another
// component's tables comes after it. Real tables arrive with the components (PKI, pools, auth, ...);
// the storage tests use their own example registration (src/storage/testing/kv-migrations.ts).

import { AUDIT_MIGRATIONS } from '../audit/audit-log.ts';
import { AUTH_MIGRATIONS } from '../auth/repository.ts';
import { CA_MIGRATIONS } from '../ca/migrations.ts';
import { CRL_MIGRATIONS } from '../pki-http/crl-store.ts';
import type { MigrationRegistration } from '../storage/types.ts';

export const componentMigrations: readonly MigrationRegistration[] = [
  AUTH_MIGRATIONS,
  // The pools' audit log (src/audit); the pool components come after it.
  AUDIT_MIGRATIONS,
  CA_MIGRATIONS,
  // crl_published references ca_authorities.
  CRL_MIGRATIONS,
];
