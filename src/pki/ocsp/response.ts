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
  implicitPrimitive,
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

/**
 * Decides whether the responder may sign for this CertID (RFC 6960 §4.2.2.2): either it is the
 * CA named by the CertID, or a delegated responder issued by that CA. For a delegated responder
 * only the issuer name can be checked here (its issuer's key is not at hand); the server pairs
 * each CA with its own responder, this check is the safety net against a wrong pairing.
 */
function authorisation(cert: CertificateInfo, certId: CertId): 'issuer' | 'delegated' | undefined {
  const nameHash = hash(certId.hashAlgorithm, cert.subjectDer);
  const keyHash = hash(certId.hashAlgorithm, cert.spki.publicKey);
  if (bytesEqual(nameHash, certId.issuerNameHash) && bytesEqual(keyHash, certId.issuerKeyHash))
    return 'issuer';
  if (bytesEqual(hash(certId.hashAlgorithm, cert.issuerDer), certId.issuerNameHash)) return 'delegated';
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

  // CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo,
  //                        unknown [2] IMPLICIT UnknownInfo }
  let certStatus: Uint8Array;
  const status = single.status;
  if (status === 'good') certStatus = implicitPrimitive(0, new Uint8Array(0));
  else if (status === 'unknown') certStatus = implicitPrimitive(2, new Uint8Array(0));
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
 * The parsed responder certificate and the signer check, remembered per (signer, certificate
 * bytes): a responder answers many requests with the same pair, and parsing a certificate costs
 * ~0.3 ms. Keyed by object identity, verified by content (a caller that changes the bytes in place
 * gets them parsed and checked again).
 */
const RESPONDER_MEMO = new WeakMap<
  Signer,
  WeakMap<Uint8Array, { bytes: Uint8Array; cert: CertificateInfo }>
>();

async function checkedResponder(signer: Signer, certificate: Uint8Array): Promise<CertificateInfo> {
  const memo = RESPONDER_MEMO.get(signer)?.get(certificate);
  if (memo !== undefined && bytesEqual(memo.bytes, certificate)) return memo.cert;
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
  let perSigner = RESPONDER_MEMO.get(signer);
  if (perSigner === undefined) {
    perSigner = new WeakMap();
    RESPONDER_MEMO.set(signer, perSigner);
  }
  perSigner.set(certificate, { bytes: certificate.slice(), cert });
  return cert;
}

/**
 * Builds and signs an OCSPResponse with status successful and a BasicOCSPResponse (RFC 6960
 * §4.2.1). The signature algorithm follows the signer's key: ecdsa-with-SHA256 (P-256),
 * ecdsa-with-SHA512 (P-521), Ed448. Throws AppError 'ocsp.responder' for inconsistent input;
 * Signer errors (signer.*) pass through.
 */
export async function buildOcspResponse(input: BuildOcspResponseInput): Promise<Uint8Array> {
  const { responder } = input;
  if (!(responder?.certificate instanceof Uint8Array)) invalid('responder.certificate must be DER bytes');
  const cert = await checkedResponder(responder.signer, responder.certificate);
  const algorithm = signatureAlgorithmFor(responder.signer);
  if (!Array.isArray(input.responses) || input.responses.length === 0) invalid('responses must not be empty');
  const producedAt = checkDate(input.producedAt, 'producedAt');
  // Clients validate the responder certificate at the time they check the response: a response
  // produced outside the responder's validity is refused by every one of them.
  if (producedAt.getTime() < cert.notBefore.getTime() || producedAt.getTime() > cert.notAfter.getTime()) {
    invalid('producedAt lies outside the validity of the responder certificate');
  }

  for (const [index, single] of input.responses.entries()) {
    const auth = authorisation(cert, checkCertId(single?.certId, `responses[${index}]`));
    if (auth === undefined) {
      invalid(`responder is not authorised for responses[${index}] (neither the issuer nor issued by it)`, {
        index,
      });
    }
    if (auth === 'delegated') {
      // RFC 6960 §4.2.2.2: a delegated responder MUST carry id-kp-OCSPSigning. id-pkix-ocsp-nocheck
      // (§4.2.2.2.1, SHOULD) is our policy: clients must not need OCSP for the responder itself.
      if (!cert.extKeyUsage?.includes(OID.kpOcspSigning)) {
        invalid('delegated responder certificate lacks extendedKeyUsage id-kp-OCSPSigning');
      }
      if (!cert.extensions.some((e) => e.oid === OID.ocspNoCheck)) {
        invalid('delegated responder certificate lacks id-pkix-ocsp-nocheck');
      }
    }
  }

  const responses = input.responses.map(encodeSingleResponse);
  // ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash } (explicit tags, RFC 6960 §4.2.1);
  // KeyHash = SHA-1 of the responder's subjectPublicKey BIT STRING value.
  const responderId =
    input.responderId === 'byName'
      ? explicit(1, cert.subjectDer)
      : input.responderId === 'byKey'
        ? explicit(2, octetString(hash('sha1', cert.spki.publicKey)))
        : invalid("responderId must be 'byKey' or 'byName'");

  const tbsParts = [responderId, generalizedTime(producedAt), sequence(...responses)];
  if (input.nonce !== undefined) {
    if (
      !(input.nonce instanceof Uint8Array) ||
      input.nonce.byteLength < 1 ||
      input.nonce.byteLength > OCSP_NONCE_MAX_BYTES
    ) {
      invalid('nonce must be 1..128 octets (RFC 9654 §2.1)');
    }
    // responseExtensions [1] EXPLICIT Extensions; the nonce extension is not critical.
    tbsParts.push(explicit(1, sequence(sequence(oid(OID.ocspNonce), octetString(octetString(input.nonce))))));
  }
  // ResponseData: version [0] EXPLICIT DEFAULT v1 is omitted (DER).
  const tbsResponseData = sequence(...tbsParts);
  const certs = responder.includeCertificates ? [explicit(0, sequence(cert.der))] : [];
  const basic = await signStructure(responder.signer, tbsResponseData, algorithm, ...certs);
  return sequence(
    enumerated(0), // successful
    explicit(0, sequence(oid(OID.ocspBasic), octetString(basic))), // responseBytes [0] EXPLICIT
  );
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
