// ISO 15118-20 contract private-key transport (§7.9.2.5; pki-profiles.md §4.2): the CPS encrypts the
// new contract private key for the vehicle with ephemeral-static ECDH on the curve of the OEM
// provisioning certificate (secp521r1, or X448 with an Ed448 certificate), a key derivation, and
// AES-256-GCM with a 96-bit IV and a 128-bit tag ([V2G20-2494], [V2G20-2497..2502]):
//
//   SECP521_EncryptedPrivateKey = IV(12) ‖ AES-256-GCM(key 66 bytes, big-endian, left-padded) ‖ tag(16) = 94 B
//   X448_EncryptedPrivateKey    = IV(12) ‖ AES-256-GCM(key 56 bytes)                        ‖ tag(16) = 84 B
//   AAD = PCID (18 ASCII characters) ‖ SKI of the new contract certificate as upper-case hex ([V2G20-2492])
//
// The KDF of §7.9.2.5.4 was not available to us (pki-profiles.md CONFLICT C6). We use the
// construction ISO 15118-2 already uses, NIST SP 800-56C one-step (concatenation) KDF, with SHA-512
// and a 32-byte output for AES-256, OtherInfo 01 55 56 — named constants below, and
// docs/spec-decisions.md D-015 records the choice.
import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  type KeyObject,
  X509Certificate,
} from 'node:crypto';
import { AppError } from '../errors/app-error.ts';

export const ISO20_KDF_HASH = 'sha512';
export const ISO20_KDF_OTHER_INFO = Uint8Array.of(0x01, 0x55, 0x56);
export const ISO20_AES_KEY_BYTES = 32;
export const ISO20_IV_BYTES = 12;
export const ISO20_TAG_BYTES = 16;
export const SECP521_ENCRYPTED_KEY_BYTES = 94;
export const X448_ENCRYPTED_KEY_BYTES = 84;
/**
 * An Ed448 contract key is 57 bytes (RFC 8032 §5.2.5), which gives 85 bytes where the -20 XSD and
 * [V2G20-2502] say 84 (a 56-byte key): an open conflict (docs/spec-decisions.md D-015). Both are
 * accepted on decryption; encryption writes the key's real length.
 */
export const ED448_ENCRYPTED_KEY_BYTES = 85;

export type Iso20Curve = 'SECP521' | 'X448';

function keyError(message: string): AppError {
  return new AppError('Malformed', 'contractkey.invalid', message);
}

/** NIST SP 800-56C one-step KDF (hash = SHA-512), one round: SHA-512(00000001 ‖ Z ‖ OtherInfo)[0..32). */
export function iso20Kdf(sharedSecretZ: Uint8Array): Uint8Array {
  const digest = createHash(ISO20_KDF_HASH)
    .update(Uint8Array.of(0, 0, 0, 1))
    .update(sharedSecretZ)
    .update(ISO20_KDF_OTHER_INFO)
    .digest();
  return new Uint8Array(digest.subarray(0, ISO20_AES_KEY_BYTES));
}

/** AAD of [V2G20-2492]: the PCID (18 characters) followed by the contract certificate's SKI in upper-case hex. */
export function iso20Aad(pcid: string, contractSki: Uint8Array): Uint8Array {
  if (!/^[A-Z0-9]{17,18}$/.test(pcid))
    throw keyError('the PCID must be 17 or 18 upper-case letters and digits');
  return new Uint8Array(Buffer.from(pcid + Buffer.from(contractSki).toString('hex').toUpperCase(), 'ascii'));
}

function curveOf(key: KeyObject): Iso20Curve {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp521r1')
    return 'SECP521';
  // An Ed448 provisioning certificate means X448 key agreement ([V2G20-2710/2711]); the recipient key
  // itself is an X448 key (the vehicle's key-agreement key).
  if (key.asymmetricKeyType === 'x448' || key.asymmetricKeyType === 'ed448') return 'X448';
  throw keyError('ISO 15118-20 key transport needs a secp521r1 or X448 recipient key');
}

/** The private key as the field to encrypt: 66-byte big-endian scalar (P-521) or 56-byte X448 key. */
export function contractKeyBytes(privateKey: KeyObject): Uint8Array {
  const jwk = privateKey.export({ format: 'jwk' });
  const d = Buffer.from(jwk.d!, 'base64url');
  if (privateKey.asymmetricKeyType === 'ec') {
    if (privateKey.asymmetricKeyDetails?.namedCurve !== 'secp521r1')
      throw keyError('a -20 ECDSA contract key is on secp521r1');
    // [V2G20-2498]: 521 bits left-padded with 7 zero bits to 66 bytes.
    return new Uint8Array(Buffer.concat([Buffer.alloc(66 - d.length), d]));
  }
  if (privateKey.asymmetricKeyType === 'ed448' || privateKey.asymmetricKeyType === 'x448')
    return new Uint8Array(d);
  throw keyError('unsupported contract key type');
}

export interface Iso20EncryptInput {
  readonly contractPrivateKey: KeyObject;
  /** The vehicle's key-agreement public key (P-521 or X448), or a certificate carrying it. */
  readonly recipient: KeyObject | Uint8Array;
  readonly pcid: string;
  readonly contractSki: Uint8Array;
  readonly randomBytes: (n: number) => Uint8Array;
}

export interface Iso20EncryptedKey {
  readonly curve: Iso20Curve;
  readonly encryptedPrivateKey: Uint8Array;
  /** The ephemeral public key: P-521 uncompressed point (133 bytes) or raw X448 key (56 bytes). */
  readonly dhPublicKey: Uint8Array;
}

function recipientKey(recipient: KeyObject | Uint8Array): KeyObject {
  if (!(recipient instanceof Uint8Array)) return recipient;
  try {
    return new X509Certificate(recipient).publicKey;
  } catch {
    throw keyError('the recipient certificate cannot be parsed');
  }
}

/** Ephemeral key for ECDH. P-521: derived from random bytes; X448 from 56 random bytes (RFC 7748). */
function ephemeralKey(
  curve: Iso20Curve,
  randomBytes: (n: number) => Uint8Array,
): { privateKey: KeyObject; publicRaw: Uint8Array } {
  if (curve === 'X448') {
    // PKCS#8 of an X448 private key (RFC 8410): fixed prefix, then the 56 raw bytes (RFC 7748 clamps them).
    const der = Buffer.concat([
      Buffer.from('3046020100300506032b656f043a0438', 'hex'),
      Buffer.from(randomBytes(56)),
    ]);
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const x = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x!, 'base64url');
    return { privateKey, publicRaw: new Uint8Array(x) };
  }
  // A P-521 scalar from 66 random bytes reduced into range by rejection (top 7 bits cleared).
  for (let attempt = 0; attempt < 16; attempt++) {
    const d = Buffer.from(randomBytes(66));
    d[0]! &= 0x01;
    try {
      const pair = generateFromScalar(d);
      return pair;
    } catch {
      // scalar 0 or ≥ n: draw again (probability about 2^-260)
    }
  }
  throw keyError('could not draw an ephemeral P-521 key');
}

function generateFromScalar(d: Buffer): { privateKey: KeyObject; publicRaw: Uint8Array } {
  const ecdh = createECDH('secp521r1');
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey(null, 'uncompressed');
  const jwk = {
    kty: 'EC',
    crv: 'P-521',
    d: d.toString('base64url'),
    x: pub.subarray(1, 67).toString('base64url'),
    y: pub.subarray(67).toString('base64url'),
  };
  return { privateKey: createPrivateKey({ key: jwk, format: 'jwk' }), publicRaw: new Uint8Array(pub) };
}

function peerKey(curve: Iso20Curve, raw: Uint8Array): KeyObject {
  try {
    if (curve === 'X448') {
      if (raw.length !== 56) throw new Error('length');
      return createPublicKey({
        key: { kty: 'OKP', crv: 'X448', x: Buffer.from(raw).toString('base64url') },
        format: 'jwk',
      });
    }
    if (raw.length !== 133 || raw[0] !== 4) throw new Error('length');
    return createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-521',
        x: Buffer.from(raw.subarray(1, 67)).toString('base64url'),
        y: Buffer.from(raw.subarray(67)).toString('base64url'),
      },
      format: 'jwk',
    });
  } catch {
    throw keyError(
      curve === 'X448'
        ? 'DHPublicKey must be a 56-byte X448 key'
        : 'DHPublicKey must be an uncompressed P-521 point (133 bytes, 0x04 first)',
    );
  }
}

export function encryptContractKeyIso20(input: Iso20EncryptInput): Iso20EncryptedKey {
  const recipient = recipientKey(input.recipient);
  const curve = curveOf(recipient);
  if (recipient.asymmetricKeyType === 'ed448')
    throw keyError('X448 transport needs the vehicle X448 key, not the Ed448 signing key');
  const ephemeral = ephemeralKey(curve, input.randomBytes);
  const z = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const key = iso20Kdf(z);
  const iv = input.randomBytes(ISO20_IV_BYTES);
  if (iv.length !== ISO20_IV_BYTES) throw keyError('randomBytes(12) must return 12 bytes');
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: ISO20_TAG_BYTES });
  cipher.setAAD(iso20Aad(input.pcid, input.contractSki));
  const plaintext = contractKeyBytes(input.contractPrivateKey);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const out = Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
  z.fill(0);
  key.fill(0);
  plaintext.fill(0);
  return { curve, encryptedPrivateKey: new Uint8Array(out), dhPublicKey: ephemeral.publicRaw };
}

/** Vehicle side: the contract private key bytes (66-byte P-521 scalar or 56-byte X448/Ed448 key). */
export function decryptContractKeyIso20(input: {
  readonly curve: Iso20Curve;
  readonly encryptedPrivateKey: Uint8Array;
  readonly dhPublicKey: Uint8Array;
  readonly recipientPrivateKey: KeyObject;
  readonly pcid: string;
  readonly contractSki: Uint8Array;
}): Uint8Array {
  const allowed =
    input.curve === 'SECP521'
      ? [SECP521_ENCRYPTED_KEY_BYTES]
      : [X448_ENCRYPTED_KEY_BYTES, ED448_ENCRYPTED_KEY_BYTES];
  const expected = input.encryptedPrivateKey.length;
  if (!allowed.includes(expected)) {
    throw keyError(
      `${input.curve}_EncryptedPrivateKey must be ${allowed.join(' or ')} bytes, got ${expected}`,
    );
  }
  const z = diffieHellman({
    privateKey: input.recipientPrivateKey,
    publicKey: peerKey(input.curve, input.dhPublicKey),
  });
  const key = iso20Kdf(z);
  const iv = input.encryptedPrivateKey.subarray(0, ISO20_IV_BYTES);
  const tag = input.encryptedPrivateKey.subarray(expected - ISO20_TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: ISO20_TAG_BYTES });
  decipher.setAAD(iso20Aad(input.pcid, input.contractSki));
  decipher.setAuthTag(tag);
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([
      decipher.update(input.encryptedPrivateKey.subarray(ISO20_IV_BYTES, expected - ISO20_TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    // [V2G20-2504]: any decryption failure rejects the message.
    throw keyError('the encrypted contract key does not decrypt (wrong key, PCID, SKI or a modified field)');
  } finally {
    z.fill(0);
    key.fill(0);
  }
  // [V2G20-2678]: the 7 padding bits of a P-521 key must be zero.
  if (input.curve === 'SECP521' && (plaintext[0]! & 0xfe) !== 0)
    throw keyError('the decrypted P-521 key has non-zero padding bits');
  return new Uint8Array(plaintext);
}
