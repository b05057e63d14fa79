// The few X.509 facts the OCSP responder, the CRL issuer and the EST encoder need from a
// certificate (RFC 5280 §4.1), plus signing a TBS structure through the Signer port. Kept small on
// purpose: full certificate linting lives in src/pki/lint.

import { createPublicKey } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { Signer } from '../../signer/index.ts';
import {
  bitString,
  DerFormatError,
  decodeDer,
  type ExtensionEntry,
  expectSequence,
  explicitInner,
  isContext,
  isUniversal,
  type Node,
  oid,
  rawOf,
  readAlgorithmIdentifier,
  readBitStringOctets,
  readBoolean,
  readExtensions,
  readInteger,
  readNamedBits,
  readOctetString,
  readOid,
  sequence,
  UNIVERSAL,
} from './asn1.ts';

export const OID = {
  // RFC 5280 §4.2.1.x
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
  // RFC 5280 §4.2.1.12
  kpServerAuth: '1.3.6.1.5.5.7.3.1',
  kpClientAuth: '1.3.6.1.5.5.7.3.2',
  kpOcspSigning: '1.3.6.1.5.5.7.3.9',
  // RFC 6960 §4.2.1, §4.2.2.2.1, §4.4.1
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',
  ocspCrlId: '1.3.6.1.5.5.7.48.1.3',
  ocspAcceptableResponses: '1.3.6.1.5.5.7.48.1.4',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  ocspServiceLocator: '1.3.6.1.5.5.7.48.1.7',
  ocspPreferredSignatureAlgorithms: '1.3.6.1.5.5.7.48.1.8',
  // Keys (RFC 5480 §2.1.1, RFC 8410 §3, RFC 8017)
  ecPublicKey: '1.2.840.10045.2.1',
  secp256r1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
  secp521r1: '1.3.132.0.35',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  rsaEncryption: '1.2.840.113549.1.1.1',
  // Signatures (RFC 5758 §3.2, RFC 8410 §3, RFC 4055)
  ecdsaWithSha1: '1.2.840.10045.4.1',
  ecdsaWithSha224: '1.2.840.10045.4.3.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  md5WithRsa: '1.2.840.113549.1.1.4',
  rsassaPss: '1.2.840.113549.1.1.10',
  // Hashes (RFC 3279 §2.2.1, RFC 5754 §2)
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  // CMS (RFC 5652 §4, §5)
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  // PKCS#9 (RFC 2985 §5.4.2)
  extensionRequest: '1.2.840.113549.1.9.14',
} as const;

/** Public key types we can name; anything else is 'unknown' with its OIDs kept. */
export type PublicKeyAlgorithm = 'P-256' | 'P-384' | 'P-521' | 'Ed25519' | 'Ed448' | 'RSA' | 'unknown';

export interface SpkiInfo {
  readonly algorithm: PublicKeyAlgorithm;
  readonly algorithmOid: string;
  /** namedCurve OID for EC keys. */
  readonly curveOid?: string;
  /** subjectPublicKey BIT STRING value (no unused-bits octet): what OCSP's issuerKeyHash hashes. */
  readonly publicKey: Uint8Array;
  readonly der: Uint8Array;
}

export function parseSpkiNode(node: Node | undefined, what: string): SpkiInfo {
  const parts = expectSequence(node, what);
  if (parts.length !== 2) throw new DerFormatError(`${what}: malformed SubjectPublicKeyInfo`);
  const alg = readAlgorithmIdentifier(parts[0], `${what} algorithm`);
  const publicKey = readBitStringOctets(parts[1], `${what} subjectPublicKey`);
  let algorithm: PublicKeyAlgorithm = 'unknown';
  let curveOid: string | undefined;
  if (alg.oid === OID.ecPublicKey) {
    // RFC 5480 §2.1.1: parameters MUST be a namedCurve for our profiles.
    if (isUniversal(alg.parameters, UNIVERSAL.OID)) {
      curveOid = readOid(alg.parameters, `${what} namedCurve`);
      algorithm =
        curveOid === OID.secp256r1
          ? 'P-256'
          : curveOid === OID.secp384r1
            ? 'P-384'
            : curveOid === OID.secp521r1
              ? 'P-521'
              : 'unknown';
    }
  } else if (alg.oid === OID.ed448 || alg.oid === OID.ed25519) {
    // RFC 8410 §3: parameters MUST be absent.
    if (alg.parameters !== undefined) throw new DerFormatError(`${what}: EdDSA key with parameters`);
    algorithm = alg.oid === OID.ed448 ? 'Ed448' : 'Ed25519';
  } else if (alg.oid === OID.rsaEncryption) {
    algorithm = 'RSA';
  }
  const base = { algorithm, algorithmOid: alg.oid, publicKey, der: rawOf(node as Node) };
  return curveOid === undefined ? base : { ...base, curveOid };
}

export function parseSpki(der: Uint8Array): SpkiInfo {
  return parseSpkiNode(decodeDer(der, 'SubjectPublicKeyInfo'), 'SubjectPublicKeyInfo');
}

export interface CertificateInfo {
  readonly der: Uint8Array;
  readonly serialNumber: bigint;
  /** DER of the issuer Name, byte for byte. */
  readonly issuerDer: Uint8Array;
  /** DER of the subject Name, byte for byte. */
  readonly subjectDer: Uint8Array;
  readonly notBefore: Date;
  /** Inclusive (RFC 5280 §4.1.2.5). */
  readonly notAfter: Date;
  readonly spki: SpkiInfo;
  readonly extensions: readonly ExtensionEntry[];
  readonly subjectKeyIdentifier?: Uint8Array;
  /** Extended key usage OIDs, or undefined when the extension is absent. */
  readonly extKeyUsage?: readonly string[];
  /** Named KeyUsage bits (RFC 5280 §4.2.1.3), or undefined when the extension is absent. */
  readonly keyUsageBits?: readonly number[];
  readonly isCa: boolean;
}

/** KeyUsage bit numbers (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_BIT = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;

/** RFC 5280 Time: UTCTime or GeneralizedTime. */
function readTime(node: Node | undefined, what: string): Date {
  if (!(node instanceof asn1js.UTCTime) && !(node instanceof asn1js.GeneralizedTime)) {
    throw new DerFormatError(`${what}: expected UTCTime or GeneralizedTime`);
  }
  let date: Date;
  try {
    date = node.toDate();
  } catch {
    throw new DerFormatError(`${what}: malformed time`);
  }
  if (!Number.isFinite(date.getTime())) throw new DerFormatError(`${what}: malformed time`);
  return date;
}

/** Parses the parts of an X.509 certificate we rely on. Throws DerFormatError. */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  const what = 'Certificate';
  const top = expectSequence(decodeDer(der, what), what);
  if (top.length !== 3) throw new DerFormatError(`${what}: expected tbsCertificate, algorithm, signature`);
  const tbs = expectSequence(top[0], 'tbsCertificate');
  let i = 0;
  if (isContext(tbs[0], 0)) i++; // version [0] EXPLICIT
  const serialNumber = readInteger(tbs[i++], 'serialNumber').value;
  readAlgorithmIdentifier(tbs[i++], 'signature');
  const issuerNode = tbs[i++];
  expectSequence(issuerNode, 'issuer');
  const validity = expectSequence(tbs[i++], 'validity');
  if (validity.length !== 2) throw new DerFormatError(`${what}: validity must hold notBefore and notAfter`);
  const notBefore = readTime(validity[0], 'notBefore');
  const notAfter = readTime(validity[1], 'notAfter');
  const subjectNode = tbs[i++];
  expectSequence(subjectNode, 'subject');
  const spki = parseSpkiNode(tbs[i++], 'subjectPublicKeyInfo');
  let extensions: ExtensionEntry[] = [];
  for (; i < tbs.length; i++) {
    const node = tbs[i] as Node;
    if (isContext(node, 3)) extensions = readExtensions(explicitInner(node, 'extensions'), 'extensions');
    else if (!isContext(node, 1) && !isContext(node, 2)) {
      throw new DerFormatError(`${what}: unexpected element in tbsCertificate`);
    }
  }
  const find = (id: string) => extensions.find((e) => e.oid === id);
  const ski = find(OID.subjectKeyIdentifier);
  const eku = find(OID.extKeyUsage);
  const ku = find(OID.keyUsage);
  const bc = find(OID.basicConstraints);
  let isCa = false;
  if (bc !== undefined) {
    const parts = expectSequence(decodeDer(bc.value, 'basicConstraints'), 'basicConstraints');
    if (isUniversal(parts[0], UNIVERSAL.BOOLEAN)) isCa = readBoolean(parts[0], 'cA');
  }
  return {
    der: der.slice(),
    serialNumber,
    issuerDer: rawOf(issuerNode as Node),
    subjectDer: rawOf(subjectNode as Node),
    notBefore,
    notAfter,
    spki,
    extensions,
    isCa,
    ...(ski === undefined
      ? {}
      : { subjectKeyIdentifier: readOctetString(decodeDer(ski.value, 'subjectKeyIdentifier'), 'SKI') }),
    ...(eku === undefined
      ? {}
      : {
          extKeyUsage: expectSequence(decodeDer(eku.value, 'extKeyUsage'), 'extKeyUsage').map((n) =>
            readOid(n, 'KeyPurposeId'),
          ),
        }),
    ...(ku === undefined ? {} : { keyUsageBits: readNamedBits(decodeDer(ku.value, 'keyUsage'), 'keyUsage') }),
  };
}

// --- Signing through the Signer port -------------------------------------------------------------

export interface SignatureAlgorithmInfo {
  readonly name: 'ecdsa-with-SHA256' | 'ecdsa-with-SHA512' | 'Ed448';
  readonly oid: string;
  /** DER AlgorithmIdentifier with parameters absent (RFC 5758 §3.2; RFC 8410 §3). */
  readonly der: Uint8Array;
}

/**
 * The signature algorithm a Signer produces: P-256 → ecdsa-with-SHA256 (ISO 15118-2), P-521 →
 * ecdsa-with-SHA512 ([V2G20-2673], [V2G20-2674]), Ed448 → id-Ed448 ([V2G20-2319]).
 */
export function signatureAlgorithmFor(signer: Signer): SignatureAlgorithmInfo {
  switch (signer.handle.algorithm) {
    case 'P-256':
      return { name: 'ecdsa-with-SHA256', oid: OID.ecdsaWithSha256, der: sequence(oid(OID.ecdsaWithSha256)) };
    case 'P-521':
      return { name: 'ecdsa-with-SHA512', oid: OID.ecdsaWithSha512, der: sequence(oid(OID.ecdsaWithSha512)) };
    case 'Ed448':
      return { name: 'Ed448', oid: OID.ed448, der: sequence(oid(OID.ed448)) };
    default:
      throw new RangeError(`unsupported signer algorithm ${String(signer.handle.algorithm)}`);
  }
}

/** SEQUENCE { tbs, signatureAlgorithm, signature BIT STRING } (RFC 5280 §4.1, §5.1; RFC 6960 §4.2.1). */
export async function signStructure(
  signer: Signer,
  tbs: Uint8Array,
  algorithm: SignatureAlgorithmInfo,
  ...trailing: Uint8Array[]
): Promise<Uint8Array> {
  const signature = await signer.sign(tbs);
  return sequence(tbs, algorithm.der, bitString(signature), ...trailing);
}

/** True when the signer holds the private key of this SubjectPublicKeyInfo. */
export async function signerMatchesSpki(signer: Signer, spkiDer: Uint8Array): Promise<boolean> {
  const ours = await signer.publicKeySpki();
  try {
    const a = createPublicKey({ key: Buffer.from(ours), format: 'der', type: 'spki' });
    const b = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    return a.equals(b);
  } catch {
    return false;
  }
}
