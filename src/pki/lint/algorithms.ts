// Key and signature algorithm identification, and RFC 5280 §7.1 name comparison.

import { CURVE_OIDS, OID_EC_PUBLIC_KEY, OID_ED448, OID_ED25519, SIGNATURE_OIDS } from '../profiles/oids.ts';
import type { KeyAlgorithm, SignatureAlgorithm } from '../profiles/types.ts';
import type { AlgorithmId, ParsedName, ParsedSpki } from './certificate.ts';
import { bytesEqual, oidOf } from './der.ts';

/** Key type of a SubjectPublicKeyInfo, or null when unknown / not a named curve. */
export function keyAlgorithmOf(spki: ParsedSpki): KeyAlgorithm | null {
  const { oid, parameters } = spki.algorithm;
  if (oid === OID_ED448) return 'Ed448';
  if (oid === OID_ED25519) return 'Ed25519';
  if (oid === OID_EC_PUBLIC_KEY && parameters !== null) {
    const curve = oidOf(parameters);
    return curve === null ? null : (CURVE_OIDS[curve] ?? null);
  }
  return null;
}

export function describeKey(spki: ParsedSpki): string {
  const known = keyAlgorithmOf(spki);
  if (known !== null) return known;
  const { oid, parameters } = spki.algorithm;
  if (oid === OID_EC_PUBLIC_KEY) {
    const curve = parameters === null ? null : oidOf(parameters);
    return curve === null ? 'EC key without a named curve' : `EC key on curve ${curve}`;
  }
  return `key algorithm ${oid}`;
}

export function signatureAlgorithmOf(alg: AlgorithmId): SignatureAlgorithm | null {
  return SIGNATURE_OIDS[alg.oid] ?? null;
}

export function describeSignature(alg: AlgorithmId): string {
  return signatureAlgorithmOf(alg) ?? `signature algorithm ${alg.oid}`;
}

export function isEdwards(k: KeyAlgorithm | null): boolean {
  return k === 'Ed448' || k === 'Ed25519';
}

/**
 * RFC 5280 §7.1 name matching, simplified: identical bytes, or the same attribute types in
 * the same RDN structure with values equal after case folding and whitespace compression
 * (RFC 4518 insignificant space handling).
 */
export function namesEqual(a: ParsedName, b: ParsedName): boolean {
  if (bytesEqual(a.raw, b.raw)) return true;
  if (a.rdns.length !== b.rdns.length) return false;
  for (let i = 0; i < a.rdns.length; i++) {
    const ra = a.rdns[i] ?? [];
    const rb = b.rdns[i] ?? [];
    if (ra.length !== rb.length) return false;
    for (let j = 0; j < ra.length; j++) {
      const x = ra[j];
      const y = rb[j];
      if (x === undefined || y === undefined || x.oid !== y.oid || x.value === null || y.value === null)
        return false;
      if (fold(x.value) !== fold(y.value)) return false;
    }
  }
  return true;
}

function fold(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}
