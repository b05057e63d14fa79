// The signed contract data as the Contract Certificate Pool stores it, and the narrow interfaces the
// other components use: the CPS stores what it signed when a PCID is given (OPCP
// createAndForwardSignedContractData / OPNC sign with pcid), the PCP removes a vehicle's contracts
// when its key pair changes (OPCP docs/components/02: "an update with a new key pair deletes the
// contracts"), in the same transaction as its own change.

import type { Tx } from '../storage/types.ts';

export interface NewSignedContract {
  /** Normalised: upper case, no hyphens (spec-gaps.md item 13); the key for lookups. */
  readonly emaid: string;
  /** The contract certificate's CN exactly as issued (MaEVe compares CN == idToken). */
  readonly emaidAsInCertificate: string;
  /** The vehicle, stored as received (17-18 alphanumerics); null for a contract not yet bound. */
  readonly pcid: string | null;
  readonly iso: 2 | 20;
  /** Country code + provider id of the EMAID (first five characters of the normalised EMAID). */
  readonly providerId: string;
  /**
   * The signed CertificateInstallationRes as an EXI document of its edition's schema: iso-2
   * `V2G_Message`, iso-20-common `CertificateInstallationRes`. Its SessionID is replaced by the
   * request's at delivery (spec-gaps.md item 31); the signature does not cover it.
   */
  readonly certificateInstallationRes: Uint8Array;
  /** DER of the contract (leaf) certificate. */
  readonly contractCertificate: Uint8Array;
  readonly contractNotAfter: Date;
  /** SHA-256 (lower hex) of the V2G root the CPS signing chain ends in. */
  readonly cpsV2GRootFingerprint: string | null;
  readonly cpsRootDistinguishedName: string | null;
  /** OPCP `metadata`: opaque text of the MO, returned as given. */
  readonly metadata: string | null;
  /** Who produced it: our CPS, or a client's PUT of signed contract data. */
  readonly source: 'cps' | 'api';
}

export interface StoredContract {
  readonly id: string;
  readonly isDefault: boolean;
}

export interface ContractSink {
  /**
   * Stores (or replaces: same EMAID and PCID) signed contract data, with its audit record; the first
   * contract of a vehicle becomes its default.
   */
  addContract(contract: NewSignedContract, actor: string): Promise<StoredContract>;
}

/** A contract removed with its vehicle: what the PCP's `mo.prov.cert.*` events name. */
export interface RemovedVehicleContract {
  readonly emaid: string;
  readonly pcid: string;
  readonly iso: 2 | 20;
}

export interface VehicleContracts {
  /**
   * Deletes every contract of the vehicle inside the caller's transaction (raising `oem.contract.deleted`
   * for each) and returns them.
   */
  deleteContractsOfVehicle(tx: Tx, pcid: string, actor: string): Promise<readonly RemovedVehicleContract[]>;
}
