// RFC 5280 §6.1 path validation on synthetic chains built with @peculiar/x509
// (root → Sub-CA 1 → Sub-CA 2 → leaf), one mutation per case.

import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as x509 from '@peculiar/x509';
import {
  type InvalidPath,
  type PathValidationResult,
  pathError,
  type ValidatePathOptions,
  validatePath,
} from './index.ts';
import {
  type Alg,
  CA_KU,
  type Chain,
  DAY_MS,
  LEAF_KU,
  makeCert,
  makeChain,
  NOW,
  newKey,
  tamper,
} from './testing/chain-builder.ts';

function run(c: Chain, over: Partial<ValidatePathOptions> = {}): PathValidationResult {
  return validatePath({
    target: c.leaf,
    intermediates: [c.sub2, c.sub1],
    anchors: [c.root],
    at: NOW,
    ...over,
  });
}

function expectInvalid(r: PathValidationResult, code: string, at?: number): InvalidPath {
  assert.equal(r.valid, false, 'expected an invalid path');
  if (r.valid) throw new Error('unreachable');
  assert.equal(r.code, code, r.reason);
  if (at !== undefined) assert.equal(r.at, at, r.reason);
  assert.ok(r.reason.length > 0);
  return r;
}

function expectValid(r: PathValidationResult, length?: number): void {
  assert.equal(r.valid, true, r.valid ? '' : `${r.code}: ${r.reason}`);
  if (r.valid && length !== undefined) assert.equal(r.chain.length, length);
}

const ALGS: readonly Alg[] = ['P-256', 'P-384', 'P-521', 'Ed25519', 'Ed448'];

describe('valid chains', () => {
  for (const alg of ALGS) {
    it(`${alg}: root → sub1 → sub2 → leaf validates, target first, anchor last (lax and strict)`, async () => {
      const c = await makeChain(alg);
      for (const strict of [false, true]) {
        const r = run(c, { strict });
        assert.ok(r.valid, r.valid ? '' : r.reason);
        assert.deepEqual(r.chain, [c.leaf, c.sub2, c.sub1, c.root]);
        assert.deepEqual(r.anchor, c.root);
        assert.equal(r.anchorIndex, 0);
      }
    });
  }

  it('finds the path whatever the order of the intermediates, ignoring unrelated certificates', async () => {
    const c = await makeChain('P-256');
    const other = await makeChain('P-256', {}, 'other');
    const r = validatePath({
      target: c.leaf,
      intermediates: [other.sub2, c.sub1, other.leaf, c.sub2, other.sub1],
      anchors: [other.root, c.root],
      at: NOW,
    });
    assert.ok(r.valid);
    assert.deepEqual(r.chain, [c.leaf, c.sub2, c.sub1, c.root]);
    assert.equal(r.anchorIndex, 1);
  });

  it('a sub-CA as trust anchor (partial chain) ends the path there', async () => {
    const c = await makeChain('P-256');
    const r = validatePath({ target: c.leaf, intermediates: [c.sub2, c.root], anchors: [c.sub1], at: NOW });
    assert.ok(r.valid);
    assert.deepEqual(r.chain, [c.leaf, c.sub2, c.sub1]);
    // Trusted first: with both the sub-CA and the root as anchors, the nearest anchor ends the path.
    const both = validatePath({
      target: c.leaf,
      intermediates: [c.sub2],
      anchors: [c.root, c.sub1],
      at: NOW,
    });
    assert.ok(both.valid);
    assert.equal(both.chain.length, 3);
  });

  it('a target that is itself an anchor is a path of one', async () => {
    const c = await makeChain('P-256');
    const r = validatePath({ target: c.root, anchors: [c.root], at: NOW, strict: true });
    assert.ok(r.valid);
    assert.deepEqual(r.chain, [c.root]);
  });

  it('validity is inclusive at both ends (RFC 5280 §4.1.2.5)', async () => {
    const notBefore = new Date('2026-02-01T00:00:00Z');
    const notAfter = new Date('2026-04-01T00:00:00Z');
    const c = await makeChain('P-256', { leaf: { notBefore, notAfter } });
    expectValid(run(c, { at: notBefore }));
    expectValid(run(c, { at: notAfter }));
    expectInvalid(run(c, { at: new Date(notAfter.getTime() + 1000) }), 'path.expired', 0);
    expectInvalid(run(c, { at: new Date(notBefore.getTime() - 1000) }), 'path.not-yet-valid', 0);
  });

  it('maxLength counts every certificate of the path', async () => {
    const c = await makeChain('P-256');
    expectValid(run(c, { maxLength: 4 }), 4);
    expectInvalid(run(c, { maxLength: 3 }), 'path.too-long');
    expectInvalid(run(c, { maxLength: 0 }), 'path.input');
  });
});

describe('invalid chains', () => {
  let c: Chain;
  before(async () => {
    c = await makeChain('P-256');
  });

  it('expired leaf, expired intermediate, expired anchor, not-yet-valid leaf', async () => {
    const past = {
      notBefore: new Date(NOW.getTime() - 400 * DAY_MS),
      notAfter: new Date(NOW.getTime() - DAY_MS),
    };
    const future = {
      notBefore: new Date(NOW.getTime() + DAY_MS),
      notAfter: new Date(NOW.getTime() + 400 * DAY_MS),
    };
    expectInvalid(run(await makeChain('P-256', { leaf: past })), 'path.expired', 0);
    expectInvalid(run(await makeChain('P-256', { sub1: past })), 'path.expired', 2);
    // The anchor's own validity is checked too, as OpenSSL does (PV-04).
    expectInvalid(run(await makeChain('P-256', { root: past })), 'path.expired', 3);
    expectInvalid(run(await makeChain('P-256', { leaf: future })), 'path.not-yet-valid', 0);
    expectInvalid(run(await makeChain('P-521', { sub2: future })), 'path.not-yet-valid', 1);
  });

  it('a tampered signature byte: the signature check fails at that certificate', () => {
    expectInvalid(
      validatePath({ target: tamper(c.leaf), intermediates: [c.sub2, c.sub1], anchors: [c.root], at: NOW }),
      'path.signature',
      0,
    );
    expectInvalid(
      validatePath({ target: c.leaf, intermediates: [c.sub2, tamper(c.sub1)], anchors: [c.root], at: NOW }),
      'path.signature',
      2,
    );
    // The anchor's own signature is not checked (a trust anchor is trusted by configuration, PV-02).
    expectValid(
      validatePath({ target: c.leaf, intermediates: [c.sub2, c.sub1], anchors: [tamper(c.root)], at: NOW }),
    );
  });

  it('a missing intermediate: no issuer for Sub-CA 2', () => {
    const r = expectInvalid(
      validatePath({ target: c.leaf, intermediates: [c.sub2], anchors: [c.root], at: NOW }),
      'path.no-issuer',
      1,
    );
    assert.match(r.reason, /Test Sub1/);
    assert.deepEqual(r.chain, [c.leaf, c.sub2]);
    expectInvalid(
      validatePath({ target: c.leaf, intermediates: [c.sub2, c.sub1], anchors: [], at: NOW }),
      'path.no-issuer',
      2,
    );
    expectInvalid(validatePath({ target: c.root, anchors: [], at: NOW }), 'path.no-issuer', 0);
  });

  it('pathLenConstraint violated, on a sub-CA and on the anchor', async () => {
    expectInvalid(
      run(await makeChain('P-256', { sub1: { bc: { ca: true, pathLen: 0 } } })),
      'path.path-length',
      2,
    );
    expectInvalid(
      run(await makeChain('P-256', { root: { bc: { ca: true, pathLen: 1 } } })),
      'path.path-length',
      3,
    );
    expectValid(run(await makeChain('P-256', { root: { bc: { ca: true, pathLen: 2 } } })));
  });

  it('a CA certificate without keyCertSign cannot issue', async () => {
    expectInvalid(
      run(await makeChain('P-256', { sub2: { ku: ['digitalSignature', 'cRLSign'] } })),
      'path.key-usage',
      1,
    );
    expectInvalid(run(await makeChain('P-256', { root: { ku: ['cRLSign'] } })), 'path.key-usage', 3);
    // No keyUsage at all is allowed by RFC 5280 §6.1.4 (n) ("if a key usage extension is present").
    const noKu = await makeChain('P-256', { sub2: { ku: undefined } });
    expectValid(run(noKu));
    expectInvalid(run(noKu, { strict: true }), 'path.strict-ca-missing-key-usage', 1);
  });

  it('a leaf used as a CA, and a certificate without basicConstraints used as a CA', async () => {
    const k = await newKey('P-256');
    const below = await makeCert({
      subject: 'CN=Below the leaf',
      issuer: c.names.leaf,
      key: k,
      signer: c.keys.leaf,
      bc: { ca: false },
      ku: LEAF_KU,
    });
    const r = validatePath({
      target: below,
      intermediates: [c.leaf, c.sub2, c.sub1],
      anchors: [c.root],
      at: NOW,
    });
    expectInvalid(r, 'path.not-ca', 1);
    const noBc = await makeChain('P-256', { sub2: { bc: undefined } });
    expectInvalid(run(noBc), 'path.not-ca', 1);
  });

  it('an unknown critical extension is rejected, a non-critical one ignored', async () => {
    const unknown = (critical: boolean) => [
      new x509.Extension('1.3.6.1.4.1.99999.1', critical, new Uint8Array([0x05, 0x00])),
    ];
    expectInvalid(
      run(await makeChain('P-256', { leaf: { extra: unknown(true) } })),
      'path.critical-extension',
      0,
    );
    expectInvalid(
      run(await makeChain('P-256', { sub1: { extra: unknown(true) } })),
      'path.critical-extension',
      2,
    );
    expectValid(run(await makeChain('P-256', { leaf: { extra: unknown(false) } })));
    // A critical extendedKeyUsage does not change path validity (PV-06).
    const eku = [new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.2'], true)];
    expectValid(run(await makeChain('P-256', { leaf: { extra: eku } })));
  });

  it('name constraints and policy constraints are refused rather than ignored (PV-06)', async () => {
    const nc = [
      new x509.Extension('2.5.29.30', true, new Uint8Array([0x30, 0x06, 0xa0, 0x04, 0x30, 0x02, 0x82, 0x00])),
    ];
    expectInvalid(run(await makeChain('P-256', { sub1: { extra: nc } })), 'path.unsupported-extension', 2);
    const pc = [new x509.Extension('2.5.29.36', false, new Uint8Array([0x30, 0x03, 0x80, 0x01, 0x00]))];
    expectInvalid(run(await makeChain('P-256', { sub2: { extra: pc } })), 'path.unsupported-extension', 1);
  });

  it('duplicate or undecodable extensions make the certificate unusable (RFC 5280 §4.2)', async () => {
    const dup = [new x509.BasicConstraintsExtension(false, undefined, true)];
    expectInvalid(run(await makeChain('P-256', { leaf: { extra: dup } })), 'path.extension', 0);
    const badEku = [new x509.Extension('2.5.29.37', false, new Uint8Array([0x04, 0x00]))];
    expectInvalid(run(await makeChain('P-256', { leaf: { extra: badEku } })), 'path.extension', 0);
  });

  it('AKI or SKI marked critical is an unhandled critical extension (RFC 5280 §4.2.1.1-2)', async () => {
    const k = await newKey('P-256');
    const leaf = await makeCert({
      subject: 'CN=Critical AKI',
      issuer: c.names.sub2,
      key: k,
      signer: c.keys.sub2,
      bc: { ca: false },
      aki: null,
      extra: [new x509.AuthorityKeyIdentifierExtension(Buffer.from(c.keys.sub2.keyId).toString('hex'), true)],
    });
    expectInvalid(
      validatePath({ target: leaf, intermediates: [c.sub2, c.sub1], anchors: [c.root], at: NOW }),
      'path.critical-extension',
      0,
    );
  });
});

describe('candidate selection', () => {
  it('two issuers with the same name: the one whose key verifies is used, in either order', async () => {
    // No AKI in the leaf, so only the signature can tell the two Sub-CA 2 apart.
    const c = await makeChain('P-256', { leaf: { aki: null } });
    const impostorKey = await newKey('P-256');
    const impostor = await makeCert({
      subject: c.names.sub2,
      issuer: c.names.sub1,
      key: impostorKey,
      signer: c.keys.sub1,
      bc: { ca: true, pathLen: 0 },
      ku: CA_KU,
      // Valid longer than the real one, so it is the preferred candidate.
      notAfter: new Date(NOW.getTime() + 5 * 365 * DAY_MS),
    });
    for (const intermediates of [
      [impostor, c.sub2, c.sub1],
      [c.sub2, impostor, c.sub1],
    ]) {
      const r = validatePath({ target: c.leaf, intermediates, anchors: [c.root], at: NOW });
      assert.ok(r.valid, r.valid ? '' : r.reason);
      assert.deepEqual(r.chain[1], c.sub2);
    }
    // Only the impostor: the signature does not verify.
    expectInvalid(
      validatePath({ target: c.leaf, intermediates: [impostor, c.sub1], anchors: [c.root], at: NOW }),
      'path.signature',
      0,
    );
  });

  it('two anchors with the same name (key rollover): the one that verifies is used', async () => {
    const c = await makeChain('P-521', { sub1: { aki: null } });
    const oldRoot = await makeCert({
      subject: c.names.root,
      key: await newKey('P-521'),
      bc: { ca: true },
      ku: CA_KU,
      aki: null,
    });
    const r = validatePath({
      target: c.leaf,
      intermediates: [c.sub2, c.sub1],
      anchors: [oldRoot, c.root],
      at: NOW,
    });
    assert.ok(r.valid);
    assert.equal(r.anchorIndex, 1);
  });

  it('an AKI that names another key rules a same-name candidate out before any signature check', async () => {
    const c = await makeChain('P-256');
    const impostor = await makeCert({
      subject: c.names.sub2,
      issuer: c.names.sub1,
      key: await newKey('P-256'),
      signer: c.keys.sub1,
      bc: { ca: true, pathLen: 0 },
      ku: CA_KU,
    });
    const r = validatePath({ target: c.leaf, intermediates: [impostor, c.sub1], anchors: [c.root], at: NOW });
    expectInvalid(r, 'path.no-issuer', 0);
  });

  it('an expired and a valid issuer of the same name and key: the valid one is preferred', async () => {
    const c = await makeChain('P-256');
    const expiredSub2 = await makeCert({
      subject: c.names.sub2,
      issuer: c.names.sub1,
      key: c.keys.sub2,
      signer: c.keys.sub1,
      bc: { ca: true, pathLen: 0 },
      ku: CA_KU,
      notBefore: new Date(NOW.getTime() - 800 * DAY_MS),
      notAfter: new Date(NOW.getTime() - 400 * DAY_MS),
    });
    const r = validatePath({
      target: c.leaf,
      intermediates: [expiredSub2, c.sub2, c.sub1],
      anchors: [c.root],
      at: NOW,
    });
    assert.ok(r.valid);
    assert.deepEqual(r.chain[1], c.sub2);
    // Only the expired one: the complete path is reported with its reason.
    expectInvalid(
      validatePath({ target: c.leaf, intermediates: [expiredSub2, c.sub1], anchors: [c.root], at: NOW }),
      'path.expired',
      1,
    );
  });
});

describe('revocation callback', () => {
  let c: Chain;
  before(async () => {
    c = await makeChain('P-256');
  });

  it('is asked for every certificate but the anchor, with its issuer, anchor side first', () => {
    const calls: [Uint8Array, Uint8Array][] = [];
    const r = run(c, {
      revocation: (cert, issuer) => {
        calls.push([cert, issuer]);
        return 'good';
      },
    });
    expectValid(r);
    assert.deepEqual(calls, [
      [c.sub1, c.root],
      [c.sub2, c.sub1],
      [c.leaf, c.sub2],
    ]);
  });

  it('revoked → invalid with the reason; revoked after the validation time → still valid at that time', () => {
    const revokeSub2 = (status: ReturnType<NonNullable<ValidatePathOptions['revocation']>>) =>
      run(c, { revocation: (cert) => (cert === c.sub2 ? status : 'good') });
    expectInvalid(revokeSub2('revoked'), 'path.revoked', 1);
    const r = expectInvalid(
      revokeSub2({ revoked: { at: new Date(NOW.getTime() - DAY_MS), reason: 4 } }),
      'path.revoked',
      1,
    );
    assert.match(r.reason, /superseded/);
    expectValid(revokeSub2({ revoked: { at: new Date(NOW.getTime() + DAY_MS), reason: 4 } }));
    // A key compromise taints the key whatever the revocation time (PV-09).
    expectInvalid(
      revokeSub2({ revoked: { at: new Date(NOW.getTime() + DAY_MS), reason: 1 } }),
      'path.revoked',
      1,
    );
  });

  it("'unknown' fails closed unless accepted; a throwing or odd callback is a clean failure", () => {
    expectInvalid(run(c, { revocation: () => 'unknown' }), 'path.revocation-unknown', 2);
    expectValid(run(c, { revocation: () => 'unknown', unknownRevocation: 'accept' }));
    expectInvalid(
      run(c, {
        revocation: () => {
          throw new Error('OCSP responder down');
        },
      }),
      'path.revocation-error',
      2,
    );
    expectInvalid(run(c, { revocation: () => ({ nonsense: true }) as never }), 'path.revocation-error');
  });

  it('is not asked for a path that fails another check', async () => {
    let asked = 0;
    const expired = await makeChain('P-256', {
      leaf: { notAfter: new Date(NOW.getTime() - DAY_MS), notBefore: new Date(NOW.getTime() - 9 * DAY_MS) },
    });
    expectInvalid(
      run(expired, {
        revocation: () => {
          asked++;
          return 'good';
        },
      }),
      'path.expired',
    );
    assert.equal(asked, 0);
  });
});

describe('-x509_strict mode (PV-12)', () => {
  it('a missing AKI fails strict, passes lax', async () => {
    const c = await makeChain('P-256', { sub2: { aki: null } });
    expectValid(run(c));
    expectInvalid(run(c, { strict: true }), 'path.strict-missing-aki', 1);
  });

  it('basicConstraints of a CA not critical fails strict, passes lax', async () => {
    const c = await makeChain('Ed25519', { sub1: { bc: { ca: true, pathLen: 1, critical: false } } });
    expectValid(run(c));
    expectInvalid(run(c, { strict: true }), 'path.strict-bc-not-critical', 2);
  });

  it('a CA without SKI, a leaf with keyCertSign: strict only', async () => {
    const noSki = await makeChain('P-256', { sub1: { ski: false } });
    expectValid(run(noSki));
    expectInvalid(run(noSki, { strict: true }), 'path.strict-missing-ski', 2);
    const kcs = await makeChain('P-256', { leaf: { ku: ['digitalSignature', 'keyCertSign'] } });
    expectValid(run(kcs));
    expectInvalid(run(kcs, { strict: true }), 'path.strict-key-cert-sign-non-ca', 0);
  });

  it('a root alone is not subject to the strict checks (OpenSSL: chains longer than one)', async () => {
    const k = await newKey('P-256');
    const bare = await makeCert({ subject: 'CN=Bare root', key: k, bc: { ca: true }, aki: null, ski: false });
    expectValid(validatePath({ target: bare, anchors: [bare], at: NOW, strict: true }));
  });
});

describe('pathError', () => {
  it('turns an invalid result into AppError path.invalid (Policy) with the path code in details', async () => {
    const c = await makeChain('P-256');
    const r = validatePath({ target: c.leaf, intermediates: [c.sub2], anchors: [c.root], at: NOW });
    assert.equal(r.valid, false);
    if (r.valid) return;
    const e = pathError(r);
    assert.equal(e.code, 'path.invalid');
    assert.equal(e.kind, 'Policy');
    assert.equal(e.message, r.reason);
    assert.deepEqual(e.details, { code: 'path.no-issuer', at: 1 });
  });
});
