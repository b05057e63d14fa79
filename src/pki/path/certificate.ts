// One certificate as path validation sees it: the strict structural parse of the lint module
// (RFC 5280 §4.1; indefinite lengths, trailing bytes, unknown versions are refused), plus the
// extension values §6.1 needs, decoded once.

import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { namesEqual } from '../lint/algorithms.ts';
import type { AttributeValue, ParsedCertificate, ParsedName } from '../lint/certificate.ts';
import {
  bytesEqual,
  type DerNode,
  decodeDer,
  decodeString,
  isContext,
  isUniversal,
  oidOf,
  TAG_SEQUENCE,
  TAG_SET,
} from '../lint/der.ts';
import {
  type BasicConstraints,
  decodeBasicConstraints,
  decodeKeyUsage,
  decodeSubjectKeyIdentifier,
  EXTENSION_DECODERS,
} from '../lint/extensions.ts';
import { boundedParse } from '../lint/lint.ts';
import {
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_BASIC_CONSTRAINTS,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  OID_SUBJECT_KEY_IDENTIFIER,
} from '../profiles/oids.ts';
import type { KeyUsageBit } from '../profiles/types.ts';

export interface AuthorityKeyId {
  readonly keyIdentifier: Uint8Array | null;
  /** directoryName entries of authorityCertIssuer. */
  readonly issuerNames: readonly ParsedName[];
  /** authorityCertSerialNumber content octets. */
  readonly serial: Uint8Array | null;
}

export interface PathCert {
  readonly der: Uint8Array;
  readonly cert: ParsedCertificate;
  /** SHA-256 of the DER, hex: identity for cycle detection and de-duplication. */
  readonly id: string;
  /** null when absent; `malformed` lists extensions whose value does not decode. */
  readonly basicConstraints: BasicConstraints | null;
  readonly keyUsage: ReadonlySet<KeyUsageBit> | null;
  readonly ski: Uint8Array | null;
  readonly aki: AuthorityKeyId | null;
  /** Extension problems found while decoding: duplicates and undecodable values (RFC 5280 §4.2). */
  readonly extensionProblems: readonly string[];
  /** RFC 5280 §6.1: "self-issued" = the same DN in subject and issuer. */
  readonly selfIssued: boolean;
  /** Unused-bits octet of signatureValue (must be 0, X.509 signatures are whole octets). */
  readonly signatureUnusedBits: number;
  readonly hasSubjectAltName: boolean;
  readonly subjectAltNameEmpty: boolean;
  readonly subjectAltNameCritical: boolean;
}

export type PathCertResult =
  | { readonly ok: true; readonly cert: PathCert }
  | { readonly ok: false; readonly reason: string };

/** Names inside an AKI: a Name parsed like the lint parser does, without its DER-issue log. */
function parseNameNode(n: DerNode): ParsedName | null {
  if (!isUniversal(n, TAG_SEQUENCE) || !n.constructed) return null;
  const rdns: AttributeValue[][] = [];
  for (const set of n.children) {
    if (!isUniversal(set, TAG_SET) || !set.constructed || set.children.length === 0) return null;
    const attrs: AttributeValue[] = [];
    for (const atv of set.children) {
      const oid = oidOf(atv.children[0]);
      const value = atv.children[1];
      if (!isUniversal(atv, TAG_SEQUENCE) || oid === null || value === undefined || atv.children.length !== 2)
        return null;
      attrs.push({ oid, tag: value.tag, value: decodeString(value) });
    }
    rdns.push(attrs);
  }
  return { raw: n.raw, rdns };
}

/** RFC 5280 §4.2.1.1 AuthorityKeyIdentifier, with the fields X509_check_akid compares. */
export function decodeAki(value: Uint8Array): AuthorityKeyId | string {
  const d = decodeDer(value);
  if (!d.ok) return d.reason;
  const n = d.node;
  if (!isUniversal(n, TAG_SEQUENCE) || !n.constructed) return 'authorityKeyIdentifier: expected SEQUENCE';
  let keyIdentifier: Uint8Array | null = null;
  let serial: Uint8Array | null = null;
  let issuerSeen = false;
  const issuerNames: ParsedName[] = [];
  for (const c of n.children) {
    if (isContext(c, 0) && !c.constructed && keyIdentifier === null) keyIdentifier = c.content;
    else if (isContext(c, 1) && c.constructed && !issuerSeen) {
      issuerSeen = true;
      for (const gn of c.children) {
        // GeneralName directoryName [4] EXPLICIT Name.
        if (isContext(gn, 4) && gn.constructed && gn.children.length === 1) {
          const name = parseNameNode(gn.children[0] as DerNode);
          if (name === null) return 'authorityKeyIdentifier: malformed directoryName';
          issuerNames.push(name);
        }
      }
    } else if (isContext(c, 2) && !c.constructed && serial === null) serial = c.content;
    else return 'authorityKeyIdentifier: unexpected element';
  }
  return { keyIdentifier, issuerNames, serial };
}

/** INTEGER content without redundant leading zero octets, for serial comparison. */
function trimInteger(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && ((b[i + 1] as number) & 0x80) === 0) i++;
  return b.subarray(i);
}

/**
 * X509_check_akid semantics (RFC 5280 §4.2.1.1): an AKI that names another key, serial or
 * issuer rules the candidate out; missing fields on either side do not.
 */
export function akiMatches(child: PathCert, issuer: PathCert): boolean {
  const aki = child.aki;
  if (aki === null) return true;
  if (aki.keyIdentifier !== null && issuer.ski !== null && !bytesEqual(aki.keyIdentifier, issuer.ski))
    return false;
  if (aki.serial !== null && !bytesEqual(trimInteger(aki.serial), trimInteger(issuer.cert.serial)))
    return false;
  if (aki.issuerNames.length > 0 && !aki.issuerNames.some((n) => namesEqual(n, issuer.cert.issuer)))
    return false;
  return true;
}

/** Parse and decode; a reason instead of an exception for anything unusable. */
export function toPathCert(der: unknown): PathCertResult {
  const parsed = boundedParse(der, 'x509.parse');
  if ('code' in parsed) return { ok: false, reason: parsed.message };
  const cert = parsed.cert;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of cert.extensions) {
    // RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension."
    if (seen.has(e.oid)) problems.push(`extension ${e.oid} appears more than once`);
    seen.add(e.oid);
    const decoder = EXTENSION_DECODERS[e.oid];
    if (decoder !== undefined) {
      const d = decoder(e.value);
      if (!d.ok) problems.push(`extension ${e.oid} cannot be decoded: ${d.reason}`);
    }
  }
  const first = (oid: string) => cert.extensions.find((e) => e.oid === oid);
  const bcExt = first(OID_BASIC_CONSTRAINTS);
  const bc = bcExt === undefined ? null : decodeBasicConstraints(bcExt.value);
  const kuExt = first(OID_KEY_USAGE);
  const ku = kuExt === undefined ? null : decodeKeyUsage(kuExt.value);
  const skiExt = first(OID_SUBJECT_KEY_IDENTIFIER);
  const ski = skiExt === undefined ? null : decodeSubjectKeyIdentifier(skiExt.value);
  const akiExt = first(OID_AUTHORITY_KEY_IDENTIFIER);
  const aki = akiExt === undefined ? null : decodeAki(akiExt.value);
  if (typeof aki === 'string') problems.push(`authorityKeyIdentifier cannot be decoded: ${aki}`);
  const sanExt = first(OID_SUBJECT_ALT_NAME);
  let sanEmpty = false;
  if (sanExt !== undefined) {
    const d = decodeDer(sanExt.value);
    sanEmpty = !d.ok || d.node.children.length === 0;
  }
  // The signatureValue BIT STRING's unused-bits octet is dropped by the lint parser; read it back.
  const top = decodeDer(der as Uint8Array);
  const sigNode = top.ok ? top.node.children[2] : undefined;
  return {
    ok: true,
    cert: {
      der: der as Uint8Array,
      cert,
      id: createHash('sha256')
        .update(der as Uint8Array)
        .digest('hex'),
      basicConstraints: bc?.ok === true ? bc.value : null,
      keyUsage: ku?.ok === true ? ku.value.bits : null,
      ski: ski?.ok === true ? ski.value : null,
      aki: aki === null || typeof aki === 'string' ? null : aki,
      extensionProblems: problems,
      selfIssued: namesEqual(cert.subject, cert.issuer),
      signatureUnusedBits: sigNode?.content[0] ?? 0,
      hasSubjectAltName: sanExt !== undefined,
      subjectAltNameEmpty: sanEmpty,
      subjectAltNameCritical: sanExt?.critical === true,
    },
  };
}

/** Public key of a certificate as a node:crypto KeyObject (cached), or the reason it cannot be loaded. */
const keyCache = new WeakMap<PathCert, KeyObject | string>();
export function publicKeyOf(c: PathCert): KeyObject | string {
  const cached = keyCache.get(c);
  if (cached !== undefined) return cached;
  let key: KeyObject | string;
  try {
    key = createPublicKey({ key: Buffer.from(c.cert.spki.raw), format: 'der', type: 'spki' });
  } catch (e) {
    key = `public key cannot be loaded: ${e instanceof Error ? e.message : String(e)}`;
  }
  keyCache.set(c, key);
  return key;
}

/** The number of RDNs of a name (RFC 5280 §4.1.2.4 / §4.1.2.6 "empty" names have none). */
export function isEmptyName(n: ParsedName): boolean {
  return n.rdns.length === 0;
}
