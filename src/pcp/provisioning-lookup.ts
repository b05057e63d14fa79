// What the other components ask of the Provisioning Certificate Pool: a vehicle's provisioning
// certificate chain by PCID. The CPS generate-and-sign flow encrypts the contract key to the
// vehicle's provisioning key (ISO 15118-2 §7.9.2.4.3 / -20 key transport); the CCP and the event
// service name the vehicle's WMI. A narrow interface, implemented by the PCP service.

export interface ProvisioningRecord {
  /** As stored (17-18 alphanumerics, spec-gaps.md item 14 / 34). */
  readonly pcid: string;
  /** World Manufacturer Identifier: the first three characters of the PCID, upper case. */
  readonly wmi: string;
  readonly iso: 2 | 20;
  /** DER of the OEM provisioning (vehicle) certificate, CN = PCID. */
  readonly vehicleCertificate: Uint8Array;
  readonly subCa2Certificate: Uint8Array | null;
  readonly subCa1Certificate: Uint8Array | null;
  /** SHA-256 (lower hex) of the trusted root the chain validated against when stored. */
  readonly rootFingerprintSha256: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ProvisioningLookup {
  findByPcid(pcid: string): Promise<ProvisioningRecord | undefined>;
}
