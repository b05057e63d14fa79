import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as signer from './index.ts';
import { hasCode } from './testing/key-store-contract.ts';

test('importing the signer module loads neither pkcs11js nor a PKCS#11 library', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const script = `
    import { createRequire } from 'node:module';
    import { readFileSync } from 'node:fs';
    await import(${JSON.stringify(join(here, 'index.ts'))});
    const require = createRequire(import.meta.url);
    const loaded = Object.keys(require.cache).filter((k) => k.includes('pkcs11js'));
    const maps = readFileSync('/proc/self/maps', 'utf8');
    console.log(JSON.stringify({ loaded, softhsm: maps.includes('softhsm'), pkcs11node: maps.includes('pkcs11.node') }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { loaded: [], softhsm: false, pkcs11node: false });
});

test('createKeyStore builds the configured backend and validates the configuration', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pnc-signer-registry-'));
  try {
    const deps = { randomBytes: (n: number) => randomBytes(n) };
    const software = signer.createKeyStore(
      { type: 'software', directory: join(dir, 'keys'), passphrase: 'a long enough passphrase' },
      deps,
    );
    assert.ok(software instanceof signer.SoftwareKeyStore);
    assert.equal(software.backend, 'software');
    const key = await software.generate('P-256', 'registry');
    assert.deepEqual(await software.list(), [key.handle]);
    await software.close();

    const pkcs11 = signer.createKeyStore({ type: 'pkcs11', tokenLabel: 'pnc-test', userPin: '1234' }, deps);
    assert.ok(pkcs11 instanceof signer.Pkcs11KeyStore);
    assert.equal(pkcs11.backend, 'pkcs11');
    await pkcs11.close(); // never opened: nothing loaded, nothing to release

    assert.throws(
      () => signer.createKeyStore({ type: 'kms' } as never, deps),
      hasCode('signer.invalid-argument'),
    );
    assert.throws(
      () => signer.createKeyStore({ type: 'software', directory: dir, passphrase: 'short' }, deps),
      hasCode('signer.invalid-argument'),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('every signer error code has a kind and a description', () => {
  for (const [code, entry] of Object.entries(signer.SIGNER_ERROR_CATALOGUE)) {
    assert.match(code, /^signer\.[a-z0-9-]+$/);
    assert.ok(entry.description.length > 20, code);
  }
});
