// Loading of the PKCS#11 library through the `pkcs11js` native package, shared per library path.
//
// Nothing is loaded at import time: `pkcs11js` is imported dynamically on the first key-store
// operation, so code that never uses the PKCS#11 backend neither needs the native package nor loads a
// shared library.
//
// A PKCS#11 library is initialised once per process (C_Initialize returns
// CKR_CRYPTOKI_ALREADY_INITIALIZED the second time) and C_Finalize ends every session of the process.
// Several key stores may use the same library (two tokens, or a store re-created after close()), so
// the library is reference-counted here and finalised when the last store releases it.

import { signerError } from '../errors.ts';
import { CKF_OS_LOCKING_OK } from './constants.ts';

/** PKCS#11 handles as pkcs11js represents them (opaque CK_ULONG buffers). */
export type Pkcs11Handle = Buffer;

export interface Pkcs11Attribute {
  type: number;
  value?: number | boolean | string | Buffer;
}

export interface Pkcs11AttributeResult {
  type: number;
  value: Buffer;
}

export interface Pkcs11Mechanism {
  mechanism: number;
}

/**
 * The subset of pkcs11js's `PKCS11` class (v2.x) that the backend uses, written out so that this
 * module type-checks without the package installed. Calls map 1:1 to PKCS#11 functions.
 */
export interface Pkcs11Api {
  load(path: string): void;
  close(): void;
  C_Initialize(options?: { flags?: number }): void;
  C_Finalize(): void;
  C_GetSlotList(tokenPresent?: boolean): Pkcs11Handle[];
  C_GetTokenInfo(slot: Pkcs11Handle): { label: string };
  C_GetMechanismList(slot: Pkcs11Handle): number[];
  C_GetMechanismInfo(
    slot: Pkcs11Handle,
    type: number,
  ): { minKeySize: number; maxKeySize: number; flags: number };
  C_OpenSession(slot: Pkcs11Handle, flags: number): Pkcs11Handle;
  C_CloseSession(session: Pkcs11Handle): void;
  C_Login(session: Pkcs11Handle, userType: number, pin?: string): void;
  C_FindObjectsInit(session: Pkcs11Handle, template: Pkcs11Attribute[]): void;
  C_FindObjects(session: Pkcs11Handle, maxObjectCount: number): Pkcs11Handle[];
  C_FindObjectsFinal(session: Pkcs11Handle): void;
  C_GetAttributeValue(
    session: Pkcs11Handle,
    object: Pkcs11Handle,
    template: Pkcs11Attribute[],
  ): Pkcs11AttributeResult[];
  C_DestroyObject(session: Pkcs11Handle, object: Pkcs11Handle): void;
  C_GenerateKeyPairAsync(
    session: Pkcs11Handle,
    mechanism: Pkcs11Mechanism,
    publicTemplate: Pkcs11Attribute[],
    privateTemplate: Pkcs11Attribute[],
  ): Promise<{ publicKey: Pkcs11Handle; privateKey: Pkcs11Handle }>;
  C_SignInit(session: Pkcs11Handle, mechanism: Pkcs11Mechanism, key: Pkcs11Handle): void;
  C_SignAsync(session: Pkcs11Handle, data: Buffer, out: Buffer): Promise<Buffer>;
}

/** The CKR_* name of a pkcs11js error (its message is exactly that name), or undefined. */
export function returnValueName(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && /^CKR_[A-Z0-9_]+$/.test(message) ? message : undefined;
}

export interface SharedModule {
  readonly path: string;
  readonly api: Pkcs11Api;
}

interface ModuleEntry {
  readonly ready: Promise<SharedModule>;
  refs: number;
  ownsInitialization: boolean;
}

// The only module state: which libraries this process has initialised, and finalisations still
// running. Filled by acquireModule() / releaseModule(), never at import.
const modules = new Map<string, ModuleEntry>();
const finalizing = new Map<string, Promise<void>>();

async function loadPkcs11js(): Promise<new () => Pkcs11Api> {
  // A variable specifier keeps TypeScript from resolving the optional package at type-check time.
  const specifier = 'pkcs11js';
  let loaded: { PKCS11?: unknown; default?: { PKCS11?: unknown } };
  try {
    loaded = (await import(specifier)) as typeof loaded;
  } catch (e) {
    throw signerError(
      'signer.hsm-unavailable',
      'the PKCS#11 backend needs the pkcs11js package (npm install pkcs11js), which could not be loaded',
      { details: { backend: 'pkcs11' }, cause: e },
    );
  }
  const ctor = loaded.PKCS11 ?? loaded.default?.PKCS11;
  if (typeof ctor !== 'function') {
    throw signerError('signer.hsm-unavailable', 'pkcs11js does not export PKCS11', {
      details: { backend: 'pkcs11' },
    });
  }
  return ctor as new () => Pkcs11Api;
}

async function initialize(path: string, entry: { ownsInitialization: boolean }): Promise<SharedModule> {
  // A store closed just before may still be finalising this library; C_Initialize must come after.
  await finalizing.get(path);
  const PKCS11 = await loadPkcs11js();
  const api = new PKCS11();
  try {
    api.load(path);
  } catch (e) {
    throw signerError('signer.hsm-unavailable', `cannot load the PKCS#11 library ${path}`, {
      details: { backend: 'pkcs11', function: 'load', path },
      cause: e,
    });
  }
  try {
    api.C_Initialize({ flags: CKF_OS_LOCKING_OK });
    entry.ownsInitialization = true;
  } catch (e) {
    // Someone else in this process (another library using the same module) initialised it: use it,
    // but leave C_Finalize to them.
    if (returnValueName(e) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      try {
        api.close();
      } catch {
        // nothing more to release
      }
      throw signerError('signer.hsm-unavailable', `C_Initialize failed for ${path}`, {
        details: { backend: 'pkcs11', function: 'C_Initialize', rv: returnValueName(e) ?? 'native', path },
        cause: e,
      });
    }
  }
  return { path, api };
}

/** Loads and initialises the library at `path` (once per process) and takes a reference to it. */
export function acquireModule(path: string): Promise<SharedModule> {
  let entry = modules.get(path);
  if (entry === undefined) {
    const state = { refs: 0, ownsInitialization: false };
    const created: ModuleEntry = Object.assign(state, { ready: initialize(path, state) });
    // A failed load must not stick: the next acquire tries again.
    created.ready.catch(() => {
      if (modules.get(path) === created) modules.delete(path);
    });
    modules.set(path, created);
    entry = created;
  }
  entry.refs++;
  return entry.ready;
}

/**
 * Drops a reference taken by acquireModule(); the last one finalises and unloads the library. The
 * returned promise settles when that is done (it never rejects).
 */
export function releaseModule(path: string): Promise<void> {
  const entry = modules.get(path);
  if (entry === undefined) return Promise.resolve();
  entry.refs--;
  if (entry.refs > 0) return Promise.resolve();
  modules.delete(path);
  const done = entry.ready.then(
    ({ api }) => {
      try {
        if (entry.ownsInitialization) api.C_Finalize();
        api.close();
      } catch {
        // Finalising at shutdown: nothing useful to do with a failure.
      }
    },
    () => undefined,
  );
  finalizing.set(path, done);
  void done.then(() => {
    if (finalizing.get(path) === done) finalizing.delete(path);
  });
  return done;
}
