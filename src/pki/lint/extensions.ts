// Decoders for the extension values the profiles talk about (RFC 5280 §4.2, RFC 6960
// §4.2.2.2.1). Each returns a value or a reason; DER-only problems are reported separately
// so a merely non-canonical extension is still judged on its content.

import {
  OID_AUTHORITY_INFO_ACCESS,
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_BASIC_CONSTRAINTS,
  OID_CERTIFICATE_POLICIES,
  OID_CRL_DISTRIBUTION_POINTS,
  OID_EXTENDED_KEY_USAGE,
  OID_INHIBIT_ANY_POLICY,
  OID_KEY_USAGE,
  OID_NAME_CONSTRAINTS,
  OID_OCSP_NOCHECK,
  OID_POLICY_CONSTRAINTS,
  OID_SUBJECT_ALT_NAME,
  OID_SUBJECT_ALT_PUBLIC_KEY_INFO,
  OID_SUBJECT_KEY_IDENTIFIER,
} from '../profiles/oids.ts';
import type { KeyUsageBit } from '../profiles/types.ts';
import type { ParsedCertificate, ParsedExtension } from './certificate.ts';
import {
  type DerNode,
  decodeDer,
  isContext,
  isUniversal,
  latin1,
  oidOf,
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_INTEGER,
  TAG_NULL,
  TAG_OCTET_STRING,
  TAG_SEQUENCE,
} from './der.ts';

export type Decoded<T> =
  | { readonly ok: true; readonly value: T; readonly derIssues: readonly string[] }
  | { readonly ok: false; readonly reason: string };

export type ExtensionState<T> =
  | { readonly state: 'absent' }
  | { readonly state: 'malformed'; readonly ext: ParsedExtension; readonly reason: string }
  | {
      readonly state: 'ok';
      readonly ext: ParsedExtension;
      readonly value: T;
      readonly derIssues: readonly string[];
    };

export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLen: number | null;
  /** cA FALSE written out although it is the DEFAULT (X.690 §11.5). */
  readonly caFalseExplicit: boolean;
}

export interface KeyUsage {
  readonly bits: ReadonlySet<KeyUsageBit>;
}

export interface AuthorityKeyIdentifier {
  readonly keyIdentifier: Uint8Array | null;
  readonly hasIssuerAndSerial: boolean;
}

export interface AccessDescription {
  readonly method: string;
  /** URI for uniformResourceIdentifier locations, else null. */
  readonly uri: string | null;
}

export const KEY_USAGE_BITS: readonly KeyUsageBit[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

function decode<T>(value: Uint8Array, read: (n: DerNode, issues: string[]) => T | string): Decoded<T> {
  const d = decodeDer(value);
  if (!d.ok) return { ok: false, reason: d.reason };
  const issues = [...d.issues];
  const r = read(d.node, issues);
  if (typeof r === 'string') return { ok: false, reason: r };
  return { ok: true, value: r, derIssues: issues };
}

function smallInteger(n: DerNode): number | null {
  const c = n.content;
  if (c.length === 0 || c.length > 6 || ((c[0] as number) & 0x80) !== 0) return null;
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

/** RFC 5280 §4.2.1.9. */
export function decodeBasicConstraints(value: Uint8Array): Decoded<BasicConstraints> {
  return decode(value, (n) => {
    if (!isUniversal(n, TAG_SEQUENCE) || !n.constructed) return 'basicConstraints: expected SEQUENCE';
    let ca = false;
    let caFalseExplicit = false;
    let pathLen: number | null = null;
    let i = 0;
    const first = n.children[0];
    if (isUniversal(first, TAG_BOOLEAN)) {
      ca = first.content[0] !== 0x00;
      caFalseExplicit = !ca;
      i = 1;
    }
    const p = n.children[i];
    if (p !== undefined) {
      if (!isUniversal(p, TAG_INTEGER)) return 'basicConstraints: pathLenConstraint is not an INTEGER';
      pathLen = smallInteger(p);
      if (pathLen === null) return 'basicConstraints: pathLenConstraint out of range';
      i++;
    }
    if (i !== n.children.length) return 'basicConstraints: unexpected elements';
    return { ca, pathLen, caFalseExplicit };
  });
}

/** RFC 5280 §4.2.1.3: a named BIT STRING, trailing zero bits removed in DER (X.690 §11.2.2). */
export function decodeKeyUsage(value: Uint8Array): Decoded<KeyUsage> {
  return decode(value, (n, issues) => {
    if (!isUniversal(n, TAG_BIT_STRING) || n.constructed || n.content.length < 1)
      return 'keyUsage: expected BIT STRING';
    const unused = n.content[0] as number;
    const bytes = n.content.subarray(1);
    if (bytes.length > 2) return 'keyUsage: more than 9 bits';
    const bits = new Set<KeyUsageBit>();
    KEY_USAGE_BITS.forEach((name, index) => {
      const byte = bytes[index >> 3];
      if (byte !== undefined && (byte & (0x80 >> (index & 7))) !== 0) bits.add(name);
    });
    if (bytes.length > 0) {
      const last = bytes[bytes.length - 1] as number;
      if (last === 0) issues.push('keyUsage: trailing zero octet in named BIT STRING');
      else {
        let trailing = 0;
        while (((last >> trailing) & 1) === 0) trailing++;
        if (trailing !== unused) issues.push('keyUsage: named BIT STRING not trimmed to its last set bit');
      }
    }
    return { bits };
  });
}

/** RFC 5280 §4.2.1.12. */
export function decodeExtendedKeyUsage(value: Uint8Array): Decoded<readonly string[]> {
  return decode(value, (n) => {
    if (!isUniversal(n, TAG_SEQUENCE) || !n.constructed || n.children.length === 0)
      return 'extKeyUsage: expected non-empty SEQUENCE';
    const out: string[] = [];
    for (const c of n.children) {
      const oid = oidOf(c);
      if (oid === null) return 'extKeyUsage: element is not an OID';
      out.push(oid);
    }
    return out;
  });
}

/** RFC 5280 §4.2.1.2. */
export function decodeSubjectKeyIdentifier(value: Uint8Array): Decoded<Uint8Array> {
  return decode(value, (n) => {
    if (!isUniversal(n, TAG_OCTET_STRING) || n.constructed)
      return 'subjectKeyIdentifier: expected OCTET STRING';
    if (n.content.length === 0) return 'subjectKeyIdentifier: empty';
    return n.content;
  });
}

/** RFC 5280 §4.2.1.1. */
export function decodeAuthorityKeyIdentifier(value: Uint8Array): Decoded<AuthorityKeyIdentifier> {
  return decode(value, (n) => {
    if (!isUniversal(n, TAG_SEQUENCE) || !n.constructed) return 'authorityKeyIdentifier: expected SEQUENCE';
    let keyIdentifier: Uint8Array | null = null;
    let issuer = false;
    let serial = false;
    for (const c of n.children) {
      if (isContext(c, 0) && !c.constructed) keyIdentifier = c.content;
      else if (isContext(c, 1) && c.constructed) issuer = true;
      else if (isContext(c, 2) && !c.constructed) serial = true;
      else return 'authorityKeyIdentifier: unexpected element';
    }
    // RFC 5280 §4.2.1.1 / X.509: issuer and serial come together.
    if (issuer !== serial)
      return 'authorityKeyIdentifier: authorityCertIssuer and serial must appear together';
    return { keyIdentifier, hasIssuerAndSerial: issuer };
  });
}

/** RFC 5280 §4.2.2.1. */
export function decodeAuthorityInfoAccess(value: Uint8Array): Decoded<readonly AccessDescription[]> {
  return decode(value, (n) => {
    if (!isUniversal(n, TAG_SEQUENCE) || !n.constructed || n.children.length === 0)
      return 'authorityInfoAccess: expected non-empty SEQUENCE';
    const out: AccessDescription[] = [];
    for (const ad of n.children) {
      if (!isUniversal(ad, TAG_SEQUENCE) || ad.children.length !== 2)
        return 'authorityInfoAccess: malformed AccessDescription';
      const method = oidOf(ad.children[0]);
      const loc = ad.children[1] as DerNode;
      if (method === null || loc.cls !== 3) return 'authorityInfoAccess: malformed AccessDescription';
      // GeneralName uniformResourceIdentifier [6] IMPLICIT IA5String.
      out.push({ method, uri: isContext(loc, 6) && !loc.constructed ? latin1(loc.content) : null });
    }
    return out;
  });
}

function decodeNonEmptySequence(name: string) {
  return (value: Uint8Array): Decoded<true> =>
    decode(value, (n) =>
      isUniversal(n, TAG_SEQUENCE) && n.constructed && n.children.length > 0
        ? true
        : `${name}: expected non-empty SEQUENCE`,
    );
}

/** RFC 5280 §4.2.1.4: certificatePolicies, returns the policy OIDs. */
export function decodeCertificatePolicies(value: Uint8Array): Decoded<readonly string[]> {
  return decode(value, (n) => {
    if (!isUniversal(n, TAG_SEQUENCE) || !n.constructed || n.children.length === 0)
      return 'certificatePolicies: expected non-empty SEQUENCE';
    const out: string[] = [];
    for (const p of n.children) {
      const oid = isUniversal(p, TAG_SEQUENCE) ? oidOf(p.children[0]) : null;
      if (oid === null) return 'certificatePolicies: malformed PolicyInformation';
      out.push(oid);
    }
    return out;
  });
}

/** RFC 6960 §4.2.2.2.1: id-pkix-ocsp-nocheck has a NULL value. */
export function decodeOcspNoCheck(value: Uint8Array): Decoded<true> {
  return decode(value, (n) => (isUniversal(n, TAG_NULL) ? true : 'ocspNoCheck: expected NULL'));
}

function decodeAnyDer(value: Uint8Array): Decoded<true> {
  return decode(value, () => true);
}

/** Decoders by extension OID; the key set is also the set of extensions this linter recognises. */
export const EXTENSION_DECODERS: Readonly<Record<string, (value: Uint8Array) => Decoded<unknown>>> = {
  [OID_BASIC_CONSTRAINTS]: decodeBasicConstraints,
  [OID_KEY_USAGE]: decodeKeyUsage,
  [OID_EXTENDED_KEY_USAGE]: decodeExtendedKeyUsage,
  [OID_SUBJECT_KEY_IDENTIFIER]: decodeSubjectKeyIdentifier,
  [OID_AUTHORITY_KEY_IDENTIFIER]: decodeAuthorityKeyIdentifier,
  [OID_AUTHORITY_INFO_ACCESS]: decodeAuthorityInfoAccess,
  [OID_SUBJECT_ALT_NAME]: decodeNonEmptySequence('subjectAltName'),
  [OID_CRL_DISTRIBUTION_POINTS]: decodeNonEmptySequence('cRLDistributionPoints'),
  [OID_CERTIFICATE_POLICIES]: decodeCertificatePolicies,
  [OID_OCSP_NOCHECK]: decodeOcspNoCheck,
  [OID_NAME_CONSTRAINTS]: decodeNonEmptySequence('nameConstraints'),
  [OID_POLICY_CONSTRAINTS]: decodeNonEmptySequence('policyConstraints'),
  [OID_INHIBIT_ANY_POLICY]: (v) =>
    decode(v, (n) => (isUniversal(n, TAG_INTEGER) ? true : 'inhibitAnyPolicy: expected INTEGER')),
  [OID_SUBJECT_ALT_PUBLIC_KEY_INFO]: decodeAnyDer,
};

/** First occurrence of an extension, decoded. Duplicates are a lint of their own. */
export function extensionState<T>(
  cert: ParsedCertificate,
  oid: string,
  decoder: (value: Uint8Array) => Decoded<T>,
): ExtensionState<T> {
  const ext = cert.extensions.find((e) => e.oid === oid);
  if (ext === undefined) return { state: 'absent' };
  const d = decoder(ext.value);
  if (!d.ok) return { state: 'malformed', ext, reason: d.reason };
  return { state: 'ok', ext, value: d.value, derIssues: d.derIssues };
}

export interface DecodedExtensions {
  readonly basicConstraints: ExtensionState<BasicConstraints>;
  readonly keyUsage: ExtensionState<KeyUsage>;
  readonly extendedKeyUsage: ExtensionState<readonly string[]>;
  readonly subjectKeyIdentifier: ExtensionState<Uint8Array>;
  readonly authorityKeyIdentifier: ExtensionState<AuthorityKeyIdentifier>;
  readonly authorityInfoAccess: ExtensionState<readonly AccessDescription[]>;
  readonly ocspNoCheck: ExtensionState<true>;
}

export function decodeExtensions(cert: ParsedCertificate): DecodedExtensions {
  return {
    basicConstraints: extensionState(cert, OID_BASIC_CONSTRAINTS, decodeBasicConstraints),
    keyUsage: extensionState(cert, OID_KEY_USAGE, decodeKeyUsage),
    extendedKeyUsage: extensionState(cert, OID_EXTENDED_KEY_USAGE, decodeExtendedKeyUsage),
    subjectKeyIdentifier: extensionState(cert, OID_SUBJECT_KEY_IDENTIFIER, decodeSubjectKeyIdentifier),
    authorityKeyIdentifier: extensionState(cert, OID_AUTHORITY_KEY_IDENTIFIER, decodeAuthorityKeyIdentifier),
    authorityInfoAccess: extensionState(cert, OID_AUTHORITY_INFO_ACCESS, decodeAuthorityInfoAccess),
    ocspNoCheck: extensionState(cert, OID_OCSP_NOCHECK, decodeOcspNoCheck),
  };
}
