// Building certificates from a profile: the extension set each ISO 15118 profile asks for, the
// TBSCertificate (RFC 5280 §4.1) in DER, and the signed Certificate. Pure functions on bytes; the
// service decides what goes in and who signs.
//
// Extensions, in this order (docs/ca.md "Certificate contents"):
//   basicConstraints   critical; cA TRUE + pathLen per profile, or an empty SEQUENCE for leaves
//                      (cA FALSE is the DEFAULT and must not be encoded, X.690 §11.5; P-008/P-009)
//   keyUsage           critical (Table F.2, EVerest/EVerest#2096; P-011): required + recommended
//                      bits, minus the EC-only ones for Ed448 keys (RFC 8410 §5)
//   extendedKeyUsage   only where the profile requires one (OCSP signer, RFC 6960 §4.2.2.2); non-critical
//   subjectKeyIdentifier   profile method (20-byte SHA-1 for -2, Hubject 8-byte for -20; P-006)
//   authorityKeyIdentifier keyIdentifier = the issuer's SKI (roots: their own), RFC 5280 §4.2.1.1
//   authorityInfoAccess    OCSP `<publicUrl>/ocsp` on every non-root certificate (interop.md:
//                          CitrineOS rejects chains without it; P-015), not on OCSP signers (nocheck)
//   cRLDistributionPoints  `<publicUrl>/crl/<issuer CA id>` when enabled (off by default: no ISO
//                          15118 certificate carries one, P-016)
//   ocspNoCheck        OCSP signer only (RFC 6960 §4.2.2.2.1)

import { createHash } from 'node:crypto';
import { appError } from '../errors/catalogue.ts';
import {
  bitString,
  DER_NULL,
  DER_TRUE,
  explicit,
  implicitPrimitive,
  integer,
  namedBits,
  octetString,
  oid,
  sequence,
  tlv,
  x509Time,
} from '../pki/ocsp/asn1.ts';
import { KEY_USAGE_BIT, OID } from '../pki/ocsp/x509.ts';
import { computeSubjectKeyIdentifier } from '../pki/profiles/key-identifier.ts';
import { OID_AD_OCSP } from '../pki/profiles/oids.ts';
import type { CertificateProfile, KeyUsageBit } from '../pki/profiles/types.ts';
import type { KeyAlgorithm } from '../signer/types.ts';

export interface ExtensionSpec {
  readonly oid: string;
  readonly critical: boolean;
  /** DER of the extension value (the content of extnValue). */
  readonly value: Uint8Array;
}

/** The signature algorithm of an issuer key (RFC 5758 §3.2, RFC 8410 §3; parameters absent). */
export interface SignatureAlgorithmSpec {
  readonly name: 'ecdsa-with-SHA256' | 'ecdsa-with-SHA512' | 'Ed448';
  readonly der: Uint8Array;
  /** node:crypto digest for verification; null for pure EdDSA. */
  readonly digest: 'sha256' | 'sha512' | null;
}

/** P-256 → ecdsa-with-SHA256 (-2), P-521 → ecdsa-with-SHA512 ([V2G20-2673]), Ed448 ([V2G20-2319]). */
export function signatureAlgorithmFor(algorithm: KeyAlgorithm): SignatureAlgorithmSpec {
  switch (algorithm) {
    case 'P-256':
      return { name: 'ecdsa-with-SHA256', der: sequence(oid(OID.ecdsaWithSha256)), digest: 'sha256' };
    case 'P-521':
      return { name: 'ecdsa-with-SHA512', der: sequence(oid(OID.ecdsaWithSha512)), digest: 'sha512' };
    case 'Ed448':
      return { name: 'Ed448', der: sequence(oid(OID.ed448)), digest: null };
  }
}

/** Everything that goes into a TBSCertificate except the serial number. */
export interface TbsTemplate {
  readonly signatureAlgorithm: SignatureAlgorithmSpec;
  /** DER of the issuer Name: the issuer certificate's subject, byte for byte (RFC 5280 §4.1.2.4). */
  readonly issuerName: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectName: Uint8Array;
  readonly subjectPublicKeyInfo: Uint8Array;
  readonly extensions: readonly ExtensionSpec[];
}

/** TBSCertificate, version 3 (RFC 5280 §4.1.2.1), no unique identifiers. */
export function encodeTbsCertificate(template: TbsTemplate, serial: bigint): Uint8Array {
  if (serial <= 0n) throw new RangeError('serial numbers are positive (RFC 5280 §4.1.2.2)');
  const extensions = template.extensions.map((e) =>
    e.critical
      ? sequence(oid(e.oid), DER_TRUE, octetString(e.value))
      : sequence(oid(e.oid), octetString(e.value)),
  );
  return sequence(
    explicit(0, integer(2n)),
    integer(serial),
    template.signatureAlgorithm.der,
    template.issuerName,
    sequence(x509Time(template.notBefore, 'notBefore'), x509Time(template.notAfter, 'notAfter')),
    template.subjectName,
    template.subjectPublicKeyInfo,
    explicit(3, sequence(...extensions)),
  );
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 §4.1). */
export function assembleCertificate(
  tbs: Uint8Array,
  algorithm: SignatureAlgorithmSpec,
  signature: Uint8Array,
): Uint8Array {
  return sequence(tbs, algorithm.der, bitString(signature));
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

// --- Extensions --------------------------------------------------------------------------------------

function ascii(text: string, what: string): Uint8Array {
  // IA5String (RFC 5280 §4.2.1.6: URIs in GeneralName are IA5String; the URL parser already
  // percent-encodes and punycodes, so anything else is a bug upstream).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the IA5 range starts at U+0000
  if (!/^[\x00-\x7f]*$/.test(text)) throw appError('ca.invalid-request', `${what} is not ASCII: ${text}`);
  return new TextEncoder().encode(text);
}

/** GeneralName uniformResourceIdentifier [6] IMPLICIT IA5String. */
function uriName(uri: string): Uint8Array {
  return implicitPrimitive(6, ascii(uri, 'URL'));
}

export function basicConstraintsExtension(profile: CertificateProfile): ExtensionSpec {
  const rule = profile.basicConstraints;
  const value = rule.ca
    ? sequence(DER_TRUE, ...(rule.pathLen === null ? [] : [integer(BigInt(rule.pathLen))]))
    : sequence();
  return { oid: OID.basicConstraints, critical: true, value };
}

/** The keyUsage bits our issuance sets for this profile and subject key. */
export function keyUsageBitsFor(profile: CertificateProfile, subjectKey: KeyAlgorithm): KeyUsageBit[] {
  const rule = profile.keyUsage;
  const ecOnly = new Set(rule.ecOnly ?? []);
  const edwards = subjectKey === 'Ed448';
  const bits = [...rule.required, ...rule.recommended.filter((b) => !(edwards && ecOnly.has(b)))];
  return [...new Set(bits)];
}

export function keyUsageExtension(bits: readonly KeyUsageBit[]): ExtensionSpec {
  return {
    oid: OID.keyUsage,
    critical: true,
    value: namedBits(bits.map((b) => KEY_USAGE_BIT[b])),
  };
}

export function extendedKeyUsageExtension(purposes: readonly string[]): ExtensionSpec {
  return { oid: OID.extKeyUsage, critical: false, value: sequence(...purposes.map((p) => oid(p))) };
}

export function subjectKeyIdentifierExtension(ski: Uint8Array): ExtensionSpec {
  return { oid: OID.subjectKeyIdentifier, critical: false, value: octetString(ski) };
}

export function authorityKeyIdentifierExtension(issuerSki: Uint8Array): ExtensionSpec {
  // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING, ... }
  return {
    oid: OID.authorityKeyIdentifier,
    critical: false,
    value: sequence(implicitPrimitive(0, issuerSki)),
  };
}

export function ocspAccessExtension(ocspUrl: string): ExtensionSpec {
  // AuthorityInfoAccessSyntax ::= SEQUENCE OF AccessDescription { accessMethod, accessLocation }
  return {
    oid: OID.authorityInfoAccess,
    critical: false,
    value: sequence(sequence(oid(OID_AD_OCSP), uriName(ocspUrl))),
  };
}

export function crlDistributionPointsExtension(crlUrl: string): ExtensionSpec {
  // DistributionPoint { distributionPoint [0] DistributionPointName { fullName [0] GeneralNames } }
  // (RFC 5280 §4.2.1.13; both tags are constructed: a CHOICE and a SEQUENCE OF, implicitly tagged).
  return {
    oid: OID.crlDistributionPoints,
    critical: false,
    value: sequence(sequence(tlv(0xa0, tlv(0xa0, uriName(crlUrl))))),
  };
}

export function ocspNoCheckExtension(): ExtensionSpec {
  return { oid: OID.ocspNoCheck, critical: false, value: DER_NULL };
}

export interface ExtensionInputs {
  readonly profile: CertificateProfile;
  readonly subjectPublicKeyInfo: Uint8Array;
  readonly subjectKeyAlgorithm: KeyAlgorithm;
  /** The issuer's SKI; for a root, omit (its own SKI is used). */
  readonly issuerSki?: Uint8Array;
  /** `${publicUrl}/ocsp`, or null to leave AIA out. */
  readonly ocspUrl: string | null;
  /** `${publicUrl}/crl/<caId>`, or null to leave the CRL DP out. */
  readonly crlUrl: string | null;
}

/** The extensions of a certificate of this profile (see the header for the rules). */
export function profileExtensions(input: ExtensionInputs): { extensions: ExtensionSpec[]; ski: Uint8Array } {
  const { profile } = input;
  const ski = computeSubjectKeyIdentifier(input.subjectPublicKeyInfo, profile.keyIdentifiers.skiMethod);
  const out: ExtensionSpec[] = [
    basicConstraintsExtension(profile),
    keyUsageExtension(keyUsageBitsFor(profile, input.subjectKeyAlgorithm)),
  ];
  if (profile.extendedKeyUsage.required.length > 0) {
    out.push(extendedKeyUsageExtension(profile.extendedKeyUsage.required));
  }
  out.push(subjectKeyIdentifierExtension(ski));
  out.push(authorityKeyIdentifierExtension(input.issuerSki ?? ski));
  if (input.ocspUrl !== null) out.push(ocspAccessExtension(input.ocspUrl));
  if (input.crlUrl !== null && profile.crlDistributionPoints !== 'forbidden') {
    out.push(crlDistributionPointsExtension(input.crlUrl));
  }
  if (profile.role === 'ocsp-signer') out.push(ocspNoCheckExtension());
  return { extensions: out, ski };
}
