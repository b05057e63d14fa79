// Test and benchmark support for src/pki-http: OCSP requests (RFC 6960 §4.1.1), a reader that
// verifies OCSP responses independently of the code under test (node:crypto over the DER, §4.2.1),
// and PKCS#10 requests (RFC 2986 §4) for any key the V2G PKI knows or refuses.

import { createPublicKey, generateKeyPairSync, type KeyObject, sign as nodeSign, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import {
  contentOf,
  decodeDer,
  expectSequence,
  explicit,
  explicitInner,
  integer,
  isContext,
  octetString,
  oid,
  rawOf,
  readAlgorithmIdentifier,
  readBitStringOctets,
  readExtensions,
  readInteger,
  readOctetString,
  sequence,
  tlv,
} from '../../pki/ocsp/asn1.ts';
import { type CertId, encodeCertId, OID, parseCertificate } from '../../pki/ocsp/index.ts';
import { encodeName } from '../../pki/ocsp/testing/test-pki.ts';

// --- OCSP requests ---------------------------------------------------------------------------------

/** OCSPRequest with one Request per CertID and, optionally, a nonce extension (RFC 9654). */
export function encodeOcspRequest(certIds: readonly CertId[], nonce?: Uint8Array): Uint8Array {
  const requestList = sequence(...certIds.map((id) => sequence(encodeCertId(id))));
  const parts = [requestList];
  if (nonce !== undefined) {
    // requestExtensions [2] EXPLICIT Extensions; extnValue = DER of OCTET STRING (the nonce).
    parts.push(explicit(2, sequence(sequence(oid(OID.ocspNonce), octetString(octetString(nonce))))));
  }
  return sequence(sequence(...parts));
}

// --- OCSP responses --------------------------------------------------------------------------------

export type ReadCertStatus =
  | { readonly status: 'good' }
  | { readonly status: 'unknown' }
  | { readonly status: 'revoked'; readonly time: Date; readonly reason?: number };

export interface ReadSingleResponse {
  readonly certIdDer: Uint8Array;
  readonly serialNumber: bigint;
  readonly certStatus: ReadCertStatus;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
}

export interface ReadOcspResponse {
  /** 0 successful, 1 malformedRequest, 2 internalError, 3 tryLater, 5 sigRequired, 6 unauthorized. */
  readonly responseStatus: number;
  readonly responderId?: { readonly byKey?: Uint8Array; readonly byName?: Uint8Array };
  readonly producedAt?: Date;
  readonly responses: readonly ReadSingleResponse[];
  readonly nonce?: Uint8Array;
  /** DER certificates in BasicOCSPResponse.certs. */
  readonly certs: readonly Uint8Array[];
  readonly tbsResponseData?: Uint8Array;
  readonly signatureAlgorithm?: string;
  readonly signature?: Uint8Array;
}

const STATUS_NAMES = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
} as const;

export function ocspStatusName(status: number): string {
  return STATUS_NAMES[status as keyof typeof STATUS_NAMES] ?? `status ${status}`;
}

function time(node: asn1js.AsnType | undefined): Date {
  if (node instanceof asn1js.GeneralizedTime) return node.toDate();
  throw new Error('expected a GeneralizedTime');
}

/** Parses an OCSPResponse (strict DER). */
export function readOcspResponse(der: Uint8Array): ReadOcspResponse {
  const top = expectSequence(decodeDer(der, 'OCSPResponse'), 'OCSPResponse');
  const responseStatus = contentOf(top[0] as asn1js.AsnType)[0] as number;
  if (top.length === 1) return { responseStatus, responses: [], certs: [] };
  const responseBytes = expectSequence(explicitInner(top[1] as asn1js.AsnType, 'responseBytes'), 'rb');
  const basic = expectSequence(decodeDer(readOctetString(responseBytes[1], 'response'), 'basic'), 'basic');
  const tbsNode = basic[0] as asn1js.AsnType;
  const tbs = expectSequence(tbsNode, 'tbsResponseData');
  let i = 0;
  if (isContext(tbs[i], 0)) i++; // version
  const responderIdNode = tbs[i++] as asn1js.AsnType;
  const responderId = isContext(responderIdNode, 2)
    ? { byKey: readOctetString(explicitInner(responderIdNode, 'byKey'), 'byKey') }
    : { byName: rawOf(explicitInner(responderIdNode, 'byName')) };
  const producedAt = time(tbs[i++]);
  const responses = expectSequence(tbs[i++], 'responses').map((single): ReadSingleResponse => {
    const parts = expectSequence(single, 'SingleResponse');
    const certId = expectSequence(parts[0], 'CertID');
    const statusNode = parts[1] as asn1js.AsnType;
    let certStatus: ReadCertStatus;
    if (isContext(statusNode, 0)) certStatus = { status: 'good' };
    else if (isContext(statusNode, 2)) certStatus = { status: 'unknown' };
    else {
      const inner = (statusNode as asn1js.Constructed).valueBlock.value;
      const reasonNode = inner[1];
      certStatus = {
        status: 'revoked',
        time: time(inner[0]),
        ...(reasonNode === undefined
          ? {}
          : { reason: contentOf(explicitInner(reasonNode, 'reason'))[0] as number }),
      };
    }
    const next =
      parts[3] !== undefined && isContext(parts[3], 0) ? time(explicitInner(parts[3], 'next')) : undefined;
    return {
      certIdDer: rawOf(parts[0] as asn1js.AsnType),
      serialNumber: readInteger(certId[3], 'serial').value,
      certStatus,
      thisUpdate: time(parts[2]),
      ...(next === undefined ? {} : { nextUpdate: next }),
    };
  });
  let nonce: Uint8Array | undefined;
  if (tbs[i] !== undefined && isContext(tbs[i], 1)) {
    for (const ext of readExtensions(explicitInner(tbs[i] as asn1js.AsnType, 'ext'), 'responseExtensions')) {
      if (ext.oid === OID.ocspNonce) nonce = readOctetString(decodeDer(ext.value, 'nonce'), 'nonce');
    }
  }
  const certs =
    basic[3] === undefined
      ? []
      : expectSequence(explicitInner(basic[3], 'certs'), 'certs').map((c) => rawOf(c));
  return {
    responseStatus,
    responderId,
    producedAt,
    responses,
    ...(nonce === undefined ? {} : { nonce }),
    certs,
    tbsResponseData: rawOf(tbsNode),
    signatureAlgorithm: readAlgorithmIdentifier(basic[1], 'signatureAlgorithm').oid,
    signature: readBitStringOctets(basic[2], 'signature'),
  };
}

const DIGEST_OF: Readonly<Record<string, string | null>> = {
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
  [OID.ed448]: null,
};

/** True when the response's signature verifies with the public key of `signerCertificate`. */
export function ocspSignatureValid(response: ReadOcspResponse, signerCertificate: Uint8Array): boolean {
  if (response.tbsResponseData === undefined || response.signature === undefined) return false;
  const digest = DIGEST_OF[response.signatureAlgorithm ?? ''];
  if (digest === undefined) return false;
  const key = createPublicKey({
    key: Buffer.from(parseCertificate(signerCertificate).spki.der),
    format: 'der',
    type: 'spki',
  });
  return verify(digest, response.tbsResponseData, { key, dsaEncoding: 'der' }, response.signature);
}

// --- CSRs ------------------------------------------------------------------------------------------

export type CsrKeyKind = 'P-256' | 'P-384' | 'P-521' | 'Ed448';

export interface CsrKey {
  readonly kind: CsrKeyKind;
  readonly privateKey: KeyObject;
  readonly spki: Uint8Array;
}

export function csrKey(kind: CsrKeyKind): CsrKey {
  const { privateKey, publicKey } =
    kind === 'Ed448'
      ? generateKeyPairSync('ed448')
      : generateKeyPairSync('ec', {
          namedCurve: kind === 'P-256' ? 'prime256v1' : kind === 'P-384' ? 'secp384r1' : 'secp521r1',
        });
  return { kind, privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}

const SIGNATURE: Readonly<Record<CsrKeyKind, { readonly oid: string; readonly digest: string | null }>> = {
  'P-256': { oid: OID.ecdsaWithSha256, digest: 'sha256' },
  'P-384': { oid: OID.ecdsaWithSha384, digest: 'sha384' },
  'P-521': { oid: OID.ecdsaWithSha512, digest: 'sha512' },
  Ed448: { oid: OID.ed448, digest: null },
};

/** A PKCS#10 request with subject O (optional) and CN; `tamper` breaks the proof of possession. */
export function makeCsr(options: {
  readonly key: CsrKey;
  readonly commonName: string;
  readonly organization?: string;
  readonly tamper?: boolean;
}): Uint8Array {
  const subject = encodeName([
    ...(options.organization === undefined ? [] : ([['O', options.organization]] as const)),
    ['CN', options.commonName],
  ]);
  const info = sequence(integer(0n), subject, options.key.spki, tlv(0xa0));
  const alg = SIGNATURE[options.key.kind];
  const signature = new Uint8Array(
    nodeSign(alg.digest, info, { key: options.key.privateKey, dsaEncoding: 'der' }),
  );
  if (options.tamper === true) signature[signature.length - 1] ^= 0x01;
  return sequence(info, sequence(oid(alg.oid)), tlv(0x03, Uint8Array.of(0), signature));
}

/** base64 of DER in 64-character lines, as `openssl base64` writes it (MaEVe's scripts). */
export function base64Lines(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `${lines.join('\n')}\n`;
}

/** The DER certificates of a certs-only PKCS#7 (RFC 5652 §5.1), in their order. */
export function certificatesOfPkcs7(der: Uint8Array): Uint8Array[] {
  const contentInfo = expectSequence(decodeDer(der, 'ContentInfo'), 'ContentInfo');
  const signedData = expectSequence(explicitInner(contentInfo[1] as asn1js.AsnType, 'content'), 'SignedData');
  const certsNode = signedData.find((n) => isContext(n, 0));
  if (certsNode === undefined) return [];
  return (certsNode as asn1js.Constructed).valueBlock.value.map((c) => rawOf(c));
}
