// What the installation flow asks of the PKI operated here (src/ca): the OEM sub-CAs as candidate
// intermediates of a provisioning chain (an ISO 15118-2 CertificateInstallationReq carries only the
// leaf: exi-and-signatures.md §2.4), and the revocation status of certificates this CA issued.
// Intermediates are untrusted path-building candidates (src/pki/path): a sub-CA that does not chain
// to a trusted root of the RCP validates nothing. docs/spec-decisions.md D-077.

import { X509Certificate } from 'node:crypto';
import type { Clock } from '../app/runtime.ts';
import type { CaView, CertificateView, RevocationStatus, RevokeRequest } from '../ca/types.ts';
import { isAppError } from '../errors/app-error.ts';

/** Candidate intermediates for a provisioning chain of one edition. */
export interface IntermediateSource {
  oemIntermediates(iso: 2 | 20): Promise<readonly Uint8Array[]>;
}

/** Whether a CA of this server revoked a certificate, given its issuer (false for other PKIs). */
export interface ChainRevocation {
  /** `serialHex`: the certificate's serial when the caller has parsed it already. */
  isRevoked(certificate: Uint8Array, issuer: Uint8Array, serialHex?: string): Promise<boolean>;
}

/** Revokes contract certificates issued here when their contract data leaves the pool (OPCP DELETE). */
export interface ContractRevoker {
  revokeIfIssuedHere(
    certificate: Uint8Array,
    actor: string,
  ): Promise<'revoked' | 'already-revoked' | 'not-issued-here'>;
}

/** The part of the CA service used here (src/ca CertificateAuthorityService). */
export interface LocalCa {
  listCas(): Promise<CaView[]>;
  revocationStatus(issuerCaId: string, serial: string | bigint): Promise<RevocationStatus>;
  /** Revoked here; revocations of other processes seen within the CA's revokedSetMaxAgeMs (D-175). */
  isRevoked(issuerCaId: string, serial: string | bigint): Promise<boolean>;
  findCertificate(issuerCaId: string, serial: string | bigint): Promise<CertificateView | undefined>;
  revoke(request: RevokeRequest): Promise<CertificateView>;
}

/** How long the CA list is reused: sub-CAs appear rarely; a revoked sub-CA is refused within this time. */
const CACHE_MS = 5_000;

/**
 * The CA's sub-CAs (the CA list cached 5 s) and the revocation status of what it issued: leaves read
 * per request, sub-CA certificates from the cached list.
 */
export class LocalPki implements IntermediateSource, ChainRevocation, ContractRevoker {
  readonly #ca: LocalCa;
  readonly #clock: Clock;
  #cache: { at: number; cas: readonly CaView[]; byCertificate: Map<string, CaView> } | undefined;

  constructor(ca: LocalCa, clock: Clock) {
    this.#ca = ca;
    this.#clock = clock;
  }

  async #cas(): Promise<{ cas: readonly CaView[]; byCertificate: Map<string, CaView> }> {
    const now = this.#clock.now().getTime();
    if (this.#cache === undefined || now - this.#cache.at > CACHE_MS || now < this.#cache.at) {
      const cas = (await this.#ca.listCas()).filter((c) => c.certificate !== null && c.status !== 'failed');
      const byCertificate = new Map<string, CaView>();
      for (const ca of cas)
        byCertificate.set(Buffer.from(ca.certificate as Uint8Array).toString('base64'), ca);
      this.#cache = { at: now, cas, byCertificate };
    }
    return this.#cache;
  }

  async oemIntermediates(iso: 2 | 20): Promise<readonly Uint8Array[]> {
    const { cas } = await this.#cas();
    return cas
      .filter(
        (c) =>
          c.iso === (iso === 20 ? '20' : '2') &&
          (c.role === 'oem-sub1' ||
            c.role === 'oem-sub2' ||
            c.role === 'vehicle-sub1' ||
            c.role === 'vehicle-sub2'),
      )
      .map((c) => c.certificate as Uint8Array);
  }

  async isRevoked(certificate: Uint8Array, issuer: Uint8Array, serialHex?: string): Promise<boolean> {
    const { byCertificate } = await this.#cas();
    const ca = byCertificate.get(Buffer.from(issuer).toString('base64'));
    if (ca === undefined) return false;
    // A CA certificate of this server: its status is in the CA list (read at most every 5 s).
    const asCa = byCertificate.get(Buffer.from(certificate).toString('base64'));
    if (asCa !== undefined) return asCa.status === 'revoked';
    let serial = serialHex;
    if (serial === undefined) {
      try {
        serial = new X509Certificate(certificate).serialNumber;
      } catch {
        return false;
      }
    }
    return this.#ca.isRevoked(ca.id, serial);
  }

  /** The issuing CA of this server for a certificate, found by name and signature; undefined if none. */
  async #issuerHere(cert: X509Certificate): Promise<CaView | undefined> {
    const { cas } = await this.#cas();
    for (const ca of cas) {
      let issuer: X509Certificate;
      try {
        issuer = new X509Certificate(ca.certificate as Uint8Array);
      } catch {
        continue;
      }
      if (cert.checkIssued(issuer) && cert.verify(issuer.publicKey)) return ca;
    }
    return undefined;
  }

  /** Revocation status of a leaf this server's CA issued, without knowing its issuer; else 'unknown'. */
  async statusIssuedHere(certificate: Uint8Array): Promise<'good' | 'revoked' | 'unknown'> {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(certificate);
    } catch {
      return 'unknown';
    }
    const ca = await this.#issuerHere(cert);
    if (ca === undefined) return 'unknown';
    return (await this.#ca.revocationStatus(ca.id, cert.serialNumber)).status;
  }

  /**
   * OPCP deleteSignedContractData "Automatic revocation": a contract certificate issued by a CA of
   * this server (an operator-operated MO CA) is revoked (reason cessationOfOperation) before its
   * contract data is deleted; certificates of other PKIs are left alone.
   */
  async revokeIfIssuedHere(
    certificate: Uint8Array,
    actor: string,
  ): Promise<'revoked' | 'already-revoked' | 'not-issued-here'> {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(certificate);
    } catch {
      return 'not-issued-here';
    }
    const ca = await this.#issuerHere(cert);
    if (ca === undefined) return 'not-issued-here';
    const issued = await this.#ca.findCertificate(ca.id, cert.serialNumber);
    if (issued === undefined) return 'not-issued-here';
    if (issued.status === 'revoked') return 'already-revoked';
    try {
      await this.#ca.revoke({ id: issued.id, reason: 'cessationOfOperation', actor });
    } catch (error) {
      if (isAppError(error) && error.code === 'ca.already-revoked') return 'already-revoked';
      throw error;
    }
    return 'revoked';
  }
}
