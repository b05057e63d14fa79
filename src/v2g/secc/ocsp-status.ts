// ContractStatusChecker over OCSP (RFC 6960), as a CSMS answers OCPP 2.0.1 Authorize with
// iso15118CertificateHashData: one request per chain element (leaf and sub-CAs) to the responder named
// in the certificate's AIA (or a configured URL), SHA-256 CertID, POST application/ocsp-request.
// The answer must be a successful BasicOCSPResponse signed by the issuer or by a responder the issuer
// certified with id-kp-OCSPSigning (RFC 6960 §4.2.2.2), whose thisUpdate/nextUpdate bracket the
// clock; anything else is 'unknown' — the session then fails closed (D-127).

import 'reflect-metadata';
import { verify, webcrypto, X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import type { Clock } from '../../app/runtime.ts';
import type { RevocationStatus } from '../../pki/path/index.ts';
import type { ContractStatusChecker } from './ports.ts';

const OID_KP_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface OcspCheckerOptions {
  readonly clock: Clock;
  /** Responder for every certificate; default: the AIA OCSP URL of each certificate. */
  readonly url?: string;
  readonly timeoutMs?: number;
  /** For tests and proxies; default globalThis.fetch. */
  readonly fetch?: typeof fetch;
}

const engine = new pkijs.CryptoEngine({
  name: 'node',
  crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'],
});

function toPkijs(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der);
}

/** The first OCSP URL of a certificate's AIA extension. */
export function ocspUrlOf(der: Uint8Array): string | undefined {
  const info = new X509Certificate(der).infoAccess;
  const line = info?.split('\n').find((l) => l.startsWith('OCSP - URI:'));
  return line?.slice('OCSP - URI:'.length).trim() || undefined;
}

export class OcspStatusChecker implements ContractStatusChecker {
  readonly #options: OcspCheckerOptions;

  constructor(options: OcspCheckerOptions) {
    this.#options = options;
  }

  async status(certificate: Uint8Array, issuer: Uint8Array): Promise<RevocationStatus> {
    const url = this.#options.url ?? ocspUrlOf(certificate);
    if (url === undefined) return 'unknown';
    const cert = toPkijs(certificate);
    const issuerCert = toPkijs(issuer);
    const request = new pkijs.OCSPRequest();
    await request.createForCertificate(
      cert,
      { hashAlgorithm: 'SHA-256', issuerCertificate: issuerCert },
      engine,
    );
    const body = new Uint8Array(request.toSchema(true).toBER());
    let der: Uint8Array;
    try {
      const response = await (this.#options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
        body,
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 5_000),
      });
      if (response.status !== 200) return 'unknown';
      der = new Uint8Array(await response.arrayBuffer());
    } catch {
      return 'unknown';
    }
    if (der.length > MAX_RESPONSE_BYTES) return 'unknown';
    return this.#read(der, cert, issuerCert, issuer);
  }

  async #read(
    der: Uint8Array,
    cert: pkijs.Certificate,
    issuerCert: pkijs.Certificate,
    issuerDer: Uint8Array,
  ): Promise<RevocationStatus> {
    let basic: pkijs.BasicOCSPResponse;
    try {
      const response = pkijs.OCSPResponse.fromBER(der);
      if (response.responseStatus.valueBlock.valueDec !== 0 || !response.responseBytes) return 'unknown';
      basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
    } catch {
      return 'unknown';
    }
    if (!this.#signedByIssuerOrDelegate(basic, issuerDer)) return 'unknown';
    const now = this.#options.clock.now().getTime();
    for (const single of basic.tbsResponseData.responses) {
      if (!(await single.certID.isEqual(await certIdOf(cert, issuerCert)))) continue;
      if (single.thisUpdate.getTime() > now + 5 * 60_000) return 'unknown';
      if (single.nextUpdate && single.nextUpdate.getTime() < now) return 'unknown';
      const status = single.certStatus as {
        idBlock: { tagNumber: number };
        valueBlock?: { value?: unknown[] };
      };
      switch (status.idBlock.tagNumber) {
        case 0:
          return 'good';
        case 1: {
          const revokedAt = (
            status.valueBlock?.value?.[0] as { toDate?: () => Date } | undefined
          )?.toDate?.();
          return { revoked: { at: revokedAt ?? new Date(0) } };
        }
        default:
          return 'unknown';
      }
    }
    return 'unknown';
  }

  #signedByIssuerOrDelegate(basic: pkijs.BasicOCSPResponse, issuerDer: Uint8Array): boolean {
    const data = new Uint8Array(basic.tbsResponseData.tbsView);
    const signature = new Uint8Array(basic.signature.valueBlock.valueHexView);
    const signers: Uint8Array[] = [issuerDer];
    for (const c of basic.certs ?? []) {
      const der = new Uint8Array(c.toSchema(true).toBER());
      const x = new X509Certificate(der);
      // A delegated responder: issued by the issuer, with id-kp-OCSPSigning (RFC 6960 §4.2.2.2).
      if (
        x.verify(new X509Certificate(issuerDer).publicKey) &&
        (x.keyUsage ?? []).includes(OID_KP_OCSP_SIGNING)
      )
        signers.push(der);
    }
    for (const s of signers) {
      const key = new X509Certificate(s).publicKey;
      const hash = basic.signatureAlgorithm.algorithmId === '1.2.840.10045.4.3.4' ? 'sha512' : 'sha256';
      try {
        const ok =
          key.asymmetricKeyType === 'ed448'
            ? verify(null, data, key, signature)
            : verify(hash, data, { key, dsaEncoding: 'der' }, signature);
        if (ok) return true;
      } catch {
        // try the next candidate
      }
    }
    return false;
  }
}

async function certIdOf(cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<pkijs.CertID> {
  const id = new pkijs.CertID();
  await id.createForCertificate(cert, { hashAlgorithm: 'SHA-256', issuerCertificate: issuer }, engine);
  return id;
}
