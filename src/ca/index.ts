// Public surface of the certificate authority component (docs/ca.md). Importing it has no side effects.

export {
  type DemoInitOptions,
  type DemoNode,
  type DemoProgress,
  demoPlan,
  initDemoHierarchy,
} from './demo-hierarchy.ts';
export { CA_MIGRATIONS } from './migrations.ts';
export { type CaRepository, type CertificateFilter, SqlCaRepository } from './repository.ts';
export { parseSerial, serialToHex } from './serial.ts';
export {
  type CaServiceDeps,
  type CaServiceOptions,
  CertificateAuthorityService,
  IssuanceToken,
  parseRevocationReason,
  revocationReasonName,
  TOKEN_LIFETIME_MS,
} from './service.ts';
export * from './types.ts';
export { UnavailableKeyStore } from './unavailable-key-store.ts';
