// OCSP client side (RFC 6960): the request for one certificate, and the checks on the answer that
// make it usable as a revocation status: successful basic response, signed by the issuer or by a
// delegated responder certificate the issuer issued with id-kp-OCSPSigning (§4.2.2.2), a
// SingleResponse for exactly our CertID, and fresh (thisUpdate not in the future, nextUpdate not
// passed; §4.2.2.1 with a clock-skew allowance). Pure: bytes in, a verdict out; the transport is
// ./http-client.ts.

import {
  bytesEqual,
  contentOf,
  decodeDer,
  expectSequence,
  explicitInner,
  isContext,
  isUniversal,
  type Node,
  rawOf,
  readAlgorithmIdentifier,
  readBitStringOctets,
  readOctetString,
  readOid,
  sequence,
  UNIVERSAL,
} from '../../pki/ocsp/asn1.ts';
import {
  type CertId,
  certIdFor,
  encodeCertId,
  OID,
  parseCertificate,
  serialToHex,
} from '../../pki/ocsp/index.ts';
import { decodeCertId } from '../../pki/ocsp/request.ts';
import { validatePath } from '../../pki/path/index.ts';
import { signatureVerifies } from './signed.ts';

/** Largest OCSP response read (a response with a responder certificate is ~1-2 KiB). */
export const OCSP_MAX_RESPONSE_BYTES = 64 * 1024;
/** Allowed clock difference between us and a responder (thisUpdate / nextUpdate). */
export const OCSP_CLOCK_SKEW_MS = 5 * 60_000;
/** A response without nextUpdate is used only while its thisUpdate is younger than this. */
export const OCSP_MAX_AGE_WITHOUT_NEXT_UPDATE_MS = 24 * 3_600_000;
/** At most this many certificates of BasicOCSPResponse.certs are tried as delegated responder. */
const MAX_RESPONDER_CANDIDATES = 4;

export type OcspVerdict =
  | { readonly status: 'good'; readonly nextUpdate: Date | null }
  | {
      readonly status: 'revoked';
      readonly revokedAt: Date;
      readonly reason: number | null;
      readonly nextUpdate: Date | null;
    }
  | { readonly status: 'unknown'; readonly nextUpdate: Date | null }
  /** The answer cannot be used (error status, bad signature, stale, not for our certificate). */
  | { readonly status: 'invalid'; readonly reason: string };

export interface OcspSubject {
  /** The certificate whose status is asked. */
  readonly certificate: Uint8Array;
  /** Its issuer's certificate. */
  readonly issuer: Uint8Array;
}

/** The CertID of `subject` (SHA-1, the hash every responder supports: RFC 5019 §2.1.1). */
export function ocspCertId(subject: OcspSubject): CertId {
  const issuer = parseCertificate(subject.issuer);
  const certificate = parseCertificate(subject.certificate);
  return certIdFor(
    { subjectDer: issuer.subjectDer, spkiDer: issuer.spki.der },
    certificate.serialNumber,
    'sha1',
  );
}

/** OCSPRequest with one Request and no extensions (RFC 6960 §4.1.1; RFC 5019 §2.1.1). */
export function buildOcspRequest(certId: CertId): Uint8Array {
  return sequence(sequence(sequence(sequence(encodeCertId(certId)))));
}

function time(node: Node | undefined, what: string): Date {
  if (!isUniversal(node, UNIVERSAL.GENERALIZED_TIME)) throw new Error(`${what}: expected GeneralizedTime`);
  const text = Buffer.from(contentOf(node)).toString('latin1');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  if (m === null) throw new Error(`${what}: malformed GeneralizedTime`);
  const date = new Date(
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
  );
  if (!Number.isFinite(date.getTime())) throw new Error(`${what}: malformed GeneralizedTime`);
  return date;
}

function sameCertId(a: CertId, b: CertId): boolean {
  return (
    a.hashAlgorithm === b.hashAlgorithm &&
    a.serialNumber === b.serialNumber &&
    bytesEqual(a.issuerNameHash, b.issuerNameHash) &&
    bytesEqual(a.issuerKeyHash, b.issuerKeyHash)
  );
}

interface ParsedBasic {
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  readonly certs: readonly Uint8Array[];
  readonly singles: readonly {
    readonly certId: CertId | undefined;
    readonly status: Node;
    readonly thisUpdate: Date;
    readonly nextUpdate: Date | null;
  }[];
}

function parseBasic(der: Uint8Array): ParsedBasic | string {
  const top = expectSequence(decodeDer(der, 'OCSPResponse'), 'OCSPResponse');
  const statusNode = top[0];
  if (!isUniversal(statusNode, UNIVERSAL.ENUMERATED)) return 'not an OCSPResponse';
  const status = contentOf(statusNode);
  if (status.length !== 1 || status[0] !== 0) {
    const names: Record<number, string> = {
      1: 'malformedRequest',
      2: 'internalError',
      3: 'tryLater',
      5: 'sigRequired',
      6: 'unauthorized',
    };
    return `the responder answered ${names[status[0] ?? -1] ?? 'an unknown status'}`;
  }
  if (top.length !== 2 || !isContext(top[1], 0)) return 'a successful OCSPResponse without responseBytes';
  const responseBytes = expectSequence(explicitInner(top[1], 'responseBytes'), 'ResponseBytes');
  if (readOid(responseBytes[0], 'responseType') !== OID.ocspBasic) return 'not a basic OCSP response';
  const basic = expectSequence(
    decodeDer(readOctetString(responseBytes[1], 'response'), 'BasicOCSPResponse'),
    'BasicOCSPResponse',
  );
  const tbsNode = basic[0];
  const tbs = expectSequence(tbsNode, 'ResponseData');
  let i = 0;
  if (isContext(tbs[i], 0)) i++; // version [0] EXPLICIT DEFAULT v1
  if (!isContext(tbs[i], 1) && !isContext(tbs[i], 2)) return 'ResponseData without responderID';
  i++;
  time(tbs[i++], 'producedAt');
  const singles = expectSequence(tbs[i], 'responses').map((single) => {
    const parts = expectSequence(single, 'SingleResponse');
    let certId: CertId | undefined;
    try {
      certId = decodeCertId(rawOf(parts[0] as Node));
    } catch {
      // A CertID we cannot read (other hash) is simply not ours.
      certId = undefined;
    }
    const next = parts[3] !== undefined && isContext(parts[3], 0) ? parts[3] : undefined;
    return {
      certId,
      status: parts[1] as Node,
      thisUpdate: time(parts[2], 'thisUpdate'),
      nextUpdate: next === undefined ? null : time(explicitInner(next, 'nextUpdate'), 'nextUpdate'),
    };
  });
  const certs =
    basic[3] !== undefined && isContext(basic[3], 0)
      ? expectSequence(explicitInner(basic[3], 'certs'), 'certs').map((c) => rawOf(c))
      : [];
  return {
    tbs: rawOf(tbsNode as Node),
    signatureAlgorithm: readAlgorithmIdentifier(basic[1], 'signatureAlgorithm').oid,
    signature: readBitStringOctets(basic[2], 'signature'),
    certs,
    singles,
  };
}

/** Is the response signed by the issuer, or by a delegated responder the issuer certified? */
function signedByAuthority(basic: ParsedBasic, issuerDer: Uint8Array, at: Date): boolean {
  const issuer = parseCertificate(issuerDer);
  if (signatureVerifies(basic.tbs, basic.signatureAlgorithm, basic.signature, issuer.spki.der)) return true;
  for (const candidate of basic.certs.slice(0, MAX_RESPONDER_CANDIDATES)) {
    let responder: ReturnType<typeof parseCertificate>;
    try {
      responder = parseCertificate(candidate);
    } catch {
      continue;
    }
    // RFC 6960 §4.2.2.2: issued directly by the CA of the certificate in question, with
    // id-kp-OCSPSigning; valid now (path validation with the issuer as the only anchor).
    if (!responder.extKeyUsage?.includes(OID.kpOcspSigning)) continue;
    const path = validatePath({ target: candidate, anchors: [issuerDer], at, maxLength: 2 });
    if (!path.valid || path.chain.length !== 2) continue;
    if (signatureVerifies(basic.tbs, basic.signatureAlgorithm, basic.signature, responder.spki.der))
      return true;
  }
  return false;
}

/** Evaluates a responder's answer for `certId` at `now`. Never throws. */
export function evaluateOcspResponse(
  der: Uint8Array,
  certId: CertId,
  issuerDer: Uint8Array,
  now: Date,
): OcspVerdict {
  let basic: ParsedBasic | string;
  try {
    basic = parseBasic(der);
  } catch (error) {
    return { status: 'invalid', reason: `malformed OCSP response (${(error as Error).message})` };
  }
  if (typeof basic === 'string') return { status: 'invalid', reason: basic };
  const single = basic.singles.find((s) => s.certId !== undefined && sameCertId(s.certId, certId));
  if (single === undefined) {
    return {
      status: 'invalid',
      reason: `the response has no status for serial ${serialToHex(certId.serialNumber)}`,
    };
  }
  if (!signedByAuthority(basic, issuerDer, now)) {
    return {
      status: 'invalid',
      reason: 'the response is signed neither by the issuer nor by a responder the issuer certified',
    };
  }
  const t = now.getTime();
  if (single.thisUpdate.getTime() > t + OCSP_CLOCK_SKEW_MS) {
    return { status: 'invalid', reason: 'the response thisUpdate lies in the future' };
  }
  if (single.nextUpdate !== null && single.nextUpdate.getTime() < t - OCSP_CLOCK_SKEW_MS) {
    return { status: 'invalid', reason: 'the response is stale (nextUpdate has passed)' };
  }
  if (single.nextUpdate === null && single.thisUpdate.getTime() < t - OCSP_MAX_AGE_WITHOUT_NEXT_UPDATE_MS) {
    return { status: 'invalid', reason: 'the response has no nextUpdate and is older than 24 hours' };
  }
  // CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] }
  try {
    const node: Node = single.status;
    const tag = node.idBlock.tagClass === 3 ? node.idBlock.tagNumber : -1;
    if (tag === 0) return { status: 'good', nextUpdate: single.nextUpdate };
    if (tag === 2) return { status: 'unknown', nextUpdate: single.nextUpdate };
    if (tag === 1 && node.idBlock.isConstructed) {
      const inner = (node.valueBlock as { value?: Node[] }).value ?? [];
      const reasonNode = inner[1];
      let reason: number | null = null;
      if (reasonNode !== undefined && isContext(reasonNode, 0)) {
        const enumerated = explicitInner(reasonNode, 'revocationReason');
        if (isUniversal(enumerated, UNIVERSAL.ENUMERATED)) reason = contentOf(enumerated)[0] ?? null;
      }
      return {
        status: 'revoked',
        revokedAt: time(inner[0], 'revocationTime'),
        reason,
        nextUpdate: single.nextUpdate,
      };
    }
  } catch (error) {
    return { status: 'invalid', reason: `malformed certStatus (${(error as Error).message})` };
  }
  return { status: 'invalid', reason: 'malformed certStatus' };
}
