// The Certificate Trust List of the pool (docs/rcp.md "CTL format"; D-044..D-046). Neither spec
// defines one (spec-gaps.md item 26: OPCP `GET /v1/root/ctl` → `{signerCertificate, timeStamp, CTL}`
// with "body and signer not yet defined"; OPNC FR-09 "not implemented yet"), so this is our format:
//
//   { "signerCertificate": base64 DER, "signerChain": [base64 DER, …], "timeStamp": RFC 3339,
//     "CTL": <JWS, flattened JSON serialization (RFC 7515 §7.2.2)> }
//
// The JWS protected header is {"alg": ES256 | ES512 | EdDSA, "typ": "pnc-ctl+json", "x5c": [signer,
// sub-CAs…]} (RFC 7515 §4.1.6; the root is left out, the consumer holds it); the payload is the UTF-8
// JSON of CtlPayload with a fixed member order and the roots sorted by (rootType, iso, fingerprint):
// the signed bytes are exactly the payload text, so a consumer parses, never re-canonicalises.
// `sequenceNumber` is the pool's change count (adds + deletes): it grows with every change, never
// falls, and equal numbers mean equal root lists; a consumer refuses a number lower than one it has
// accepted (rollback). `nextUpdate` bounds how long a CTL may be used.
//
// Signer: a dedicated "CTL Signer" certificate (CPS-leaf profile: digitalSignature only) issued by the
// demo PKI's Prov Sub-CA 2, key in the configured key store (./demo-roots.ts creates it). Because any
// CPS leaf of the same PKI chains to the same V2G root, a consumer MUST pin the signer (SHA-256 of its
// certificate), and also validates its chain to a V2G root it trusts (D-045).

import { createHash, type KeyObject, verify, X509Certificate } from 'node:crypto';
import { appError } from '../errors/catalogue.ts';
import { toPathCert } from '../pki/path/certificate.ts';
import { validatePath } from '../pki/path/index.ts';
import type { Signer } from '../signer/types.ts';
import type { RootRecord } from './repository.ts';
import { ROOT_TYPES, type RootType } from './trust-anchors.ts';
import { isoSeconds } from './views.ts';

export const CTL_VERSION = 1;
export const CTL_TYP = 'pnc-ctl+json';
/** How long a CTL may be used after its issue time (D-046). */
export const CTL_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;
/** Largest CTL document verifyCtl reads (JSON text). */
export const MAX_CTL_CHARS = 4 * 1024 * 1024;
const MAX_ROOTS = 1024;
const MAX_X5C = 4;

export interface CtlRootEntry {
  readonly rootCertificateId: string;
  readonly rootType: RootType;
  readonly iso: 2 | 20;
  readonly fingerprintSha256: string;
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** base64 DER. */
  readonly certificate: string;
}

export interface CtlPayload {
  readonly version: 1;
  readonly sequenceNumber: number;
  readonly issuedAt: string;
  readonly nextUpdate: string;
  readonly roots: readonly CtlRootEntry[];
}

export interface FlattenedJws {
  readonly protected: string;
  readonly payload: string;
  readonly signature: string;
}

/** The response of GET /v1/root/ctl and the file of `pnc root ctl --out`. */
export interface CtlDocument {
  readonly signerCertificate: string;
  readonly signerChain: readonly string[];
  readonly timeStamp: string;
  readonly CTL: FlattenedJws;
}

export type CtlAlgorithm = 'ES256' | 'ES512' | 'EdDSA';

const ALG_OF_KEY: Readonly<Record<string, CtlAlgorithm>> = {
  'P-256': 'ES256',
  'P-521': 'ES512',
  Ed448: 'EdDSA',
};

function b64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}

function compareEntries(a: CtlRootEntry, b: CtlRootEntry): number {
  const byType = ROOT_TYPES.indexOf(a.rootType) - ROOT_TYPES.indexOf(b.rootType);
  if (byType !== 0) return byType;
  if (a.iso !== b.iso) return a.iso - b.iso;
  return a.fingerprintSha256 < b.fingerprintSha256 ? -1 : a.fingerprintSha256 > b.fingerprintSha256 ? 1 : 0;
}

/** The payload for the roots not deleted; member order fixed, roots sorted. */
export function buildCtlPayload(
  roots: readonly RootRecord[],
  options: { readonly sequenceNumber: number; readonly issuedAt: Date; readonly nextUpdate: Date },
): CtlPayload {
  const entries = roots
    .filter((r) => r.deletedAt === null)
    .map(
      (r): CtlRootEntry => ({
        rootCertificateId: r.id,
        rootType: r.rootType,
        iso: r.iso,
        fingerprintSha256: r.fingerprintSha256,
        subject: r.subject,
        notBefore: isoSeconds(r.notBefore),
        notAfter: isoSeconds(r.notAfter),
        certificate: Buffer.from(r.der).toString('base64'),
      }),
    )
    .sort(compareEntries);
  return {
    version: CTL_VERSION,
    sequenceNumber: options.sequenceNumber,
    issuedAt: isoSeconds(options.issuedAt),
    nextUpdate: isoSeconds(options.nextUpdate),
    roots: entries,
  };
}

export interface CtlSigner {
  readonly signer: Signer;
  /** DER: the signer certificate first, then its sub-CAs (no root). */
  readonly chain: readonly Uint8Array[];
}

/** Signs the payload as a flattened JWS and wraps it in the OPCP document. */
export async function signCtl(payload: CtlPayload, signer: CtlSigner): Promise<CtlDocument> {
  const alg = ALG_OF_KEY[signer.signer.handle.algorithm];
  if (alg === undefined) throw new Error(`no JWS algorithm for ${signer.signer.handle.algorithm}`);
  const x5c = signer.chain.map((der) => Buffer.from(der).toString('base64'));
  const protectedHeader = b64url(JSON.stringify({ alg, typ: CTL_TYP, x5c }));
  const encodedPayload = b64url(JSON.stringify(payload));
  // ECDSA: JWS wants r||s (RFC 7518 §3.4), which signRaw returns; Ed448: the 114-byte signature.
  const signature = await signer.signer.signRaw(Buffer.from(`${protectedHeader}.${encodedPayload}`, 'ascii'));
  return {
    signerCertificate: x5c[0] as string,
    signerChain: x5c.slice(1),
    timeStamp: payload.issuedAt,
    CTL: { protected: protectedHeader, payload: encodedPayload, signature: b64url(signature) },
  };
}

// --- Verification ---------------------------------------------------------------------------------

export interface VerifyCtlOptions {
  /** Trusted V2G roots (DER): the signer's chain must end at one of them. */
  readonly anchors: readonly Uint8Array[];
  /** SHA-256 fingerprints (hex, any case, colons allowed) of the accepted signer certificates. */
  readonly signerFingerprints: readonly string[];
  /** Verification time: chain validity and nextUpdate. */
  readonly at: Date;
  /** Refuse a sequence number below this one (the last accepted; rollback protection). */
  readonly minSequenceNumber?: number;
}

export interface VerifiedCtl {
  readonly payload: CtlPayload;
  readonly algorithm: CtlAlgorithm;
  /** DER of the signer certificate. */
  readonly signer: Uint8Array;
  readonly signerFingerprint: string;
}

function invalid(message: string): never {
  throw appError('rcp.ctl-invalid', `CTL: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const B64URL = /^[A-Za-z0-9_-]*$/;
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX64 = /^[0-9a-f]{64}$/;

function decodeB64url(value: unknown, what: string): Buffer {
  if (typeof value !== 'string' || !B64URL.test(value)) invalid(`${what} is not base64url`);
  return Buffer.from(value, 'base64url');
}

function decodeB64(value: unknown, what: string): Buffer {
  if (typeof value !== 'string' || !B64.test(value) || value.length % 4 !== 0)
    invalid(`${what} is not base64`);
  return Buffer.from(value, 'base64');
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return invalid(`${what} is not JSON`);
  }
}

function normaliseFingerprint(text: string): string {
  return text.replace(/:/g, '').trim().toLowerCase();
}

function keyMatches(alg: CtlAlgorithm, key: KeyObject): boolean {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (alg === 'ES256') return key.asymmetricKeyType === 'ec' && curve === 'prime256v1';
  if (alg === 'ES512') return key.asymmetricKeyType === 'ec' && curve === 'secp521r1';
  return key.asymmetricKeyType === 'ed448' || key.asymmetricKeyType === 'ed25519';
}

function checkSignature(alg: CtlAlgorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    if (alg === 'EdDSA') return verify(null, data, key, signature);
    return verify(alg === 'ES256' ? 'sha256' : 'sha512', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

function parseTime(value: unknown, what: string): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value))
    invalid(`${what} is not an RFC 3339 UTC time`);
  const date = new Date(value);
  if (!Number.isFinite(date.getTime())) invalid(`${what} is not a valid time`);
  return date;
}

function checkPayload(value: unknown): CtlPayload {
  if (!isRecord(value)) return invalid('the payload is not an object');
  if (value.version !== CTL_VERSION) invalid(`unknown version ${JSON.stringify(value.version)}`);
  const seq = value.sequenceNumber;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)
    invalid('sequenceNumber is not a count');
  parseTime(value.issuedAt, 'issuedAt');
  parseTime(value.nextUpdate, 'nextUpdate');
  if (!Array.isArray(value.roots) || value.roots.length > MAX_ROOTS) invalid('roots is not a list');
  for (const [i, entry] of (value.roots as unknown[]).entries()) {
    if (!isRecord(entry)) invalid(`roots[${i}] is not an object`);
    if (!(ROOT_TYPES as readonly unknown[]).includes(entry.rootType))
      invalid(`roots[${i}].rootType is unknown`);
    if (entry.iso !== 2 && entry.iso !== 20) invalid(`roots[${i}].iso is not 2 or 20`);
    if (typeof entry.fingerprintSha256 !== 'string' || !HEX64.test(entry.fingerprintSha256))
      invalid(`roots[${i}].fingerprintSha256 is not 64 lower-case hex digits`);
    const der = decodeB64(entry.certificate, `roots[${i}].certificate`);
    // The fingerprint is what consumers match on: it must be the certificate's.
    if (createHash('sha256').update(der).digest('hex') !== entry.fingerprintSha256)
      invalid(`roots[${i}].fingerprintSha256 does not match its certificate`);
  }
  return value as unknown as CtlPayload;
}

/**
 * Verifies a CTL document (parsed JSON or its text): JWS signature with the x5c signer key, signer
 * pinned by fingerprint, signer chain valid to one of the anchors at `at`, payload well-formed and
 * not past nextUpdate, sequence number not below minSequenceNumber. Throws rcp.ctl-invalid.
 */
export function verifyCtl(document: unknown, options: VerifyCtlOptions): VerifiedCtl {
  let doc = document;
  if (typeof doc === 'string') {
    if (doc.length > MAX_CTL_CHARS) invalid(`the document is longer than ${MAX_CTL_CHARS} characters`);
    doc = parseJson(Buffer.from(doc, 'utf8'), 'the document');
  }
  if (!isRecord(doc) || !isRecord(doc.CTL)) return invalid('no CTL object (flattened JWS)');
  const jws = doc.CTL;
  const headerBytes = decodeB64url(jws.protected, 'the protected header');
  const payloadBytes = decodeB64url(jws.payload, 'the payload');
  const signature = decodeB64url(jws.signature, 'the signature');
  if (jws.header !== undefined) invalid('an unprotected header is not allowed');
  const header = parseJson(headerBytes, 'the protected header');
  if (!isRecord(header)) return invalid('the protected header is not an object');
  const alg = header.alg;
  if (alg !== 'ES256' && alg !== 'ES512' && alg !== 'EdDSA')
    return invalid(`unsupported alg ${JSON.stringify(alg)}`);
  if (header.typ !== CTL_TYP) invalid(`typ is not ${CTL_TYP}`);
  if (header.crit !== undefined) invalid('crit is not supported');
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_X5C) return invalid('x5c is missing');
  const chain = x5c.map((c, i) => decodeB64(c, `x5c[${i}]`));
  const signerDer = chain[0] as Buffer;
  if (doc.signerCertificate !== undefined && doc.signerCertificate !== x5c[0])
    invalid('signerCertificate differs from the signed x5c[0]');

  const pins = options.signerFingerprints.map(normaliseFingerprint);
  if (pins.length === 0) invalid('no signer fingerprint to verify against (pin the CTL signer)');
  const signerFingerprint = createHash('sha256').update(signerDer).digest('hex');
  if (!pins.includes(signerFingerprint))
    invalid(`the signer ${signerFingerprint} is not a pinned CTL signer`);

  let key: KeyObject;
  try {
    key = new X509Certificate(signerDer).publicKey;
  } catch {
    return invalid('x5c[0] is not a certificate');
  }
  if (!keyMatches(alg, key)) invalid(`the signer key does not fit alg ${alg}`);
  const signingInput = Buffer.from(`${jws.protected as string}.${jws.payload as string}`, 'ascii');
  if (!checkSignature(alg, key, signingInput, signature)) invalid('the signature does not verify');

  const signerCert = toPathCert(new Uint8Array(signerDer));
  if (!signerCert.ok || signerCert.cert.keyUsage?.has('digitalSignature') !== true)
    invalid('the signer certificate does not allow digitalSignature');
  const path = validatePath({
    target: new Uint8Array(signerDer),
    intermediates: chain.slice(1).map((c) => new Uint8Array(c)),
    anchors: options.anchors,
    at: options.at,
  });
  if (!path.valid) invalid(`the signer chain is not valid: ${path.code}: ${path.reason}`);

  const payload = checkPayload(parseJson(payloadBytes, 'the payload'));
  if (new Date(payload.nextUpdate).getTime() < options.at.getTime())
    invalid(`expired: nextUpdate ${payload.nextUpdate} has passed`);
  if (options.minSequenceNumber !== undefined && payload.sequenceNumber < options.minSequenceNumber)
    invalid(`sequenceNumber ${payload.sequenceNumber} is lower than ${options.minSequenceNumber} (rollback)`);
  return { payload, algorithm: alg, signer: new Uint8Array(signerDer), signerFingerprint };
}
