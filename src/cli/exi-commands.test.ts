import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { exiVector, hasShared, SHARED_SKIP, sharedPath } from '../testing/shared-data.ts';

const bin = resolve(import.meta.dirname, '../../bin/pnc.js');

function pnc(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { input: input ?? '', encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('pnc exi', () => {
  test('encode and decode a fragment (Annex J AuthorizationReq) through XML', () => {
    const xml =
      '<b:AuthorizationReq xmlns:b="urn:iso:15118:2:2013:MsgBody" b:Id="ID1"><b:GenChallenge>U29tZSBSYW5kb20gRGF0YQ==</b:GenChallenge></b:AuthorizationReq>';
    const enc = pnc(['exi', 'encode', '--schema', 'iso-2', '--fragment', '--format', 'hex'], xml);
    assert.equal(enc.code, 0, enc.stderr);
    assert.equal(enc.stdout.trim(), '80040152510c40829b7b6b2902930b73237b6902230ba309e8');
    const dec = pnc(['exi', 'decode', '--schema', 'iso-2', '--fragment', '--format', 'hex'], enc.stdout);
    assert.equal(dec.code, 0, dec.stderr);
    assert.match(dec.stdout, /<v2gci_b:GenChallenge>U29tZSBSYW5kb20gRGF0YQ==<\/v2gci_b:GenChallenge>/);
  });

  test('bad input: clear message, non-zero exit, nothing on stdout', () => {
    const garbage = pnc(['exi', 'decode', '--schema', 'iso-2'], 'gJk=');
    assert.equal(garbage.code, 1);
    assert.equal(garbage.stdout, '');
    assert.match(garbage.stderr, /exi\.(truncated|undeclared|malformed|event-code)/);
    const header = pnc(['exi', 'decode', '--schema', 'iso-2', '--format', 'hex'], '8198');
    assert.match(header.stderr, /exi\.header/);
    const unknown = pnc(['exi', 'decode', '--schema', 'iso-99'], 'gA==');
    assert.equal(unknown.code, 2);
    const notXml = pnc(['exi', 'encode', '--schema', 'iso-2'], '<a');
    assert.equal(notXml.code, 1);
    assert.match(notXml.stderr, /xml\.parse/);
  });

  test('verify: exit 0 for a valid signature, 1 after tampering, with the reference named', {
    skip: hasShared('vectors', 'exi') ? false : SHARED_SKIP,
  }, () => {
    const v = exiVector('iso-2.jsonl', 'opcp-CertificateInstallationRes')!;
    const ok = pnc(['exi', 'verify', '--schema', 'iso-2'], v.exi);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /reference #ID4 \(eMAID\): ok/);
    assert.match(ok.stdout, /^signature: valid/m);
    // Change the eMAID's last character in the decoded XML and re-encode.
    const xml = pnc(['exi', 'decode', '--schema', 'iso-2'], v.exi).stdout.replace(
      'EMP99CQAPAB004<',
      'EMP99CQAPAB005<',
    );
    const tampered = pnc(['exi', 'encode', '--schema', 'iso-2'], xml);
    assert.equal(tampered.code, 0, tampered.stderr);
    const bad = pnc(['exi', 'verify', '--schema', 'iso-2'], tampered.stdout);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /reference #ID4 \(eMAID\): digest-mismatch/);
  });

  test('verify --cert with a PEM file', { skip: hasShared('vectors', 'exi') ? false : SHARED_SKIP }, () => {
    const v = exiVector('iso-2.jsonl', 'ds-i2-dc-pnc-ci-f0128')!;
    const dir = mkdtempSync(join(tmpdir(), 'pnc-verify-'));
    try {
      const pem = (v.signature!.signerCertificates ?? [])
        .map(
          (c) =>
            `-----BEGIN CERTIFICATE-----\n${c.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`,
        )
        .join('');
      writeFileSync(join(dir, 'contract.pem'), pem);
      const r = pnc(['exi', 'verify', '--schema', 'iso-2', '--cert', join(dir, 'contract.pem')], v.exi);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const none = pnc(['exi', 'verify', '--schema', 'iso-2'], v.exi);
      assert.equal(none.code, 1);
      assert.match(none.stdout, /signature: no-certificate/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('check: the shared vectors end with "N passed, 0 failed"', {
    skip: hasShared('vectors', 'exi') ? false : SHARED_SKIP,
  }, () => {
    const files = [
      'iso-2.jsonl',
      'sap.jsonl',
      'xmldsig.jsonl',
      'din.jsonl',
      'iso-20-common.jsonl',
      'iso-20-ac.jsonl',
      'iso-20-dc.jsonl',
    ].map((f) => sharedPath('vectors', 'exi', f));
    const r = pnc(['exi', 'check', ...files]);
    assert.equal(r.code, 0, r.stdout);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines.at(-1)!, /^\d+ passed, 0 failed$/);
    assert.ok(lines.includes('iso-2: 668 passed, 0 failed'));
    assert.ok(lines.includes('iso-20-dc: 79 passed, 0 failed'));
    assert.ok(lines.includes('din: 22 passed, 0 failed'));
  });

  test('check: a broken vector is one FAIL line and exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pnc-check-'));
    try {
      const file = join(dir, 'v.jsonl');
      writeFileSync(
        file,
        `${JSON.stringify({ id: 'good', schema: 'iso-2', kind: 'fragment', exi: Buffer.from('80040152510c40829b7b6b2902930b73237b6902230ba309e8', 'hex').toString('base64') })}\n` +
          `${JSON.stringify({ id: 'bad', schema: 'iso-2', kind: 'fragment', exi: 'gQ==' })}\n`,
      );
      const r = pnc(['exi', 'check', file]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^FAIL bad \(iso-2\): decode: header/m);
      assert.match(r.stdout, /1 passed, 1 failed\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
