// The narrow interfaces the SECC session takes (architecture-practices §3 item 5).

import type { RevocationStatus } from '../../pki/path/index.ts';

export type InstallationAction = 'Install' | 'Update';

/**
 * Where the charger sends a vehicle's CertificateInstallationReq / CertificateUpdateReq: the whole EXI
 * document, base64, exactly as an OCPP 2.0.1 CSMS forwards Get15118EVCertificate (exiRequest, action);
 * the answer is the whole EXI response document, base64 (exiResponse).
 */
export interface CertificateInstallationBackend {
  install(exiBase64Request: string, action: InstallationAction): Promise<string>;
}

/**
 * Revocation status of one certificate of a contract chain, as OCPP Authorize asks the CSMS
 * (iso15118CertificateHashData → OCSP). Asked for the leaf and every sub-CA, never the anchor.
 */
export interface ContractStatusChecker {
  status(certificate: Uint8Array, issuer: Uint8Array): Promise<RevocationStatus>;
}
