// lintCertificate and detectProfile must never throw, whatever the bytes (brief: garbage,
// truncated, 1 MB); the size bound is checked before decoding.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runParams } from '../../exi/testing/seed.ts';
import { getProfile, getProfileById, PROFILES } from '../profiles/index.ts';
import { detectProfile, type LintResult, lintCertificate, MAX_INPUT_BYTES } from './index.ts';
import { buildCertificate, conformingSpec, generateTestKey, TEST_NOW } from './testing/cert-builder.ts';
import { certVectors } from './testing/vectors.ts';

const CONTRACT = getProfileById('iso15118-2/contract-leaf');
if (CONTRACT === undefined) throw new Error('profile missing');
const AT = new Date(TEST_NOW.getTime() + 86_400_000);

function wellFormed(r: LintResult): void {
  assert.equal(typeof r.ok, 'boolean');
  assert.ok(Array.isArray(r.violations));
  for (const v of r.violations) {
    assert.equal(typeof v.code, 'string');
    assert.ok(v.severity === 'error' || v.severity === 'warning');
    assert.notEqual(v.code, 'lint.internal-error', v.message);
  }
  assert.equal(r.ok, !r.violations.some((v) => v.severity === 'error'));
}

function onlyParse(r: LintResult): string {
  assert.deepEqual(
    r.violations.map((v) => v.code),
    ['x509.parse'],
  );
  assert.equal(r.ok, false);
  return (r.violations[0] as { message: string }).message;
}

async function sampleCertificates(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const id of ['iso15118-2/contract-leaf', 'iso15118-20/secc-leaf']) {
    const p = getProfileById(id);
    if (p === undefined) continue;
    for (const alg of p.keyAlgorithms) {
      const k = await generateTestKey(alg as 'P-256');
      out.push(await buildCertificate(conformingSpec(p, k, k).spec));
    }
  }
  return out;
}

describe('hostile input', () => {
  it('rejects 1 MB before decoding it', () => {
    for (const big of [
      new Uint8Array(1 << 20),
      new Uint8Array(1 << 20).fill(0x30),
      new Uint8Array(MAX_INPUT_BYTES + 1),
    ]) {
      // The message names the bound: the input was refused before any decoding.
      const message = onlyParse(lintCertificate(big, CONTRACT));
      assert.match(message, /bound/);
      assert.equal(detectProfile(big).ok, false);
    }
  });

  it('rejects non-bytes, empty input and garbage', () => {
    for (const bad of [undefined, null, 'MIIB', 42, {}, new ArrayBuffer(10), [0x30, 0x00]]) {
      onlyParse(lintCertificate(bad as unknown as Uint8Array, CONTRACT));
      assert.equal(detectProfile(bad as unknown as Uint8Array).ok, false);
    }
    for (const bytes of [
      new Uint8Array(0),
      Uint8Array.of(0x30),
      Uint8Array.of(0x30, 0x00),
      Uint8Array.of(0x02, 0x01, 0x01),
      Uint8Array.of(0xff, 0xff, 0xff),
    ]) {
      onlyParse(lintCertificate(bytes, CONTRACT));
    }
  });

  it('rejects deep nesting, indefinite lengths, huge declared lengths', () => {
    const deep = new Uint8Array(60_000);
    for (let i = 0; i < deep.length; i += 2) deep.set([0x30, 0x80], i);
    onlyParse(lintCertificate(deep, CONTRACT));
    const nested: number[] = [];
    for (let i = 0; i < 200; i++) nested.unshift(0x30, 0x81, 2 * i);
    onlyParse(lintCertificate(Uint8Array.from(nested.slice(0, 3 * 50)), CONTRACT));
    onlyParse(lintCertificate(Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00), CONTRACT));
    onlyParse(lintCertificate(Uint8Array.of(0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9), CONTRACT));
  });

  it('rejects every truncation and trailing bytes of real certificates', async () => {
    const certs = [...(certVectors() ?? []).slice(0, 20).map((v) => v.der), ...(await sampleCertificates())];
    for (const der of certs) {
      for (let n = 0; n < der.length; n++) onlyParse(lintCertificate(der.subarray(0, n), CONTRACT));
      onlyParse(lintCertificate(Uint8Array.from([...der, 0x00]), CONTRACT));
    }
  });

  it('never throws on random bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        wellFormed(lintCertificate(bytes, CONTRACT, { at: AT }));
        detectProfile(bytes);
      }),
      runParams('lint.random-bytes', 500),
    );
  });

  it('never throws on random DER-ish bytes starting with a SEQUENCE header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 1800 }), (body) => {
        const n = body.length;
        const header = n < 128 ? [0x30, n] : n < 256 ? [0x30, 0x81, n] : [0x30, 0x82, n >> 8, n & 0xff];
        const bytes = Uint8Array.from([...header, ...body]);
        wellFormed(lintCertificate(bytes, CONTRACT, { at: AT }));
        detectProfile(bytes);
      }),
      runParams('lint.random-sequence', 500),
    );
  });

  it('never throws on real certificates with bytes changed, against every profile (fast-check)', async () => {
    const certs = [...(certVectors() ?? []).map((v) => v.der), ...(await sampleCertificates())];
    fc.assert(
      fc.property(
        fc.nat(certs.length - 1),
        fc.array(fc.tuple(fc.nat(4000), fc.nat(255)), { minLength: 1, maxLength: 4 }),
        fc.nat(PROFILES.length - 1),
        (ci, edits, pi) => {
          const der = Uint8Array.from(certs[ci] as Uint8Array);
          for (const [pos, value] of edits) der[pos % der.length] = value;
          const profile = PROFILES[pi] ?? CONTRACT;
          wellFormed(
            lintCertificate(der, profile, { at: AT, issuer: certs[(ci + 1) % certs.length] as Uint8Array }),
          );
          const d = detectProfile(der);
          if (d.ok) assert.equal(getProfile(d.iso, d.role), d.profile);
        },
      ),
      runParams('lint.byte-flips', 1500),
    );
  });
});
