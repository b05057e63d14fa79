// `pnc pki create-root|create-subca|import` end to end: the real executable on a temporary data
// directory (embedded database, software key store). A custom MO hierarchy is created, exported and
// imported into a second data directory; every certificate passes its lint and `openssl verify
// -x509_strict`; bad options change nothing.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assertConforms, opensslVerify } from '../ca/testing/fixtures.ts';
import { hasOpenssl, OPENSSL_SKIP } from '../pki/ocsp/testing/test-pki.ts';
import { splitCertificates } from '../pki/path/index.ts';
import { spawnPnc } from './testing/run-pnc.ts';

const work = mkdtempSync(join(tmpdir(), 'pnc-cli-hierarchy-'));
after(() => rmSync(work, { recursive: true, force: true }));
if (!hasOpenssl()) console.log(OPENSSL_SKIP);

function pnc(args: readonly string[]) {
  return spawnPnc(args, { env: { PNC_KEY_PASSPHRASE: 'hierarchy test passphrase' } });
}

interface CaJson {
  id: string;
  role: string;
  parentId: string | null;
  external: boolean;
  hasKey: boolean;
  keyAlgorithm: string;
  subject: string;
}

test('create a root and two sub-CAs, export the chain, import it elsewhere', () => {
  const dataDir = join(work, 'a');
  const rootRun = pnc([
    'pki',
    'create-root',
    '--kind',
    'mo',
    '--iso',
    '2',
    '--cn',
    'Test MO Root',
    '--organization',
    'Test MO',
    '--country',
    'DE',
    '--json',
    '--data-dir',
    dataDir,
  ]);
  assert.equal(rootRun.code, 0, rootRun.stderr);
  const moRoot = JSON.parse(rootRun.stdout) as CaJson;
  assert.equal(moRoot.role, 'mo-root');
  assert.equal(moRoot.keyAlgorithm, 'P-256');
  assert.match(moRoot.subject, /CN=Test MO Root/);

  const sub1Run = pnc([
    'pki',
    'create-subca',
    '--parent',
    moRoot.id,
    '--domain',
    'mo',
    '--level',
    '1',
    '--json',
    '--data-dir',
    dataDir,
  ]);
  assert.equal(sub1Run.code, 0, sub1Run.stderr);
  const sub1 = JSON.parse(sub1Run.stdout) as CaJson;
  assert.equal(sub1.role, 'mo-sub1');
  assert.equal(sub1.parentId, moRoot.id);
  const sub2Run = pnc([
    'pki',
    'create-subca',
    '--parent',
    sub1.id,
    '--domain',
    'mo',
    '--level',
    '2',
    '--json',
    '--data-dir',
    dataDir,
  ]);
  assert.equal(sub2Run.code, 0, sub2Run.stderr);
  const sub2 = JSON.parse(sub2Run.stdout) as CaJson;
  assert.equal(sub2.role, 'mo-sub2');

  const exported = pnc(['pki', 'export', sub2.id, '--chain', '--data-dir', dataDir]);
  assert.equal(exported.code, 0, exported.stderr);
  const split = splitCertificates(new TextEncoder().encode(exported.stdout));
  assert.ok(split.ok);
  assert.equal(split.certificates.length, 3);
  const now = new Date();
  assertConforms(split.certificates, 'iso15118-2/mo-sub2', now);
  assertConforms(split.certificates.slice(1), 'iso15118-2/mo-sub1', now);
  if (hasOpenssl()) {
    const verified = opensslVerify(split.certificates, new Date());
    assert.ok(verified.ok, verified.output);
  }

  const chainFile = join(work, 'mo-chain.pem');
  writeFileSync(chainFile, exported.stdout);
  const imported = pnc(['pki', 'import', chainFile, '--json', '--data-dir', join(work, 'b')]);
  assert.equal(imported.code, 0, imported.stderr);
  const cas = JSON.parse(imported.stdout) as CaJson[];
  assert.deepEqual(cas.map((c) => c.role).sort(), ['mo-root', 'mo-sub1', 'mo-sub2']);
  assert.ok(cas.every((c) => c.external && !c.hasKey));
  // Importing the same chain again is idempotent: the registered CAs are found, nothing is added.
  const again = pnc(['pki', 'import', chainFile, '--json', '--data-dir', join(work, 'b')]);
  assert.equal(again.code, 0, again.stderr);
  const list = pnc(['pki', 'list', '--json', '--data-dir', join(work, 'b')]);
  assert.equal((JSON.parse(list.stdout) as { cas: unknown[] }).cas.length, 3);
});

test('bad options are usage errors and create nothing', () => {
  const dataDir = join(work, 'c');
  const cases: { args: string[]; message: RegExp }[] = [
    { args: ['pki', 'create-root', '--kind', 'cpo', '--iso', '2'], message: /--kind must be one of/ },
    { args: ['pki', 'create-root', '--kind', 'v2g', '--iso', '15'], message: /--iso must be 2 or 20/ },
    {
      args: ['pki', 'create-root', '--kind', 'v2g', '--iso', '2', '--algorithm', 'RSA'],
      message: /--algorithm/,
    },
    { args: ['pki', 'create-root', '--kind', 'v2g', '--iso', '2', '--days', '-3'], message: /--days/ },
    { args: ['pki', 'create-subca', '--domain', 'mo', '--level', '1'], message: /--parent is required/ },
    {
      args: ['pki', 'create-subca', '--parent', 'ca-x', '--domain', 'xx', '--level', '1'],
      message: /--domain/,
    },
    {
      args: ['pki', 'create-subca', '--parent', 'ca-x', '--domain', 'mo', '--level', '3'],
      message: /--level/,
    },
  ];
  for (const { args, message } of cases) {
    const run = pnc([...args, '--data-dir', dataDir]);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
  // A PE root does not exist in ISO 15118-2; an unknown parent is not found: exit 1, nothing stored.
  const pe = pnc(['pki', 'create-root', '--kind', 'pe', '--iso', '2', '--data-dir', dataDir]);
  assert.equal(pe.code, 1, pe.stderr);
  assert.match(pe.stderr, /no PE root profile/);
  const orphan = pnc([
    'pki',
    'create-subca',
    '--parent',
    'ca-unknown',
    '--domain',
    'mo',
    '--level',
    '1',
    '--data-dir',
    dataDir,
  ]);
  assert.equal(orphan.code, 1, orphan.stderr);
  const list = pnc(['pki', 'list', '--json', '--data-dir', dataDir]);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as { cas: unknown[] }).cas, []);
  const notCertificates = join(work, 'garbage.pem');
  writeFileSync(notCertificates, 'not a certificate');
  const garbage = pnc(['pki', 'import', notCertificates, '--data-dir', dataDir]);
  assert.notEqual(garbage.code, 0);
});
