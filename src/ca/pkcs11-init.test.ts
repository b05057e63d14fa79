// One full `pnc pki init --iso both` with the PKCS#11 key store on a real SoftHSM2 token (set up with
// scripts/ci/softhsm-setup.sh), through the real executable; then every certificate is checked
// (lint with its issuer, strict path validation, `openssl verify -x509_strict`). Skips with a message
// when softhsm2 or pkcs11js is missing; with PNC_REQUIRE_PKCS11=1 (CI) that fails instead.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hasOpenssl, OPENSSL_SKIP } from '../pki/ocsp/testing/test-pki.ts';
import { DEFAULT_PKCS11_MODULE_PATH } from '../signer/index.ts';
import { openDatabase } from '../storage/open-database.ts';
import { SqlCaRepository } from './repository.ts';
import { CertificateAuthorityService } from './service.ts';
import { assertConforms, FakeClock, MemoryLogger, opensslVerify } from './testing/fixtures.ts';
import { UnavailableKeyStore } from './unavailable-key-store.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/pnc.js');
const SETUP_SCRIPT = join(root, 'scripts/ci/softhsm-setup.sh');
const USER_PIN = '246810';
const SO_PIN = '13579135';

async function hasPkcs11js(): Promise<boolean> {
  const specifier = 'pkcs11js';
  try {
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}

function hasSofthsmUtil(): boolean {
  return spawnSync('softhsm2-util', ['--version'], { stdio: 'ignore' }).status === 0;
}

let skip: string | false = false;
if (!existsSync(DEFAULT_PKCS11_MODULE_PATH) || !hasSofthsmUtil()) {
  skip = 'SKIPPED: PKCS#11 tests need softhsm2 (apt-get install softhsm2)';
} else if (!(await hasPkcs11js())) {
  skip = 'SKIPPED: PKCS#11 tests need the pkcs11js package (npm install pkcs11js)';
}
if (skip !== false && process.env.PNC_REQUIRE_PKCS11 === '1') {
  const reason = skip.replace(/^SKIPPED: /, '');
  test('PKCS#11 prerequisites (PNC_REQUIRE_PKCS11=1)', () => assert.fail(reason));
}
if (skip !== false) console.log(skip);
if (!hasOpenssl()) console.log(OPENSSL_SKIP);

const work = mkdtempSync(join(tmpdir(), 'pnc-ca-p11-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('pki init --iso both on a SoftHSM2 token: every certificate conforms', { skip }, async () => {
  const output = execFileSync('bash', [SETUP_SCRIPT, join(work, 'softhsm')], {
    encoding: 'utf8',
    env: { ...process.env, PNC_SOFTHSM_SO_PIN: SO_PIN, PNC_SOFTHSM_USER_PIN: USER_PIN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const conf = /^SOFTHSM2_CONF=(.+)$/m.exec(output)?.[1];
  assert.ok(conf !== undefined, output);
  const dataDir = join(work, 'data');
  const env: Record<string, string | undefined> = {
    ...process.env,
    SOFTHSM2_CONF: conf,
    PNC_KEY_STORE: 'pkcs11',
    PNC_PKCS11_TOKEN: 'pnc-test',
    PNC_PKCS11_PIN: USER_PIN,
  };
  for (const name of [
    'PNC_KEY_PASSPHRASE',
    'PNC_CONFIG',
    'DATABASE_URL',
    'PNC_PUBLIC_URL',
    'PNC_LAUNCHER_REEXEC',
  ]) {
    delete env[name];
  }
  const run = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args, '--data-dir', dataDir], {
      cwd: root,
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });

  const init = run(['pki', 'init', '--iso', 'both', '--json']);
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stderr, /in the PKCS#11 token "pnc-test"/);
  const result = JSON.parse(init.stdout) as {
    keyStore: string;
    certificates: { id: string; iso: number; role: string; action: string; algorithm: string }[];
  };
  assert.equal(result.keyStore, 'pkcs11');
  assert.equal(result.certificates.length, 20);
  assert.ok(result.certificates.every((c) => c.action === 'created'));
  assert.equal(existsSync(join(dataDir, 'keys')), false, 'no key files: the keys live on the token');

  // Read back what was stored (no key needed for reading).
  const db = await openDatabase(
    { dataDir, databaseUrl: undefined, dbPoolMax: 1 },
    { logger: { warn: () => undefined } },
  );
  try {
    const clock = new FakeClock(new Date());
    const service = new CertificateAuthorityService({
      repository: new SqlCaRepository(db),
      keyStore: new UnavailableKeyStore('pkcs11', 'read only'),
      clock,
      random: () => new Uint8Array(16),
      publicUrl: 'http://127.0.0.1:8080',
      logger: new MemoryLogger(),
    });
    const cas = await service.listCas();
    assert.equal(cas.length, 18);
    assert.ok(cas.every((c) => c.keyBackend === 'pkcs11' && c.status === 'active'));
    for (const c of result.certificates) {
      assert.equal(c.algorithm, c.iso === 2 ? 'P-256' : 'P-521');
      const chain = await service.chain(c.id);
      assertConforms(chain, `iso15118-${c.iso}/${c.role}`, clock.now());
      if (hasOpenssl()) {
        const r = opensslVerify(chain, clock.now());
        assert.ok(r.ok, `${c.role}: ${r.output}`);
      }
    }
  } finally {
    await db.close();
  }

  // The same token again: everything exists.
  const again = run(['pki', 'init', '--iso', 'both']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /done: 0 created, 20 existing/);
});
