// Passphrase encryption of PKCS#8 private keys: EncryptedPrivateKeyInfo (RFC 5958 §3) with PBES2
// (RFC 8018 §6.2) using scrypt as the key derivation function (RFC 7914 §7) and AES-256-CBC
// (RFC 8018 §B.2.5 / NIST SP 800-38A, PKCS#7 padding).
//
// Why not node's `privateKeyEncoding: { cipher: 'aes-256-cbc', passphrase }`: node (OpenSSL
// PEM_write_bio_PKCS8PrivateKey) then writes PBES2 with PBKDF2-HMAC-SHA256 and only 2048 iterations
// (OpenSSL PKCS5_DEFAULT_ITER), far below current guidance (OWASP: 600 000 for PBKDF2-HMAC-SHA256),
// and node offers no way to raise it. We therefore build the same standard structure ourselves with
// scrypt, which is memory-hard.
//
// Parameters: N = 2^14, r = 8, p = 5. OWASP's password storage guidance lists this as equivalent in
// cost to N = 2^17, r = 8, p = 1, but it needs only 16 MiB per lane; OpenSSL refuses scrypt in PBES2
// above 32 MiB (N = 2^15 with r = 8 already fails), and staying below keeps the files readable by
// `openssl pkey -in <file>` and by node's createPrivateKey({ passphrase }) for operators and for our
// interoperability tests. Cost: about 0.2 s per generate/open on one core.

import { createCipheriv, createDecipheriv, scrypt } from 'node:crypto';
import {
  DerError,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  encodeSmallInteger,
  readChildren,
  readSingle,
  readSmallInteger,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
} from '../der.ts';
import { signerError } from '../errors.ts';
import type { RandomBytes } from '../types.ts';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 14, r: 8, p: 5 };

const OID_PBES2 = '1.2.840.113549.1.5.13'; // RFC 8018 §A.4
const OID_SCRYPT = '1.3.6.1.4.1.11591.4.11'; // RFC 7914 §7
const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42'; // RFC 8018 §B.2.5 / NIST CSOR
const KEY_BYTES = 32;
const IV_BYTES = 16;
const SALT_BYTES = 16;

// Limits when reading a file: our own files use DEFAULT_SCRYPT_PARAMS; anything far above would only
// make open() slow or exhaust memory.
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

function checkParams({ N, r, p }: ScryptParams): void {
  const powerOfTwo = N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0;
  if (!powerOfTwo || r < 1 || r > 32 || p < 1 || p > 16 || 128 * N * r > MAX_SCRYPT_MEMORY) {
    throw new DerError('PBES2: scrypt parameters outside the accepted range');
  }
}

function deriveKey(passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase,
      salt,
      KEY_BYTES,
      { N: params.N, r: params.r, p: params.p, maxmem: MAX_SCRYPT_MEMORY + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** Encrypts a DER PKCS#8 PrivateKeyInfo into a DER EncryptedPrivateKeyInfo. */
export async function encryptPrivateKeyInfo(
  privateKeyInfo: Uint8Array,
  passphrase: string,
  randomBytes: RandomBytes,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<Uint8Array> {
  checkParams(params);
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  if (salt.length !== SALT_BYTES || iv.length !== IV_BYTES) {
    throw signerError('signer.invalid-argument', 'randomBytes returned the wrong number of bytes');
  }
  const key = await deriveKey(passphrase, salt, params);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(privateKeyInfo), cipher.final()]);
  key.fill(0);
  const scryptParams = encodeSequence(
    encodeOctetString(salt),
    encodeSmallInteger(params.N),
    encodeSmallInteger(params.r),
    encodeSmallInteger(params.p),
  );
  const pbes2Params = encodeSequence(
    encodeSequence(encodeOid(OID_SCRYPT), scryptParams),
    encodeSequence(encodeOid(OID_AES256_CBC), encodeOctetString(iv)),
  );
  return encodeSequence(encodeSequence(encodeOid(OID_PBES2), pbes2Params), encodeOctetString(encrypted));
}

interface ParsedEncryptedKey {
  readonly salt: Uint8Array;
  readonly params: ScryptParams;
  readonly iv: Uint8Array;
  readonly encrypted: Uint8Array;
}

function expectOid(element: { tag: number; value: Uint8Array }, dotted: string, what: string): void {
  const expected = readSingle(encodeOid(dotted), TAG_OID);
  if (element.tag !== TAG_OID || Buffer.compare(element.value, expected) !== 0) {
    throw new DerError(`PBES2: unsupported ${what}`);
  }
}

function parse(der: Uint8Array): ParsedEncryptedKey {
  const [algorithm, data, ...extra] = readChildren(readSingle(der, TAG_SEQUENCE));
  if (algorithm?.tag !== TAG_SEQUENCE || data?.tag !== TAG_OCTET_STRING || extra.length > 0) {
    throw new DerError('PBES2: not an EncryptedPrivateKeyInfo');
  }
  const [schemeOid, pbes2, ...extraAlg] = readChildren(algorithm.value);
  if (schemeOid === undefined || pbes2?.tag !== TAG_SEQUENCE || extraAlg.length > 0) {
    throw new DerError('PBES2: malformed AlgorithmIdentifier');
  }
  expectOid(schemeOid, OID_PBES2, 'encryption scheme (only PBES2 is accepted)');
  const [kdf, enc, ...extraPbes2] = readChildren(pbes2.value);
  if (kdf?.tag !== TAG_SEQUENCE || enc?.tag !== TAG_SEQUENCE || extraPbes2.length > 0) {
    throw new DerError('PBES2: malformed parameters');
  }
  const [kdfOid, kdfParams, ...extraKdf] = readChildren(kdf.value);
  if (kdfOid === undefined || kdfParams?.tag !== TAG_SEQUENCE || extraKdf.length > 0) {
    throw new DerError('PBES2: malformed key derivation function');
  }
  expectOid(kdfOid, OID_SCRYPT, 'key derivation function (only scrypt is accepted)');
  // scrypt-params ::= SEQUENCE { salt OCTET STRING, costParameter, blockSize, parallelizationParameter,
  //                              keyLength INTEGER OPTIONAL } (RFC 7914 §7)
  const [salt, n, r, p, keyLength, ...extraScrypt] = readChildren(kdfParams.value);
  if (
    salt?.tag !== TAG_OCTET_STRING ||
    n?.tag !== TAG_INTEGER ||
    r?.tag !== TAG_INTEGER ||
    p?.tag !== TAG_INTEGER ||
    (keyLength !== undefined &&
      (keyLength.tag !== TAG_INTEGER || readSmallInteger(keyLength.value) !== KEY_BYTES)) ||
    extraScrypt.length > 0
  ) {
    throw new DerError('PBES2: malformed scrypt parameters');
  }
  const params = { N: readSmallInteger(n.value), r: readSmallInteger(r.value), p: readSmallInteger(p.value) };
  checkParams(params);
  const [encOid, iv, ...extraEnc] = readChildren(enc.value);
  if (
    encOid === undefined ||
    iv?.tag !== TAG_OCTET_STRING ||
    iv.value.length !== IV_BYTES ||
    extraEnc.length > 0
  ) {
    throw new DerError('PBES2: malformed encryption scheme');
  }
  expectOid(encOid, OID_AES256_CBC, 'cipher (only aes256-CBC is accepted)');
  if (data.value.length === 0 || data.value.length % 16 !== 0)
    throw new DerError('PBES2: bad ciphertext length');
  return { salt: salt.value, params, iv: iv.value, encrypted: data.value };
}

/**
 * Decrypts a DER EncryptedPrivateKeyInfo written by encryptPrivateKeyInfo. A wrong passphrase and a
 * damaged file cannot be told apart (CBC has no integrity check): both give signer.bad-passphrase.
 * The caller should zero the returned buffer once the key is imported.
 */
export async function decryptPrivateKeyInfo(
  encryptedKeyInfo: Uint8Array,
  passphrase: string,
): Promise<Buffer> {
  let parsed: ParsedEncryptedKey;
  try {
    parsed = parse(encryptedKeyInfo);
  } catch (e) {
    const reason = e instanceof DerError ? e.message : 'malformed';
    throw signerError('signer.key-corrupt', `encrypted private key cannot be parsed (${reason})`);
  }
  const key = await deriveKey(passphrase, parsed.salt, parsed.params);
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, parsed.iv);
    return Buffer.concat([decipher.update(parsed.encrypted), decipher.final()]);
  } catch {
    // No cause attached: OpenSSL's message carries nothing useful, and nothing derived from the key
    // may reach logs.
    throw signerError(
      'signer.bad-passphrase',
      'cannot decrypt the private key: wrong passphrase or damaged key file',
    );
  } finally {
    key.fill(0);
  }
}

const PEM_LABEL = 'ENCRYPTED PRIVATE KEY'; // RFC 7468 §11

export function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${PEM_LABEL}-----\n${lines.join('\n')}\n-----END ${PEM_LABEL}-----\n`;
}

/** Strict RFC 7468 §3 parse of one ENCRYPTED PRIVATE KEY block; returns the DER. */
export function fromPem(pem: string): Uint8Array {
  const match =
    /^-----BEGIN ENCRYPTED PRIVATE KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END ENCRYPTED PRIVATE KEY-----\r?\n?$/.exec(
      pem,
    );
  const body = match?.[1]?.replace(/\r?\n/g, '');
  if (body === undefined || !/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
    throw signerError('signer.key-corrupt', 'key file does not contain one ENCRYPTED PRIVATE KEY PEM block');
  }
  return new Uint8Array(Buffer.from(body, 'base64'));
}
