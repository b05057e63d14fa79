// How the charger gets its SECC certificate: EST simpleenroll at the CPO CA (RFC 7030 §4.2; OPCP
// est.v1.json; interop.md §1.6 "EST (V2G SECC leaf)"): a fresh key (P-256 for ISO 15118-2, P-521
// for -20), a PKCS#10 request with CN = EVSEID (or SECCID), POST application/pkcs10 (base64 DER) with
// a CPO token; the answer is a certs-only PKCS#7, leaf first. cacerts gives the chain up to the root.

import { generateKeyPairSync, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { appError } from '../../errors/catalogue.ts';
import type { Node } from '../../pki/ocsp/asn1.ts';
import {
  children,
  decodeDer,
  expectSequence,
  explicitInner,
  integer,
  isContext,
  oid,
  rawOf,
  sequence,
  set,
  tlv,
} from '../../pki/ocsp/asn1.ts';

const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';
const OID_C = '2.5.4.6';
const OID_ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const OID_ECDSA_SHA512 = '1.2.840.10045.4.3.4';

export interface EstEnrollOptions {
  /** Base URL of the platform, e.g. http://127.0.0.1:8080. */
  readonly baseUrl: string;
  /** CPO access token. */
  readonly token: string;
  readonly iso: 2 | 20;
  /** CN of the SECC certificate: an EVSEID (-2) or SECCID (-20). */
  readonly commonName: string;
  readonly organization?: string;
  readonly country?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface EnrolledSecc {
  readonly key: KeyObject;
  /** SECC leaf, then the CPO sub-CAs (no root): what the TLS server sends. */
  readonly chain: Uint8Array[];
  /** The root the chain ends in (from cacerts). */
  readonly root: Uint8Array | undefined;
}

function name(commonName: string, organization?: string, country?: string): Uint8Array {
  const utf8 = (s: string) => tlv(0x0c, new TextEncoder().encode(s));
  return sequence(
    ...(country ? [set(sequence(oid(OID_C), tlv(0x13, new TextEncoder().encode(country))))] : []),
    ...(organization ? [set(sequence(oid(OID_O), utf8(organization)))] : []),
    set(sequence(oid(OID_CN), utf8(commonName))),
  );
}

/** A PKCS#10 CertificationRequest (RFC 2986) signed with the subject key. */
export function buildCsr(key: KeyObject, spki: Uint8Array, subject: Uint8Array): Uint8Array {
  const p521 = key.asymmetricKeyDetails?.namedCurve === 'secp521r1';
  const info = sequence(integer(0n), subject, spki, tlv(0xa0));
  const signature = new Uint8Array(sign(p521 ? 'sha512' : 'sha256', info, { key, dsaEncoding: 'der' }));
  return sequence(
    info,
    sequence(oid(p521 ? OID_ECDSA_SHA512 : OID_ECDSA_SHA256)),
    tlv(0x03, Uint8Array.of(0), signature),
  );
}

/** The certificates of a certs-only PKCS#7 (RFC 5652 §5.1), in their order. */
export function certificatesOfPkcs7(der: Uint8Array): Uint8Array[] {
  const contentInfo = expectSequence(decodeDer(der, 'ContentInfo'), 'ContentInfo');
  const signedData = expectSequence(explicitInner(contentInfo[1] as Node, 'content'), 'SignedData');
  const certs = signedData.find((n) => isContext(n, 0));
  if (certs === undefined) return [];
  return children(certs, 'certificates').map((c) => rawOf(c));
}

async function estCall(options: EstEnrollOptions, path: string, init: RequestInit): Promise<Uint8Array[]> {
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(`${options.baseUrl.replace(/\/$/, '')}${path}`, {
      ...init,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (e) {
    throw appError('secc.backend', `EST server not reachable: ${(e as Error).message}`, { cause: e });
  }
  const text = await res.text();
  if (res.status !== 200)
    throw appError('secc.backend', `EST ${path} answered HTTP ${res.status}`, {
      details: { status: res.status },
    });
  try {
    return certificatesOfPkcs7(new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64')));
  } catch (e) {
    throw appError('secc.backend', `EST ${path} answer is not a base64 certs-only PKCS#7`, { cause: e });
  }
}

/** Generates the SECC key, enrolls it at the CPO CA and fetches the CA chain. */
export async function enrollSecc(options: EstEnrollOptions): Promise<EnrolledSecc> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: options.iso === 2 ? 'prime256v1' : 'secp521r1',
  });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const csr = buildCsr(privateKey, spki, name(options.commonName, options.organization, options.country));
  const iso = options.iso === 2 ? 'ISO15118-2' : 'ISO15118-20';
  const issued = await estCall(options, `/.well-known/est/cpo/simpleenroll/${iso}`, {
    method: 'POST',
    headers: { 'content-type': 'application/pkcs10', authorization: `Bearer ${options.token}` },
    body: Buffer.from(csr).toString('base64'),
  });
  const leaf = issued[0];
  if (!leaf || !new X509Certificate(leaf).checkPrivateKey(privateKey))
    throw appError('secc.backend', 'the EST answer does not hold a certificate for the generated key');
  const cas = await estCall(options, `/.well-known/est/cpo/cacerts/${iso}`, { method: 'GET' });
  // cacerts: the issuing sub-CA first, root last (interop.md §1.6).
  const root = cas.find((c) => {
    const x = new X509Certificate(c);
    return x.subject === x.issuer;
  });
  const subs = cas.filter((c) => c !== root);
  return { key: privateKey, chain: [leaf, ...subs], root };
}
