// Per-algorithm facts shared by both backends: hash, curve OID, sizes, SubjectPublicKeyInfo encoding,
// and validation of the values callers hand to a key store.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { encodeBitString, encodeOid, encodeSequence } from './der.ts';
import { signerError } from './errors.ts';
import { KEY_ALGORITHMS, type KeyAlgorithm } from './types.ts';

export interface AlgorithmProfile {
  readonly algorithm: KeyAlgorithm;
  readonly family: 'ecdsa' | 'eddsa';
  /** node:crypto digest name; null for pure EdDSA. */
  readonly hash: 'sha256' | 'sha512' | null;
  /** EC: the namedCurve OID (RFC 5480 §2.1.1.1); Ed448: id-Ed448 (RFC 8410 §3). */
  readonly oid: string;
  /** OpenSSL curve name for node:crypto generateKeyPair('ec'). */
  readonly nodeCurve: 'prime256v1' | 'secp521r1' | null;
  /** Size of r and s (ECDSA) in bytes. */
  readonly scalarBytes: number;
  /** Raw signature length: r||s for ECDSA, the EdDSA signature for Ed448 (RFC 8032 §5.2.6). */
  readonly rawSignatureBytes: number;
  /** Public key as carried in the SPKI BIT STRING: uncompressed point (SEC 1 §2.3.3) or the Ed448 key. */
  readonly publicKeyBytes: number;
}

const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1'; // RFC 5480 §2.1.1

const PROFILES: Readonly<Record<KeyAlgorithm, AlgorithmProfile>> = {
  // ISO 15118-2: secp256r1 + ecdsa-with-SHA256.
  'P-256': {
    algorithm: 'P-256',
    family: 'ecdsa',
    hash: 'sha256',
    oid: '1.2.840.10045.3.1.7',
    nodeCurve: 'prime256v1',
    scalarBytes: 32,
    rawSignatureBytes: 64,
    publicKeyBytes: 65,
  },
  // ISO 15118-20 [V2G20-2673] SHA-512, [V2G20-2674] secp521r1. SHA-512 output (512 bits) is shorter
  // than the 521-bit group order, so the whole digest is used (SEC 1 §4.1.3 step 5).
  'P-521': {
    algorithm: 'P-521',
    family: 'ecdsa',
    hash: 'sha512',
    oid: '1.3.132.0.35',
    nodeCurve: 'secp521r1',
    scalarBytes: 66,
    rawSignatureBytes: 132,
    publicKeyBytes: 133,
  },
  // ISO 15118-20 [V2G20-2319] Ed448; pure Ed448 (SHAKE256 is internal to the scheme, [V2G20-2318]).
  Ed448: {
    algorithm: 'Ed448',
    family: 'eddsa',
    hash: null,
    oid: '1.3.101.113',
    nodeCurve: null,
    scalarBytes: 57,
    rawSignatureBytes: 114,
    publicKeyBytes: 57,
  },
};

export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return typeof value === 'string' && (KEY_ALGORITHMS as readonly string[]).includes(value);
}

export function algorithmProfile(algorithm: KeyAlgorithm): AlgorithmProfile {
  if (!isKeyAlgorithm(algorithm)) {
    throw signerError(
      'signer.invalid-argument',
      `unknown key algorithm (expected one of ${KEY_ALGORITHMS.join(', ')})`,
    );
  }
  return PROFILES[algorithm];
}

/** Which of our algorithms a node:crypto key is, or undefined for anything else. */
export function algorithmOfKey(key: KeyObject): KeyAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed448') return 'Ed448';
  if (key.asymmetricKeyType !== 'ec') return undefined;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'prime256v1') return 'P-256';
  if (curve === 'secp521r1') return 'P-521';
  return undefined;
}

/**
 * SubjectPublicKeyInfo from the raw public key (uncompressed EC point or Ed448 key), checked by
 * node:crypto (point on the curve, right length) before it is returned.
 */
export function spkiFromPublicKey(algorithm: KeyAlgorithm, publicKey: Uint8Array): Uint8Array {
  const profile = algorithmProfile(algorithm);
  if (publicKey.length !== profile.publicKeyBytes || (profile.family === 'ecdsa' && publicKey[0] !== 0x04)) {
    throw signerError('signer.key-corrupt', `public key of a ${algorithm} key has an unexpected encoding`);
  }
  const algorithmIdentifier =
    profile.family === 'ecdsa'
      ? encodeSequence(encodeOid(ID_EC_PUBLIC_KEY), encodeOid(profile.oid)) // RFC 5480 §2.1.1
      : encodeSequence(encodeOid(profile.oid)); // RFC 8410 §3: parameters absent
  const spki = encodeSequence(algorithmIdentifier, encodeBitString(publicKey));
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw signerError('signer.key-corrupt', `public key of a ${algorithm} key is not a valid point`);
  }
  if (algorithmOfKey(key) !== algorithm) {
    throw signerError('signer.key-corrupt', `public key does not match algorithm ${algorithm}`);
  }
  return spki;
}

// Labels end up in a PEM explanatory text line (software) or CKA_LABEL (PKCS#11): one line, no
// control characters, short enough for any token.
const MAX_LABEL_LENGTH = 64;

export function assertKeyLabel(label: unknown): asserts label is string {
  if (typeof label !== 'string' || label.trim().length === 0 || label !== label.trim()) {
    throw signerError(
      'signer.invalid-argument',
      'key label must be a non-empty string without surrounding spaces',
    );
  }
  if (label.length > MAX_LABEL_LENGTH) {
    throw signerError('signer.invalid-argument', `key label must be at most ${MAX_LABEL_LENGTH} characters`);
  }
  if (/\p{Cc}|\p{Cf}|\p{Zl}|\p{Zp}/u.test(label)) {
    throw signerError('signer.invalid-argument', 'key label must not contain control or format characters');
  }
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Copies into a plain Uint8Array (not a Buffer view into a shared pool). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
