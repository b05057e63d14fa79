// The narrow interfaces the SECC session takes (architecture-practices §3 item 5).

import type { RevocationStatus } from '../../pki/path/index.ts';

export type InstallationAction = 'Install' | 'Update';

/**
 * Where the charger sends a vehicle's CertificateInstallationReq / CertificateUpdateReq: the whole EXI
 * document, base64, exactly as an OCPP 2.0.1 CSMS forwards Get15118EVCertificate (exiRequest, action);
 * the answer is the whole EXI response document, base64 (exiResponse).
 */
export interface CertificateInstallationBackend {
  /**
   * `schemaVersion` is OCPP's iso15118SchemaVersion: absent for ISO 15118-2, the -20 CommonMessages
   * namespace for ISO 15118-20 (as OCPP 2.0.1 CSMSs send it).
   */
  install(exiBase64Request: string, action: InstallationAction, schemaVersion?: string): Promise<string>;
  /**
   * ISO 15118-20 only, optional: every CertificateInstallationRes the backend answers for one request,
   * in order (RemainingContractCertificateChains counting down), as the CCP answers several contracts
   * (OCPP 2.1 `remainingContracts`). Without it the SECC uses `install` (one contract per request).
   */
  installChains?(exiBase64Request: string, schemaVersion: string): Promise<string[]>;
}

/**
 * Revocation status of one certificate of a contract chain, as OCPP Authorize asks the CSMS
 * (iso15118CertificateHashData → OCSP). Asked for the leaf and every sub-CA, never the anchor.
 */
export interface ContractStatusChecker {
  status(certificate: Uint8Array, issuer: Uint8Array): Promise<RevocationStatus>;
}
