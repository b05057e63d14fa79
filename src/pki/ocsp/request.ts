// OCSP request parsing and CertID matching (RFC 6960 §4.1, §4.4; nonce per RFC 9654).
//
// Pure: bytes in, a typed description out, or an AppError ('ocsp.malformed' / 'ocsp.unsupported')
// that the HTTP edge turns into an OCSPResponse with status malformedRequest (RFC 6960 §2.3).

import { appError } from '../../errors/catalogue.ts';
import {
  bytesEqual,
  DER_NULL,
  DerFormatError,
  type HashName,
  hash,
  integer,
  octetString,
  oid,
  sequence,
  toHex,
} from './asn1.ts';
import {
  type DerElement,
  derExplicitInner,
  derExtensions,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derRaw,
  derSequence,
  isDerContext,
  readDerTree,
} from './der-reader.ts';
import { OID, parseSpki } from './x509.ts';

/** Largest OCSP request we parse. Real requests are 70-200 bytes; 64 KiB bounds the work. */
export const OCSP_MAX_REQUEST_BYTES = 64 * 1024;
/**
 * Most CertIDs per request. OCPP sends one request per chain element (≤ 4, interop.md §3); each
 * CertID costs a lookup and a signature, so a cap stops a 64 KiB request from costing ~650 of them.
 */
export const OCSP_MAX_CERT_IDS = 32;
/** RFC 9654 §2.1: nonce length 1..128 octets; anything else is rejected with malformedRequest. */
export const OCSP_NONCE_MAX_BYTES = 128;
/** Longest serial accepted in a CertID (RFC 5280 §4.1.2.2 allows 20 octets; slack for sloppy CAs). */
export const OCSP_MAX_SERIAL_BYTES = 32;

/** Hash algorithms accepted in a CertID (RFC 6960 §4.1.1; OCPP HashAlgorithmEnum adds no others). */
export type OcspHashAlgorithm = HashName;

export const OCSP_HASH_ALGORITHMS: readonly OcspHashAlgorithm[] = ['sha1', 'sha256', 'sha384', 'sha512'];

const HASH_BY_OID: Readonly<Record<string, OcspHashAlgorithm>> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

const OID_BY_HASH: Readonly<Record<OcspHashAlgorithm, string>> = {
  sha1: OID.sha1,
  sha256: OID.sha256,
  sha384: OID.sha384,
  sha512: OID.sha512,
};

export const HASH_LENGTH: Readonly<Record<OcspHashAlgorithm, number>> = {
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** RFC 6960 §4.1.1 CertID. */
export interface CertId {
  readonly hashAlgorithm: OcspHashAlgorithm;
  /** Hash of the DER of the issuer's subject Name. */
  readonly issuerNameHash: Uint8Array;
  /** Hash of the issuer's subjectPublicKey BIT STRING value (no tag, length or unused-bits octet). */
  readonly issuerKeyHash: Uint8Array;
  readonly serialNumber: bigint;
  /**
   * Serial as upper-case hex without leading zeros, the OCPP `serialNumber` form (OCPP 2.0.1
   * OCSPRequestDataType; interop.md §3), '-' prefixed for the (non-conforming) negative serials.
   */
  readonly serialHex: string;
  /**
   * The CertID exactly as received (set by parseOcspRequest). buildOcspResponse echoes these
   * bytes so that clients comparing CertIDs byte for byte (not only field by field as OpenSSL
   * does) find their answer, e.g. when the request omitted the NULL hash parameters.
   */
  readonly der?: Uint8Array;
}

export interface OcspExtensionInfo {
  readonly oid: string;
  readonly critical: boolean;
}

export interface OcspRequestInfo {
  /** Always 1: RFC 6960 defines only v1; other versions are rejected. */
  readonly version: 1;
  readonly certIds: readonly CertId[];
  /** Nonce value (RFC 9654 §2.1: the OCTET STRING inside extnValue), 1..128 octets. */
  readonly nonce?: Uint8Array;
  /**
   * True when the request carried optionalSignature. The signature is NOT verified and the
   * requestor is not authenticated: OCSP status is public information, the responder answers
   * everybody the same, and RFC 6960 §4.1.2 leaves signed requests optional. A server that
   * wants authenticated requestors must add that itself (and answer sigRequired / unauthorized).
   */
  readonly signed: boolean;
  /** requestorName was present (RFC 6960 §4.1.2); informational only. */
  readonly hasRequestorName: boolean;
  /** requestExtensions by OID (nonce included), for logging. */
  readonly extensions: readonly OcspExtensionInfo[];
}

/** Request extensions we understand; any other critical one is refused (RFC 6960 §4.4). */
const KNOWN_REQUEST_EXTENSIONS = new Set<string>([
  OID.ocspNonce,
  // §4.4.3 Acceptable Response Types: we always answer id-pkix-ocsp-basic, which every client
  // must accept, so the list needs no evaluation.
  OID.ocspAcceptableResponses,
  // §4.4.7 Preferred Signature Algorithms: a hint; our signature algorithm is fixed by the key.
  OID.ocspPreferredSignatureAlgorithms,
]);
/** singleRequestExtensions we understand (§4.4.6 Service Locator: informational for us). */
const KNOWN_SINGLE_EXTENSIONS = new Set<string>([OID.ocspServiceLocator]);

function malformed(message: string, details?: Record<string, unknown>): never {
  throw appError('ocsp.malformed', message, details === undefined ? {} : { details });
}

/**
 * Parses a DER OCSPRequest (RFC 6960 §4.1.1). Throws AppError 'ocsp.malformed' for anything that
 * is not a well-formed request and 'ocsp.unsupported' for a valid request we cannot answer.
 * A bounded walk over the bytes (./der-reader.ts, D-090), no general ASN.1 library.
 */
export function parseOcspRequest(der: Uint8Array): OcspRequestInfo {
  if (!(der instanceof Uint8Array)) malformed('OCSP request must be bytes');
  if (der.byteLength > OCSP_MAX_REQUEST_BYTES) {
    malformed('OCSP request too large', { size: der.byteLength, limit: OCSP_MAX_REQUEST_BYTES });
  }
  try {
    return parseRequestTree(der, readDerTree(der, 'OCSPRequest'));
  } catch (e) {
    if (e instanceof DerFormatError) malformed(`malformed OCSP request: ${e.message}`);
    throw e;
  }
}

function parseRequestTree(bytes: Uint8Array, root: DerElement): OcspRequestInfo {
  const top = derSequence(root, 'OCSPRequest');
  if (top.length < 1 || top.length > 2) throw new DerFormatError('OCSPRequest: expected 1 or 2 elements');
  let signed = false;
  if (top.length === 2) {
    // optionalSignature [0] EXPLICIT Signature: accepted, never verified (see OcspRequestInfo.signed).
    if (!isDerContext(top[1], 0))
      throw new DerFormatError('OCSPRequest: unexpected element after tbsRequest');
    derSequence(derExplicitInner(top[1], 'optionalSignature'), 'optionalSignature');
    signed = true;
  }
  const tbs = derSequence(top[0], 'tbsRequest');
  let i = 0;
  if (isDerContext(tbs[i], 0)) {
    // version [0] EXPLICIT Version DEFAULT v1 — DER omits it, but an explicit v1 is harmless.
    const version = derInteger(bytes, derExplicitInner(tbs[i] as DerElement, 'version'), 'version').value;
    if (version !== 0n) {
      throw appError('ocsp.unsupported', `unsupported OCSP request version ${version + 1n}`, {
        details: { version: String(version) },
      });
    }
    i++;
  }
  let hasRequestorName = false;
  if (isDerContext(tbs[i], 1)) {
    derExplicitInner(tbs[i] as DerElement, 'requestorName');
    hasRequestorName = true;
    i++;
  }
  const requestList = derSequence(tbs[i++], 'requestList');
  if (requestList.length === 0) throw new DerFormatError('requestList is empty');
  if (requestList.length > OCSP_MAX_CERT_IDS) {
    malformed('too many CertIDs in one OCSP request', {
      count: requestList.length,
      limit: OCSP_MAX_CERT_IDS,
    });
  }
  let extensions: OcspExtensionInfo[] = [];
  let nonce: Uint8Array | undefined;
  if (isDerContext(tbs[i], 2)) {
    const exts = derExtensions(
      bytes,
      derExplicitInner(tbs[i] as DerElement, 'requestExtensions'),
      'requestExtensions',
    );
    for (const ext of exts) {
      if (ext.oid === OID.ocspNonce) nonce = parseNonce(ext.value);
      else if (ext.critical && !KNOWN_REQUEST_EXTENSIONS.has(ext.oid)) unsupportedCritical(ext.oid);
    }
    extensions = exts.map((e) => ({ oid: e.oid, critical: e.critical }));
    i++;
  }
  if (i !== tbs.length) throw new DerFormatError('tbsRequest: unexpected trailing element');

  const certIds = requestList.map((request) => {
    const parts = derSequence(request, 'Request');
    if (parts.length < 1 || parts.length > 2) throw new DerFormatError('Request: expected 1 or 2 elements');
    if (parts.length === 2) {
      if (!isDerContext(parts[1], 0)) throw new DerFormatError('Request: unexpected element');
      for (const ext of derExtensions(
        bytes,
        derExplicitInner(parts[1] as DerElement, 'singleRequestExtensions'),
        'singleRequestExtensions',
      )) {
        if (ext.critical && !KNOWN_SINGLE_EXTENSIONS.has(ext.oid)) unsupportedCritical(ext.oid);
      }
    }
    return parseCertIdElement(bytes, parts[0]);
  });
  return {
    version: 1,
    certIds,
    signed,
    hasRequestorName,
    extensions,
    ...(nonce === undefined ? {} : { nonce }),
  };
}

function unsupportedCritical(oidValue: string): never {
  // RFC 6960 §4.4: unrecognised extensions are ignored unless marked critical.
  throw appError('ocsp.unsupported', `unsupported critical OCSP extension ${oidValue}`, {
    details: { extension: oidValue },
  });
}

/** RFC 9654 §2.1: extnValue holds `Nonce ::= OCTET STRING (SIZE(1..128))`. */
function parseNonce(extnValue: Uint8Array): Uint8Array {
  let value: Uint8Array;
  try {
    value = derOctetString(extnValue, readDerTree(extnValue, 'nonce'), 'nonce');
  } catch (e) {
    if (e instanceof DerFormatError) malformed('OCSP nonce is not an OCTET STRING (RFC 9654 §2.1)');
    throw e;
  }
  if (value.byteLength < 1 || value.byteLength > OCSP_NONCE_MAX_BYTES) {
    malformed('OCSP nonce length outside 1..128 octets (RFC 9654 §2.1)', { length: value.byteLength });
  }
  return value;
}

function parseCertIdElement(bytes: Uint8Array, element: DerElement | undefined): CertId {
  const parts = derSequence(element, 'CertID');
  if (parts.length !== 4) throw new DerFormatError('CertID: expected 4 elements');
  // AlgorithmIdentifier (RFC 5280 §4.1.1.2): OID and optional parameters.
  const algorithm = derSequence(parts[0], 'hashAlgorithm');
  if (algorithm.length < 1 || algorithm.length > 2) {
    throw new DerFormatError('hashAlgorithm: malformed AlgorithmIdentifier');
  }
  const algorithmOid = derOid(bytes, algorithm[0], 'hashAlgorithm');
  // Parameters: NULL (what OpenSSL sends) or absent (RFC 5754 §2); nothing else.
  if (algorithm[1] !== undefined) derNull(bytes, algorithm[1], 'hashAlgorithm parameters');
  const hashAlgorithm = HASH_BY_OID[algorithmOid];
  const issuerNameHash = derOctetString(bytes, parts[1], 'issuerNameHash');
  const issuerKeyHash = derOctetString(bytes, parts[2], 'issuerKeyHash');
  const serial = derInteger(bytes, parts[3], 'serialNumber');
  if (hashAlgorithm === undefined) {
    throw appError('ocsp.unsupported', `unsupported CertID hash algorithm ${algorithmOid}`, {
      details: { hashAlgorithm: algorithmOid },
    });
  }
  const length = HASH_LENGTH[hashAlgorithm];
  if (issuerNameHash.byteLength !== length || issuerKeyHash.byteLength !== length) {
    malformed(`CertID hashes must be ${length} octets for ${hashAlgorithm}`, {
      issuerNameHash: issuerNameHash.byteLength,
      issuerKeyHash: issuerKeyHash.byteLength,
    });
  }
  if (serial.content.byteLength > OCSP_MAX_SERIAL_BYTES) {
    malformed('CertID serial number too long', { length: serial.content.byteLength });
  }
  return {
    hashAlgorithm,
    issuerNameHash,
    issuerKeyHash,
    serialNumber: serial.value,
    serialHex: serialToHex(serial.value),
    der: derRaw(bytes, element as DerElement),
  };
}

/** Upper-case hex without leading zeros (OCPP form); '-' prefix for negative serials. */
export function serialToHex(serial: bigint): string {
  return serial < 0n ? `-${(-serial).toString(16).toUpperCase()}` : serial.toString(16).toUpperCase();
}

/** The issuer as OCSP identifies it: its subject Name and SubjectPublicKeyInfo (DER). */
export interface OcspIssuer {
  readonly subjectDer: Uint8Array;
  readonly spkiDer: Uint8Array;
}

function issuerHashes(
  issuer: OcspIssuer,
  algorithm: OcspHashAlgorithm,
): { name: Uint8Array; key: Uint8Array } {
  let publicKey: Uint8Array;
  try {
    publicKey = parseSpki(issuer.spkiDer).publicKey;
  } catch (e) {
    if (e instanceof DerFormatError) throw new RangeError(`issuer SubjectPublicKeyInfo: ${e.message}`);
    throw e;
  }
  return { name: hash(algorithm, issuer.subjectDer), key: hash(algorithm, publicKey) };
}

/**
 * True when the CertID names this issuer: issuerNameHash and issuerKeyHash recomputed with the
 * CertID's own hash algorithm (RFC 6960 §4.1.1). The serial is not compared.
 */
export function matchCertId(certId: CertId, issuer: OcspIssuer): boolean {
  const { name, key } = issuerHashes(issuer, certId.hashAlgorithm);
  return bytesEqual(name, certId.issuerNameHash) && bytesEqual(key, certId.issuerKeyHash);
}

/** The CertID of a certificate of this issuer: for pre-signing and for tests. */
export function certIdFor(
  issuer: OcspIssuer,
  serialNumber: bigint,
  hashAlgorithm: OcspHashAlgorithm,
): CertId {
  const { name, key } = issuerHashes(issuer, hashAlgorithm);
  return {
    hashAlgorithm,
    issuerNameHash: name,
    issuerKeyHash: key,
    serialNumber,
    serialHex: serialToHex(serialNumber),
  };
}

/** DER CertID from its fields; hashAlgorithm with NULL parameters, as OpenSSL encodes it. */
export function encodeCertId(certId: CertId): Uint8Array {
  return sequence(
    sequence(oid(OID_BY_HASH[certId.hashAlgorithm]), DER_NULL),
    octetString(certId.issuerNameHash),
    octetString(certId.issuerKeyHash),
    integer(certId.serialNumber),
  );
}

/** Re-reads a CertID DER (as echoed from a request); used to check it matches its fields. */
export function decodeCertId(der: Uint8Array): CertId {
  return parseCertIdElement(der, readDerTree(der, 'CertID'));
}

/** Cache / map key of a CertID: (hash algorithm, issuer name hash, issuer key hash, serial). */
export function certIdKey(certId: CertId): string {
  return `${certId.hashAlgorithm}:${toHex(certId.issuerNameHash)}:${toHex(certId.issuerKeyHash)}:${serialToHex(certId.serialNumber)}`;
}

/**
 * CitrineOS interop (interop.md §1.1 and the §1.6 "optional hex-body tolerance" switch):
 * CitrineOS POSTs the request as ASCII hex instead of DER. Returns the DER when the whole body is
 * hex digits (whitespace allowed), otherwise undefined. The two cannot be confused: every DER
 * CertID contains the tag octets 0x04 (OCTET STRING) and 0x06 (OID), which are not hex digits.
 */
export function decodeHexOcspBody(body: Uint8Array): Uint8Array | undefined {
  if (body.byteLength > OCSP_MAX_REQUEST_BYTES * 2 + 1024) return undefined;
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
    .toString('latin1')
    .replace(/\s+/g, '');
  if (text.length === 0 || text.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'hex'));
}
