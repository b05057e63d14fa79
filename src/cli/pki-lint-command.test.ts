import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { hasShared, SHARED_SKIP, sharedPath } from '../testing/shared-data.ts';

const bin = resolve(import.meta.dirname, '../../bin/pnc.js');
const pnc = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('pnc pki lint: a real certificate (PEM) is detected and linted; garbage is refused', {
  skip: hasShared('vectors', 'pki') ? false : SHARED_SKIP,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pnc-lint-'));
  try {
    const record = JSON.parse(
      readFileSync(sharedPath('vectors', 'pki', 'certs-mo.jsonl'), 'utf8')
        .split('\n')
        .find((l) => l.includes('"contract-leaf"'))!,
    ) as { der: string };
    const pem = `-----BEGIN CERTIFICATE-----\n${record.der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    writeFileSync(join(dir, 'c.pem'), pem);
    const r = pnc(['pki', 'lint', join(dir, 'c.pem'), '--json']);
    const out = JSON.parse(r.stdout) as { ok: boolean; profile: string; violations: { code: string }[] };
    assert.match(out.profile, /contract-leaf$/);
    assert.equal(r.status, out.ok ? 0 : 1);
    writeFileSync(join(dir, 'garbage.der'), Buffer.from('not a certificate'));
    const g = pnc(['pki', 'lint', join(dir, 'garbage.der')]);
    assert.equal(g.status, 1);
    assert.match(g.stderr, /cli\.input.*no certificate/);
    // A DER SEQUENCE that is not a certificate reaches the linter: one x509.parse violation.
    writeFileSync(join(dir, 'seq.der'), Buffer.from('300301010a', 'hex'));
    const s = pnc(['pki', 'lint', join(dir, 'seq.der')]);
    assert.equal(s.status, 1);
    assert.match(s.stdout, /x509\.parse/);
    const u = pnc(['pki', 'lint', join(dir, 'c.pem'), '--role', 'nope']);
    assert.equal(u.status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
