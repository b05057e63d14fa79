// PKCS#11 backend against a real SoftHSM2 token in a temporary directory (set up with
// scripts/ci/softhsm-setup.sh). Skips with a message when softhsm2 or pkcs11js is missing; with
// PNC_REQUIRE_PKCS11=1 (set by CI) a missing prerequisite fails instead, so CI cannot pass by skipping.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hasCode, runKeyStoreContract } from '../testing/key-store-contract.ts';
import type { KeyAlgorithm } from '../types.ts';
import * as C from './constants.ts';
import { DEFAULT_PKCS11_MODULE_PATH, Pkcs11KeyStore } from './pkcs11-key-store.ts';
import type { Pkcs11Api, Pkcs11Handle } from './pkcs11-module.ts';

const TOKEN = 'pnc-test';
const USER_PIN = '246810';
const SO_PIN = '13579135';
const SETUP_SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../scripts/ci/softhsm-setup.sh');

type Pkcs11jsModule = { PKCS11: new () => Pkcs11Api & Record<string, unknown> } & Record<string, unknown>;

async function loadPkcs11js(): Promise<Pkcs11jsModule | undefined> {
  const specifier = 'pkcs11js';
  try {
    const loaded = (await import(specifier)) as { default?: Pkcs11jsModule } & Pkcs11jsModule;
    return loaded.default ?? loaded;
  } catch {
    return undefined;
  }
}

function hasSofthsmUtil(): boolean {
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const pkcs11js = await loadPkcs11js();
let skip: string | false = false;
if (!existsSync(DEFAULT_PKCS11_MODULE_PATH) || !hasSofthsmUtil()) {
  skip = 'SKIPPED: PKCS#11 tests need softhsm2 (apt-get install softhsm2)';
} else if (pkcs11js === undefined) {
  skip = 'SKIPPED: PKCS#11 tests need the pkcs11js package (npm install pkcs11js)';
}
if (skip !== false && process.env.PNC_REQUIRE_PKCS11 === '1') {
  const reason = skip.replace(/^SKIPPED: /, '');
  test('PKCS#11 prerequisites (PNC_REQUIRE_PKCS11=1)', () => assert.fail(reason));
}
if (skip !== false) console.log(skip);

let supported: KeyAlgorithm[] = [];
if (skip === false) {
  const root = await mkdtemp(join(tmpdir(), 'pnc-signer-p11-'));
  after(() => rm(root, { recursive: true, force: true }));
  const output = execFileSync('bash', [SETUP_SCRIPT, join(root, 'softhsm')], {
    encoding: 'utf8',
    env: { ...process.env, PNC_SOFTHSM_SO_PIN: SO_PIN, PNC_SOFTHSM_USER_PIN: USER_PIN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const conf = /^SOFTHSM2_CONF=(.+)$/m.exec(output)?.[1];
  assert.ok(conf !== undefined, 'softhsm-setup.sh prints SOFTHSM2_CONF=...');
  // Read by SoftHSM at C_Initialize, i.e. at the first store operation below.
  process.env.SOFTHSM2_CONF = conf;

  const probe = newStore();
  supported = await probe.supportedAlgorithms();
  await probe.close();
}

function newStore(
  overrides: Partial<{ tokenLabel: string; userPin: string; modulePath: string }> = {},
): Pkcs11KeyStore {
  return new Pkcs11KeyStore({
    tokenLabel: overrides.tokenLabel ?? TOKEN,
    userPin: overrides.userPin ?? USER_PIN,
    randomBytes: (n) => randomBytes(n),
    ...(overrides.modulePath === undefined ? {} : { modulePath: overrides.modulePath }),
  });
}

test('PKCS#11: SoftHSM 2.6 offers P-256, P-521 and Ed448', { skip }, () => {
  // Debian's softhsm2 2.6.1 is built with EdDSA (CKM_EC_EDWARDS_KEY_PAIR_GEN / CKM_EDDSA, 256..456 bits).
  assert.deepEqual(supported, ['P-256', 'P-521', 'Ed448']);
});

runKeyStoreContract({
  backend: 'pkcs11',
  algorithms: skip === false ? supported : ['P-256'],
  openStore: async () => newStore(),
  unknownId: '00'.repeat(16),
  skip,
});

/** A second, raw PKCS#11 view of the token for checks and out-of-band changes. */
async function withRawSession<T>(
  body: (api: Pkcs11Api & Record<string, unknown>, session: Pkcs11Handle, slot: Pkcs11Handle) => T,
): Promise<T> {
  const api = new (pkcs11js as Pkcs11jsModule).PKCS11();
  api.load(DEFAULT_PKCS11_MODULE_PATH);
  try {
    api.C_Initialize({ flags: C.CKF_OS_LOCKING_OK });
  } catch (e) {
    // The store under test initialised the library in this process already; leave finalising to it.
    if ((e as Error).message !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') throw e;
  }
  const slot = api
    .C_GetSlotList(true)
    .find((s) => api.C_GetTokenInfo(s).label.trim() === TOKEN) as Pkcs11Handle;
  const session = api.C_OpenSession(slot, C.CKF_RW_SESSION | C.CKF_SERIAL_SESSION);
  try {
    try {
      api.C_Login(session, C.CKU_USER, USER_PIN);
    } catch (e) {
      if ((e as Error).message !== 'CKR_USER_ALREADY_LOGGED_IN') throw e;
    }
    return await body(api, session, slot);
  } finally {
    try {
      api.C_CloseSession(session);
    } catch {
      // closed by the body
    }
  }
}

test('PKCS#11: our constants agree with pkcs11js', { skip }, () => {
  const lib = pkcs11js as Pkcs11jsModule;
  for (const [name, value] of Object.entries(C)) {
    if (name in lib) assert.equal(lib[name], value, name);
  }
  assert.equal(lib.CKM_ECDSA, C.CKM_ECDSA);
});

test('PKCS#11: generated private keys are sensitive, never extractable, token objects', {
  skip,
}, async () => {
  const store = newStore();
  try {
    const signer = await store.generate('P-256', 'protected');
    const id = Buffer.from(signer.handle.id, 'hex');
    await withRawSession((api, session) => {
      api.C_FindObjectsInit(session, [
        { type: C.CKA_CLASS, value: C.CKO_PRIVATE_KEY },
        { type: C.CKA_ID, value: id },
      ]);
      const [key] = api.C_FindObjects(session, 2);
      api.C_FindObjectsFinal(session);
      assert.ok(key !== undefined);
      const attrs = api.C_GetAttributeValue(session, key, [
        { type: C.CKA_TOKEN },
        { type: C.CKA_PRIVATE },
        { type: C.CKA_SENSITIVE },
        { type: C.CKA_EXTRACTABLE },
        { type: C.CKA_NEVER_EXTRACTABLE },
        { type: C.CKA_DERIVE },
        { type: C.CKA_LABEL },
      ]);
      const flag = (i: number): number => (attrs[i] as { value: Buffer }).value[0] as number;
      assert.deepEqual([flag(0), flag(1), flag(2), flag(3), flag(4), flag(5)], [1, 1, 1, 0, 1, 0]);
      assert.equal((attrs[6] as { value: Buffer }).value.toString('utf8'), 'protected');
      assert.throws(
        () => api.C_GetAttributeValue(session, key, [{ type: 0x11 /* CKA_VALUE */ }]),
        /CKR_ATTRIBUTE_SENSITIVE/,
      );
    });
    await store.destroy(signer.handle.id);
  } finally {
    await store.close();
  }
});

test('PKCS#11: keys made by other tools are listed and usable; other key types are ignored', {
  skip,
}, async () => {
  const store = newStore();
  try {
    await withRawSession(async (api, session) => {
      const id = Buffer.from([0x01]);
      const template = (cls: number) => [
        { type: C.CKA_CLASS, value: cls },
        { type: C.CKA_KEY_TYPE, value: C.CKK_EC },
        { type: C.CKA_TOKEN, value: true },
        { type: C.CKA_ID, value: id },
      ];
      await api.C_GenerateKeyPairAsync(
        session,
        { mechanism: C.CKM_EC_KEY_PAIR_GEN },
        [
          ...template(C.CKO_PUBLIC_KEY),
          { type: C.CKA_VERIFY, value: true },
          { type: C.CKA_EC_PARAMS, value: Buffer.from('06052b81040023', 'hex') },
        ],
        [
          ...template(C.CKO_PRIVATE_KEY),
          { type: C.CKA_SIGN, value: true },
          { type: C.CKA_PRIVATE, value: true },
          { type: C.CKA_SENSITIVE, value: true },
        ],
      );
      // An RSA key (CKM_RSA_PKCS_KEY_PAIR_GEN) and a P-384 key: not ours to list.
      const rsaId = Buffer.from([0x02]);
      await api.C_GenerateKeyPairAsync(
        session,
        { mechanism: 0x0 },
        [
          { type: C.CKA_CLASS, value: C.CKO_PUBLIC_KEY },
          { type: C.CKA_TOKEN, value: true },
          { type: C.CKA_ID, value: rsaId },
          { type: 0x121 /* CKA_MODULUS_BITS */, value: 1024 },
          { type: 0x122 /* CKA_PUBLIC_EXPONENT */, value: Buffer.from([1, 0, 1]) },
        ],
        [
          { type: C.CKA_CLASS, value: C.CKO_PRIVATE_KEY },
          { type: C.CKA_TOKEN, value: true },
          { type: C.CKA_ID, value: rsaId },
          { type: C.CKA_SIGN, value: true },
        ],
      );
      await api.C_GenerateKeyPairAsync(
        session,
        { mechanism: C.CKM_EC_KEY_PAIR_GEN },
        [
          { type: C.CKA_CLASS, value: C.CKO_PUBLIC_KEY },
          { type: C.CKA_TOKEN, value: true },
          { type: C.CKA_ID, value: Buffer.from([0x03]) },
          { type: C.CKA_EC_PARAMS, value: Buffer.from('06052b81040022', 'hex') },
        ],
        [
          { type: C.CKA_CLASS, value: C.CKO_PRIVATE_KEY },
          { type: C.CKA_TOKEN, value: true },
          { type: C.CKA_ID, value: Buffer.from([0x03]) },
          { type: C.CKA_SIGN, value: true },
        ],
      );
    });
    const listed = await store.list();
    assert.deepEqual(
      listed.filter((h) => h.id.length === 2),
      [{ id: '01', algorithm: 'P-521', backend: 'pkcs11' }],
    );
    const signer = await store.open('01');
    assert.equal(signer.handle.algorithm, 'P-521');
    await signer.sign(new Uint8Array([1, 2, 3])); // verified inside against the token's public key
    await assert.rejects(store.open('02'), hasCode('signer.algorithm-unsupported'));
    await assert.rejects(store.open('03'), hasCode('signer.algorithm-unsupported'));
    for (const id of ['01', '02', '03']) await store.destroy(id).catch(() => undefined);
    await withRawSession((api, session) => {
      for (const id of [[0x02], [0x03]]) {
        api.C_FindObjectsInit(session, [{ type: C.CKA_ID, value: Buffer.from(id) }]);
        const objects = api.C_FindObjects(session, 10);
        api.C_FindObjectsFinal(session);
        for (const o of objects) api.C_DestroyObject(session, o);
      }
    });
  } finally {
    await store.close();
  }
});

test('PKCS#11: a lost session is reopened and the call retried', { skip }, async () => {
  const store = newStore();
  try {
    const signer = await store.generate('P-256', 'session loss');
    await signer.sign(new Uint8Array([1]));
    // C_CloseAllSessions closes every session of this process on the token, including the store's.
    await withRawSession((api, _session, slot) => {
      (api.C_CloseAllSessions as (slot: Pkcs11Handle) => void).call(api, slot);
    });
    await signer.sign(new Uint8Array([2]));
    assert.ok((await store.list()).some((h) => h.id === signer.handle.id));
    await store.destroy(signer.handle.id);
  } finally {
    await store.close();
  }
});

test('PKCS#11: wrong PIN, unknown token and missing library give clear errors', { skip }, async () => {
  // Run with no other store open: login state is shared by all sessions of a process (PKCS#11 §5.6).
  const wrongPin = newStore({ userPin: '000000' });
  await assert.rejects(
    wrongPin.list(),
    (e) => hasCode('signer.hsm-login')(e) && !String((e as Error).message).includes('000000'),
  );
  await wrongPin.close();

  const noToken = newStore({ tokenLabel: 'no-such-token' });
  await assert.rejects(noToken.list(), hasCode('signer.hsm-unavailable'));
  await noToken.close();

  const noLibrary = newStore({ modulePath: '/nonexistent/libpkcs11.so' });
  await assert.rejects(noLibrary.list(), hasCode('signer.hsm-unavailable'));
  await noLibrary.close();

  // After those failures a correct store still works.
  const good = newStore();
  assert.ok(Array.isArray(await good.list()));
  await good.close();
});

test('PKCS#11: constructor checks its configuration', () => {
  const random = (n: number) => randomBytes(n);
  assert.throws(
    () => new Pkcs11KeyStore({ tokenLabel: '', userPin: '1', randomBytes: random }),
    hasCode('signer.invalid-argument'),
  );
  assert.throws(
    () => new Pkcs11KeyStore({ tokenLabel: 'x'.repeat(33), userPin: '1', randomBytes: random }),
    hasCode('signer.invalid-argument'),
  );
  assert.throws(
    () => new Pkcs11KeyStore({ tokenLabel: 't', userPin: '', randomBytes: random }),
    hasCode('signer.invalid-argument'),
  );
  assert.throws(
    () => new Pkcs11KeyStore({ tokenLabel: 't', userPin: '1', randomBytes: undefined as never }),
    hasCode('signer.invalid-argument'),
  );
  assert.equal(
    new Pkcs11KeyStore({ tokenLabel: 't', userPin: '1', randomBytes: random }).modulePath,
    DEFAULT_PKCS11_MODULE_PATH,
  );
});
