// OPNC `revokeCertificate` (pki.api.v1.revokeCert.json; spec-gaps.md item 33): revocation of leaf
// certificates this PKI issued, by the subscriber or the operator.
//
// Request `{certificate, revocationReason}`: the certificate as the spec's example sends it (base64
// DER), or PEM, or base64 of a PEM (the spec says "base64 encoded PEM form" and its pattern allows
// both). The rules of the spec's description:
//   - "A certificate can be revoked only by the Certificate Authority that delivered it": the
//     certificate must be one of ours, byte for byte (issuer found by name, serial looked up, the
//     stored DER compared), else ca.not-found;
//   - "for leaf certificates": CA certificates are refused (ca.not-revocable; `pnc pki revoke` does
//     those);
//   - "A PKI certificate subscriber can only ask the revocation on one of his own certificates": the
//     caller's role must be the one that enrols that kind of leaf (SECC → CPO, contract → MO, OEM
//     provisioning → OEM) and the CN's identifier must be in its tenant scope; ADMIN may revoke any
//     leaf. CPS leaves, OCSP responder and vehicle certificates name no tenant: ADMIN only.
// The CA service revokes and writes the audit record (actor `client:<clientId>`); the OCSP responder's
// pre-signed responses of the certificate are dropped at once; the CRL shows it on the next fetch.

import {
  assertTenant,
  canAccessEmaid,
  canAccessOperator,
  canAccessPcid,
  type Principal,
  type Role,
} from '../auth/index.ts';
import type { CertificateAuthorityService, CertificateView } from '../ca/index.ts';
import { parseRevocationReason, revocationReasonName } from '../ca/index.ts';
import { appError } from '../errors/catalogue.ts';
import { nameValues, parseCertificate as parseForLint } from '../pki/lint/certificate.ts';
import { bytesEqual } from '../pki/ocsp/asn1.ts';
import { type CertificateInfo, parseCertificate } from '../pki/ocsp/index.ts';
import { getProfileById, parseEvseId, parseSeccId } from '../pki/profiles/index.ts';
import { decodeCertificateField as decodeCertificate } from '../pool-inputs/index.ts';

export interface RevokeCertificateRequest {
  readonly certificate: string;
  readonly revocationReason: string;
}

export interface RevokeCertificateResult {
  /** Serial as upper-case hex (OCPP CertificateHashData style). */
  readonly serialNumber: string;
  readonly revocationTime: string;
  readonly revocationReason: string;
}

export interface RevocationServiceDeps {
  readonly ca: Pick<CertificateAuthorityService, 'listCas' | 'findCertificate' | 'revoke'>;
  /** Called after a successful revocation (the OCSP responder drops its pre-signed responses). */
  readonly onRevoked: (issuerCaId: string, serialNumber: bigint) => void | Promise<void>;
}

const CN_OID = '2.5.4.3';
const _PEM = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;

/** Which role owns which kind of leaf (the one that enrols it over EST). */
const OWNER_ROLE: Readonly<Record<string, Role>> = {
  'secc-leaf': 'CPO',
  'contract-leaf': 'MO',
  'oem-prov-leaf': 'OEM',
};

/** base64 DER, PEM, or base64 of PEM → DER of exactly one certificate (src/pool-inputs). */
export function decodeCertificateField(text: string): Uint8Array {
  return decodeCertificate(text, { errorCode: 'pki.invalid-certificate' }).der;
}

export class RevocationService {
  readonly #deps: RevocationServiceDeps;

  constructor(deps: RevocationServiceDeps) {
    this.#deps = deps;
  }

  async revoke(principal: Principal, request: RevokeCertificateRequest): Promise<RevokeCertificateResult> {
    const der = decodeCertificateField(request.certificate);
    const reason = parseRevocationReason(request.revocationReason);
    const info = parseCertificate(der);
    const stored = await this.#findOurs(der, info);
    if (stored.subjectCaId !== null) {
      throw appError(
        'ca.not-revocable',
        'revokeCertificate revokes leaf certificates only; CA certificates are revoked by the operator (pnc pki revoke)',
      );
    }
    this.#authorise(principal, stored, der);
    const revoked = await this.#deps.ca.revoke({
      id: stored.id,
      reason,
      actor: `client:${principal.clientId}`,
    });
    await this.#deps.onRevoked(revoked.issuerCaId, info.serialNumber);
    return {
      serialNumber: info.serialNumber.toString(16).toUpperCase(),
      revocationTime: (revoked.revokedAt as Date).toISOString(),
      revocationReason: revocationReasonName(reason),
    };
  }

  /** The stored certificate that is byte for byte this one, among the CAs named as its issuer. */
  async #findOurs(der: Uint8Array, info: CertificateInfo): Promise<CertificateView> {
    const issuers = (await this.#deps.ca.listCas()).filter((ca) => {
      if (ca.certificate === null) return false;
      try {
        return bytesEqual(parseCertificate(ca.certificate).subjectDer, info.issuerDer);
      } catch {
        return false;
      }
    });
    for (const ca of issuers) {
      if (info.serialNumber <= 0n) break;
      const found = await this.#deps.ca.findCertificate(ca.id, info.serialNumber);
      if (found?.certificate != null && bytesEqual(found.certificate, der)) return found;
    }
    throw appError('ca.not-found', 'this certificate was not issued by a CA of this server');
  }

  #authorise(principal: Principal, stored: CertificateView, der: Uint8Array): void {
    if (principal.role === 'ADMIN') return;
    const role = getProfileById(stored.profileId)?.role;
    const owner = role === undefined ? undefined : OWNER_ROLE[role];
    if (owner !== principal.role) {
      throw appError(
        'auth.forbidden-role',
        `role ${principal.role} may not revoke this ${role ?? 'certificate'} (${owner === undefined ? 'ADMIN only' : `its subscribers are ${owner} clients`})`,
        { details: { role: principal.role, admitted: owner === undefined ? ['ADMIN'] : [owner, 'ADMIN'] } },
      );
    }
    const parsed = parseForLint(der);
    const cn = parsed.ok ? nameValues(parsed.cert.subject, CN_OID)[0]?.value : undefined;
    if (cn === undefined || cn === null) {
      throw appError('auth.forbidden-tenant', 'the certificate has no CN naming a tenant of this client');
    }
    if (role === 'secc-leaf') {
      const evse = parseEvseId(cn);
      const secc = evse.ok ? undefined : parseSeccId(cn);
      const id = evse.ok ? evse.value : secc?.ok === true ? secc.value : undefined;
      assertTenant(
        id !== undefined && canAccessOperator(principal, `${id.countryCode}${id.operatorId}`),
        `the SECC certificate "${cn}"`,
      );
    } else if (role === 'contract-leaf') {
      assertTenant(canAccessEmaid(principal, cn), `the contract certificate "${cn}"`);
    } else {
      assertTenant(canAccessPcid(principal, cn), `the provisioning certificate "${cn}"`);
    }
  }
}
