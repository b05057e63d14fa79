// Software key store: keys generated with node:crypto and kept in one directory, each encrypted at
// rest under the store passphrase (PBES2 + scrypt + AES-256-CBC, see ./pbes2-scrypt.ts).
//
// Invariants:
// - the directory is 0700 and every key file 0600; a directory or file that other users can access is
//   refused rather than silently repaired (an operator should notice);
// - a key file is written to a temporary file, fsynced, renamed into place and the directory fsynced,
//   so a crash leaves either no key or a complete key;
// - key material (private key bytes, passphrase) never appears in errors, logs or util.inspect output:
//   it is held in #private fields and errors carry no cause from decryption.
//
// File `<id>.key.pem` (id = 32 lower-case hex digits from the injected random source):
//
//   PNC signer key v1
//   Algorithm: P-256
//   Label: <label>
//   -----BEGIN ENCRYPTED PRIVATE KEY-----
//   ...
//   -----END ENCRYPTED PRIVATE KEY-----
//
// The first three lines are RFC 7468 §5.2 explanatory text (OpenSSL ignores it, so `openssl pkey -in
// <file>` works); they let list() report the algorithm without the passphrase. They are not
// authenticated, so open() checks the decrypted key against the Algorithm line.

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  sign as nodeSign,
} from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../../errors/app-error.ts';
import {
  algorithmOfKey,
  algorithmProfile,
  assertKeyLabel,
  copyBytes,
  isKeyAlgorithm,
  toHex,
} from '../algorithms.ts';
import { type EcdsaAlgorithm, ecdsaDerToRaw } from '../ecdsa-signature.ts';
import { signerError } from '../errors.ts';
import type { ClosableKeyStore, KeyAlgorithm, KeyHandle, RandomBytes, Signer } from '../types.ts';
import {
  decryptPrivateKeyInfo,
  encryptPrivateKeyInfo,
  fromPem,
  type ScryptParams,
  toPem,
} from './pbes2-scrypt.ts';

export interface SoftwareKeyStoreOptions {
  /** Directory holding the key files; created (0700) on first generate(). */
  readonly directory: string;
  /** Encrypts every key in the store; the application reads it from PNC_KEY_PASSPHRASE. */
  readonly passphrase: string;
  /** Source of key ids, salts and IVs: node:crypto randomBytes in production. */
  readonly randomBytes: RandomBytes;
  /**
   * scrypt cost of keys written by generate(); default DEFAULT_SCRYPT_PARAMS. Only tests lower it (a
   * derivation per key costs ~0.2 s); the parameters are stored in each file, so open() reads any.
   */
  readonly scryptParams?: ScryptParams;
}

/** Shorter passphrases are refused at construction: scrypt slows guessing but cannot save a short one. */
export const MIN_PASSPHRASE_LENGTH = 12;

const FILE_MAGIC = 'PNC signer key v1';
const ID_BYTES = 16;
const ID_PATTERN = /^[0-9a-f]{32}$/;
const FILE_PATTERN = /^([0-9a-f]{32})\.key\.pem$/;
const MAX_KEY_FILE_BYTES = 16 * 1024;

function fileName(id: string): string {
  return `${id}.key.pem`;
}

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}

function storageError(message: string, cause?: unknown): AppError {
  return signerError('signer.storage', message, {
    details: { backend: 'software' },
    ...(cause === undefined ? {} : { cause }),
  });
}

function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw signerError('signer.invalid-argument', 'software key id must be 32 lower-case hex digits');
  }
}

interface KeyFileHeader {
  readonly algorithm: KeyAlgorithm;
  readonly label: string;
  readonly pem: string;
}

function formatKeyFile(algorithm: KeyAlgorithm, label: string, pem: string): string {
  return `${FILE_MAGIC}\nAlgorithm: ${algorithm}\nLabel: ${label}\n${pem}`;
}

function parseKeyFile(text: string, id: string): KeyFileHeader {
  const corrupt = (): AppError =>
    signerError('signer.key-corrupt', `key file ${fileName(id)} has an unknown format`, {
      details: { backend: 'software', id },
    });
  const lines = text.split('\n');
  if (lines[0] !== FILE_MAGIC) throw corrupt();
  const algorithm = /^Algorithm: (.+)$/.exec(lines[1] ?? '')?.[1];
  const label = /^Label: (.+)$/.exec(lines[2] ?? '')?.[1];
  if (!isKeyAlgorithm(algorithm) || label === undefined) throw corrupt();
  return { algorithm, label, pem: lines.slice(3).join('\n') };
}

export class SoftwareKeyStore implements ClosableKeyStore {
  readonly backend = 'software' as const;
  readonly #directory: string;
  readonly #passphrase: string;
  readonly #randomBytes: RandomBytes;
  readonly #scryptParams: ScryptParams | undefined;
  // Keys destroyed through this store: their signers stop too, like PKCS#11 signers whose token
  // object is gone. (A signer opened by another store instance keeps its in-memory key.)
  readonly #destroyed = new Set<string>();
  #closed = false;

  constructor(options: SoftwareKeyStoreOptions) {
    if (typeof options?.directory !== 'string' || options.directory.length === 0) {
      throw signerError('signer.invalid-argument', 'software key store needs a directory');
    }
    if (typeof options.passphrase !== 'string' || options.passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw signerError(
        'signer.invalid-argument',
        `software key store needs a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters (PNC_KEY_PASSPHRASE)`,
      );
    }
    if (typeof options.randomBytes !== 'function') {
      throw signerError('signer.invalid-argument', 'software key store needs a randomBytes function');
    }
    this.#directory = resolve(options.directory);
    this.#passphrase = options.passphrase;
    this.#randomBytes = options.randomBytes;
    this.#scryptParams = options.scryptParams;
  }

  get directory(): string {
    return this.#directory;
  }

  async generate(algorithm: KeyAlgorithm, label: string): Promise<Signer> {
    this.#assertOpen();
    const profile = algorithmProfile(algorithm);
    assertKeyLabel(label);
    await this.#ensureDirectory(true);

    const privateKey = await generate(profile.nodeCurve);
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    let encrypted: Uint8Array;
    try {
      encrypted = await encryptPrivateKeyInfo(pkcs8, this.#passphrase, this.#randomBytes, this.#scryptParams);
    } finally {
      pkcs8.fill(0);
    }
    const content = formatKeyFile(algorithm, label, toPem(encrypted));
    const id = await this.#writeNewKeyFile(content);
    return new SoftwareSigner({ id, algorithm, backend: 'software' }, privateKey, () => this.#usable(id));
  }

  async open(id: string): Promise<Signer> {
    this.#assertOpen();
    assertId(id);
    const header = await this.#readKeyFile(id);
    const pkcs8 = await decryptPrivateKeyInfo(fromPem(header.pem), this.#passphrase);
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    } catch {
      // CBC padding can pass by chance with a wrong key; the garbage then fails to parse here.
      throw signerError(
        'signer.bad-passphrase',
        'cannot decrypt the private key: wrong passphrase or damaged key file',
        {
          details: { backend: 'software', id },
        },
      );
    } finally {
      pkcs8.fill(0);
    }
    if (algorithmOfKey(privateKey) !== header.algorithm) {
      throw signerError(
        'signer.key-corrupt',
        `key ${id} is not a ${header.algorithm} key as its file header says`,
        {
          details: { backend: 'software', id },
        },
      );
    }
    return new SoftwareSigner({ id, algorithm: header.algorithm, backend: 'software' }, privateKey, () =>
      this.#usable(id),
    );
  }

  async list(): Promise<KeyHandle[]> {
    this.#assertOpen();
    if (!(await this.#ensureDirectory(false))) return [];
    let names: string[];
    try {
      names = await readdir(this.#directory);
    } catch (e) {
      throw storageError('cannot list the key directory', e);
    }
    const handles: KeyHandle[] = [];
    for (const name of names.sort()) {
      const id = FILE_PATTERN.exec(name)?.[1];
      if (id === undefined) continue;
      try {
        const { algorithm } = await this.#readKeyFile(id);
        handles.push({ id, algorithm, backend: 'software' });
      } catch (e) {
        // Removed between readdir and read: not a key any more.
        if (e instanceof AppError && e.code === 'signer.key-not-found') continue;
        throw e;
      }
    }
    return handles;
  }

  async destroy(id: string): Promise<void> {
    this.#assertOpen();
    assertId(id);
    if (!(await this.#ensureDirectory(false))) throw notFound(id);
    try {
      await unlink(join(this.#directory, fileName(id)));
    } catch (e) {
      if (isErrno(e, 'ENOENT')) throw notFound(id);
      throw storageError(`cannot delete key ${id}`, e);
    }
    this.#destroyed.add(id);
    await this.#syncDirectory();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Why a signer of key `id` may not sign, or undefined when it may. */
  #usable(id: string): AppError | undefined {
    if (this.#closed) return signerError('signer.closed', 'software key store is closed');
    if (this.#destroyed.has(id)) return notFound(id);
    return undefined;
  }

  #assertOpen(): void {
    if (this.#closed) throw signerError('signer.closed', 'software key store is closed');
  }

  /** Checks (and with `create`, makes) the key directory; false when it does not exist. */
  async #ensureDirectory(create: boolean): Promise<boolean> {
    if (create) {
      try {
        await mkdir(this.#directory, { recursive: true, mode: 0o700 });
      } catch (e) {
        throw storageError(`cannot create the key directory ${this.#directory}`, e);
      }
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.#directory);
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return false;
      throw storageError(`cannot access the key directory ${this.#directory}`, e);
    }
    if (!info.isDirectory()) throw storageError(`key directory ${this.#directory} is not a directory`);
    if ((info.mode & 0o077) !== 0) {
      throw storageError(
        `key directory ${this.#directory} is accessible by other users (mode ${(info.mode & 0o777).toString(8)}); ` +
          'it must be 0700 (chmod 700)',
      );
    }
    return true;
  }

  async #readKeyFile(id: string): Promise<KeyFileHeader> {
    if (!(await this.#ensureDirectory(false))) throw notFound(id);
    const path = join(this.#directory, fileName(id));
    let text: string;
    try {
      const handle = await open(path, 'r');
      try {
        const info = await handle.stat();
        if (!info.isFile() || info.size > MAX_KEY_FILE_BYTES) {
          throw signerError('signer.key-corrupt', `key file ${fileName(id)} is not a regular key file`, {
            details: { backend: 'software', id },
          });
        }
        if ((info.mode & 0o077) !== 0) {
          throw storageError(
            `key file ${fileName(id)} is accessible by other users (mode ${(info.mode & 0o777).toString(8)}); ` +
              'it must be 0600 (chmod 600)',
          );
        }
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (isErrno(e, 'ENOENT')) throw notFound(id);
      throw storageError(`cannot read key ${id}`, e);
    }
    return parseKeyFile(text, id);
  }

  /** Writes a new key file atomically (temp file + fsync + rename + directory fsync); returns its id. */
  async #writeNewKeyFile(content: string): Promise<string> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = toHex(this.#takeRandom(ID_BYTES));
      const finalPath = join(this.#directory, fileName(id));
      if (await exists(finalPath)) continue; // 128-bit ids: only a broken random source gets here
      const tempPath = join(this.#directory, `.${id}.${toHex(this.#takeRandom(8))}.tmp`);
      try {
        const handle = await open(tempPath, 'wx', 0o600);
        try {
          await handle.writeFile(content, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(tempPath, finalPath);
      } catch (e) {
        await unlink(tempPath).catch(() => undefined);
        throw storageError('cannot write the key file', e);
      }
      await this.#syncDirectory();
      return id;
    }
    throw storageError('could not find an unused key id (is the random source broken?)');
  }

  #takeRandom(n: number): Uint8Array {
    const bytes = this.#randomBytes(n);
    if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
      throw signerError('signer.invalid-argument', 'randomBytes returned the wrong number of bytes');
    }
    return bytes;
  }

  /** Makes a rename or unlink durable (POSIX: the directory entry lives in the directory's data). */
  async #syncDirectory(): Promise<void> {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(this.#directory, 'r');
      await handle.sync();
    } catch (e) {
      // Some file systems cannot fsync a directory; the rename itself has happened.
      if (!isErrno(e, 'EINVAL') && !isErrno(e, 'EISDIR') && !isErrno(e, 'EPERM')) {
        throw storageError('cannot sync the key directory', e);
      }
    } finally {
      await handle?.close();
    }
  }
}

function notFound(id: string): AppError {
  return signerError('signer.key-not-found', `no software key with id ${id}`, {
    details: { backend: 'software', id },
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return false;
    throw storageError('cannot access the key directory', e);
  }
}

function generate(nodeCurve: 'prime256v1' | 'secp521r1' | null): Promise<KeyObject> {
  return new Promise((resolvePromise, reject) => {
    const done = (err: Error | null, _publicKey: KeyObject, privateKey: KeyObject): void => {
      if (err)
        reject(
          signerError('signer.crypto', 'key generation failed', {
            details: { backend: 'software' },
            cause: err,
          }),
        );
      else resolvePromise(privateKey);
    };
    if (nodeCurve === null) generateKeyPair('ed448', {}, done);
    else generateKeyPair('ec', { namedCurve: nodeCurve }, done);
  });
}

function signingFailed(cause: unknown): AppError {
  return signerError('signer.crypto', 'signing failed', { details: { backend: 'software' }, cause });
}

class SoftwareSigner implements Signer {
  readonly handle: KeyHandle;
  readonly #privateKey: KeyObject;
  readonly #spki: Uint8Array;
  readonly #unusable: () => AppError | undefined;

  constructor(handle: KeyHandle, privateKey: KeyObject, unusable: () => AppError | undefined) {
    this.handle = Object.freeze({ ...handle });
    this.#privateKey = privateKey;
    this.#spki = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
    this.#unusable = unusable;
  }

  async publicKeySpki(): Promise<Uint8Array> {
    return copyBytes(this.#spki);
  }

  sign(data: Uint8Array): Promise<Uint8Array> {
    return this.#sign(data, false);
  }

  signRaw(data: Uint8Array): Promise<Uint8Array> {
    return this.#sign(data, true);
  }

  /**
   * node:crypto sign with the KeyObject itself: its fastest form. The options form
   * `{ key, dsaEncoding }` prepares the key anew on every call (measured on P-256: ~12 µs more for
   * DER, ~28 µs more for IEEE P1363), so ECDSA always signs DER here and signRaw converts with
   * ecdsaDerToRaw (a few µs). P-256 signs on the event loop (D-094): one signature costs ~24 µs, and
   * handing it to the libuv thread pool would add ~16 µs of CPU; P-521 (~1.9 ms) and Ed448
   * (~150 µs) stay on the thread pool so that a signature never holds up other requests for long.
   */
  #sign(data: Uint8Array, raw: boolean): Promise<Uint8Array> {
    const refusal = this.#unusable();
    if (refusal !== undefined) return Promise.reject(refusal);
    if (!(data instanceof Uint8Array)) {
      return Promise.reject(signerError('signer.invalid-argument', 'data to sign must be a Uint8Array'));
    }
    const { hash, family, algorithm } = algorithmProfile(this.handle.algorithm);
    // Ed448: algorithm null = pure EdDSA (RFC 8032 §5.2); its one encoding serves sign and signRaw.
    const output = (signature: Buffer): Uint8Array =>
      raw && family === 'ecdsa'
        ? ecdsaDerToRaw(new Uint8Array(signature), algorithm as EcdsaAlgorithm)
        : new Uint8Array(signature);
    if (algorithm === 'P-256') {
      try {
        return Promise.resolve(output(nodeSign(hash, data, this.#privateKey)));
      } catch (err) {
        return Promise.reject(signingFailed(err));
      }
    }
    return new Promise((resolvePromise, reject) => {
      nodeSign(hash, data, this.#privateKey, (err, signature) => {
        if (err) {
          reject(signingFailed(err));
          return;
        }
        try {
          resolvePromise(output(signature));
        } catch (conversionError) {
          reject(signingFailed(conversionError));
        }
      });
    });
  }
}
