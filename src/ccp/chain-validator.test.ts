// The cached provisioning-chain validator gives validatePath's verdict in every case: broken chains
// (wrong signer, unknown critical extension on the leaf, a sub-CA that is no CA, pathLen exceeded,
// missing intermediate, untrusted root), and validity moving with the clock after a verdict was cached
// (property over call sequences and times).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { validatePath } from '../pki/path/index.ts';
import { CA_KU, type Key, makeCert, NOW, newKey } from '../pki/path/testing/chain-builder.ts';
import { ProvisioningChainValidator } from './chain-validator.ts';

const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);
const anchor = (der: Uint8Array) => ({
  der,
  fingerprintSha256: createHash('sha256').update(der).digest('hex'),
});

interface Case {
  readonly name: string;
  readonly leaf: Uint8Array;
  readonly intermediates: Uint8Array[];
  readonly anchors: Uint8Array[];
}

let cases: Case[] = [];

before(async () => {
  const [rootKey, sub1Key, sub2Key, leafKey, otherKey] = (await Promise.all(
    ['P-256', 'P-256', 'P-256', 'P-256', 'P-256'].map((a) => newKey(a as 'P-256')),
  )) as [Key, Key, Key, Key, Key];
  const root = await makeCert({
    subject: 'CN=Root',
    key: rootKey,
    bc: { ca: true },
    ku: CA_KU,
    notAfter: at(400),
  });
  const sub1 = await makeCert({
    subject: 'CN=Sub1',
    issuer: 'CN=Root',
    key: sub1Key,
    signer: rootKey,
    bc: { ca: true, pathLen: 1 },
    ku: CA_KU,
    notAfter: at(300),
  });
  const sub2 = await makeCert({
    subject: 'CN=Sub2',
    issuer: 'CN=Sub1',
    key: sub2Key,
    signer: sub1Key,
    bc: { ca: true, pathLen: 0 },
    ku: CA_KU,
    notAfter: at(200),
  });
  const leafOf = (o: Partial<Parameters<typeof makeCert>[0]> = {}) =>
    makeCert({
      subject: 'CN=WP0ABCDEFGHIJKLMN',
      issuer: 'CN=Sub2',
      key: leafKey,
      signer: sub2Key,
      bc: { ca: false },
      ku: ['digitalSignature'],
      notAfter: at(100),
      ...o,
    });
  const sub2NotCa = await makeCert({
    subject: 'CN=Sub2',
    issuer: 'CN=Sub1',
    key: sub2Key,
    signer: sub1Key,
    ku: ['digitalSignature'],
    notAfter: at(200),
  });
  const sub3 = await makeCert({
    subject: 'CN=Sub3',
    issuer: 'CN=Sub2',
    key: otherKey,
    signer: sub2Key,
    bc: { ca: true },
    ku: CA_KU,
  });
  const leafUnderSub3 = await makeCert({
    subject: 'CN=WP0ABCDEFGHIJKLMN',
    issuer: 'CN=Sub3',
    key: leafKey,
    signer: otherKey,
    notAfter: at(100),
  });
  const otherRoot = await makeCert({ subject: 'CN=Root', key: otherKey, bc: { ca: true }, ku: CA_KU });
  const good = await leafOf();
  cases = [
    { name: 'valid', leaf: good, intermediates: [sub2, sub1], anchors: [root] },
    {
      name: 'valid, intermediates in any order with noise',
      leaf: good,
      intermediates: [sub1, otherRoot, sub2],
      anchors: [root],
    },
    {
      name: 'another leaf of the same sub-CA, expiring earlier',
      leaf: await leafOf({ notAfter: at(50), serial: '7777' }),
      intermediates: [sub2, sub1],
      anchors: [root],
    },
    {
      name: 'a non-critical unknown extension on the leaf (fine)',
      leaf: await leafOf({ extra: [new x509.Extension('1.2.3.4.6', false, new Uint8Array([5, 0]))] }),
      intermediates: [sub2, sub1],
      anchors: [root],
    },
    {
      name: 'nameConstraints on the leaf (refused whatever its criticality, PV-06)',
      leaf: await leafOf({ extra: [new x509.Extension('2.5.29.30', false, new Uint8Array([0x30, 0]))] }),
      intermediates: [sub2, sub1],
      anchors: [root],
    },
    {
      name: 'a duplicate extension on the leaf',
      leaf: await leafOf({
        extra: [
          new x509.Extension('1.2.3.4.7', false, new Uint8Array([5, 0])),
          new x509.Extension('1.2.3.4.7', false, new Uint8Array([5, 0])),
        ],
      }),
      intermediates: [sub2, sub1],
      anchors: [root],
    },
    {
      name: 'leaf signed by another key',
      leaf: await leafOf({ signer: otherKey }),
      intermediates: [sub2, sub1],
      anchors: [root],
    },
    {
      name: 'unknown critical extension on the leaf',
      leaf: await leafOf({ extra: [new x509.Extension('1.2.3.4.5', true, new Uint8Array([5, 0]))] }),
      intermediates: [sub2, sub1],
      anchors: [root],
    },
    { name: 'sub-CA 2 is no CA', leaf: good, intermediates: [sub2NotCa, sub1], anchors: [root] },
    {
      name: 'pathLen of sub-CA 2 exceeded',
      leaf: leafUnderSub3,
      intermediates: [sub3, sub2, sub1],
      anchors: [root],
    },
    { name: 'missing sub-CA 1', leaf: good, intermediates: [sub2], anchors: [root] },
    {
      name: 'root with the same name but another key',
      leaf: good,
      intermediates: [sub2, sub1],
      anchors: [otherRoot],
    },
    { name: 'the sub-CA 2 is the anchor', leaf: good, intermediates: [], anchors: [sub2] },
  ];
});

test('same verdict as validatePath for every case, cold and warm', () => {
  const validator = new ProvisioningChainValidator();
  const verdicts: [string, boolean][] = [];
  for (const c of cases) {
    const expected = validatePath({
      target: c.leaf,
      intermediates: c.intermediates,
      anchors: c.anchors,
      at: NOW,
    });
    for (let round = 0; round < 2; round++) {
      const got = validator.validate(c.leaf, c.intermediates, c.anchors.map(anchor), NOW);
      assert.equal(got.valid, expected.valid, `${c.name} (round ${round})`);
      if (got.valid && expected.valid) assert.deepEqual(got.chain, expected.chain, c.name);
      if (!got.valid && !expected.valid) assert.equal(got.code, expected.code, c.name);
    }
    verdicts.push([c.name, expected.valid]);
  }
  // Every way of reaching a verdict was used: the leaf cache, the native leaf check, the full call.
  assert.ok(
    validator.stats.cached > 0 && validator.stats.native > 0 && validator.stats.full > 0,
    JSON.stringify(validator.stats),
  );
  // The cases do tell valid from invalid.
  assert.deepEqual(
    verdicts.filter(([, v]) => v).map(([n]) => n),
    [
      'valid',
      'valid, intermediates in any order with noise',
      'another leaf of the same sub-CA, expiring earlier',
      'a non-critical unknown extension on the leaf (fine)',
      'the sub-CA 2 is the anchor',
    ],
  );
});

test('property: over any sequence of (case, time) calls, the cached verdict equals validatePath at that time', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ c: fc.nat(cases.length - 1), days: fc.integer({ min: -40, max: 450 }) }), {
        minLength: 1,
        maxLength: 12,
      }),
      (calls) => {
        const validator = new ProvisioningChainValidator();
        for (const { c, days } of calls) {
          const k = cases[c] as Case;
          const when = at(days);
          const expected = validatePath({
            target: k.leaf,
            intermediates: k.intermediates,
            anchors: k.anchors,
            at: when,
          });
          const got = validator.validate(k.leaf, k.intermediates, k.anchors.map(anchor), when);
          assert.equal(got.valid, expected.valid, `${k.name} at day ${days}`);
        }
      },
    ),
    { numRuns: 60 },
  );
});
