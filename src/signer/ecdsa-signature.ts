// Conversion between the two ECDSA signature encodings the PKI needs:
// - DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3), used in X.509
//   certificates, CRLs and OCSP responses;
// - raw r||s, each left-padded to the size of the group order (IEEE P1363), which is what PKCS#11
//   CKM_ECDSA returns (PKCS#11 v2.40 Current Mechanisms §2.3.6) and what ISO 15118 XML signatures
//   carry in SignatureValue (ISO 15118-2 §7.9.2.4.2, [V2G20-1000]).
//
// Both directions are strict: r and s must lie in [1, n-1] (SEC 1 §4.1.4 step 1), DER INTEGERs must be
// minimal and positive, and nothing may follow the SEQUENCE. Failures throw DerError; the messages
// never contain the input.

import {
  DerError,
  encodeSequence,
  encodeUnsignedInteger,
  readChildren,
  readSingle,
  readUnsignedInteger,
  TAG_INTEGER,
  TAG_SEQUENCE,
} from './der.ts';

export type EcdsaAlgorithm = 'P-256' | 'P-521';

// Group orders n (SEC 2 v2 §2.4.2 secp256r1, §2.6.1 secp521r1).
const CURVES: Readonly<Record<EcdsaAlgorithm, { readonly scalarBytes: number; readonly order: bigint }>> = {
  'P-256': {
    scalarBytes: 32,
    order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  'P-521': {
    scalarBytes: 66,
    order:
      0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  },
};

function curveOf(algorithm: EcdsaAlgorithm): { readonly scalarBytes: number; readonly order: bigint } {
  const curve = CURVES[algorithm];
  if (curve === undefined) throw new DerError('ECDSA: unknown curve');
  return curve;
}

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function checkRange(value: Uint8Array, order: bigint, name: 'r' | 's'): void {
  const n = toBigInt(value);
  if (n === 0n || n >= order) throw new DerError(`ECDSA: ${name} is outside [1, n-1]`);
}

/** Raw r||s (IEEE P1363) to DER ECDSA-Sig-Value. */
export function ecdsaRawToDer(raw: Uint8Array, algorithm: EcdsaAlgorithm): Uint8Array {
  const { scalarBytes, order } = curveOf(algorithm);
  if (raw.length !== 2 * scalarBytes) {
    throw new DerError(
      `ECDSA: raw ${algorithm} signature must be ${2 * scalarBytes} bytes, got ${raw.length}`,
    );
  }
  const r = raw.subarray(0, scalarBytes);
  const s = raw.subarray(scalarBytes);
  checkRange(r, order, 'r');
  checkRange(s, order, 's');
  return encodeSequence(encodeUnsignedInteger(r), encodeUnsignedInteger(s));
}

/** DER ECDSA-Sig-Value to raw r||s (IEEE P1363), each left-padded to the order size. */
export function ecdsaDerToRaw(der: Uint8Array, algorithm: EcdsaAlgorithm): Uint8Array {
  const { scalarBytes, order } = curveOf(algorithm);
  const children = readChildren(readSingle(der, TAG_SEQUENCE));
  if (children.length !== 2 || children.some((c) => c.tag !== TAG_INTEGER)) {
    throw new DerError('ECDSA: signature must be a SEQUENCE of two INTEGERs');
  }
  const out = new Uint8Array(2 * scalarBytes);
  children.forEach((child, i) => {
    const magnitude = readUnsignedInteger(child.value);
    if (magnitude.length > scalarBytes) throw new DerError(`ECDSA: ${i === 0 ? 'r' : 's'} is too long`);
    checkRange(magnitude, order, i === 0 ? 'r' : 's');
    out.set(magnitude, (i + 1) * scalarBytes - magnitude.length);
  });
  return out;
}
