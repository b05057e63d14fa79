// PKCS#11 key store: keys are generated on the token and never leave it (CKA_SENSITIVE = true,
// CKA_EXTRACTABLE = false, checked after generation), signing happens on the token.
//
// - ECDSA: the digest (SHA-256 for P-256, SHA-512 for P-521) is computed here and signed with
//   CKM_ECDSA, which returns raw r||s (PKCS#11 v2.40 Current Mechanisms §2.3.6); sign() converts it
//   to DER. One code path for every token: CKM_ECDSA_SHA256/SHA512 are optional in PKCS#11 and
//   SoftHSM 2.6 does not offer them, and the data being signed is not secret.
// - Ed448: CKM_EC_EDWARDS_KEY_PAIR_GEN with CKA_EC_PARAMS = id-Ed448 (RFC 8410) and CKM_EDDSA without
//   parameters (pure Ed448, PKCS#11 v3.0 §6.3.5). Tokens that lack these mechanisms are refused with
//   signer.algorithm-unsupported.
// - Every signature is verified against the key's public key before it is returned (a faulty token
//   must not produce a certificate with a bad signature).
//
// One logged-in session per store, opened lazily and reused; calls on it are serialised (a PKCS#11
// session runs one operation at a time). If the session is lost (token re-inserted, session closed
// underneath us), it is reopened once and the call retried. close() closes the session and releases
// the library (./pkcs11-module.ts).
//
// Key id = hex of CKA_ID (16 random bytes for keys made here; keys made by other tools with any
// CKA_ID can be opened too). The label goes to CKA_LABEL.

import { createHash, createPublicKey, type KeyObject, verify as nodeVerify } from 'node:crypto';
import { endianness } from 'node:os';
import { AppError } from '../../errors/app-error.ts';
import {
  type AlgorithmProfile,
  algorithmProfile,
  assertKeyLabel,
  copyBytes,
  spkiFromPublicKey,
  toHex,
} from '../algorithms.ts';
import { bytesEqual, encodeOid, readSingle, TAG_OCTET_STRING, TAG_PRINTABLE_STRING } from '../der.ts';
import { ecdsaRawToDer } from '../ecdsa-signature.ts';
import { signerError } from '../errors.ts';
import {
  type ClosableKeyStore,
  KEY_ALGORITHMS,
  type KeyAlgorithm,
  type KeyHandle,
  type RandomBytes,
  type Signer,
} from '../types.ts';
import {
  CKA_ALWAYS_SENSITIVE,
  CKA_CLASS,
  CKA_DERIVE,
  CKA_EC_PARAMS,
  CKA_EC_POINT,
  CKA_EXTRACTABLE,
  CKA_ID,
  CKA_KEY_TYPE,
  CKA_LABEL,
  CKA_NEVER_EXTRACTABLE,
  CKA_PRIVATE,
  CKA_SENSITIVE,
  CKA_SIGN,
  CKA_TOKEN,
  CKA_VERIFY,
  CKF_RW_SESSION,
  CKF_SERIAL_SESSION,
  CKK_EC,
  CKK_EC_EDWARDS,
  CKM_EC_EDWARDS_KEY_PAIR_GEN,
  CKM_EC_KEY_PAIR_GEN,
  CKM_ECDSA,
  CKM_EDDSA,
  CKO_PRIVATE_KEY,
  CKO_PUBLIC_KEY,
  CKU_USER,
} from './constants.ts';
import {
  acquireModule,
  type Pkcs11Api,
  type Pkcs11Attribute,
  type Pkcs11Handle,
  releaseModule,
  returnValueName,
  type SharedModule,
} from './pkcs11-module.ts';

/** Debian / Ubuntu path of SoftHSM2 (package softhsm2 / libsofthsm2). */
export const DEFAULT_PKCS11_MODULE_PATH = '/usr/lib/softhsm/libsofthsm2.so';

export interface Pkcs11KeyStoreOptions {
  /** PKCS#11 library; DEFAULT_PKCS11_MODULE_PATH when omitted. */
  readonly modulePath?: string;
  /** CKA token label (as set by `softhsm2-util --init-token --label`). */
  readonly tokenLabel: string;
  /** User PIN of the token. */
  readonly userPin: string;
  /** Source of CKA_ID values: node:crypto randomBytes in production. */
  readonly randomBytes: RandomBytes;
}

const ID_BYTES = 16;
const ID_PATTERN = /^(?:[0-9a-f]{2}){1,64}$/;
const FIND_BATCH = 64;

// Return values after which the session is reopened and the call retried once.
const SESSION_LOST = new Set([
  'CKR_OPERATION_ACTIVE', // an operation left over from a failed call (see #signOnToken)
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
]);
const LOGIN_FAILED = new Set([
  'CKR_PIN_INCORRECT',
  'CKR_PIN_LOCKED',
  'CKR_PIN_EXPIRED',
  'CKR_PIN_INVALID',
  'CKR_PIN_LEN_RANGE',
]);
const UNAVAILABLE = new Set([
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_TOKEN_NOT_RECOGNIZED',
  'CKR_DEVICE_ERROR',
]);
const UNSUPPORTED = new Set([
  'CKR_MECHANISM_INVALID',
  'CKR_CURVE_NOT_SUPPORTED',
  'CKR_DOMAIN_PARAMS_INVALID',
]);
const HANDLE_STALE = new Set(['CKR_OBJECT_HANDLE_INVALID', 'CKR_KEY_HANDLE_INVALID']);

/** Wraps a failed PKCS#11 call in an AppError naming the function and CKR_ value (never the PIN). */
function hsmError(fn: string, e: unknown): AppError {
  if (e instanceof AppError) return e;
  const rv = returnValueName(e) ?? 'native';
  const options = { details: { backend: 'pkcs11', function: fn, rv }, cause: e };
  if (LOGIN_FAILED.has(rv)) return signerError('signer.hsm-login', `PKCS#11 login failed (${rv})`, options);
  if (UNAVAILABLE.has(rv))
    return signerError('signer.hsm-unavailable', `PKCS#11 token unavailable (${fn}: ${rv})`, options);
  if (UNSUPPORTED.has(rv))
    return signerError(
      'signer.algorithm-unsupported',
      `PKCS#11 token refused the mechanism (${fn}: ${rv})`,
      options,
    );
  return signerError('signer.hsm-error', `PKCS#11 call failed (${fn}: ${rv})`, options);
}

function call<T>(fn: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    throw hsmError(fn, e);
  }
}

async function callAsync<T>(fn: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    throw hsmError(fn, e);
  }
}

function rvOf(e: unknown): string | undefined {
  if (e instanceof AppError) {
    const rv = e.details?.rv;
    return typeof rv === 'string' ? rv : undefined;
  }
  return returnValueName(e);
}

/** CK_ULONG attribute values come back as native-endian bytes of sizeof(CK_ULONG). */
function readUlong(value: Buffer): number {
  if (value.length !== 4 && value.length !== 8) {
    throw signerError('signer.key-corrupt', 'PKCS#11 returned a CK_ULONG attribute of unexpected size', {
      details: { backend: 'pkcs11' },
    });
  }
  const little = endianness() === 'LE';
  const big =
    value.length === 8
      ? little
        ? value.readBigUInt64LE(0)
        : value.readBigUInt64BE(0)
      : BigInt(little ? value.readUInt32LE(0) : value.readUInt32BE(0));
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
}

function readBool(value: Buffer): boolean {
  return value.length > 0 && value[0] !== 0;
}

const EC_PARAMS_BY_ALGORITHM: Readonly<Record<KeyAlgorithm, Uint8Array>> = {
  'P-256': encodeOid(algorithmProfile('P-256').oid),
  'P-521': encodeOid(algorithmProfile('P-521').oid),
  Ed448: encodeOid(algorithmProfile('Ed448').oid),
};

/** Which of our algorithms a key with this CKA_KEY_TYPE and CKA_EC_PARAMS is, if any. */
function algorithmFromAttributes(keyType: number, ecParams: Buffer): KeyAlgorithm | undefined {
  if (keyType === CKK_EC) {
    if (bytesEqual(ecParams, EC_PARAMS_BY_ALGORITHM['P-256'])) return 'P-256';
    if (bytesEqual(ecParams, EC_PARAMS_BY_ALGORITHM['P-521'])) return 'P-521';
    return undefined;
  }
  if (keyType === CKK_EC_EDWARDS) {
    if (bytesEqual(ecParams, EC_PARAMS_BY_ALGORITHM.Ed448)) return 'Ed448';
    // PKCS#11 v3.0 §2.3.3 also allows the curve name as a PrintableString.
    try {
      const name = Buffer.from(readSingle(ecParams, TAG_PRINTABLE_STRING)).toString('latin1');
      if (name === 'edwards448') return 'Ed448';
    } catch {
      // not a PrintableString
    }
  }
  return undefined;
}

/**
 * CKA_EC_POINT is a DER OCTET STRING around the point in PKCS#11 v2.40 §2.3.3 and for Edwards keys
 * in SoftHSM; some tokens return the bare point. The lengths differ, which tells the forms apart.
 */
function publicKeyFromEcPoint(profile: AlgorithmProfile, ecPoint: Buffer): Uint8Array {
  if (ecPoint.length === profile.publicKeyBytes) return ecPoint;
  try {
    const inner = readSingle(ecPoint, TAG_OCTET_STRING);
    if (inner.length === profile.publicKeyBytes) return inner;
  } catch {
    // fall through
  }
  throw signerError(
    'signer.key-corrupt',
    `CKA_EC_POINT of a ${profile.algorithm} key has an unexpected encoding`,
    {
      details: { backend: 'pkcs11' },
    },
  );
}

interface Session {
  readonly api: Pkcs11Api;
  readonly slot: Pkcs11Handle;
  readonly handle: Pkcs11Handle;
  /** Increments with every new session; object handles are re-looked-up after a change. */
  readonly generation: number;
}

interface KeyCache {
  privateKey: Pkcs11Handle;
  /** Session generation the handle belongs to; -1 forces a new lookup. */
  generation: number;
}

interface KeyObjects {
  readonly privateKey: Pkcs11Handle;
  readonly algorithm: KeyAlgorithm;
}

export class Pkcs11KeyStore implements ClosableKeyStore {
  readonly backend = 'pkcs11' as const;
  readonly #modulePath: string;
  readonly #tokenLabel: string;
  readonly #userPin: string;
  readonly #randomBytes: RandomBytes;
  #module: SharedModule | undefined;
  #session: Session | undefined;
  #generation = 0;
  #supported: ReadonlySet<KeyAlgorithm> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: Pkcs11KeyStoreOptions) {
    const modulePath = options?.modulePath ?? DEFAULT_PKCS11_MODULE_PATH;
    if (typeof modulePath !== 'string' || modulePath.length === 0) {
      throw signerError('signer.invalid-argument', 'PKCS#11 key store needs a module path');
    }
    if (
      typeof options.tokenLabel !== 'string' ||
      options.tokenLabel.length === 0 ||
      options.tokenLabel.length > 32
    ) {
      throw signerError(
        'signer.invalid-argument',
        'PKCS#11 key store needs a token label of 1 to 32 characters',
      );
    }
    if (typeof options.userPin !== 'string' || options.userPin.length === 0) {
      throw signerError('signer.invalid-argument', 'PKCS#11 key store needs the user PIN');
    }
    if (typeof options.randomBytes !== 'function') {
      throw signerError('signer.invalid-argument', 'PKCS#11 key store needs a randomBytes function');
    }
    this.#modulePath = modulePath;
    this.#tokenLabel = options.tokenLabel;
    this.#userPin = options.userPin;
    this.#randomBytes = options.randomBytes;
  }

  get modulePath(): string {
    return this.#modulePath;
  }

  get tokenLabel(): string {
    return this.#tokenLabel;
  }

  /** The algorithms for which the token offers both key generation and signing. */
  async supportedAlgorithms(): Promise<KeyAlgorithm[]> {
    return this.#run(async (session) => KEY_ALGORITHMS.filter((a) => this.#supportedSet(session).has(a)));
  }

  async generate(algorithm: KeyAlgorithm, label: string): Promise<Signer> {
    const profile = algorithmProfile(algorithm);
    assertKeyLabel(label);
    return this.#run(async (session) => {
      if (!this.#supportedSet(session).has(algorithm)) {
        const mechanisms =
          profile.family === 'eddsa'
            ? 'CKM_EC_EDWARDS_KEY_PAIR_GEN and CKM_EDDSA for Ed448'
            : `CKM_EC_KEY_PAIR_GEN and CKM_ECDSA for ${algorithm}`;
        throw signerError(
          'signer.algorithm-unsupported',
          `PKCS#11 token "${this.#tokenLabel}" does not offer ${mechanisms}`,
          {
            details: { backend: 'pkcs11', algorithm },
          },
        );
      }
      const id = this.#randomBytes(ID_BYTES);
      if (!(id instanceof Uint8Array) || id.length !== ID_BYTES) {
        throw signerError('signer.invalid-argument', 'randomBytes returned the wrong number of bytes');
      }
      const idBuffer = Buffer.from(id);
      const keyType = profile.family === 'eddsa' ? CKK_EC_EDWARDS : CKK_EC;
      const ecParams = Buffer.from(EC_PARAMS_BY_ALGORITHM[algorithm]);
      const common: Pkcs11Attribute[] = [
        { type: CKA_KEY_TYPE, value: keyType },
        { type: CKA_TOKEN, value: true },
        { type: CKA_ID, value: idBuffer },
        { type: CKA_LABEL, value: label },
      ];
      const publicTemplate: Pkcs11Attribute[] = [
        { type: CKA_CLASS, value: CKO_PUBLIC_KEY },
        ...common,
        { type: CKA_PRIVATE, value: false },
        { type: CKA_VERIFY, value: true },
        { type: CKA_EC_PARAMS, value: ecParams },
      ];
      const privateTemplate: Pkcs11Attribute[] = [
        { type: CKA_CLASS, value: CKO_PRIVATE_KEY },
        ...common,
        { type: CKA_PRIVATE, value: true },
        { type: CKA_SENSITIVE, value: true },
        { type: CKA_EXTRACTABLE, value: false },
        { type: CKA_SIGN, value: true },
        { type: CKA_DERIVE, value: false },
      ];
      const mechanism = {
        mechanism: profile.family === 'eddsa' ? CKM_EC_EDWARDS_KEY_PAIR_GEN : CKM_EC_KEY_PAIR_GEN,
      };
      const pair = await callAsync('C_GenerateKeyPair', () =>
        session.api.C_GenerateKeyPairAsync(session.handle, mechanism, publicTemplate, privateTemplate),
      );
      try {
        this.#checkProtected(session, pair.privateKey);
        const spki = this.#readSpki(session, pair.publicKey, profile);
        return this.#makeSigner(
          { id: toHex(id), algorithm, backend: 'pkcs11' },
          spki,
          pair.privateKey,
          session,
        );
      } catch (e) {
        // Do not leave a half-checked key on the token.
        for (const object of [pair.privateKey, pair.publicKey]) {
          try {
            session.api.C_DestroyObject(session.handle, object);
          } catch {
            // best effort
          }
        }
        throw e;
      }
    });
  }

  async open(id: string): Promise<Signer> {
    const idBuffer = parseId(id);
    return this.#run(async (session) => {
      const { privateKey, algorithm } = this.#findPrivateKey(session, idBuffer, id);
      const publicKeys = this.#find(session, [
        { type: CKA_CLASS, value: CKO_PUBLIC_KEY },
        { type: CKA_TOKEN, value: true },
        { type: CKA_ID, value: idBuffer },
      ]);
      if (publicKeys.length !== 1) {
        throw signerError(
          'signer.key-corrupt',
          `PKCS#11 key ${id} needs exactly one public key object with the same CKA_ID`,
          {
            details: { backend: 'pkcs11', id, found: publicKeys.length },
          },
        );
      }
      const spki = this.#readSpki(session, publicKeys[0] as Pkcs11Handle, algorithmProfile(algorithm));
      return this.#makeSigner({ id, algorithm, backend: 'pkcs11' }, spki, privateKey, session);
    });
  }

  async list(): Promise<KeyHandle[]> {
    return this.#run(async (session) => {
      const handles: KeyHandle[] = [];
      const objects = this.#find(session, [
        { type: CKA_CLASS, value: CKO_PRIVATE_KEY },
        { type: CKA_TOKEN, value: true },
      ]);
      for (const object of objects) {
        const [idAttr, typeAttr] = call('C_GetAttributeValue', () =>
          session.api.C_GetAttributeValue(session.handle, object, [{ type: CKA_ID }, { type: CKA_KEY_TYPE }]),
        );
        if (
          idAttr === undefined ||
          typeAttr === undefined ||
          idAttr.value.length === 0 ||
          idAttr.value.length > 64
        )
          continue;
        const keyType = readUlong(typeAttr.value);
        if (keyType !== CKK_EC && keyType !== CKK_EC_EDWARDS) continue; // RSA and others: not ours to list
        const algorithm = this.#algorithmOf(session, object, keyType);
        if (algorithm !== undefined) handles.push({ id: toHex(idAttr.value), algorithm, backend: 'pkcs11' });
      }
      return handles.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    });
  }

  async destroy(id: string): Promise<void> {
    const idBuffer = parseId(id);
    return this.#run(async (session) => {
      this.#findPrivateKey(session, idBuffer, id); // NotFound / ambiguity checks
      const objects = [CKO_PRIVATE_KEY, CKO_PUBLIC_KEY].flatMap((cls) =>
        this.#find(session, [
          { type: CKA_CLASS, value: cls },
          { type: CKA_TOKEN, value: true },
          { type: CKA_ID, value: idBuffer },
        ]),
      );
      for (const object of objects)
        call('C_DestroyObject', () => session.api.C_DestroyObject(session.handle, object));
    });
  }

  /** Closes the session and releases the library. Signers of this store stop working. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    this.#dropSession();
    if (this.#module !== undefined) {
      this.#module = undefined;
      await releaseModule(this.#modulePath);
    }
  }

  // --- internals ----------------------------------------------------------------------------------

  #makeSigner(handle: KeyHandle, spki: Uint8Array, privateKey: Pkcs11Handle, session: Session): Signer {
    const cache: KeyCache = { privateKey, generation: session.generation };
    return new Pkcs11Signer(handle, spki, (input) => this.#signOnToken(handle, cache, input));
  }

  /** Signs on the token: `input` is the digest (ECDSA) or the message (EdDSA). Returns the raw signature. */
  #signOnToken(handle: KeyHandle, cache: KeyCache, input: Buffer): Promise<Buffer> {
    const profile = algorithmProfile(handle.algorithm);
    const mechanism = { mechanism: profile.family === 'eddsa' ? CKM_EDDSA : CKM_ECDSA };
    return this.#run(async (session) => {
      for (let attempt = 0; ; attempt++) {
        if (cache.generation !== session.generation) {
          cache.privateKey = this.#findPrivateKey(session, parseId(handle.id), handle.id).privateKey;
          cache.generation = session.generation;
        }
        try {
          call('C_SignInit', () => session.api.C_SignInit(session.handle, mechanism, cache.privateKey));
          const out = Buffer.alloc(profile.rawSignatureBytes);
          let signature: Buffer;
          try {
            signature = await callAsync('C_Sign', () => session.api.C_SignAsync(session.handle, input, out));
          } catch (e) {
            // Some tokens (SoftHSM among them) keep the signing operation active after a failed
            // C_Sign, which would make every later C_SignInit on this session fail with
            // CKR_OPERATION_ACTIVE: start over with a fresh session.
            this.#dropSession();
            throw e;
          }
          if (signature.length !== profile.rawSignatureBytes) {
            throw signerError(
              'signer.hsm-error',
              `PKCS#11 token returned a ${signature.length}-byte ${handle.algorithm} signature`,
              {
                details: { backend: 'pkcs11', function: 'C_Sign', rv: 'CKR_OK' },
              },
            );
          }
          return signature;
        } catch (e) {
          // The key may have been destroyed and re-created, or the handle belongs to an older session.
          if (attempt === 0 && HANDLE_STALE.has(rvOf(e) ?? '')) {
            cache.generation = -1;
            continue;
          }
          throw e;
        }
      }
    });
  }

  /** Runs `op` on the logged-in session, one call at a time, reopening a lost session once. */
  #run<T>(op: (session: Session) => Promise<T>): Promise<T> {
    // Checked when the call is made: calls queued before close() still complete.
    if (this.#closed) {
      return Promise.reject(
        signerError('signer.closed', 'PKCS#11 key store is closed', { details: { backend: 'pkcs11' } }),
      );
    }
    const task = async (): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        const session = await this.#ensureSession();
        try {
          return await op(session);
        } catch (e) {
          if (attempt === 0 && SESSION_LOST.has(rvOf(e) ?? '')) {
            this.#dropSession();
            continue;
          }
          throw e;
        }
      }
    };
    const result = this.#queue.then(task);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #ensureSession(): Promise<Session> {
    if (this.#session !== undefined) return this.#session;
    if (this.#module === undefined) {
      try {
        this.#module = await acquireModule(this.#modulePath);
      } catch (e) {
        await releaseModule(this.#modulePath);
        throw e;
      }
    }
    const { api } = this.#module;
    const slot = this.#findSlot(api);
    const handle = call('C_OpenSession', () => api.C_OpenSession(slot, CKF_RW_SESSION | CKF_SERIAL_SESSION));
    try {
      api.C_Login(handle, CKU_USER, this.#userPin);
    } catch (e) {
      // The login state is per application and token (PKCS#11 v2.40 §5.6): another store of this
      // process may have logged in already.
      if (returnValueName(e) !== 'CKR_USER_ALREADY_LOGGED_IN') {
        try {
          api.C_CloseSession(handle);
        } catch {
          // nothing more to do
        }
        throw hsmError('C_Login', e);
      }
    }
    this.#generation++;
    this.#session = { api, slot, handle, generation: this.#generation };
    return this.#session;
  }

  #findSlot(api: Pkcs11Api): Pkcs11Handle {
    const slots = call('C_GetSlotList', () => api.C_GetSlotList(true));
    const matching = slots.filter((slot) => {
      const info = call('C_GetTokenInfo', () => api.C_GetTokenInfo(slot));
      // CK_TOKEN_INFO.label is blank-padded to 32 bytes.
      return info.label.replace(/[ \0]+$/, '') === this.#tokenLabel;
    });
    if (matching.length === 0) {
      throw signerError(
        'signer.hsm-unavailable',
        `no PKCS#11 token labelled "${this.#tokenLabel}" in ${this.#modulePath}`,
        {
          details: { backend: 'pkcs11', tokenLabel: this.#tokenLabel },
        },
      );
    }
    if (matching.length > 1) {
      throw signerError(
        'signer.invalid-argument',
        `several PKCS#11 tokens are labelled "${this.#tokenLabel}"`,
        {
          details: { backend: 'pkcs11', tokenLabel: this.#tokenLabel },
        },
      );
    }
    return matching[0] as Pkcs11Handle;
  }

  #dropSession(): void {
    const session = this.#session;
    this.#session = undefined;
    this.#supported = undefined;
    if (session === undefined) return;
    try {
      // Closing the last session of the application also logs the user out (PKCS#11 v2.40 §5.6);
      // C_Logout is not called because it would log out every other store on the same token.
      session.api.C_CloseSession(session.handle);
    } catch {
      // already gone
    }
  }

  #supportedSet(session: Session): ReadonlySet<KeyAlgorithm> {
    if (this.#supported !== undefined) return this.#supported;
    const { api, slot } = session;
    const mechanisms = new Set(call('C_GetMechanismList', () => api.C_GetMechanismList(slot)));
    const supported = new Set<KeyAlgorithm>();
    // ulMinKeySize / ulMaxKeySize are field sizes in bits (PKCS#11 v2.40 §2.3.4; v3.0 §6.3.4 for
    // Edwards curves, where SoftHSM reports 256..456 instead of the specified 255..448).
    const covers = (mechanism: number, bits: number): boolean => {
      if (!mechanisms.has(mechanism)) return false;
      const info = call('C_GetMechanismInfo', () => api.C_GetMechanismInfo(slot, mechanism));
      return info.minKeySize <= bits && bits <= info.maxKeySize;
    };
    if (mechanisms.has(CKM_ECDSA)) {
      if (covers(CKM_EC_KEY_PAIR_GEN, 256)) supported.add('P-256');
      if (covers(CKM_EC_KEY_PAIR_GEN, 521)) supported.add('P-521');
    }
    if (mechanisms.has(CKM_EDDSA) && covers(CKM_EC_EDWARDS_KEY_PAIR_GEN, 448)) supported.add('Ed448');
    this.#supported = supported;
    return supported;
  }

  #find(session: Session, template: Pkcs11Attribute[]): Pkcs11Handle[] {
    const { api, handle } = session;
    call('C_FindObjectsInit', () => api.C_FindObjectsInit(handle, template));
    const found: Pkcs11Handle[] = [];
    try {
      for (;;) {
        const batch = call('C_FindObjects', () => api.C_FindObjects(handle, FIND_BATCH));
        if (batch.length === 0) break;
        found.push(...batch);
      }
    } finally {
      call('C_FindObjectsFinal', () => api.C_FindObjectsFinal(handle));
    }
    return found;
  }

  #findPrivateKey(session: Session, idBuffer: Buffer, id: string): KeyObjects {
    const objects = this.#find(session, [
      { type: CKA_CLASS, value: CKO_PRIVATE_KEY },
      { type: CKA_TOKEN, value: true },
      { type: CKA_ID, value: idBuffer },
    ]);
    if (objects.length === 0) {
      throw signerError(
        'signer.key-not-found',
        `no PKCS#11 key with id ${id} on token "${this.#tokenLabel}"`,
        {
          details: { backend: 'pkcs11', id },
        },
      );
    }
    if (objects.length > 1) {
      throw signerError('signer.key-corrupt', `several PKCS#11 private keys have the id ${id}`, {
        details: { backend: 'pkcs11', id },
      });
    }
    const privateKey = objects[0] as Pkcs11Handle;
    const [typeAttr] = call('C_GetAttributeValue', () =>
      session.api.C_GetAttributeValue(session.handle, privateKey, [{ type: CKA_KEY_TYPE }]),
    );
    const algorithm =
      typeAttr === undefined ? undefined : this.#algorithmOf(session, privateKey, readUlong(typeAttr.value));
    if (algorithm === undefined) {
      throw signerError(
        'signer.algorithm-unsupported',
        `PKCS#11 key ${id} is not a P-256, P-521 or Ed448 key`,
        {
          details: { backend: 'pkcs11', id },
        },
      );
    }
    return { privateKey, algorithm };
  }

  #algorithmOf(session: Session, object: Pkcs11Handle, keyType: number): KeyAlgorithm | undefined {
    if (keyType !== CKK_EC && keyType !== CKK_EC_EDWARDS) return undefined;
    const [params] = call('C_GetAttributeValue', () =>
      session.api.C_GetAttributeValue(session.handle, object, [{ type: CKA_EC_PARAMS }]),
    );
    return params === undefined ? undefined : algorithmFromAttributes(keyType, params.value);
  }

  /** The token must have honoured CKA_SENSITIVE / CKA_EXTRACTABLE (PKCS#11 v2.40 §4.9 Table 25). */
  #checkProtected(session: Session, privateKey: Pkcs11Handle): void {
    const attrs = call('C_GetAttributeValue', () =>
      session.api.C_GetAttributeValue(session.handle, privateKey, [
        { type: CKA_SENSITIVE },
        { type: CKA_EXTRACTABLE },
        { type: CKA_ALWAYS_SENSITIVE },
        { type: CKA_NEVER_EXTRACTABLE },
      ]),
    );
    const value = (type: number): boolean => {
      const attr = attrs.find((a) => a.type === type);
      if (attr === undefined)
        throw signerError('signer.self-check', 'PKCS#11 token did not report key protection attributes');
      return readBool(attr.value);
    };
    if (
      !value(CKA_SENSITIVE) ||
      value(CKA_EXTRACTABLE) ||
      !value(CKA_ALWAYS_SENSITIVE) ||
      !value(CKA_NEVER_EXTRACTABLE)
    ) {
      throw signerError(
        'signer.self-check',
        'PKCS#11 token generated a private key that is extractable or not sensitive',
        {
          details: { backend: 'pkcs11' },
        },
      );
    }
  }

  #readSpki(session: Session, publicKey: Pkcs11Handle, profile: AlgorithmProfile): Uint8Array {
    const [point] = call('C_GetAttributeValue', () =>
      session.api.C_GetAttributeValue(session.handle, publicKey, [{ type: CKA_EC_POINT }]),
    );
    if (point === undefined) {
      throw signerError('signer.key-corrupt', 'PKCS#11 public key has no CKA_EC_POINT', {
        details: { backend: 'pkcs11' },
      });
    }
    return spkiFromPublicKey(profile.algorithm, publicKeyFromEcPoint(profile, point.value));
  }
}

function parseId(id: unknown): Buffer {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw signerError(
      'signer.invalid-argument',
      'PKCS#11 key id must be lower-case hex (the CKA_ID), 1 to 64 bytes',
    );
  }
  return Buffer.from(id, 'hex');
}

class Pkcs11Signer implements Signer {
  readonly handle: KeyHandle;
  readonly #spki: Uint8Array;
  readonly #publicKey: KeyObject;
  readonly #profile: AlgorithmProfile;
  readonly #signOnToken: (input: Buffer) => Promise<Buffer>;

  constructor(handle: KeyHandle, spki: Uint8Array, signOnToken: (input: Buffer) => Promise<Buffer>) {
    this.handle = Object.freeze({ ...handle });
    this.#spki = spki;
    this.#publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    this.#profile = algorithmProfile(handle.algorithm);
    this.#signOnToken = signOnToken;
  }

  async publicKeySpki(): Promise<Uint8Array> {
    return copyBytes(this.#spki);
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    const raw = await this.signRaw(data);
    const { algorithm } = this.handle;
    return algorithm === 'Ed448' ? raw : ecdsaRawToDer(raw, algorithm);
  }

  async signRaw(data: Uint8Array): Promise<Uint8Array> {
    if (!(data instanceof Uint8Array))
      throw signerError('signer.invalid-argument', 'data to sign must be a Uint8Array');
    const { hash } = this.#profile;
    // pkcs11js passes an empty Buffer as a NULL pointer, which SoftHSM rejects with
    // CKR_ARGUMENTS_BAD; a zero-length view into a non-empty buffer has a valid pointer.
    const message = data.length === 0 ? Buffer.alloc(1).subarray(0, 0) : Buffer.from(data);
    const input = hash === null ? message : createHash(hash).update(data).digest();
    const signature = new Uint8Array(await this.#signOnToken(input));
    const ok = nodeVerify(hash, data, { key: this.#publicKey, dsaEncoding: 'ieee-p1363' }, signature);
    if (!ok) {
      throw signerError('signer.self-check', `PKCS#11 signature with key ${this.handle.id} does not verify`, {
        details: { backend: 'pkcs11', id: this.handle.id },
      });
    }
    return signature;
  }
}
