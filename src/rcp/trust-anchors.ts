// What the other pools ask of the Root Certificate Pool: the roots they may trust. PCP checks a
// provisioning chain against OEM or V2G roots (OPCP docs/components/02), the CPS an MO chain against
// MO or V2G roots (spec-gaps.md item 48: Hubject contracts chain to the V2G root), the CCP a
// CertificateInstallationReq's OEM chain. A narrow interface, implemented by the RCP service.

export const ROOT_TYPES = ['V2G', 'MO', 'OEM', 'PE'] as const;
/** OPCP RootCertV2.rootType; PE = Private Environment (ISO 15118-20). */
export type RootType = (typeof ROOT_TYPES)[number];

export interface TrustedRoot {
  /** The pool's id of the root (the `rootCertificateId` of both APIs). */
  readonly id: string;
  readonly rootType: RootType;
  /** ISO 15118 edition the root belongs to (its key type: P-256 → 2, P-521 / Ed448 → 20). */
  readonly iso: 2 | 20;
  readonly der: Uint8Array;
  /** SHA-256 of the DER, lower-case hex without separators (spec-gaps.md item 7). */
  readonly fingerprintSha256: string;
  /** RFC 4514 string of the subject. */
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface TrustAnchorFilter {
  readonly types?: readonly RootType[];
  readonly iso?: 2 | 20;
}

export interface TrustAnchorSource {
  /** The roots currently trusted by the pool (not deleted), optionally filtered. */
  trustedRoots(filter?: TrustAnchorFilter): Promise<readonly TrustedRoot[]>;
}
