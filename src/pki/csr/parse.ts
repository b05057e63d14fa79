// PKCS#10 certification requests (RFC 2986): parsing with pkijs on top of a strict DER pass, and
// proof of possession — the CSR's own signature verified with the public key it carries
// (RFC 2986 §3 step 3; RFC 7030 §3.4 relies on it).

import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import * as pkijs from 'pkijs';
import { appError } from '../../errors/catalogue.ts';
import {
  children,
  contentOf,
  DerFormatError,
  decodeDer,
  type ExtensionEntry,
  expectSequence,
  expectSet,
  isContext,
  isUniversal,
  type Node,
  rawOf,
  readAlgorithmIdentifier,
  readBitStringOctets,
  readExtensions,
  readInteger,
  readOid,
  UNIVERSAL,
} from '../ocsp/asn1.ts';
import { OID, type PublicKeyAlgorithm, parseSpkiNode } from '../ocsp/x509.ts';

/** Largest CSR parsed. ISO 15118 CSRs are 0.2-0.8 KiB (a -20 certificate is ≤ 1600 bytes). */
export const CSR_MAX_BYTES = 16 * 1024;

export interface SubjectAttribute {
  readonly oid: string;
  /** Short name (RFC 4514 / X.520) when known: CN, O, OU, C, DC, L, ST, serialNumber, emailAddress. */
  readonly name?: string;
  readonly value: string;
  /** ASN.1 string type tag (12 UTF8String, 19 PrintableString, 22 IA5String, …). */
  readonly stringTag: number;
}

export interface CsrSubject {
  /** DER of the subject Name, byte for byte. */
  readonly der: Uint8Array;
  /** All attributes in order (multi-valued RDNs flattened). */
  readonly attributes: readonly SubjectAttribute[];
  readonly commonNames: readonly string[];
  readonly organizations: readonly string[];
  readonly countries: readonly string[];
  /** domainComponent values (RFC 4519 §2.4), the ISO 15118 role marker ([V2G2-925]). */
  readonly domainComponents: readonly string[];
}

export interface CsrPublicKey {
  readonly algorithm: PublicKeyAlgorithm;
  readonly algorithmOid: string;
  readonly curveOid?: string;
  readonly spkiDer: Uint8Array;
}

export type CsrSignatureAlgorithm =
  | 'ecdsa-with-SHA1'
  | 'ecdsa-with-SHA224'
  | 'ecdsa-with-SHA256'
  | 'ecdsa-with-SHA384'
  | 'ecdsa-with-SHA512'
  | 'Ed25519'
  | 'Ed448'
  | 'sha1WithRSAEncryption'
  | 'sha256WithRSAEncryption'
  | 'sha384WithRSAEncryption'
  | 'sha512WithRSAEncryption'
  | 'md5WithRSAEncryption'
  | 'unknown';

export interface ParsedCsr {
  readonly der: Uint8Array;
  readonly subject: CsrSubject;
  readonly publicKey: CsrPublicKey;
  readonly signatureAlgorithm: { readonly name: CsrSignatureAlgorithm; readonly oid: string };
  /** Extensions requested in the PKCS#9 extensionRequest attribute (RFC 2985 §5.4.2). */
  readonly requestedExtensions: readonly ExtensionEntry[];
  /** OIDs of the other attributes (e.g. challengePassword), informational. */
  readonly otherAttributes: readonly string[];
}

const NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

interface SignatureSpec {
  readonly name: CsrSignatureAlgorithm;
  readonly family: 'ecdsa' | 'eddsa' | 'rsa';
  /** node:crypto digest; null for pure EdDSA. */
  readonly digest: 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'md5' | null;
}

const SIGNATURES: Readonly<Record<string, SignatureSpec>> = {
  [OID.ecdsaWithSha1]: { name: 'ecdsa-with-SHA1', family: 'ecdsa', digest: 'sha1' },
  [OID.ecdsaWithSha224]: { name: 'ecdsa-with-SHA224', family: 'ecdsa', digest: 'sha224' },
  [OID.ecdsaWithSha256]: { name: 'ecdsa-with-SHA256', family: 'ecdsa', digest: 'sha256' },
  [OID.ecdsaWithSha384]: { name: 'ecdsa-with-SHA384', family: 'ecdsa', digest: 'sha384' },
  [OID.ecdsaWithSha512]: { name: 'ecdsa-with-SHA512', family: 'ecdsa', digest: 'sha512' },
  [OID.ed25519]: { name: 'Ed25519', family: 'eddsa', digest: null },
  [OID.ed448]: { name: 'Ed448', family: 'eddsa', digest: null },
  [OID.sha1WithRsa]: { name: 'sha1WithRSAEncryption', family: 'rsa', digest: 'sha1' },
  [OID.sha256WithRsa]: { name: 'sha256WithRSAEncryption', family: 'rsa', digest: 'sha256' },
  [OID.sha384WithRsa]: { name: 'sha384WithRSAEncryption', family: 'rsa', digest: 'sha384' },
  [OID.sha512WithRsa]: { name: 'sha512WithRSAEncryption', family: 'rsa', digest: 'sha512' },
  [OID.md5WithRsa]: { name: 'md5WithRSAEncryption', family: 'rsa', digest: 'md5' },
};

function malformed(message: string, details?: Record<string, unknown>): never {
  throw appError('csr.malformed', message, details === undefined ? {} : { details });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** DirectoryString and friends (RFC 5280 §4.1.2.4) to text; other types are malformed. */
function decodeString(node: Node, what: string): { value: string; tag: number } {
  if (node.idBlock.tagClass !== 1 || node.idBlock.isConstructed) {
    throw new DerFormatError(`${what}: expected a character string`);
  }
  const tag = node.idBlock.tagNumber;
  const bytes = contentOf(node);
  switch (tag) {
    case UNIVERSAL.UTF8_STRING:
      try {
        return { value: UTF8.decode(bytes), tag };
      } catch {
        throw new DerFormatError(`${what}: invalid UTF-8`);
      }
    case UNIVERSAL.PRINTABLE_STRING:
    case UNIVERSAL.IA5_STRING:
    case UNIVERSAL.VISIBLE_STRING:
      if (bytes.some((b) => b >= 0x80))
        throw new DerFormatError(`${what}: non-ASCII in an ASCII string type`);
      return { value: Buffer.from(bytes).toString('latin1'), tag };
    case UNIVERSAL.TELETEX_STRING:
      return { value: Buffer.from(bytes).toString('latin1'), tag };
    case UNIVERSAL.BMP_STRING: {
      if (bytes.length % 2 !== 0) throw new DerFormatError(`${what}: odd BMPString length`);
      let s = '';
      for (let i = 0; i < bytes.length; i += 2)
        s += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
      return { value: s, tag };
    }
    case UNIVERSAL.UNIVERSAL_STRING: {
      if (bytes.length % 4 !== 0) throw new DerFormatError(`${what}: bad UniversalString length`);
      let s = '';
      for (let i = 0; i < bytes.length; i += 4) {
        const cp =
          (((bytes[i] ?? 0) << 24) |
            ((bytes[i + 1] ?? 0) << 16) |
            ((bytes[i + 2] ?? 0) << 8) |
            (bytes[i + 3] ?? 0)) >>>
          0;
        if (cp > 0x10ffff) throw new DerFormatError(`${what}: bad code point`);
        s += String.fromCodePoint(cp);
      }
      return { value: s, tag };
    }
    default:
      throw new DerFormatError(`${what}: unsupported string type ${tag}`);
  }
}

function parseSubject(node: Node | undefined): CsrSubject {
  const attributes: SubjectAttribute[] = [];
  for (const rdn of expectSequence(node, 'subject')) {
    const atvs = expectSet(rdn, 'RelativeDistinguishedName');
    if (atvs.length === 0) throw new DerFormatError('empty RelativeDistinguishedName');
    for (const atv of atvs) {
      const parts = expectSequence(atv, 'AttributeTypeAndValue');
      if (parts.length !== 2) throw new DerFormatError('malformed AttributeTypeAndValue');
      const oid = readOid(parts[0], 'attribute type');
      const { value, tag } = decodeString(parts[1] as Node, `subject ${NAMES[oid] ?? oid}`);
      const name = NAMES[oid];
      attributes.push({ oid, value, stringTag: tag, ...(name === undefined ? {} : { name }) });
    }
  }
  const pick = (n: string) => attributes.filter((a) => a.name === n).map((a) => a.value);
  return {
    der: rawOf(node as Node),
    attributes,
    commonNames: pick('CN'),
    organizations: pick('O'),
    countries: pick('C'),
    domainComponents: pick('DC'),
  };
}

/**
 * Parses a DER CSR and verifies its signature (proof of possession). Throws AppError
 * 'csr.malformed' for anything that is not a well-formed PKCS#10 v1 request (size bound first:
 * 16 KiB) and 'csr.signature' when the signature does not verify or cannot be verified.
 */
export function parseCsr(der: Uint8Array): ParsedCsr {
  if (!(der instanceof Uint8Array)) malformed('CSR must be bytes');
  if (der.byteLength > CSR_MAX_BYTES)
    malformed('CSR too large', { size: der.byteLength, limit: CSR_MAX_BYTES });
  let parsed: { csr: ParsedCsr; tbs: Uint8Array; signature: Uint8Array; spec: SignatureSpec | undefined };
  try {
    parsed = parseStructure(der);
  } catch (e) {
    if (e instanceof DerFormatError) malformed(`malformed CSR: ${e.message}`);
    throw e;
  }
  verifyProofOfPossession(parsed.csr, parsed.tbs, parsed.signature, parsed.spec);
  return parsed.csr;
}

function parseStructure(der: Uint8Array) {
  const root = decodeDer(der, 'CertificationRequest');
  // pkijs checks the RFC 2986 schema; we then read the exact bytes ourselves (the signed
  // certificationRequestInfo and the subject must be used as received, never re-encoded).
  try {
    new pkijs.CertificationRequest({ schema: root });
  } catch (e) {
    throw new DerFormatError(
      `not a PKCS#10 CertificationRequest (${e instanceof Error ? e.message : 'schema'})`,
    );
  }
  const top = expectSequence(root, 'CertificationRequest');
  if (top.length !== 3) throw new DerFormatError('expected certificationRequestInfo, algorithm, signature');
  const info = expectSequence(top[0], 'certificationRequestInfo');
  // RFC 2986 §4.1 makes attributes mandatory (an empty [0] when there are none); a missing field
  // from sloppy encoders is tolerated as "no attributes".
  if (info.length !== 4 && info.length !== 3)
    throw new DerFormatError('certificationRequestInfo must have 4 elements');
  const version = readInteger(info[0], 'version').value;
  if (version !== 0n) throw new DerFormatError(`unsupported CSR version ${version}`);
  const subject = parseSubject(info[1]);
  const spki = parseSpkiNode(info[2], 'subjectPKInfo');
  // attributes [0] IMPLICIT SET OF Attribute
  const attributesNode = info[3];
  if (
    attributesNode !== undefined &&
    (!isContext(attributesNode, 0) || !attributesNode.idBlock.isConstructed)
  ) {
    throw new DerFormatError('attributes must be [0] IMPLICIT SET OF Attribute');
  }
  const requested: ExtensionEntry[] = [];
  const otherAttributes: string[] = [];
  let sawExtensionRequest = false;
  for (const attribute of attributesNode === undefined ? [] : children(attributesNode, 'attributes')) {
    const parts = expectSequence(attribute, 'Attribute');
    if (parts.length !== 2) throw new DerFormatError('malformed Attribute');
    const type = readOid(parts[0], 'attribute type');
    const values = expectSet(parts[1], 'attribute values');
    if (type === OID.extensionRequest) {
      // RFC 2985 §5.4.2: single-valued, and one attribute per request.
      if (sawExtensionRequest || values.length !== 1)
        throw new DerFormatError('extensionRequest must be single-valued');
      sawExtensionRequest = true;
      requested.push(...readExtensions(values[0], 'extensionRequest'));
    } else {
      otherAttributes.push(type);
    }
  }
  const alg = readAlgorithmIdentifier(top[1], 'signatureAlgorithm');
  const spec = SIGNATURES[alg.oid];
  // RFC 5758 §3.2 / RFC 8410 §3: ECDSA and EdDSA identifiers carry no parameters. A NULL from
  // sloppy encoders is tolerated for ECDSA; anything else is malformed. Unknown algorithms keep
  // their parameters and fail verification as csr.signature.
  if (
    spec !== undefined &&
    alg.parameters !== undefined &&
    !(spec.family !== 'eddsa' && isUniversal(alg.parameters, UNIVERSAL.NULL))
  ) {
    throw new DerFormatError('unexpected signature algorithm parameters');
  }
  const signature = readBitStringOctets(top[2], 'signature');
  const csr: ParsedCsr = {
    der: der.slice(),
    subject,
    publicKey: {
      algorithm: spki.algorithm,
      algorithmOid: spki.algorithmOid,
      spkiDer: spki.der,
      ...(spki.curveOid === undefined ? {} : { curveOid: spki.curveOid }),
    },
    signatureAlgorithm: { name: spec?.name ?? 'unknown', oid: alg.oid },
    requestedExtensions: requested,
    otherAttributes,
  };
  return { csr, tbs: rawOf(top[0] as Node), signature, spec };
}

function verifyProofOfPossession(
  csr: ParsedCsr,
  tbs: Uint8Array,
  signature: Uint8Array,
  spec: SignatureSpec | undefined,
): void {
  const fail: (message: string) => never = (message) => {
    throw appError('csr.signature', message, { details: { signatureAlgorithm: csr.signatureAlgorithm.oid } });
  };
  if (spec === undefined) fail(`cannot verify a CSR signed with ${csr.signatureAlgorithm.oid}`);
  const keyFamily =
    csr.publicKey.algorithm === 'Ed448' || csr.publicKey.algorithm === 'Ed25519'
      ? 'eddsa'
      : csr.publicKey.algorithm === 'RSA'
        ? 'rsa'
        : csr.publicKey.algorithmOid === OID.ecPublicKey
          ? 'ecdsa'
          : undefined;
  if (keyFamily !== spec.family)
    fail(`signature algorithm ${spec.name} does not fit the ${csr.publicKey.algorithm} key`);
  if (spec.family === 'eddsa' && spec.name !== csr.publicKey.algorithm) {
    fail(`signature algorithm ${spec.name} does not fit the ${csr.publicKey.algorithm} key`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(csr.publicKey.spkiDer), format: 'der', type: 'spki' });
  } catch {
    // An EC point off the curve, a curve node:crypto does not know, a truncated key.
    malformed('the CSR public key cannot be used', { algorithm: csr.publicKey.algorithmOid });
  }
  let ok = false;
  try {
    ok =
      spec.family === 'ecdsa'
        ? verify(spec.digest, tbs, { key, dsaEncoding: 'der' }, signature)
        : verify(spec.digest, tbs, key, signature);
  } catch {
    ok = false;
  }
  if (!ok) fail('the CSR signature does not verify with its public key (no proof of possession)');
}
