import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toPem } from '../pki/path/index.ts';
import { type Chain, makeChain, NOW } from '../pki/path/testing/chain-builder.ts';
import { certRecords, parseCall } from '../pki/path/testing/openssl-records.ts';
import { PROFILE_AT, profileChain } from '../pki/path/testing/profile-chain.ts';
import { SHARED_SKIP } from '../testing/shared-data.ts';
import { type PncRun, runPncInProcess } from './testing/run-pnc.ts';

function pnc(args: string[]): Promise<PncRun> {
  return runPncInProcess(args);
}

const AT = NOW.toISOString();

describe('pnc pki verify', () => {
  let dir = '';
  let c: Chain;
  const f = (name: string) => join(dir, name);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pnc-verify-'));
    c = await makeChain('P-256');
    writeFileSync(f('root.pem'), toPem(c.root));
    writeFileSync(f('chain.pem'), `some text before\n${toPem(c.leaf)}${toPem(c.sub2)}${toPem(c.sub1)}`);
    writeFileSync(f('leaf.der'), c.leaf);
    writeFileSync(f('subs.der'), Buffer.concat([c.sub1, c.sub2]));
    writeFileSync(f('root.der'), c.root);
    const noAki = await makeChain('P-256', { sub2: { aki: null } });
    writeFileSync(f('noaki-root.pem'), toPem(noAki.root));
    writeFileSync(f('noaki-chain.pem'), toPem(noAki.leaf) + toPem(noAki.sub2) + toPem(noAki.sub1));
    writeFileSync(f('garbage.bin'), 'this is not a certificate at all');
    writeFileSync(f('zeros.bin'), new Uint8Array(1 << 20));
    writeFileSync(f('big.bin'), new Uint8Array(5 * 1024 * 1024).fill(0x30));
    const secc = await profileChain('2', ['v2g-root', 'cpo-sub1', 'cpo-sub2', 'secc-leaf'], 'P-256');
    writeFileSync(f('secc-root.pem'), toPem(secc[0] as Uint8Array));
    writeFileSync(
      f('secc-chain.pem'),
      [secc[3], secc[2], secc[1]].map((d) => toPem(d as Uint8Array)).join(''),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a valid chain: "valid", the chain target first, exit 0 (PEM bundles, DER files)', async () => {
    const r = await pnc(['pki', 'verify', '--at', AT, '--anchors', f('root.pem'), f('chain.pem')]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'valid');
    assert.match(lines[1] ?? '', /^ {2}0 DC=CPO,O=PnC Test,CN=Test Leaf P-256 {2}\(target\)$/);
    assert.match(lines[4] ?? '', /^ {2}3 .*CN=Test Root P-256 {2}\(trust anchor\)$/);
    const der = await pnc([
      'pki',
      'verify',
      '--at',
      AT,
      '--anchors',
      f('root.der'),
      f('leaf.der'),
      f('subs.der'),
    ]);
    assert.equal(der.code, 0, der.stderr + der.stdout);
  });

  it('--json: machine-readable result', async () => {
    const r = await pnc(['pki', 'verify', '--json', '--at', AT, '--anchors', f('root.pem'), f('chain.pem')]);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout) as { valid: boolean; chain: { subject: string }[]; anchorIndex: number };
    assert.equal(out.valid, true);
    assert.equal(out.chain.length, 4);
    assert.equal(out.anchorIndex, 0);
    const bad = await pnc([
      'pki',
      'verify',
      '--json',
      '--at',
      '2040-01-01T00:00:00Z',
      '--anchors',
      f('root.pem'),
      f('chain.pem'),
    ]);
    assert.equal(bad.code, 1);
    const b = JSON.parse(bad.stdout) as { valid: boolean; code: string; index: number; reason: string };
    assert.equal(b.valid, false);
    assert.equal(b.code, 'path.expired');
    assert.equal(typeof b.reason, 'string');
  });

  it('an invalid chain: the reason and code, exit 1; --at takes epoch seconds too', async () => {
    const r = await pnc([
      'pki',
      'verify',
      '--at',
      '2040-01-01T00:00:00Z',
      '--anchors',
      f('root.pem'),
      f('chain.pem'),
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^invalid \[path\.expired\]: certificate \d \(/);
    const missing = await pnc([
      'pki',
      'verify',
      '--at',
      String(NOW.getTime() / 1000),
      '--anchors',
      f('root.pem'),
      f('leaf.der'),
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /path\.no-issuer/);
  });

  it('--strict mirrors openssl -x509_strict', async () => {
    const lax = await pnc([
      'pki',
      'verify',
      '--at',
      AT,
      '--anchors',
      f('noaki-root.pem'),
      f('noaki-chain.pem'),
    ]);
    assert.equal(lax.code, 0, lax.stdout);
    const strict = await pnc([
      'pki',
      'verify',
      '--strict',
      '--at',
      AT,
      '--anchors',
      f('noaki-root.pem'),
      f('noaki-chain.pem'),
    ]);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /path\.strict-missing-aki/);
  });

  it('--profile: roles per certificate; --role names the use the chain is checked for', async () => {
    const at = PROFILE_AT.toISOString();
    const r = await pnc([
      'pki',
      'verify',
      '--profile',
      '--at',
      at,
      '--anchors',
      f('secc-root.pem'),
      f('secc-chain.pem'),
    ]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /\(secc-leaf, target\)/);
    assert.match(r.stdout, /\(v2g-root, trust anchor\)/);
    const wrong = await pnc([
      'pki',
      'verify',
      '--role',
      'contract-leaf',
      '--at',
      at,
      '--anchors',
      f('secc-root.pem'),
      f('secc-chain.pem'),
    ]);
    // A V2G root may anchor contracts (C7), but this SECC certificate is no contract certificate.
    assert.equal(wrong.code, 1);
    assert.match(wrong.stdout, /^invalid \[path\.profile\]: certificate 0 .* as iso15118-2\/contract-leaf: /);
    assert.match(wrong.stdout, /error certificate 0 v2g\.subject\.dc-mismatch: /);
  });

  it('usage errors exit 2', async () => {
    const cases = [
      ['pki', 'verify', f('chain.pem')],
      ['pki', 'verify', '--anchors', f('root.pem')],
      ['pki', 'verify', '--iso', '3', '--anchors', f('root.pem'), f('chain.pem')],
      ['pki', 'verify', '--role', 'nope', '--anchors', f('root.pem'), f('chain.pem')],
      ['pki', 'verify', '--at', 'yesterday-ish', '--anchors', f('root.pem'), f('chain.pem')],
      ['pki', 'verify', '--bogus', '--anchors', f('root.pem'), f('chain.pem')],
    ];
    for (const args of cases) assert.equal((await pnc(args)).code, 2, args.join(' '));
  });

  it('garbage, 1 MB, 5 MB and missing files: a clean cli.input error, exit 1', async () => {
    for (const bad of ['garbage.bin', 'zeros.bin', 'big.bin', 'does-not-exist.pem']) {
      const asChain = await pnc(['pki', 'verify', '--anchors', f('root.pem'), f(bad)]);
      assert.equal(asChain.code, 1, bad);
      assert.match(asChain.stderr, /cli\.input/, bad);
      const asAnchor = await pnc(['pki', 'verify', '--anchors', f(bad), f('chain.pem')]);
      assert.equal(asAnchor.code, 1, bad);
      assert.match(asAnchor.stderr, /cli\.input/, bad);
    }
  });

  it('is registered and runs through bin/pnc.js', () => {
    const bin = resolve(import.meta.dirname, '../../bin/pnc.js');
    const r = spawnSync(
      process.execPath,
      [bin, 'pki', 'verify', '--at', AT, '--anchors', f('root.pem'), f('chain.pem')],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^valid\n/);
  });
});

const records = certRecords();

describe('pnc pki verify on real chains', { skip: records === undefined ? SHARED_SKIP : false }, () => {
  it('exits like the recorded openssl verify -x509_strict call (a sample of records)', async () => {
    if (records === undefined) return;
    const dir = mkdtempSync(join(tmpdir(), 'pnc-verify-real-'));
    try {
      let n = 0;
      for (const rec of records.values()) {
        const call = rec.strict;
        if (call === undefined || n++ % 5 !== 0) continue;
        const p = parseCall(call);
        const der = (id: string) => (records.get(id) as { der: Uint8Array }).der;
        writeFileSync(
          join(dir, 'target.pem'),
          toPem(der(p.target)) + p.untrusted.map((id) => toPem(der(id))).join(''),
        );
        const args = ['pki', 'verify', '--strict', '--at', String(p.at.getTime() / 1000)];
        if (p.anchor !== null) {
          writeFileSync(join(dir, 'anchor.pem'), toPem(der(p.anchor)));
          args.push('--anchors', join(dir, 'anchor.pem'));
        } else {
          // `-no-CAfile`: an unrelated anchor stands in for "no trust anchor".
          writeFileSync(join(dir, 'anchor.pem'), toPem((await makeChain('P-256')).root));
          args.push('--anchors', join(dir, 'anchor.pem'));
        }
        const r = await pnc([...args, join(dir, 'target.pem')]);
        assert.equal(r.code, call.exitCode === 0 ? 0 : 1, `${rec.id}: ${r.stdout}${r.stderr}`);
      }
      assert.ok(n > 100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
