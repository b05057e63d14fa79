// Pool maintenance (docs/maintenance.md): removal of expired and revoked certificates and their
// dependants, with events and audit records; on a schedule in `pnc serve` and by `pnc maintain`.

export type {
  ContractPoolMaintenance,
  ContractRef,
  ExpiringContract,
  ExpiringProvisioningCertificate,
  ExpiringRoot,
  MaintainedPools,
  ProvisioningPoolMaintenance,
  RemovalReason,
  RootPoolMaintenance,
} from './pools.ts';
export { MaintenanceScheduler } from './scheduler.ts';
export { type MaintenanceReport, MaintenanceService } from './service.ts';
