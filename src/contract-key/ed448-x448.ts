// X448 key agreement for a vehicle whose ISO 15118-20 OEM provisioning certificate carries an Ed448
// key ([V2G20-2710/2711]: "X448 for key agreement when Ed448 is used"; pki-profiles.md §1.2, §4.2).
// The certificate holds the Ed448 public key only, so the CPS derives the vehicle's X448 public key
// from it with the 4-isogeny of RFC 7748 §4.2 between edwards448 ("Ed448-Goldilocks", RFC 8032) and
// curve448:  u = y² / x²  — and since x² = (y² − 1) / (d·y² − 1) on the curve, u = y²·(d·y² − 1) / (y² − 1)
// (no square root needed). The vehicle uses as its X448 private key the first 56 bytes of
// SHAKE256(seed, 114) — the secret scalar of its Ed448 key (RFC 8032 §5.2.5) before clamping, which
// X448 clamps the same way (RFC 7748 §5) — so both sides meet: X448(s, 5) = u. This is what libdecaf
// (`decaf_ed448_convert_{public,private}_key_to_x448`) does; docs/spec-decisions.md D-141 records the
// choice. src/contract-key/ed448-x448.test.ts checks it against Node's own X448.

import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';

/** p = 2^448 − 2^224 − 1 (RFC 7748 §4.2). */
const P = 2n ** 448n - 2n ** 224n - 1n;
/** d of edwards448 in RFC 8032 §5.2: −39081. */
const D = P - 39081n;

const X448_PKCS8_PREFIX = Buffer.from('3046020100300506032b656f043a0438', 'hex');

function keyError(message: string): AppError {
  return new AppError('Malformed', 'contractkey.invalid', message);
}

const mod = (a: bigint): bigint => ((a % P) + P) % P;

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function littleEndian(bytes: Uint8Array): bigint {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i] as number);
  return x;
}

function toLittleEndian(value: bigint, length: number): Buffer {
  const out = Buffer.alloc(length);
  let v = value;
  for (let i = 0; i < length; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** The raw 57-byte Ed448 public key of a KeyObject (public or private). */
function ed448PublicRaw(key: KeyObject): Uint8Array {
  if (key.asymmetricKeyType !== 'ed448') throw keyError('an Ed448 key is needed');
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const x = publicKey.export({ format: 'jwk' }).x;
  if (x === undefined) throw keyError('the Ed448 key cannot be read');
  return new Uint8Array(Buffer.from(x, 'base64url'));
}

/** The 56-byte X448 public key (u coordinate, little-endian) that belongs to an Ed448 public key. */
export function x448PublicRawOfEd448(ed448PublicKey: KeyObject): Uint8Array {
  const raw = Buffer.from(ed448PublicRaw(ed448PublicKey));
  if (raw.length !== 57) throw keyError('an Ed448 public key is 57 bytes');
  raw[56] = (raw[56] as number) & 0x7f; // the sign bit of x
  const y = littleEndian(raw);
  if (y >= P) throw keyError('the Ed448 public key is not canonical');
  const y2 = (y * y) % P;
  const denominator = mod(y2 - 1n);
  // y² = 1 means x = 0: the neutral element or the point of order 2, never a usable public key.
  if (denominator === 0n) throw keyError('the Ed448 public key is a low-order point');
  const u = mod(((y2 * mod(D * y2 - 1n)) % P) * power(denominator, P - 2n));
  if (u === 0n) throw keyError('the Ed448 public key is a low-order point');
  return new Uint8Array(toLittleEndian(u, 56));
}

/** The X448 public key (KeyObject) of the vehicle whose provisioning key is this Ed448 key. */
export function x448PublicKeyOfEd448(ed448PublicKey: KeyObject): KeyObject {
  return createPublicKey({
    key: {
      kty: 'OKP',
      crv: 'X448',
      x: Buffer.from(x448PublicRawOfEd448(ed448PublicKey)).toString('base64url'),
    },
    format: 'jwk',
  });
}

/**
 * Vehicle side: the X448 private key that belongs to an Ed448 private key: the first 56 bytes of
 * SHAKE256(seed, 114) (RFC 8032 §5.2.5), clamped by X448 itself.
 */
export function x448PrivateKeyOfEd448(ed448PrivateKey: KeyObject): KeyObject {
  if (ed448PrivateKey.asymmetricKeyType !== 'ed448' || ed448PrivateKey.type !== 'private')
    throw keyError('an Ed448 private key is needed');
  const d = ed448PrivateKey.export({ format: 'jwk' }).d;
  if (d === undefined) throw keyError('the Ed448 private key cannot be read');
  const seed = Buffer.from(d, 'base64url');
  const h = createHash('shake256', { outputLength: 114 }).update(seed).digest();
  const der = Buffer.concat([X448_PKCS8_PREFIX, h.subarray(0, 56)]);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    seed.fill(0);
    h.fill(0);
    der.fill(0);
  }
}
