// X.509 certificate structure (RFC 5280 §4.1) read from DerNodes. Structural errors make the
// whole certificate unparseable (lint code x509.parse); anything that still leaves a usable
// structure is kept and judged by the individual lints.

import {
  type DerNode,
  decodeDer,
  decodeString,
  isContext,
  isUniversal,
  latin1,
  oidOf,
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_GENERALIZED_TIME,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_SEQUENCE,
  TAG_SET,
  TAG_UTC_TIME,
} from './der.ts';

export interface AlgorithmId {
  readonly oid: string;
  /** The parameters element, if any. */
  readonly parameters: DerNode | null;
  readonly raw: Uint8Array;
}

export interface AttributeValue {
  readonly oid: string;
  /** Universal tag of the value (12 UTF8String, 19 PrintableString, 22 IA5String, ...). */
  readonly tag: number;
  /** Decoded string, or null when the value is not a decodable string. */
  readonly value: string | null;
}

export interface ParsedName {
  readonly raw: Uint8Array;
  /** RDNs in encoding order (most significant first), each a SET of attributes. */
  readonly rdns: readonly (readonly AttributeValue[])[];
}

export interface ParsedTime {
  readonly date: Date;
  readonly type: 'UTCTime' | 'GeneralizedTime';
  readonly text: string;
  /** Matches the RFC 5280 §4.1.2.5.1/.2 form exactly (Z, seconds, no fraction). */
  readonly strictForm: boolean;
}

export interface ParsedSpki {
  readonly raw: Uint8Array;
  readonly algorithm: AlgorithmId;
  /** subjectPublicKey BIT STRING value without the unused-bits octet. */
  readonly publicKey: Uint8Array;
  readonly unusedBits: number;
}

export interface ParsedExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** extnValue OCTET STRING content (the DER of the extension value). */
  readonly value: Uint8Array;
  readonly index: number;
}

export interface ParsedCertificate {
  readonly der: Uint8Array;
  readonly tbsRaw: Uint8Array;
  /** 1, 2 or 3 (the encoded value plus one). */
  readonly version: number;
  /** INTEGER content octets, two's complement. */
  readonly serial: Uint8Array;
  readonly tbsSignatureAlgorithm: AlgorithmId;
  readonly signatureAlgorithm: AlgorithmId;
  readonly issuer: ParsedName;
  readonly subject: ParsedName;
  readonly notBefore: ParsedTime;
  readonly notAfter: ParsedTime;
  readonly spki: ParsedSpki;
  readonly hasUniqueIds: boolean;
  readonly extensions: readonly ParsedExtension[];
  readonly signatureValue: Uint8Array;
}

export type CertificateParseResult =
  | { readonly ok: true; readonly cert: ParsedCertificate; readonly derIssues: readonly string[] }
  | { readonly ok: false; readonly reason: string };

class StructureError extends Error {}

function fail(message: string): never {
  throw new StructureError(message);
}

function expectSequence(n: DerNode | undefined, what: string): readonly DerNode[] {
  if (!isUniversal(n, TAG_SEQUENCE) || !n.constructed) fail(`${what}: expected SEQUENCE`);
  return n.children;
}

export function parseAlgorithmId(n: DerNode | undefined, what: string): AlgorithmId {
  const parts = expectSequence(n, what);
  const oid = oidOf(parts[0]);
  if (oid === null || parts.length > 2) fail(`${what}: malformed AlgorithmIdentifier`);
  return { oid, parameters: parts[1] ?? null, raw: (n as DerNode).raw };
}

function parseName(n: DerNode | undefined, what: string, derIssues: string[]): ParsedName {
  const rdnNodes = expectSequence(n, what);
  const rdns: AttributeValue[][] = [];
  for (const set of rdnNodes) {
    if (!isUniversal(set, TAG_SET) || !set.constructed || set.children.length === 0) {
      fail(`${what}: RDN is not a non-empty SET`);
    }
    const attrs: AttributeValue[] = [];
    for (const atv of set.children) {
      const parts = expectSequence(atv, `${what} attribute`);
      const oid = oidOf(parts[0]);
      const valueNode = parts[1];
      if (oid === null || valueNode === undefined || parts.length !== 2)
        fail(`${what}: malformed AttributeTypeAndValue`);
      attrs.push({ oid, tag: valueNode.tag, value: decodeString(valueNode) });
    }
    // X.690 §11.6: SET OF components in ascending order of their encodings.
    for (let i = 1; i < set.children.length; i++) {
      if (compareBytes((set.children[i - 1] as DerNode).raw, (set.children[i] as DerNode).raw) > 0) {
        derIssues.push(`${what}: multi-valued RDN not sorted`);
      }
    }
    rdns.push(attrs);
  }
  return { raw: (n as DerNode).raw, rdns };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

const STRICT_UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const STRICT_GEN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
// Lenient forms still seen in the wild (X.680 allows them; RFC 5280 does not).
const LOOSE_UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;
const LOOSE_GEN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{4})?$/;

function parseTime(n: DerNode | undefined, what: string): ParsedTime {
  if (
    n === undefined ||
    n.constructed ||
    !(isUniversal(n, TAG_UTC_TIME) || isUniversal(n, TAG_GENERALIZED_TIME))
  ) {
    fail(`${what}: expected UTCTime or GeneralizedTime`);
  }
  const text = latin1(n.content);
  const utc = n.tag === TAG_UTC_TIME;
  const strict = (utc ? STRICT_UTC : STRICT_GEN).exec(text);
  const m = strict ?? (utc ? LOOSE_UTC : LOOSE_GEN).exec(text);
  if (m === null) fail(`${what}: unparseable time "${text}"`);
  let year = Number(m[1]);
  // RFC 5280 §4.1.2.5.1: YY >= 50 means 19YY, otherwise 20YY.
  if (utc) year += year >= 50 ? 1900 : 2000;
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5] ?? '0');
  const second = Number(m[6] ?? '0');
  const zone = m[7] ?? 'Z';
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (
    month < 1 ||
    month > 12 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    minute > 59 ||
    second > 59
  ) {
    fail(`${what}: invalid calendar time "${text}"`);
  }
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  return { date: new Date(ms), type: utc ? 'UTCTime' : 'GeneralizedTime', text, strictForm: strict !== null };
}

function parseSpki(n: DerNode | undefined): ParsedSpki {
  const parts = expectSequence(n, 'subjectPublicKeyInfo');
  const algorithm = parseAlgorithmId(parts[0], 'subjectPublicKeyInfo algorithm');
  const bits = parts[1];
  if (
    !isUniversal(bits, TAG_BIT_STRING) ||
    bits.constructed ||
    bits.content.length < 1 ||
    parts.length !== 2
  ) {
    fail('subjectPublicKeyInfo: expected BIT STRING');
  }
  return {
    raw: (n as DerNode).raw,
    algorithm,
    publicKey: bits.content.subarray(1),
    unusedBits: bits.content[0] as number,
  };
}

function parseExtensions(n: DerNode, derIssues: string[]): ParsedExtension[] {
  const list = n.children;
  if (list.length !== 1) fail('extensions: [3] must hold exactly one SEQUENCE');
  const items = expectSequence(list[0], 'extensions');
  // RFC 5280 §4.1: "a SEQUENCE of one or more certificate extensions".
  if (items.length === 0) derIssues.push('extensions: empty SEQUENCE (RFC 5280 §4.1 requires one or more)');
  return items.map((item, index) => {
    const parts = expectSequence(item, 'extension');
    const oid = oidOf(parts[0]);
    if (oid === null) fail('extension: missing extnID');
    let critical = false;
    let i = 1;
    if (isUniversal(parts[1], TAG_BOOLEAN)) {
      critical = parts[1].content[0] !== 0x00;
      // X.690 §11.5: a DEFAULT value is not encoded.
      if (!critical) derIssues.push(`extension ${oid}: critical FALSE encoded explicitly`);
      i = 2;
    }
    const value = parts[i];
    if (!isUniversal(value, TAG_OCTET_STRING) || value.constructed || parts.length !== i + 1) {
      fail(`extension ${oid}: expected extnValue OCTET STRING`);
    }
    return { oid, critical, value: value.content, index };
  });
}

/** Parse a DER certificate; never throws. */
export function parseCertificate(der: Uint8Array): CertificateParseResult {
  const decoded = decodeDer(der);
  if (!decoded.ok) return { ok: false, reason: decoded.reason };
  const derIssues = [...decoded.issues];
  try {
    const top = expectSequence(decoded.node, 'Certificate');
    if (top.length !== 3) fail('Certificate: expected tbsCertificate, signatureAlgorithm, signatureValue');
    const tbsNode = top[0] as DerNode;
    const tbs = expectSequence(tbsNode, 'tbsCertificate');
    let i = 0;
    let version = 1;
    const first = tbs[0];
    if (isContext(first, 0) && first.constructed) {
      const v = first.children[0];
      if (!isUniversal(v, TAG_INTEGER) || first.children.length !== 1 || v.content.length !== 1) {
        fail('version: malformed');
      }
      const value = v.content[0] as number;
      if (value > 2) fail(`version: unknown value ${value}`);
      version = value + 1;
      // X.690 §11.5: the DEFAULT v1 is not encoded in DER.
      if (value === 0) derIssues.push('version v1 encoded explicitly');
      i = 1;
    }
    const serialNode = tbs[i];
    if (!isUniversal(serialNode, TAG_INTEGER) || serialNode.constructed)
      fail('serialNumber: expected INTEGER');
    const tbsSignatureAlgorithm = parseAlgorithmId(tbs[i + 1], 'tbsCertificate signature');
    const issuer = parseName(tbs[i + 2], 'issuer', derIssues);
    const validity = expectSequence(tbs[i + 3], 'validity');
    if (validity.length !== 2) fail('validity: expected notBefore and notAfter');
    const notBefore = parseTime(validity[0], 'notBefore');
    const notAfter = parseTime(validity[1], 'notAfter');
    const subject = parseName(tbs[i + 4], 'subject', derIssues);
    const spki = parseSpki(tbs[i + 5]);
    let j = i + 6;
    let hasUniqueIds = false;
    while (isContext(tbs[j], 1) || isContext(tbs[j], 2)) {
      hasUniqueIds = true;
      j++;
    }
    let extensions: ParsedExtension[] = [];
    const extNode = tbs[j];
    if (isContext(extNode, 3) && extNode.constructed) {
      extensions = parseExtensions(extNode, derIssues);
      j++;
    }
    if (j !== tbs.length) fail('tbsCertificate: unexpected trailing elements');
    const signatureAlgorithm = parseAlgorithmId(top[1], 'signatureAlgorithm');
    const sig = top[2];
    if (!isUniversal(sig, TAG_BIT_STRING) || sig.constructed || sig.content.length < 1) {
      fail('signatureValue: expected BIT STRING');
    }
    return {
      ok: true,
      derIssues,
      cert: {
        der,
        tbsRaw: tbsNode.raw,
        version,
        serial: serialNode.content,
        tbsSignatureAlgorithm,
        signatureAlgorithm,
        issuer,
        subject,
        notBefore,
        notAfter,
        spki,
        hasUniqueIds,
        extensions,
        signatureValue: sig.content.subarray(1),
      },
    };
  } catch (e) {
    if (e instanceof StructureError) return { ok: false, reason: e.message };
    return { ok: false, reason: `unexpected parser failure: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Values of one attribute type in the name, in encoding order. */
export function nameValues(name: ParsedName, oid: string): AttributeValue[] {
  const out: AttributeValue[] = [];
  for (const rdn of name.rdns) for (const a of rdn) if (a.oid === oid) out.push(a);
  return out;
}
