// `pnc root add|list|delete|ctl` end to end: the real executable on a temporary data directory
// (embedded database, software key store), after `pnc pki init` published the demo V2G root.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { toPem } from '../pki/path/index.ts';
import { hasSpecExamples, makeRoot, specExamples } from '../rcp/testing/roots.ts';
import { spawnPnc } from './testing/run-pnc.ts';

const work = mkdtempSync(join(tmpdir(), 'pnc-cli-root-'));
after(() => rmSync(work, { recursive: true, force: true }));

function pnc(args: readonly string[]) {
  return spawnPnc(args, { env: { PNC_KEY_PASSPHRASE: 'a long enough test passphrase' }, timeoutMs: 120_000 });
}

interface RootJson {
  rootCertificateId: string;
  rootType: string;
  iso: number;
  fingerprint: string;
  deletedAt: string | null;
  lenient: boolean;
}

test('pnc root: add, list, delete and a CTL that verifies (and fails when tampered with)', async () => {
  const dataDir = join(work, 'data');
  const init = pnc(['pki', 'init', '--iso', '2', '--data-dir', dataDir, '--json']);
  assert.equal(init.code, 0, init.stderr);
  const initJson = JSON.parse(init.stdout) as {
    rootPool: { roots: { action: string; id: string }[]; ctlSigner: { fingerprintSha256: string } };
  };
  assert.deepEqual(
    initJson.rootPool.roots.map((r) => r.action),
    ['added'],
  );

  const list = pnc(['root', 'list', '--json', '--data-dir', dataDir]);
  assert.equal(list.code, 0, list.stderr);
  const listed = JSON.parse(list.stdout) as RootJson[];
  assert.deepEqual(
    listed.map((r) => [r.rootType, r.iso, r.rootCertificateId]),
    [['V2G', 2, initJson.rootPool.roots[0]?.id]],
  );

  // Add an MO root (PEM file), refuse it twice, refuse a wrong type and a missing --type.
  const moFile = join(work, 'mo-root.pem');
  writeFileSync(moFile, toPem(await makeRoot('MO')));
  const added = pnc(['root', 'add', moFile, '--type', 'emsp', '--json', '--data-dir', dataDir]);
  assert.equal(added.code, 0, added.stderr);
  const mo = JSON.parse(added.stdout) as RootJson;
  assert.equal(mo.rootType, 'MO');
  const twice = pnc(['root', 'add', moFile, '--type', 'MO', '--data-dir', dataDir]);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /\[rcp\.duplicate\]/);
  assert.match(
    pnc(['root', 'add', moFile, '--type', 'CPO', '--data-dir', dataDir]).stderr,
    /\[rcp\.invalid-root-type\]/,
  );
  assert.equal(pnc(['root', 'add', moFile, '--data-dir', dataDir]).code, 2);
  assert.equal(pnc(['root', 'add', '--type', 'MO', '--data-dir', dataDir]).code, 2);

  if (hasSpecExamples()) {
    // The production OEM root of the OPCP example: refused strictly, accepted with --lenient.
    const oemFile = join(work, 'oem-root.der');
    writeFileSync(oemFile, Buffer.from(specExamples().opcpPutOem.caCertificate, 'base64'));
    const strict = pnc(['root', 'add', oemFile, '--type', 'OEM', '--data-dir', dataDir]);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /\[rcp\.lint-failed\]/);
    const lenient = pnc(['root', 'add', oemFile, '--type', 'OEM', '--lenient', '--data-dir', dataDir]);
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.match(lenient.stderr, /^error v2g\.subject\.dc-mismatch: /m);
    assert.match(lenient.stdout, /^added [0-9a-f-]{36} {2}OEM /);
  }

  // The CTL: signed with the CTL signer key, verified against this data directory's pool and signer.
  const ctlFile = join(work, 'ctl.json');
  const ctl = pnc(['root', 'ctl', '--out', ctlFile, '--data-dir', dataDir]);
  assert.equal(ctl.code, 0, ctl.stderr);
  const verified = pnc(['root', 'ctl', '--verify', ctlFile, '--json', '--data-dir', dataDir]);
  assert.equal(verified.code, 0, verified.stderr);
  const result = JSON.parse(verified.stdout) as {
    signerFingerprint: string;
    payload: { sequenceNumber: number; roots: { fingerprintSha256: string }[] };
  };
  assert.equal(result.signerFingerprint, initJson.rootPool.ctlSigner.fingerprintSha256);
  assert.ok(result.payload.roots.some((r) => r.fingerprintSha256 === mo.fingerprint));
  // Explicit anchors and pin work too; a wrong pin and a tampered file do not.
  const anchorFile = join(work, 'v2g-root.pem');
  const cas = pnc(['pki', 'list', '--json', '--data-dir', dataDir]);
  const v2gRootCa = (JSON.parse(cas.stdout) as { cas: { id: string; role: string }[] }).cas.find(
    (c) => c.role === 'v2g-root',
  );
  writeFileSync(anchorFile, pnc(['pki', 'export', v2gRootCa?.id ?? '', '--data-dir', dataDir]).stdout);
  const pinned = pnc([
    'root',
    'ctl',
    '--verify',
    ctlFile,
    '--anchor',
    anchorFile,
    '--signer-fingerprint',
    result.signerFingerprint,
    '--min-sequence',
    String(result.payload.sequenceNumber),
    '--data-dir',
    dataDir,
  ]);
  assert.equal(pinned.code, 0, pinned.stderr);
  assert.match(pinned.stdout, /^valid CTL: sequence \d+, .* signed ES256 by [0-9a-f]{64}\n/);
  const wrongPin = pnc([
    'root',
    'ctl',
    '--verify',
    ctlFile,
    '--signer-fingerprint',
    'ab'.repeat(32),
    '--data-dir',
    dataDir,
  ]);
  assert.equal(wrongPin.code, 1);
  assert.match(wrongPin.stderr, /\[rcp\.ctl-invalid\].*not a pinned CTL signer/);
  const doc = JSON.parse(readFileSync(ctlFile, 'utf8')) as { CTL: { payload: string } };
  const payload = JSON.parse(Buffer.from(doc.CTL.payload, 'base64url').toString('utf8')) as {
    roots: unknown[];
  };
  doc.CTL.payload = Buffer.from(JSON.stringify({ ...payload, roots: payload.roots.slice(1) })).toString(
    'base64url',
  );
  const tamperedFile = join(work, 'ctl-tampered.json');
  writeFileSync(tamperedFile, JSON.stringify(doc));
  const tampered = pnc(['root', 'ctl', '--verify', tamperedFile, '--data-dir', dataDir]);
  assert.equal(tampered.code, 1);
  assert.match(tampered.stderr, /\[rcp\.ctl-invalid\].*signature does not verify/);
  assert.equal(pnc(['root', 'ctl', '--anchor', anchorFile, '--data-dir', dataDir]).code, 2);

  // Delete: gone from the list, kept with --all; a second delete is not found.
  const deleted = pnc(['root', 'delete', mo.rootCertificateId, '--data-dir', dataDir]);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.match(deleted.stdout, new RegExp(`^deleted ${mo.rootCertificateId} `));
  const again = pnc(['root', 'delete', mo.rootCertificateId, '--data-dir', dataDir]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /\[rcp\.not-found\]/);
  assert.match(pnc(['root', 'delete', 'nope', '--data-dir', dataDir]).stderr, /\[rcp\.invalid-id\]/);
  const active = JSON.parse(
    pnc(['root', 'list', '--json', '--type', 'MO', '--data-dir', dataDir]).stdout,
  ) as RootJson[];
  assert.deepEqual(active, []);
  const all = JSON.parse(
    pnc(['root', 'list', '--json', '--all', '--type', 'mo', '--data-dir', dataDir]).stdout,
  ) as RootJson[];
  assert.equal(all[0]?.rootCertificateId, mo.rootCertificateId);
  assert.ok(all[0]?.deletedAt);
  assert.match(pnc(['root', 'list', '--data-dir', dataDir]).stdout, /V2G {2}ISO15118-2 {3}until/);
});
