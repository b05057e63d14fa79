// The narrow interfaces pool maintenance needs from the pools (docs/maintenance.md). Each pool's
// repository or service implements its interface; the composition root passes them to
// MaintenanceService. Removal methods take the caller's transaction: maintenance removes a
// certificate, its dependants, their events (src/events) and audit records in ONE transaction.

import type { RootEventData } from '../events/event-sink.ts';
import type { Tx } from '../storage/types.ts';

/** Why a record leaves its pool. */
export type RemovalReason = 'expired' | 'revoked';

export interface ExpiringRoot {
  /** The RCP's id of the root. */
  readonly id: string;
  readonly reason: RemovalReason;
  readonly iso: 2 | 20;
  /** The facts of the root.cert.expired / root.cert.revoked payload (fingerprintSHA256 included). */
  readonly root: RootEventData;
}

/** Implemented by the Root Certificate Pool (src/rcp). */
export interface RootPoolMaintenance {
  /** Roots in the pool whose notAfter is before `now`, or that are known to be revoked. */
  listExpiredOrRevokedRoots(now: Date): Promise<readonly ExpiringRoot[]>;
  /** Removes (or marks deleted) the root inside `tx`; false when it was removed already. */
  removeRoot(tx: Tx, id: string, actor: string, now: Date): Promise<boolean>;
}

export interface ExpiringProvisioningCertificate {
  readonly pcid: string;
  readonly reason: RemovalReason;
  readonly iso: 2 | 20;
}

/** Implemented by the Provisioning Certificate Pool (src/pcp). */
export interface ProvisioningPoolMaintenance {
  /** Provisioning certificates whose notAfter is before `now`, or that are known to be revoked. */
  listExpiredOrRevokedProvisioningCertificates(
    now: Date,
  ): Promise<readonly ExpiringProvisioningCertificate[]>;
  /** PCIDs whose stored chain ends in the root with this SHA-256 fingerprint (lower hex). */
  provisioningCertificatesUnderRoot(tx: Tx, rootFingerprintSha256: string): Promise<readonly string[]>;
  /** Removes the vehicle's provisioning certificate inside `tx`; false when it was gone already. */
  removeProvisioningCertificate(tx: Tx, pcid: string, actor: string, now: Date): Promise<boolean>;
}

export interface ContractRef {
  /** The CCP's id of the contract. */
  readonly id: string;
  /** The vehicle; null for contract data not bound to a PCID (no OEM to tell). */
  readonly pcid: string | null;
  readonly emaid: string;
  readonly iso: 2 | 20;
}

export interface ExpiringContract extends ContractRef {
  readonly reason: RemovalReason;
}

/** Implemented by the Contract Certificate Pool (src/ccp). */
export interface ContractPoolMaintenance {
  /** Contracts whose contract certificate's notAfter is before `now`, or that is known revoked. */
  listExpiredOrRevokedContracts(now: Date): Promise<readonly ExpiringContract[]>;
  /** The contracts of a vehicle (they depend on its provisioning certificate). */
  contractsOfVehicle(tx: Tx, pcid: string): Promise<readonly ContractRef[]>;
  /** Contracts signed under the root with this fingerprint (CPS V2G root or contract chain root). */
  contractsUnderRoot(tx: Tx, rootFingerprintSha256: string): Promise<readonly ContractRef[]>;
  /** Removes the contract inside `tx`; false when it was gone already. */
  removeContract(tx: Tx, id: string, actor: string, now: Date): Promise<boolean>;
}

export interface MaintainedPools {
  readonly rcp?: RootPoolMaintenance;
  readonly pcp?: ProvisioningPoolMaintenance;
  readonly ccp?: ContractPoolMaintenance;
}
