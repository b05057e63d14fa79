// ISO 15118-2 contract private-key transport ([V2G2-818] ff.; pki-profiles.md §4.1): the CPS (or an
// MO with its own PKI) encrypts the new contract private key for the vehicle.
//
//   Z  = ECDH(ephemeral P-256 key, OEM provisioning public key) — installation; for CertificateUpdate
//        the current contract certificate's public key
//   K  = SHA-256(00000001 ‖ Z ‖ 01 55 56)[0..16)   (NIST SP 800-56A concatenation KDF, one round,
//        OtherInfo = AlgorithmID 0x01 ‖ PartyUInfo 'U' ‖ PartyVInfo 'V', as RISE-V2G and Josev do)
//   ContractSignatureEncryptedPrivateKey = IV(16) ‖ AES-128-CBC_K(private scalar, 32 bytes, no padding)
//   DHpublickey = the ephemeral public key, uncompressed (65 bytes)
import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createPrivateKey,
  type KeyObject,
  X509Certificate,
} from 'node:crypto';
import { AppError } from '../errors/app-error.ts';

export const ISO2_KDF_OTHER_INFO = Uint8Array.of(0x01, 0x55, 0x56);
export const ISO2_ENCRYPTED_KEY_LENGTH = 48;
export const ISO2_DH_PUBLIC_KEY_LENGTH = 65;

function keyError(message: string): AppError {
  return new AppError('Malformed', 'contractkey.invalid', message);
}

/** NIST SP 800-56A concatenation KDF with SHA-256, one round, truncated to 16 bytes. */
export function iso2Kdf(sharedSecretZ: Uint8Array): Uint8Array {
  const digest = createHash('sha256')
    .update(Uint8Array.of(0, 0, 0, 1))
    .update(sharedSecretZ)
    .update(ISO2_KDF_OTHER_INFO)
    .digest();
  return new Uint8Array(digest.subarray(0, 16));
}

/** The uncompressed P-256 point of a certificate's or key's public key. */
export function p256PublicPoint(source: Uint8Array | KeyObject): Uint8Array {
  let key: KeyObject;
  try {
    key = source instanceof Uint8Array ? new X509Certificate(source).publicKey : source;
  } catch {
    throw keyError('the recipient certificate cannot be parsed');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw keyError('ISO 15118-2 key transport needs a secp256r1 recipient key');
  }
  const jwk = key.export({ format: 'jwk' });
  return new Uint8Array(
    Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]),
  );
}

export interface Iso2EncryptInput {
  /** The contract private key scalar (32 bytes) or its KeyObject. */
  readonly contractPrivateKey: Uint8Array | KeyObject;
  /** Recipient: the OEM provisioning certificate (DER) or its public KeyObject. */
  readonly recipient: Uint8Array | KeyObject;
  /** Randomness (injected): 32 bytes for the ephemeral key, 16 for the IV. */
  readonly randomBytes: (n: number) => Uint8Array;
}

export interface Iso2EncryptedKey {
  readonly encryptedPrivateKey: Uint8Array; // 48 bytes
  readonly dhPublicKey: Uint8Array; // 65 bytes
}

function scalarOf(key: Uint8Array | KeyObject): Uint8Array {
  if (key instanceof Uint8Array) {
    if (key.length !== 32) throw keyError(`a P-256 private key is 32 bytes, got ${key.length}`);
    return key;
  }
  if (
    key.asymmetricKeyType !== 'ec' ||
    key.asymmetricKeyDetails?.namedCurve !== 'prime256v1' ||
    key.type !== 'private'
  ) {
    throw keyError('the contract key must be a P-256 private key');
  }
  const d = Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url');
  return new Uint8Array(Buffer.concat([Buffer.alloc(32 - d.length), d]));
}

export function encryptContractKeyIso2(input: Iso2EncryptInput): Iso2EncryptedKey {
  const scalar = scalarOf(input.contractPrivateKey);
  const recipientPoint = p256PublicPoint(input.recipient);
  const ephemeral = createECDH('prime256v1');
  // A random scalar outside [1, n-1] is refused by setPrivateKey; draw again (probability ~2^-32).
  for (let attempt = 0; ; attempt++) {
    try {
      ephemeral.setPrivateKey(Buffer.from(input.randomBytes(32)));
      break;
    } catch (e) {
      if (attempt >= 8) throw e;
    }
  }
  const z = ephemeral.computeSecret(Buffer.from(recipientPoint));
  const k = iso2Kdf(z);
  const iv = input.randomBytes(16);
  if (iv.length !== 16) throw keyError('randomBytes(16) must return 16 bytes');
  const cipher = createCipheriv('aes-128-cbc', k, iv).setAutoPadding(false);
  const ciphertext = Buffer.concat([cipher.update(scalar), cipher.final()]);
  z.fill(0);
  k.fill(0);
  return {
    encryptedPrivateKey: new Uint8Array(Buffer.concat([iv, ciphertext])),
    dhPublicKey: new Uint8Array(ephemeral.getPublicKey(null, 'uncompressed')),
  };
}

/** Vehicle side: recovers the contract private key scalar (32 bytes). */
export function decryptContractKeyIso2(input: {
  readonly encryptedPrivateKey: Uint8Array;
  readonly dhPublicKey: Uint8Array;
  /** The OEM provisioning (or current contract) private key: PKCS#8 DER, KeyObject, or 32-byte scalar. */
  readonly recipientPrivateKey: Uint8Array | KeyObject;
}): Uint8Array {
  if (input.encryptedPrivateKey.length !== ISO2_ENCRYPTED_KEY_LENGTH) {
    throw keyError(
      `ContractSignatureEncryptedPrivateKey must be ${ISO2_ENCRYPTED_KEY_LENGTH} bytes, got ${input.encryptedPrivateKey.length}`,
    );
  }
  if (input.dhPublicKey.length !== ISO2_DH_PUBLIC_KEY_LENGTH || input.dhPublicKey[0] !== 4) {
    throw keyError('DHpublickey must be an uncompressed P-256 point (65 bytes, first byte 0x04)');
  }
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(scalarOfPrivate(input.recipientPrivateKey)));
  let z: Buffer;
  try {
    z = ecdh.computeSecret(Buffer.from(input.dhPublicKey));
  } catch {
    throw keyError('DHpublickey is not a point on secp256r1');
  }
  const k = iso2Kdf(z);
  const decipher = createDecipheriv(
    'aes-128-cbc',
    k,
    input.encryptedPrivateKey.subarray(0, 16),
  ).setAutoPadding(false);
  const scalar = Buffer.concat([decipher.update(input.encryptedPrivateKey.subarray(16)), decipher.final()]);
  z.fill(0);
  k.fill(0);
  return new Uint8Array(scalar);
}

function scalarOfPrivate(key: Uint8Array | KeyObject): Uint8Array {
  if (key instanceof Uint8Array && key.length === 32) return key;
  if (key instanceof Uint8Array) {
    let parsed: KeyObject;
    try {
      parsed = createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' });
    } catch {
      throw keyError('the recipient private key is neither a 32-byte scalar nor PKCS#8 DER');
    }
    return scalarOf(parsed);
  }
  return scalarOf(key);
}

/** True when a 32-byte P-256 scalar is the private key of the given certificate (or public key). */
export function scalarMatchesCertificate(scalar: Uint8Array, certificate: Uint8Array | KeyObject): boolean {
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(Buffer.from(scalar));
  } catch {
    return false;
  }
  return Buffer.from(ecdh.getPublicKey(null, 'uncompressed')).equals(
    Buffer.from(p256PublicPoint(certificate)),
  );
}
