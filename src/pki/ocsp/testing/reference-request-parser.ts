// The asn1js-based OCSP request parser that parseOcspRequest used before D-090, kept as the
// reference its hand-written replacement (../der-reader.ts) is checked against, property by
// property (../ocsp.test.ts). Not used outside tests.

import { appError } from '../../../errors/catalogue.ts';
import {
  DerFormatError,
  decodeDer,
  expectSequence,
  explicitInner,
  isContext,
  type Node,
  rawOf,
  readAlgorithmIdentifier,
  readExtensions,
  readInteger,
  readNull,
  readOctetString,
} from '../asn1.ts';
import {
  type CertId,
  HASH_LENGTH,
  OCSP_MAX_CERT_IDS,
  OCSP_MAX_REQUEST_BYTES,
  OCSP_MAX_SERIAL_BYTES,
  OCSP_NONCE_MAX_BYTES,
  type OcspExtensionInfo,
  type OcspHashAlgorithm,
  type OcspRequestInfo,
  serialToHex,
} from '../request.ts';
import { OID } from '../x509.ts';

const HASH_BY_OID: Readonly<Record<string, OcspHashAlgorithm>> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

const KNOWN_REQUEST_EXTENSIONS = new Set<string>([
  OID.ocspNonce,
  OID.ocspAcceptableResponses,
  OID.ocspPreferredSignatureAlgorithms,
]);
const KNOWN_SINGLE_EXTENSIONS = new Set<string>([OID.ocspServiceLocator]);

function malformed(message: string, details?: Record<string, unknown>): never {
  throw appError('ocsp.malformed', message, details === undefined ? {} : { details });
}

/**
 * Parses a DER OCSPRequest (RFC 6960 §4.1.1). Throws AppError 'ocsp.malformed' for anything that
 * is not a well-formed request and 'ocsp.unsupported' for a valid request we cannot answer.
 */
export function referenceParseOcspRequest(der: Uint8Array): OcspRequestInfo {
  if (!(der instanceof Uint8Array)) malformed('OCSP request must be bytes');
  if (der.byteLength > OCSP_MAX_REQUEST_BYTES) {
    malformed('OCSP request too large', { size: der.byteLength, limit: OCSP_MAX_REQUEST_BYTES });
  }
  try {
    return parseRequestTree(decodeDer(der, 'OCSPRequest'));
  } catch (e) {
    if (e instanceof DerFormatError) malformed(`malformed OCSP request: ${e.message}`);
    throw e;
  }
}

function parseRequestTree(root: Node): OcspRequestInfo {
  const top = expectSequence(root, 'OCSPRequest');
  if (top.length < 1 || top.length > 2) throw new DerFormatError('OCSPRequest: expected 1 or 2 elements');
  let signed = false;
  if (top.length === 2) {
    // optionalSignature [0] EXPLICIT Signature: accepted, never verified (see OcspRequestInfo.signed).
    if (!isContext(top[1], 0)) throw new DerFormatError('OCSPRequest: unexpected element after tbsRequest');
    expectSequence(explicitInner(top[1], 'optionalSignature'), 'optionalSignature');
    signed = true;
  }
  const tbs = expectSequence(top[0], 'tbsRequest');
  let i = 0;
  if (isContext(tbs[i], 0)) {
    // version [0] EXPLICIT Version DEFAULT v1 — DER omits it, but an explicit v1 is harmless.
    const version = readInteger(explicitInner(tbs[i] as Node, 'version'), 'version').value;
    if (version !== 0n) {
      throw appError('ocsp.unsupported', `unsupported OCSP request version ${version + 1n}`, {
        details: { version: String(version) },
      });
    }
    i++;
  }
  let hasRequestorName = false;
  if (isContext(tbs[i], 1)) {
    explicitInner(tbs[i] as Node, 'requestorName');
    hasRequestorName = true;
    i++;
  }
  const requestList = expectSequence(tbs[i++], 'requestList');
  if (requestList.length === 0) throw new DerFormatError('requestList is empty');
  if (requestList.length > OCSP_MAX_CERT_IDS) {
    malformed('too many CertIDs in one OCSP request', {
      count: requestList.length,
      limit: OCSP_MAX_CERT_IDS,
    });
  }
  let extensions: OcspExtensionInfo[] = [];
  let nonce: Uint8Array | undefined;
  if (isContext(tbs[i], 2)) {
    const exts = readExtensions(explicitInner(tbs[i] as Node, 'requestExtensions'), 'requestExtensions');
    for (const ext of exts) {
      if (ext.oid === OID.ocspNonce) nonce = parseNonce(ext.value);
      else if (ext.critical && !KNOWN_REQUEST_EXTENSIONS.has(ext.oid)) unsupportedCritical(ext.oid);
    }
    extensions = exts.map((e) => ({ oid: e.oid, critical: e.critical }));
    i++;
  }
  if (i !== tbs.length) throw new DerFormatError('tbsRequest: unexpected trailing element');

  const certIds = requestList.map((request) => {
    const parts = expectSequence(request, 'Request');
    if (parts.length < 1 || parts.length > 2) throw new DerFormatError('Request: expected 1 or 2 elements');
    if (parts.length === 2) {
      if (!isContext(parts[1], 0)) throw new DerFormatError('Request: unexpected element');
      for (const ext of readExtensions(
        explicitInner(parts[1], 'singleRequestExtensions'),
        'singleRequestExtensions',
      )) {
        if (ext.critical && !KNOWN_SINGLE_EXTENSIONS.has(ext.oid)) unsupportedCritical(ext.oid);
      }
    }
    return parseCertIdNode(parts[0]);
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
    value = readOctetString(decodeDer(extnValue, 'nonce'), 'nonce');
  } catch (e) {
    if (e instanceof DerFormatError) malformed('OCSP nonce is not an OCTET STRING (RFC 9654 §2.1)');
    throw e;
  }
  if (value.byteLength < 1 || value.byteLength > OCSP_NONCE_MAX_BYTES) {
    malformed('OCSP nonce length outside 1..128 octets (RFC 9654 §2.1)', { length: value.byteLength });
  }
  return value;
}

function parseCertIdNode(node: Node | undefined): CertId {
  const parts = expectSequence(node, 'CertID');
  if (parts.length !== 4) throw new DerFormatError('CertID: expected 4 elements');
  const alg = readAlgorithmIdentifier(parts[0], 'hashAlgorithm');
  // Parameters: NULL (what OpenSSL sends) or absent (RFC 5754 §2); nothing else.
  if (alg.parameters !== undefined) readNull(alg.parameters, 'hashAlgorithm parameters');
  const hashAlgorithm = HASH_BY_OID[alg.oid];
  const issuerNameHash = readOctetString(parts[1], 'issuerNameHash');
  const issuerKeyHash = readOctetString(parts[2], 'issuerKeyHash');
  const serial = readInteger(parts[3], 'serialNumber');
  if (hashAlgorithm === undefined) {
    throw appError('ocsp.unsupported', `unsupported CertID hash algorithm ${alg.oid}`, {
      details: { hashAlgorithm: alg.oid },
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
    der: rawOf(node as Node),
  };
}
