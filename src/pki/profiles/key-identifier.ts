// SubjectKeyIdentifier derivations. Issuance uses `computeSubjectKeyIdentifier` with the
// profile's `keyIdentifiers.skiMethod`; the linter uses `knownSkiDerivations` to tell whether
// an SKI follows any method in use (pki-profiles.md §1.3 "SKI algorithm", §3 C3; P-006).

import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { SkiMethod } from './types.ts';

export type SkiDerivation =
  | SkiMethod
  /** RFC 5280 §4.2.1.2 (2): `0100` + low 60 bits of SHA-1 over the BIT STRING value. */
  | 'rfc5280-method2'
  /** SHA-1 over the whole DER SubjectPublicKeyInfo, 20 bytes (some toolkits). */
  | 'sha1-spki'
  /** RFC 7093 §2 methods 1-3: leftmost 160 bits of SHA-256/384/512 of the BIT STRING value. */
  | 'rfc7093-sha256'
  | 'rfc7093-sha384'
  | 'rfc7093-sha512';

/** subjectPublicKey BIT STRING value (without the unused-bits octet), or null if malformed. */
export function subjectPublicKeyBits(spkiDer: Uint8Array): Uint8Array | null {
  try {
    const r = asn1js.fromBER(spkiDer, { parseEmbedded: false, maxDepth: 8 });
    if (r.offset !== spkiDer.length || !(r.result instanceof asn1js.Sequence)) return null;
    const bits = r.result.valueBlock.value[1];
    if (!(bits instanceof asn1js.BitString) || r.result.valueBlock.value.length !== 2) return null;
    return new Uint8Array(bits.valueBlock.valueHexView);
  } catch {
    return null;
  }
}

function hash(alg: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(alg).update(data).digest());
}

/** Hubject / RFC 5280 method (2) shape: 0100 followed by the low 60 bits of a SHA-1. */
function sixtyBitForm(sha1: Uint8Array): Uint8Array {
  const out = sha1.slice(12, 20);
  out[0] = 0x40 | ((out[0] as number) & 0x0f);
  return out;
}

function derive(method: SkiDerivation, spkiDer: Uint8Array, bits: Uint8Array): Uint8Array {
  switch (method) {
    case 'rfc5280-sha1':
      return hash('sha1', bits);
    case 'hubject-64':
      // Hubject hashes the whole SPKI, not the BIT STRING value (checked against real data,
      // pki-profiles.md §1.3).
      return sixtyBitForm(hash('sha1', spkiDer));
    case 'rfc5280-method2':
      return sixtyBitForm(hash('sha1', bits));
    case 'sha1-spki':
      return hash('sha1', spkiDer);
    case 'rfc7093-sha256':
      return hash('sha256', bits).slice(0, 20);
    case 'rfc7093-sha384':
      return hash('sha384', bits).slice(0, 20);
    case 'rfc7093-sha512':
      return hash('sha512', bits).slice(0, 20);
  }
}

/**
 * The SKI our issuance puts into a certificate for the given SubjectPublicKeyInfo.
 * Throws RangeError when `spkiDer` is not a SubjectPublicKeyInfo.
 */
export function computeSubjectKeyIdentifier(spkiDer: Uint8Array, method: SkiMethod): Uint8Array {
  const bits = subjectPublicKeyBits(spkiDer);
  if (bits === null) throw new RangeError('not a DER SubjectPublicKeyInfo');
  return derive(method, spkiDer, bits);
}

const ALL_DERIVATIONS: readonly SkiDerivation[] = [
  'rfc5280-sha1',
  'hubject-64',
  'rfc5280-method2',
  'sha1-spki',
  'rfc7093-sha256',
  'rfc7093-sha384',
  'rfc7093-sha512',
];

/** Every known derivation of the SKI for this key; empty when the SPKI is malformed. */
export function knownSkiDerivations(
  spkiDer: Uint8Array,
): { readonly method: SkiDerivation; readonly value: Uint8Array }[] {
  const bits = subjectPublicKeyBits(spkiDer);
  if (bits === null) return [];
  return ALL_DERIVATIONS.map((method) => ({ method, value: derive(method, spkiDer, bits) }));
}
