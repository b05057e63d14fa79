// Certificate profiles as data. One object per (ISO version, certificate type); the lint
// module checks certificates against these objects and the issuance code builds templates
// from them. Every value carries its evidence: ISO 15118 Annex F (-2) / Annex B (-20) are not
// public, so most values come from the public generators and from what Hubject issues
// (../shared/docs/pki-profiles.md §1); see docs/pki-profile-decisions.md for each choice.

export type IsoVersion = '2' | '20';

/**
 * Certificate types. The names of the -2 types follow ../shared/vectors/pki/README.md
 * (`role` field) so real certificates can be matched to a profile without a mapping table.
 */
export type CertificateRole =
  | 'v2g-root'
  | 'cpo-sub1'
  | 'cpo-sub2'
  | 'secc-leaf'
  | 'mo-root'
  | 'mo-sub1'
  | 'mo-sub2'
  | 'contract-leaf'
  | 'oem-root'
  | 'oem-sub1'
  | 'oem-sub2'
  | 'oem-prov-leaf'
  | 'vehicle-sub1'
  | 'vehicle-sub2'
  | 'vehicle-leaf'
  | 'cps-sub1'
  | 'cps-sub2'
  | 'cps-leaf'
  | 'ocsp-signer'
  | 'pe-root'
  | 'pe-leaf';

export type CertificateKind = 'root' | 'sub-ca' | 'leaf';

/** Subject public key types. P-256 = secp256r1, P-521 = secp521r1 (RFC 5480 names in comments). */
export type KeyAlgorithm = 'P-256' | 'P-384' | 'P-521' | 'Ed25519' | 'Ed448';

/** Signature algorithms by their RFC 5758 / RFC 8410 names. */
export type SignatureAlgorithm =
  | 'ecdsa-with-SHA1'
  | 'ecdsa-with-SHA256'
  | 'ecdsa-with-SHA384'
  | 'ecdsa-with-SHA512'
  | 'Ed25519'
  | 'Ed448';

/** RFC 5280 §4.2.1.3 KeyUsage named bits, in bit order 0..8. */
export type KeyUsageBit =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

export type Severity = 'error' | 'warning';

/** Domain Component values used by ISO 15118 ([V2G2-925]; pki-profiles.md Summary 4). */
export type DomainComponent = 'V2G' | 'CPO' | 'CSO' | 'MO' | 'OEM' | 'CPS';

/** Subject DN attributes the profiles talk about (short names as in RFC 4514). */
export type DnAttribute = 'CN' | 'O' | 'C' | 'DC' | 'OU' | 'L' | 'ST';

/**
 * How the CN must be formed.
 * - `emaid`: ISO 15118-2 Annex H EMAID (check digit verified when present)
 * - `pcid`: provisioning certificate ID, 17 or 18 alphanumerics, WMI first
 * - `evse-or-secc-id`: an ISO EVSEID (`DE*ICE*E45B*78C`) or a -20 SECCID
 * - `none`: free text
 */
export type CommonNameRule = 'emaid' | 'pcid' | 'evse-or-secc-id' | 'none';

/** Method used to derive the SubjectKeyIdentifier when issuing. */
export type SkiMethod =
  /** RFC 5280 §4.2.1.2 (1): SHA-1 over the subjectPublicKey BIT STRING value, 20 bytes. */
  | 'rfc5280-sha1'
  /** Hubject: `0100` + low 60 bits of SHA-1 over the whole DER SubjectPublicKeyInfo, 8 bytes. */
  | 'hubject-64';

/** Where a profile value comes from; shown in lint messages and in the decision log. */
export interface Evidence {
  /** Clause or source, e.g. 'ISO 15118-2 Table F.2 (EVerest/EVerest#2096)'. */
  readonly clause: string;
  /** 'standard' = requirement text quoted publicly; 'observed' = public generators / real
   *  issuers; 'project' = our own choice where no source exists. */
  readonly basis: 'standard' | 'observed' | 'project';
}

export interface BasicConstraintsRule extends Evidence {
  readonly ca: boolean;
  /** Exact pathLenConstraint for CAs; null = must be absent. Ignored for leaves. */
  readonly pathLen: number | null;
  /** Severity of a pathLen deviation (roots: warning, sub-CAs: error). */
  readonly pathLenSeverity: Severity;
}

export interface KeyUsageRule extends Evidence {
  /** Missing → error. */
  readonly required: readonly KeyUsageBit[];
  /** Set by our issuance; missing → warning. */
  readonly recommended: readonly KeyUsageBit[];
  /** Tolerated, not set by our issuance. Every other bit → error. */
  readonly optional: readonly KeyUsageBit[];
  /**
   * Recommended bits that become merely optional when the subject key is Ed25519/Ed448:
   * EdDSA keys only sign (RFC 8410 §5), so e.g. keyAgreement is not set for them.
   */
  readonly ecOnly?: readonly KeyUsageBit[];
}

export interface ExtendedKeyUsageRule extends Evidence {
  /** OIDs that must be present (empty = EKU should be absent). */
  readonly required: readonly string[];
}

export interface SubjectRule extends Evidence {
  /** Attributes that must be present (error when absent). */
  readonly required: readonly DnAttribute[];
  /** Attributes our issuance sets; warning when absent. */
  readonly recommended: readonly DnAttribute[];
  /** Required DC value, or null when the profile demands none. */
  readonly domainComponent: DomainComponent | null;
  /** Severity of a missing or wrong DC ([V2G2-925] makes it fatal for leaves). */
  readonly domainComponentSeverity: Severity;
  readonly domainComponentClause: string;
}

export interface CommonNameSpec extends Evidence {
  readonly rule: CommonNameRule;
  readonly severity: Severity;
  /** Example CN for documentation and for building test certificates. */
  readonly example: string;
}

export interface ValidityRule extends Evidence {
  /** Shortest validity period (days) before a warning. */
  readonly minDays: number;
  /** Longest validity period (days) before a warning. */
  readonly maxDays: number;
  /** What our issuance uses unless configured otherwise. */
  readonly defaultDays: number;
}

export interface KeyIdentifierRule extends Evidence {
  /** Allowed SKI lengths in bytes. */
  readonly skiLengths: readonly number[];
  /** Severity when the SKI length is not in skiLengths. */
  readonly skiLengthSeverity: Severity;
  /** SKI derivation our issuance uses. */
  readonly skiMethod: SkiMethod;
}

export type Presence = 'required' | 'optional' | 'forbidden';

export interface AiaOcspRule extends Evidence {
  readonly presence: Presence;
  /** Severity when a required OCSP URL is absent. */
  readonly severity: Severity;
}

export interface CertificateProfile {
  /** Stable id, e.g. 'iso15118-2/contract-leaf'. */
  readonly id: string;
  readonly iso: IsoVersion;
  readonly role: CertificateRole;
  readonly kind: CertificateKind;
  readonly title: string;
  /** Allowed subject key types ([V2G20-2674]/[V2G20-2319] for -20). */
  readonly keyAlgorithms: readonly KeyAlgorithm[];
  /** Allowed signature algorithms (the issuer's key decides which one applies). */
  readonly signatureAlgorithms: readonly SignatureAlgorithm[];
  readonly algorithmClause: string;
  readonly basicConstraints: BasicConstraintsRule;
  readonly keyUsage: KeyUsageRule;
  readonly extendedKeyUsage: ExtendedKeyUsageRule;
  readonly subject: SubjectRule;
  readonly commonName: CommonNameSpec;
  readonly validity: ValidityRule;
  readonly keyIdentifiers: KeyIdentifierRule;
  readonly authorityInfoAccessOcsp: AiaOcspRule;
  /** No public ISO 15118 certificate carries a CRL DP; allowed, never required. */
  readonly crlDistributionPoints: Presence;
  /** OIDs of further extensions tolerated beyond the common set (e.g. SAN on TLS leaves). */
  readonly extraExtensions: readonly string[];
  /** XSD `certificateType` maxLength: 800 (-2), 1600 (-20). */
  readonly maxDerBytes: number;
  /** Free-text notes and the decision ids (P-0xx) that shaped the profile. */
  readonly notes: readonly string[];
}
