// Validation of OEM provisioning chains on the installation hot path (docs/ccp.md, D-077).
// `validatePath` (src/pki/path) is the authority, but it parses every certificate it is given on every
// call (asn1js), which makes it the most expensive step of an installation by far. Two exact
// shortcuts, each a cache of validatePath's own verdicts:
//
// - the CA part: once a full validatePath call has accepted a chain, the part above the leaf (its
//   issuer up to the anchor) is remembered per (issuer, candidate intermediates, anchors) while the
//   clock lies inside the validity of every certificate of that part. Another leaf of the same
//   issuer is then validated with the issuer as its anchor (validatePath's -partial_chain semantics,
//   PV-03/PV-04). The issuer was accepted as an intermediate of a path, so the constraints above it
//   (pathLen counts, keyUsage) were checked with the same number of CAs below each ancestor: the
//   verdict is that of the whole path. (Validating the issuer as a *target* would not be: a target is
//   not counted against pathLen.)
// - the leaf: a validated chain is remembered per (leaf, intermediates, anchors) within its validity
//   window (a vehicle retries: MaEVe three times, stations on timeouts).
//
// - the leaf under a known issuer: checked natively (node:crypto: issuer name and key identifier,
//   issuer keyUsage, signature, validity) plus the structural rules of src/pki/path that node:crypto
//   does not apply (one DER element without trailing bytes, version ≤ 3, the inner and outer
//   signature algorithms equal, an EC or EdDSA issuer key, no duplicate extension, no critical
//   extension other than those path validation handles, none of the constraint extensions PV-06
//   refuses). Anything unusual is not judged here: validatePath decides.
//
// Failures are never cached, and always re-validated with the full validatePath call, so their error
// codes and messages are those of src/pki/path. Revocation is not part of this (the caller asks per
// request). Both caches are bounded.

import { createHash, type X509Certificate } from 'node:crypto';
import { type ParsedCertificate, parseCertificateCached } from '../pki/parsed-certificates.ts';
import { validatePath } from '../pki/path/index.ts';
import type { PathValidationResult } from '../pki/path/types.ts';

const MAX_LEAVES = 100_000;
const MAX_CAS = 1_000;

interface Window {
  readonly chain: readonly Uint8Array[];
  readonly from: number;
  readonly to: number;
}

const hex = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  if (map.size >= max) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

export type ChainVerdict =
  | { readonly valid: true; readonly chain: readonly Uint8Array[] }
  | PathValidationResult;

export class ProvisioningChainValidator {
  /** How verdicts were reached (for tests and benchmarks). */
  readonly stats = { cached: 0, native: 0, partial: 0, full: 0 };
  readonly #cas = new Map<string, Window>();
  readonly #leaves = new Map<string, Window>();

  /** The parsed certificate, shared with the signature check (../pki/parsed-certificates.ts, D-170). */
  #x509(der: Uint8Array): ParsedCertificate | undefined {
    try {
      return parseCertificateCached(der);
    } catch {
      return undefined;
    }
  }

  #window(chain: readonly Uint8Array[]): Window {
    let from = Number.NEGATIVE_INFINITY;
    let to = Number.POSITIVE_INFINITY;
    for (const der of chain) {
      const cert = this.#x509(der);
      if (cert === undefined) return { chain, from: 1, to: 0 };
      from = Math.max(from, cert.x509.validFromDate.getTime());
      to = Math.min(to, cert.x509.validToDate.getTime());
    }
    return { chain, from, to };
  }

  /**
   * The verdict of validatePath({target: leaf, intermediates, anchors, at}) — valid results with
   * their chain (leaf first, anchor last).
   */
  validate(
    leaf: Uint8Array,
    intermediates: readonly Uint8Array[],
    anchors: readonly { readonly der: Uint8Array; readonly fingerprintSha256: string }[],
    at: Date,
  ): ChainVerdict {
    const t = at.getTime();
    const full = () => validatePath({ target: leaf, intermediates, anchors: anchors.map((a) => a.der), at });
    const leafKey = hex(leaf);
    const interKeys = intermediates.map(hex);
    const context = `${[...new Set(interKeys)].sort().join(',')}|${anchors
      .map((a) => a.fingerprintSha256)
      .sort()
      .join(',')}`;
    const cachedLeaf = this.#leaves.get(`${leafKey}|${context}`);
    if (cachedLeaf !== undefined && t >= cachedLeaf.from && t <= cachedLeaf.to) {
      this.stats.cached++;
      return { valid: true, chain: cachedLeaf.chain };
    }
    // A known issuer among the candidates (node:crypto: name and key identifier match).
    const leafCert = this.#x509(leaf);
    if (leafCert !== undefined) {
      const candidates = intermediates.map((der, i) => ({ der, key: interKeys[i] as string }));
      for (const a of anchors) candidates.push({ der: a.der, key: hex(a.der) });
      for (const issuer of candidates) {
        const upper = this.#cas.get(`${issuer.key}|${context}`);
        if (upper === undefined || t < upper.from || t > upper.to) continue;
        const issuerCert = this.#x509(issuer.der);
        if (issuerCert === undefined || !leafCert.x509.checkIssued(issuerCert.x509)) continue;
        if (leafUnderIssuer(leaf, leafCert.x509, issuerCert, t)) this.stats.native++;
        else {
          const lower = validatePath({ target: leaf, anchors: [issuer.der], at });
          if (!lower.valid) continue;
          this.stats.partial++;
        }
        const window = this.#window([leaf, ...upper.chain]);
        remember(this.#leaves, `${leafKey}|${context}`, window, MAX_LEAVES);
        return { valid: true, chain: window.chain };
      }
    }
    // No shortcut: the authoritative verdict (and its error) from the full call.
    const result = full();
    this.stats.full++;
    if (result.valid) {
      remember(this.#leaves, `${leafKey}|${context}`, this.#window(result.chain), MAX_LEAVES);
      const upper = result.chain.slice(1);
      const issuer = upper[0];
      if (issuer !== undefined)
        remember(this.#cas, `${hex(issuer)}|${context}`, this.#window(upper), MAX_CAS);
    }
    return result;
  }
}

// --- the native leaf check ------------------------------------------------------------------------------

/** Extensions path validation processes (src/pki/path README PV-06); any other critical one fails. */
const HANDLED_CRITICAL = new Set([
  '2.5.29.19', // basicConstraints
  '2.5.29.15', // keyUsage
  '2.5.29.37', // extKeyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.32', // certificatePolicies
  '2.5.29.31', // cRLDistributionPoints
  '1.3.6.1.5.5.7.48.1.5', // id-pkix-ocsp-nocheck
]);
/** nameConstraints, policyMappings, policyConstraints, inhibitAnyPolicy: refused by PV-06 whatever their criticality. */
const REFUSED = new Set(['2.5.29.30', '2.5.29.33', '2.5.29.36', '2.5.29.54']);

interface Tlv {
  readonly tag: number;
  /** Offset of the value. */
  readonly start: number;
  /** Offset after the value. */
  readonly end: number;
}

/** One DER TLV at `at` (low tag numbers, definite lengths of at most 4 octets), or undefined. */
function tlv(der: Uint8Array, at: number, limit: number): Tlv | undefined {
  if (at + 2 > limit) return undefined;
  const tag = der[at] as number;
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = der[at + 1] as number;
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (der[start + i] as number);
    if (length < 128 || (n > 1 && der[start] === 0)) return undefined; // not minimal: not DER
    start += n;
  }
  const end = start + length;
  return end > limit ? undefined : { tag, start, end };
}

function oidText(der: Uint8Array, t: Tlv): string {
  const arcs: number[] = [];
  let value = 0;
  for (let i = t.start; i < t.end; i++) {
    const b = der[i] as number;
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0)
        arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

/** The structural facts of a certificate validatePath would refuse, read from its DER; undefined when unusual. */
function structure(der: Uint8Array): { readonly ok: boolean } | undefined {
  const cert = tlv(der, 0, der.length);
  if (cert === undefined || cert.tag !== 0x30 || cert.end !== der.length) return undefined;
  const tbs = tlv(der, cert.start, cert.end);
  if (tbs === undefined || tbs.tag !== 0x30) return undefined;
  const outerAlg = tlv(der, tbs.end, cert.end);
  if (outerAlg === undefined || outerAlg.tag !== 0x30) return undefined;
  let at = tbs.start;
  let field = tlv(der, at, tbs.end);
  if (field?.tag === 0xa0) {
    const version = tlv(der, field.start, field.end);
    if (version === undefined || version.tag !== 0x02 || version.end - version.start !== 1) return undefined;
    if ((der[version.start] as number) > 2) return { ok: false };
    at = field.end;
    field = tlv(der, at, tbs.end);
  }
  // serial, signature, issuer, validity, subject, subjectPublicKeyInfo
  const seq: Tlv[] = [];
  for (let i = 0; i < 6; i++) {
    const f = tlv(der, at, tbs.end);
    if (f === undefined) return undefined;
    seq.push(f);
    at = f.end;
  }
  const innerAlg = seq[1] as Tlv;
  const sameAlg =
    innerAlg.end - innerAlg.start === outerAlg.end - outerAlg.start &&
    Buffer.compare(der.subarray(innerAlg.start, innerAlg.end), der.subarray(outerAlg.start, outerAlg.end)) ===
      0;
  if (!sameAlg) return { ok: false };
  const seen = new Set<string>();
  while (at < tbs.end) {
    const f = tlv(der, at, tbs.end);
    if (f === undefined) return undefined;
    at = f.end;
    if (f.tag === 0x81 || f.tag === 0x82) continue; // unique identifiers
    if (f.tag !== 0xa3) return undefined;
    const list = tlv(der, f.start, f.end);
    if (list === undefined || list.tag !== 0x30 || list.end !== f.end) return undefined;
    let e = list.start;
    while (e < list.end) {
      const ext = tlv(der, e, list.end);
      if (ext === undefined || ext.tag !== 0x30) return undefined;
      e = ext.end;
      const oid = tlv(der, ext.start, ext.end);
      if (oid === undefined || oid.tag !== 0x06) return undefined;
      const id = oidText(der, oid);
      let next = tlv(der, oid.end, ext.end);
      let critical = false;
      if (next?.tag === 0x01) {
        if (next.end - next.start !== 1) return undefined;
        critical = der[next.start] === 0xff;
        if (!critical) return undefined; // DER never encodes DEFAULT FALSE: leave it to validatePath
        next = tlv(der, next.end, ext.end);
      }
      if (next === undefined || next.tag !== 0x04 || next.end !== ext.end) return undefined;
      if (seen.has(id) || REFUSED.has(id) || (critical && !HANDLED_CRITICAL.has(id))) return { ok: false };
      seen.add(id);
    }
  }
  return { ok: true };
}

/**
 * True when the leaf is certainly valid under this issuer at `t` (the issuer's own chain being valid);
 * false means "not decided here" — validatePath decides.
 */
function leafUnderIssuer(
  der: Uint8Array,
  leaf: X509Certificate,
  issuer: ParsedCertificate,
  t: number,
): boolean {
  if (t < leaf.validFromDate.getTime() || t > leaf.validToDate.getTime()) return false;
  const type = issuer.keyType;
  const curve = issuer.namedCurve;
  const supported =
    type === 'ed25519' ||
    type === 'ed448' ||
    (type === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1' || curve === 'secp521r1'));
  if (!supported) return false;
  const facts = structure(der);
  if (facts?.ok !== true) return false;
  try {
    return leaf.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
