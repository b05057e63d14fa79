// OCSP response encoding (RFC 6960 §4.2): BasicOCSPResponse signed through the Signer port, and
// the unsigned error responses of §2.3.

import { isAppError } from '../../errors/app-error.ts';
import { appError } from '../../errors/catalogue.ts';
import type { Signer } from '../../signer/index.ts';
import {
  bytesEqual,
  DerFormatError,
  enumerated,
  explicit,
  generalizedTime,
  hash,
  octetString,
  oid,
  sequence,
  tlv,
} from './asn1.ts';
import {
  type CertId,
  decodeCertId,
  encodeCertId,
  HASH_LENGTH,
  OCSP_HASH_ALGORITHMS,
  OCSP_NONCE_MAX_BYTES,
} from './request.ts';
import {
  type CertificateInfo,
  OID,
  parseCertificate,
  type SignatureAlgorithmInfo,
  signatureAlgorithmFor,
  signerMatchesSpki,
  signStructure,
} from './x509.ts';

/**
 * CRLReason values usable in RevokedInfo (RFC 5280 §5.3.1, referenced by RFC 6960 §4.2.1).
 * 7 is unassigned.
 */
export const CRL_REASON = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

export type CrlReasonCode = (typeof CRL_REASON)[keyof typeof CRL_REASON];

export function isCrlReasonCode(value: unknown): value is CrlReasonCode {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10 && value !== 7;
}

export type OcspCertStatus =
  | 'good'
  | 'unknown'
  | { readonly revoked: { readonly time: Date; readonly reason?: number } };

export interface OcspSingleResponseInput {
  readonly certId: CertId;
  readonly status: OcspCertStatus;
  readonly thisUpdate: Date;
  /** Required: RFC 5019 §2.2.4 and clients caching responses depend on it. */
  readonly nextUpdate: Date;
}

export interface OcspResponder {
  readonly signer: Signer;
  /**
   * DER certificate of the responder: the issuing CA itself, or a delegated responder issued
   * directly by that CA with id-kp-OCSPSigning and id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2,
   * §4.2.2.2.1).
   */
  readonly certificate: Uint8Array;
  /**
   * Put the responder certificate into BasicOCSPResponse.certs. Needed for delegated responders
   * (MaEVe verifies against "the issuer or an embedded delegated responder certificate",
   * interop.md §1.2; matrix row OCSP); optional for issuer-signed responses.
   */
  readonly includeCertificates: boolean;
}

export interface BuildOcspResponseInput {
  readonly responder: OcspResponder;
  /** ResponderID CHOICE (RFC 6960 §4.2.1): byKey = SHA-1 of the responder key, byName = its subject. */
  readonly responderId: 'byKey' | 'byName';
  readonly producedAt: Date;
  readonly responses: readonly OcspSingleResponseInput[];
  /** Nonce value to echo (RFC 9654 §2.1), as returned by parseOcspRequest. */
  readonly nonce?: Uint8Array;
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw appError('ocsp.responder', message, details === undefined ? {} : { details });
}

function checkDate(value: unknown, what: string): Date {
  if (!(value instanceof Date) || !Number.isFinite(value.getTime())) invalid(`${what} is not a valid Date`);
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) invalid(`${what} is outside the years 0001-9999`);
  return value;
}

/** The responder certificate's hashes under one CertID hash algorithm, for the authorisation check. */
interface ResponderHashes {
  readonly nameHash: Uint8Array;
  readonly keyHash: Uint8Array;
  readonly issuerNameHash: Uint8Array;
}

/**
 * Decides whether the responder may sign for this CertID (RFC 6960 §4.2.2.2): either it is the
 * CA named by the CertID, or a delegated responder issued by that CA. For a delegated responder
 * only the issuer name can be checked here (its issuer's key is not at hand); the server pairs
 * each CA with its own responder, this check is the safety net against a wrong pairing.
 */
function authorisation(hashes: ResponderHashes, certId: CertId): 'issuer' | 'delegated' | undefined {
  if (bytesEqual(hashes.nameHash, certId.issuerNameHash) && bytesEqual(hashes.keyHash, certId.issuerKeyHash))
    return 'issuer';
  if (bytesEqual(hashes.issuerNameHash, certId.issuerNameHash)) return 'delegated';
  return undefined;
}

function checkCertId(certId: CertId | undefined, what: string): CertId {
  if (
    typeof certId !== 'object' ||
    certId === null ||
    !OCSP_HASH_ALGORITHMS.includes(certId.hashAlgorithm) ||
    !(certId.issuerNameHash instanceof Uint8Array) ||
    !(certId.issuerKeyHash instanceof Uint8Array) ||
    certId.issuerNameHash.byteLength !== HASH_LENGTH[certId.hashAlgorithm] ||
    certId.issuerKeyHash.byteLength !== HASH_LENGTH[certId.hashAlgorithm] ||
    typeof certId.serialNumber !== 'bigint'
  ) {
    invalid(`${what}.certId is not a valid CertID`);
  }
  return certId;
}

/** CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo } */
const GOOD = Uint8Array.of(0x80, 0x00);
const UNKNOWN = Uint8Array.of(0x82, 0x00);

function encodeSingleResponse(single: OcspSingleResponseInput, index: number): Uint8Array {
  const what = `responses[${index}]`;
  const certId = checkCertId(single.certId, what);
  let certIdDer = encodeCertId(certId);
  if (certId.der !== undefined) {
    // Echo the request's own encoding, but only if it says the same as the fields.
    let echoed: CertId;
    try {
      echoed = decodeCertId(certId.der);
    } catch (e) {
      if (e instanceof DerFormatError || isAppError(e)) invalid(`${what}.certId.der is not a CertID`);
      throw e;
    }
    if (!bytesEqual(encodeCertId(echoed), certIdDer)) invalid(`${what}.certId.der disagrees with its fields`);
    certIdDer = certId.der;
  }
  const thisUpdate = checkDate(single.thisUpdate, `${what}.thisUpdate`);
  const nextUpdate = checkDate(single.nextUpdate, `${what}.nextUpdate`);
  if (nextUpdate.getTime() <= thisUpdate.getTime()) invalid(`${what}.nextUpdate must be after thisUpdate`);

  let certStatus: Uint8Array;
  const status = single.status;
  if (status === 'good') certStatus = GOOD;
  else if (status === 'unknown') certStatus = UNKNOWN;
  else if (typeof status === 'object' && status !== null && typeof status.revoked === 'object') {
    const time = checkDate(status.revoked.time, `${what}.status.revoked.time`);
    const parts = [generalizedTime(time)];
    const reason = status.revoked.reason;
    if (reason !== undefined) {
      if (!isCrlReasonCode(reason)) invalid(`${what}: invalid CRLReason ${String(reason)}`, { reason });
      // revocationReason [0] EXPLICIT CRLReason
      parts.push(explicit(0, enumerated(reason)));
    }
    certStatus = tlv(0xa1, ...parts); // [1] IMPLICIT RevokedInfo (a SEQUENCE, so constructed)
  } else {
    invalid(`${what}.status must be 'good', 'unknown' or { revoked }`);
  }
  return sequence(
    certIdDer,
    certStatus,
    generalizedTime(thisUpdate),
    explicit(0, generalizedTime(nextUpdate)), // nextUpdate [0] EXPLICIT
  );
}

/**
 * A responder made ready to sign many responses: the certificate parsed and matched against the
 * signer once, and everything that does not change between responses encoded once — ResponderID,
 * signature AlgorithmIdentifier, the certs field, the certificate's hashes for the authorisation
 * check (D-092). Build responses with buildPreparedOcspResponse.
 */
export interface PreparedOcspResponder {
  readonly responder: OcspResponder;
  readonly responderId: 'byKey' | 'byName';
  /** The parsed responder certificate. */
  readonly certificate: CertificateInfo;
}

interface PreparedInternals extends PreparedOcspResponder {
  readonly algorithm: SignatureAlgorithmInfo;
  readonly responderIdDer: Uint8Array;
  readonly certsDer: readonly Uint8Array[];
  readonly hashes: Map<string, ResponderHashes>;
  /** id-kp-OCSPSigning and id-pkix-ocsp-nocheck present (needed when it signs as a delegate). */
  readonly delegationProblem: string | undefined;
}

const PREPARED = new WeakSet<PreparedOcspResponder>();

/**
 * Parsed and checked responders, remembered per (signer, certificate bytes, ResponderID form): a
 * responder answers many requests with the same pair, and parsing a certificate costs ~0.3 ms.
 * Keyed by object identity, verified by content (a caller that changes the bytes in place gets
 * them parsed and checked again).
 */
const RESPONDER_MEMO = new WeakMap<
  Signer,
  WeakMap<Uint8Array, { bytes: Uint8Array; prepared: Map<string, PreparedInternals> }>
>();

/**
 * Checks a responder (its certificate parses and belongs to the signing key) and prepares it for
 * buildPreparedOcspResponse. Throws AppError 'ocsp.responder' for inconsistent input.
 */
export async function prepareOcspResponder(
  responder: OcspResponder,
  responderId: 'byKey' | 'byName',
): Promise<PreparedOcspResponder> {
  if (!(responder?.certificate instanceof Uint8Array)) invalid('responder.certificate must be DER bytes');
  if (responderId !== 'byKey' && responderId !== 'byName') invalid("responderId must be 'byKey' or 'byName'");
  const { signer, certificate } = responder;
  const memo = RESPONDER_MEMO.get(signer)?.get(certificate);
  const valid = memo !== undefined && bytesEqual(memo.bytes, certificate);
  const key = `${responderId}:${responder.includeCertificates === true}`;
  const hit = valid ? memo.prepared.get(key) : undefined;
  if (hit !== undefined && hit.responder.signer === signer) return hit;
  let cert: CertificateInfo;
  try {
    cert = parseCertificate(certificate);
  } catch (e) {
    if (e instanceof DerFormatError) invalid(`responder certificate: ${e.message}`);
    throw e;
  }
  if (!(await signerMatchesSpki(signer, cert.spki.der))) {
    invalid('the responder certificate does not belong to the signing key');
  }
  const algorithm = signatureAlgorithmFor(signer);
  const hashes = new Map<string, ResponderHashes>();
  for (const name of OCSP_HASH_ALGORITHMS) {
    hashes.set(name, {
      nameHash: hash(name, cert.subjectDer),
      keyHash: hash(name, cert.spki.publicKey),
      issuerNameHash: hash(name, cert.issuerDer),
    });
  }
  // RFC 6960 §4.2.2.2: a delegated responder MUST carry id-kp-OCSPSigning. id-pkix-ocsp-nocheck
  // (§4.2.2.2.1, SHOULD) is our policy: clients must not need OCSP for the responder itself.
  const delegationProblem = !cert.extKeyUsage?.includes(OID.kpOcspSigning)
    ? 'delegated responder certificate lacks extendedKeyUsage id-kp-OCSPSigning'
    : !cert.extensions.some((e) => e.oid === OID.ocspNoCheck)
      ? 'delegated responder certificate lacks id-pkix-ocsp-nocheck'
      : undefined;
  const prepared: PreparedInternals = {
    responder: {
      signer,
      certificate: certificate.slice(),
      includeCertificates: responder.includeCertificates,
    },
    responderId,
    certificate: cert,
    algorithm,
    // ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash } (explicit tags, RFC 6960 §4.2.1);
    // KeyHash = SHA-1 of the responder's subjectPublicKey BIT STRING value.
    responderIdDer:
      responderId === 'byName'
        ? explicit(1, cert.subjectDer)
        : explicit(2, octetString(hash('sha1', cert.spki.publicKey))),
    certsDer: responder.includeCertificates ? [explicit(0, sequence(cert.der))] : [],
    hashes,
    delegationProblem,
  };
  PREPARED.add(prepared);
  let perSigner = RESPONDER_MEMO.get(signer);
  if (perSigner === undefined) {
    perSigner = new WeakMap();
    RESPONDER_MEMO.set(signer, perSigner);
  }
  const entry = valid ? memo : { bytes: certificate.slice(), prepared: new Map<string, PreparedInternals>() };
  entry.prepared.set(key, prepared);
  perSigner.set(certificate, entry);
  return prepared;
}

/** What changes from one response to the next (BuildOcspResponseInput without the responder). */
export interface OcspResponseContent {
  readonly producedAt: Date;
  readonly responses: readonly OcspSingleResponseInput[];
  /** Nonce value to echo (RFC 9654 §2.1), as returned by parseOcspRequest. */
  readonly nonce?: Uint8Array;
}

/**
 * Builds and signs an OCSPResponse with status successful and a BasicOCSPResponse (RFC 6960
 * §4.2.1) with a responder from prepareOcspResponder. Same checks and bytes as buildOcspResponse.
 */
export async function buildPreparedOcspResponse(
  prepared: PreparedOcspResponder,
  input: OcspResponseContent,
): Promise<Uint8Array> {
  if (!PREPARED.has(prepared)) invalid('the responder was not made by prepareOcspResponder');
  const p = prepared as PreparedInternals;
  const cert = p.certificate;
  if (!Array.isArray(input.responses) || input.responses.length === 0) invalid('responses must not be empty');
  const producedAt = checkDate(input.producedAt, 'producedAt');
  // Clients validate the responder certificate at the time they check the response: a response
  // produced outside the responder's validity is refused by every one of them.
  if (producedAt.getTime() < cert.notBefore.getTime() || producedAt.getTime() > cert.notAfter.getTime()) {
    invalid('producedAt lies outside the validity of the responder certificate');
  }
  for (const [index, single] of input.responses.entries()) {
    const certId = checkCertId(single?.certId, `responses[${index}]`);
    const auth = authorisation(p.hashes.get(certId.hashAlgorithm) as ResponderHashes, certId);
    if (auth === undefined) {
      invalid(`responder is not authorised for responses[${index}] (neither the issuer nor issued by it)`, {
        index,
      });
    }
    if (auth === 'delegated' && p.delegationProblem !== undefined) invalid(p.delegationProblem);
  }

  const responses = input.responses.map(encodeSingleResponse);
  const tbsParts = [p.responderIdDer, generalizedTime(producedAt), sequence(...responses)];
  if (input.nonce !== undefined) {
    if (
      !(input.nonce instanceof Uint8Array) ||
      input.nonce.byteLength < 1 ||
      input.nonce.byteLength > OCSP_NONCE_MAX_BYTES
    ) {
      invalid('nonce must be 1..128 octets (RFC 9654 §2.1)');
    }
    // responseExtensions [1] EXPLICIT Extensions; the nonce extension is not critical.
    tbsParts.push(explicit(1, sequence(sequence(NONCE_OID, octetString(octetString(input.nonce))))));
  }
  // ResponseData: version [0] EXPLICIT DEFAULT v1 is omitted (DER).
  const tbsResponseData = sequence(...tbsParts);
  const basic = await signStructure(p.responder.signer, tbsResponseData, p.algorithm, ...p.certsDer);
  return sequence(
    SUCCESSFUL,
    explicit(0, sequence(BASIC_OID, octetString(basic))), // responseBytes [0] EXPLICIT
  );
}

const NONCE_OID = oid(OID.ocspNonce);
const BASIC_OID = oid(OID.ocspBasic);
const SUCCESSFUL = enumerated(0);

/**
 * Builds and signs an OCSPResponse with status successful and a BasicOCSPResponse (RFC 6960
 * §4.2.1). The signature algorithm follows the signer's key: ecdsa-with-SHA256 (P-256),
 * ecdsa-with-SHA512 (P-521), Ed448. Throws AppError 'ocsp.responder' for inconsistent input;
 * Signer errors (signer.*) pass through.
 */
export async function buildOcspResponse(input: BuildOcspResponseInput): Promise<Uint8Array> {
  const prepared = await prepareOcspResponder(input.responder, input.responderId);
  return buildPreparedOcspResponse(prepared, input);
}

export type OcspErrorStatus = 'malformedRequest' | 'internalError' | 'tryLater' | 'unauthorized';

const ERROR_STATUS_VALUE: Readonly<Record<OcspErrorStatus, number>> = {
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  unauthorized: 6,
};

/** An unsigned OCSPResponse without responseBytes (RFC 6960 §2.3, §4.2.1). */
export function ocspErrorResponse(status: OcspErrorStatus): Uint8Array {
  const value = ERROR_STATUS_VALUE[status];
  if (value === undefined) throw new RangeError(`unknown OCSP error status ${String(status)}`);
  return sequence(enumerated(value));
}

/**
 * The OCSP error status for a failure while answering: request errors → malformedRequest, an
 * unavailable key store or HSM → tryLater, anything else → internalError.
 */
export function ocspErrorStatusFor(error: unknown): OcspErrorStatus {
  if (isAppError(error)) {
    if (error.code === 'ocsp.malformed' || error.code === 'ocsp.unsupported') return 'malformedRequest';
    if (error.kind === 'Unavailable') return 'tryLater';
  }
  return 'internalError';
}
