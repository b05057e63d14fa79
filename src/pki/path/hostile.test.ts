// Hostile input: garbage, 1 MB blobs, cyclic issuers, 100 intermediates. validatePath must return
// a clean result (never throw), within its search bounds. No timed assertions: the bounds are
// counted (candidates, signature checks), not measured.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { runParams } from '../../exi/testing/seed.ts';
import {
  MAX_INTERMEDIATES,
  MAX_SIGNATURE_CHECKS,
  type PathValidationResult,
  splitCertificates,
  validatePath,
} from './index.ts';
import { CA_KU, type Chain, type Key, makeCert, makeChain, NOW, newKey } from './testing/chain-builder.ts';

function wellFormed(r: PathValidationResult): void {
  assert.equal(typeof r.valid, 'boolean');
  if (r.valid) {
    assert.ok(r.chain.length >= 1);
    return;
  }
  assert.match(r.code, /^path\.[a-z][a-z0-9-]*$/);
  assert.equal(typeof r.reason, 'string');
  assert.ok(r.reason.length > 0);
  if (r.at !== undefined) assert.ok(Number.isInteger(r.at) && r.at >= 0);
}

function invalidWith(r: PathValidationResult, code: string): string {
  wellFormed(r);
  assert.equal(r.valid, false);
  if (r.valid) throw new Error('unreachable');
  assert.equal(r.code, code, r.reason);
  return r.reason;
}

describe('hostile input to validatePath', () => {
  let c: Chain;
  before(async () => {
    c = await makeChain('P-256');
  });

  it('garbage and 1 MB inputs are clean parse errors, whichever slot they are in', () => {
    const mb = new Uint8Array(1 << 20).fill(0x30);
    const garbage = new TextEncoder().encode('this is not a certificate');
    for (const bad of [
      mb,
      garbage,
      new Uint8Array(0),
      c.leaf.subarray(0, 100),
      Uint8Array.of(0x30, 0x80, 0, 0),
    ]) {
      invalidWith(validatePath({ target: bad, anchors: [c.root], at: NOW }), 'path.parse');
      invalidWith(
        validatePath({ target: c.leaf, intermediates: [c.sub2, bad], anchors: [c.root], at: NOW }),
        'path.parse',
      );
      invalidWith(
        validatePath({ target: c.leaf, intermediates: [c.sub2, c.sub1], anchors: [bad], at: NOW }),
        'path.parse',
      );
    }
    assert.match(invalidWith(validatePath({ target: mb, anchors: [], at: NOW }), 'path.parse'), /bound/);
  });

  it('wrong types and bad options are input errors, not exceptions', () => {
    invalidWith(validatePath({ target: 'pem text' as never, anchors: [c.root], at: NOW }), 'path.parse');
    invalidWith(validatePath({ target: c.leaf, anchors: [c.root], at: new Date(Number.NaN) }), 'path.input');
    invalidWith(validatePath({ target: c.leaf, anchors: [c.root], at: '2026-01-01' as never }), 'path.input');
    invalidWith(validatePath({ target: c.leaf, anchors: 'x' as never, at: NOW }), 'path.input');
    invalidWith(validatePath(null as never), 'path.input');
    invalidWith(validatePath({ target: c.leaf, anchors: [c.root], at: NOW, maxLength: 1e9 }), 'path.input');
    invalidWith(
      validatePath({
        target: c.leaf,
        intermediates: Array.from({ length: MAX_INTERMEDIATES + 1 }, () => c.sub2),
        anchors: [c.root],
        at: NOW,
      }),
      'path.input',
    );
  });

  it('a cycle (A issues B, B issues A) ends as "no issuer", not a loop', async () => {
    const ka = await newKey('P-256');
    const kb = await newKey('P-256');
    const a = await makeCert({
      subject: 'CN=Cycle A',
      issuer: 'CN=Cycle B',
      key: ka,
      signer: kb,
      bc: { ca: true },
      ku: CA_KU,
    });
    const b = await makeCert({
      subject: 'CN=Cycle B',
      issuer: 'CN=Cycle A',
      key: kb,
      signer: ka,
      bc: { ca: true },
      ku: CA_KU,
    });
    const leaf = await makeCert({
      subject: 'CN=Cycle leaf',
      issuer: 'CN=Cycle A',
      key: await newKey('P-256'),
      signer: ka,
      bc: { ca: false },
    });
    const r = validatePath({ target: leaf, intermediates: [a, b], anchors: [c.root], at: NOW });
    invalidWith(r, 'path.no-issuer');
    assert.ok(!r.valid && r.chain?.length === 3, 'leaf → A → B, then A again is refused');
    // A self-issued certificate that is not an anchor cannot issue itself either.
    invalidWith(
      validatePath({ target: c.leaf, intermediates: [c.sub2, c.sub1, c.root], anchors: [], at: NOW }),
      'path.no-issuer',
    );
  });

  it('100 chained intermediates: too long for the default bound and for the hard ceiling', async () => {
    const keys: Key[] = [];
    for (let i = 0; i <= 100; i++) keys.push(await newKey('P-256'));
    const name = (i: number) => `CN=Link ${i}`;
    const root = await makeCert({
      subject: name(0),
      key: keys[0] as Key,
      bc: { ca: true },
      ku: CA_KU,
      aki: null,
    });
    const links: Uint8Array[] = [];
    for (let i = 1; i <= 100; i++)
      links.push(
        await makeCert({
          subject: name(i),
          issuer: name(i - 1),
          key: keys[i] as Key,
          signer: keys[i - 1] as Key,
          bc: { ca: true },
          ku: CA_KU,
        }),
      );
    const target = links[99] as Uint8Array;
    const intermediates = links.slice(0, 99).reverse();
    invalidWith(validatePath({ target, intermediates, anchors: [root], at: NOW }), 'path.too-long');
    invalidWith(
      validatePath({ target, intermediates, anchors: [root], at: NOW, maxLength: 64 }),
      'path.too-long',
    );
    // The last 9 links with an anchor 9 steps up: within the default bound of 10.
    const short = validatePath({ target, intermediates, anchors: [links[90] as Uint8Array], at: NOW });
    assert.ok(short.valid, short.valid ? '' : short.reason);
    assert.equal(short.chain.length, 10);
  });

  it('100 same-name CAs that could all issue each other: the search budget stops it', async () => {
    const keys: Key[] = [];
    for (let i = 0; i < 100; i++) keys.push(await newKey('P-256'));
    // Every certificate is "CN=Mesh" issued by "CN=Mesh" and signed by the next key: each is a
    // name-match candidate for every other one, so the path space is huge.
    const mesh: Uint8Array[] = [];
    for (let i = 0; i < 100; i++)
      mesh.push(
        await makeCert({
          subject: 'CN=Mesh',
          key: keys[i] as Key,
          signer: keys[(i + 1) % 100] as Key,
          bc: { ca: true },
          ku: CA_KU,
          aki: null,
          ski: false,
        }),
      );
    const leaf = await makeCert({
      subject: 'CN=Mesh leaf',
      issuer: 'CN=Mesh',
      key: await newKey('P-256'),
      signer: keys[0] as Key,
      bc: { ca: false },
      aki: null,
    });
    const r = validatePath({ target: leaf, intermediates: mesh, anchors: [c.root], at: NOW });
    wellFormed(r);
    assert.equal(r.valid, false);
    if (!r.valid)
      assert.ok(['path.search-limit', 'path.too-long', 'path.no-issuer'].includes(r.code), r.code);
    assert.ok(MAX_SIGNATURE_CHECKS < 100 * 100, 'the budget is below the number of candidate pairs');
  });

  it('random bytes in any slot never throw (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 3 }),
        fc.boolean(),
        (target, others, strict) => {
          wellFormed(validatePath({ target, intermediates: others, anchors: [c.root], at: NOW, strict }));
          wellFormed(
            validatePath({ target: c.leaf, intermediates: [c.sub2, ...others], anchors: [c.root], at: NOW }),
          );
          wellFormed(
            validatePath({ target: c.leaf, intermediates: [c.sub2, c.sub1], anchors: others, at: NOW }),
          );
        },
      ),
      runParams('path.random-bytes', 300),
    );
  });

  it('one changed byte in the leaf or an intermediate never yields a valid path (property)', () => {
    const slots = [c.leaf, c.sub2, c.sub1];
    fc.assert(
      fc.property(fc.nat({ max: 2 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (slot, pos, xor) => {
        const certs = slots.map((d) => Uint8Array.from(d));
        const victim = certs[slot] as Uint8Array;
        const i = pos % victim.length;
        victim[i] = (victim[i] as number) ^ xor;
        const r = validatePath({
          target: certs[0] as Uint8Array,
          intermediates: certs.slice(1),
          anchors: [c.root],
          at: NOW,
        });
        wellFormed(r);
        assert.equal(r.valid, false, `byte ${i} of certificate ${slot} changed, still valid`);
      }),
      runParams('path.byte-flip', 300),
    );
  });
});

describe('hostile input to splitCertificates', () => {
  it('garbage, 1 MB, truncated DER, bad PEM: a reason, never an exception', () => {
    for (const bad of [
      new Uint8Array(0),
      new TextEncoder().encode('hello'),
      new Uint8Array(1 << 20),
      Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff),
      Uint8Array.of(0x30, 0x80, 0x00, 0x00),
      new TextEncoder().encode('-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n'),
      new TextEncoder().encode('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
      new Uint8Array(5 * 1024 * 1024),
    ]) {
      const r = splitCertificates(bad);
      assert.equal(r.ok, false);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const r = splitCertificates(bytes);
        assert.equal(typeof r.ok, 'boolean');
      }),
      runParams('path.bundle-random', 300),
    );
  });
});
