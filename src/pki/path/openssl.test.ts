// Cross-check of synthetic chains with the real `openssl verify [-x509_strict] -attime` (an
// independent RFC 5280 implementation, pki-profiles.md §8): same verdict in both modes, and where
// both reject, a failure code that corresponds to an error OpenSSL printed. Skipped without openssl.

import 'reflect-metadata';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as x509 from '@peculiar/x509';
import { toPem, validatePath } from './index.ts';
import {
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
import { OPENSSL_EQUIVALENT, opensslErrors } from './testing/openssl-records.ts';

const haveOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
const SKIP = haveOpenssl ? false : 'SKIPPED: openssl not on PATH (independent X.509 oracle)';

interface Case {
  readonly name: string;
  readonly target: Uint8Array;
  readonly untrusted: readonly Uint8Array[];
  readonly anchor: Uint8Array;
  readonly anchorSelfSigned: boolean;
  readonly at: Date;
  /** Expected verdicts, so a change on either side is noticed: [lax, strict]. */
  readonly expect: readonly [boolean, boolean];
  /** A documented disagreement: OpenSSL's verdicts differ from ours for this reason. */
  readonly disagree?: { readonly openssl: readonly [boolean, boolean]; readonly why: string };
  /** Same verdict, but OpenSSL reports another error; why. */
  readonly otherError?: string;
}

let dir = '';
let n = 0;

function openssl(c: Case, strict: boolean): { valid: boolean; output: string } {
  const id = n++;
  const file = (name: string, ders: readonly Uint8Array[]) => {
    const p = join(dir, `${id}-${name}.pem`);
    writeFileSync(p, ders.map(toPem).join(''));
    return p;
  };
  const args = ['verify'];
  if (strict) args.push('-x509_strict');
  // validatePath always accepts a sub-CA anchor; OpenSSL needs -partial_chain for that (PV-03).
  if (!c.anchorSelfSigned) args.push('-partial_chain');
  args.push('-attime', String(Math.floor(c.at.getTime() / 1000)), '-CAfile', file('anchor', [c.anchor]));
  if (c.untrusted.length > 0) args.push('-untrusted', file('untrusted', c.untrusted));
  args.push(file('target', [c.target]));
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { valid: r.status === 0, output: `${r.stdout}\n${r.stderr}` };
}

describe('synthetic chains: validatePath agrees with openssl verify', { skip: SKIP }, () => {
  const cases: Case[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pnc-path-openssl-'));
    const add = (name: string, c: Chain, expect: readonly [boolean, boolean], over: Partial<Case> = {}) =>
      cases.push({
        name,
        target: c.leaf,
        untrusted: [c.sub2, c.sub1],
        anchor: c.root,
        anchorSelfSigned: true,
        at: NOW,
        expect,
        ...over,
      });
    const past = {
      notBefore: new Date(NOW.getTime() - 400 * DAY_MS),
      notAfter: new Date(NOW.getTime() - DAY_MS),
    };
    const future = {
      notBefore: new Date(NOW.getTime() + DAY_MS),
      notAfter: new Date(NOW.getTime() + 400 * DAY_MS),
    };
    for (const alg of ['P-256', 'P-384', 'P-521', 'Ed25519', 'Ed448'] as const)
      add(`valid ${alg} chain`, await makeChain(alg), [true, true]);
    const base = await makeChain('P-256');
    add('expired leaf', await makeChain('P-256', { leaf: past }), [false, false]);
    add('expired Sub-CA 1', await makeChain('P-521', { sub1: past }), [false, false]);
    add('expired trust anchor', await makeChain('P-256', { root: past }), [false, false]);
    add('not-yet-valid Sub-CA 2', await makeChain('Ed448', { sub2: future }), [false, false]);
    add('tampered leaf signature', base, [false, false], { target: tamper(base.leaf) });
    add('tampered Sub-CA 1 signature', base, [false, false], { untrusted: [base.sub2, tamper(base.sub1)] });
    add('missing Sub-CA 1', base, [false, false], { untrusted: [base.sub2] });
    add('Sub-CA 1 anchor (partial chain)', base, [true, true], {
      untrusted: [base.sub2],
      anchor: base.sub1,
      anchorSelfSigned: false,
    });
    add('pathLen 0 on Sub-CA 1', await makeChain('P-256', { sub1: { bc: { ca: true, pathLen: 0 } } }), [
      false,
      false,
    ]);
    add('pathLen 1 on the root', await makeChain('P-256', { root: { bc: { ca: true, pathLen: 1 } } }), [
      false,
      false,
    ]);
    add(
      'Sub-CA 2 without keyCertSign',
      await makeChain('P-256', { sub2: { ku: ['digitalSignature', 'cRLSign'] } }),
      [false, false],
    );
    add('Sub-CA 2 without keyUsage', await makeChain('P-256', { sub2: { ku: undefined } }), [true, false]);
    add('Sub-CA 1 without basicConstraints', await makeChain('P-256', { sub1: { bc: undefined } }), [
      false,
      false,
    ]);
    add('Sub-CA 2 without AKI', await makeChain('P-256', { sub2: { aki: null } }), [true, false]);
    add('Sub-CA 1 without SKI', await makeChain('P-256', { sub1: { ski: false } }), [true, false]);
    add(
      'Sub-CA 1 basicConstraints not critical',
      await makeChain('Ed25519', { sub1: { bc: { ca: true, pathLen: 1, critical: false } } }),
      [true, false],
    );
    add(
      'leaf with keyCertSign',
      await makeChain('P-256', { leaf: { ku: ['digitalSignature', 'keyCertSign'] } }),
      [true, false],
    );
    const unknown = [new x509.Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([0x05, 0x00]))];
    add('unknown critical extension on the leaf', await makeChain('P-256', { leaf: { extra: unknown } }), [
      false,
      false,
    ]);
    const eku = [new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.2'], true)];
    add('critical extendedKeyUsage on the leaf', await makeChain('P-256', { leaf: { extra: eku } }), [
      true,
      true,
    ]);
    // A leaf used as a CA.
    const below = await makeCert({
      subject: 'CN=Below the leaf',
      issuer: base.names.leaf,
      key: await newKey('P-256'),
      signer: base.keys.leaf,
      bc: { ca: false },
      ku: LEAF_KU,
    });
    add('leaf used as a CA', base, [false, false], {
      target: below,
      untrusted: [base.leaf, base.sub2, base.sub1],
    });
    // Two Sub-CA 2 of the same name; the leaf's AKI names the real one.
    const impostor = await makeCert({
      subject: base.names.sub2,
      issuer: base.names.sub1,
      key: await newKey('P-256'),
      signer: base.keys.sub1,
      bc: { ca: true, pathLen: 0 },
      ku: CA_KU,
      notAfter: new Date(NOW.getTime() + 5 * 365 * DAY_MS),
    });
    add('two same-name Sub-CA 2, AKI picks one', base, [true, true], {
      untrusted: [impostor, base.sub2, base.sub1],
    });
    // Extensions OpenSSL cannot decode: it then fails to use the certificate at all ("unable to
    // get local issuer certificate"); we name the extension (PV-01).
    const otherError = 'OpenSSL cannot cache the extensions and reports error 20 (no issuer) instead';
    const dupBc = [new x509.BasicConstraintsExtension(false, undefined, true)];
    add(
      'duplicate basicConstraints on the leaf',
      await makeChain('P-256', { leaf: { extra: dupBc } }),
      [false, false],
      { otherError },
    );
    const badEku = [new x509.Extension('2.5.29.37', false, new Uint8Array([0x04, 0x00]))];
    add(
      'undecodable extendedKeyUsage on the leaf',
      await makeChain('P-256', { leaf: { extra: badEku } }),
      [false, false],
      { otherError },
    );
    const policies = [
      new x509.Extension('2.5.29.32', true, new Uint8Array([0x30, 0x06, 0x30, 0x04, 0x06, 0x02, 0x2a, 0x03])),
    ];
    add('critical certificatePolicies on the leaf', await makeChain('P-256', { leaf: { extra: policies } }), [
      true,
      true,
    ]);
    // Constraint extensions we do not implement: refused, where OpenSSL processes them (PV-06).
    const why =
      'nameConstraints / policyConstraints are not implemented, so a path carrying one is refused (PV-06); OpenSSL processes them and accepts these harmless ones';
    const nc = [
      new x509.Extension('2.5.29.30', true, new Uint8Array([0x30, 0x06, 0xa0, 0x04, 0x30, 0x02, 0x82, 0x00])),
    ];
    add(
      'nameConstraints (permitted dNSName "") on Sub-CA 1',
      await makeChain('P-256', { sub1: { extra: nc } }),
      [false, false],
      {
        disagree: { openssl: [true, true], why },
      },
    );
    const pc = [new x509.Extension('2.5.29.36', false, new Uint8Array([0x30, 0x03, 0x80, 0x01, 0x00]))];
    add(
      'non-critical policyConstraints on Sub-CA 2',
      await makeChain('P-256', { sub2: { extra: pc } }),
      [false, false],
      {
        disagree: { openssl: [true, true], why },
      },
    );
    // RFC 5280 §4.1.2.5: notAfter is inclusive; OpenSSL's X509_cmp_time maps "equal" to "earlier".
    const edge = await makeChain('P-256', { leaf: { notAfter: new Date('2026-04-01T00:00:00Z') } });
    add('at == notAfter of the leaf', edge, [true, true], {
      at: new Date('2026-04-01T00:00:00Z'),
      disagree: {
        openssl: [false, false],
        why: 'RFC 5280 §4.1.2.5 makes notAfter inclusive; OpenSSL 3.0 reports "certificate has expired" in that very second (PV-05)',
      },
    });
  });
  after(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('every case: same verdict as openssl in lax and strict mode (documented exceptions aside)', (t) => {
    assert.ok(cases.length >= 30);
    let agree = 0;
    let total = 0;
    for (const c of cases) {
      for (const [k, strict] of [false, true].entries()) {
        const ours = validatePath({
          target: c.target,
          intermediates: c.untrusted,
          anchors: [c.anchor],
          at: c.at,
          strict,
        });
        const theirs = openssl(c, strict);
        const mode = strict ? 'strict' : 'lax';
        assert.equal(ours.valid, c.expect[k], `${c.name} (${mode}): ${ours.valid ? 'valid' : ours.reason}`);
        total++;
        if (c.disagree !== undefined) {
          assert.equal(theirs.valid, c.disagree.openssl[k], `${c.name} (${mode}): ${theirs.output}`);
          if (theirs.valid !== ours.valid)
            t.diagnostic(`documented disagreement, ${c.name} (${mode}): ${c.disagree.why}`);
          else agree++;
          continue;
        }
        assert.equal(ours.valid, theirs.valid, `${c.name} (${mode}): openssl says ${theirs.output.trim()}`);
        agree++;
        if (!ours.valid && c.otherError !== undefined) {
          t.diagnostic(`same verdict, other error, ${c.name} (${mode}): ${c.otherError}`);
        } else if (!ours.valid) {
          const errors = opensslErrors(theirs.output);
          assert.ok(
            errors.some((e) => OPENSSL_EQUIVALENT[e.code]?.includes(ours.code)),
            `${c.name} (${mode}): ${ours.code} vs OpenSSL ${errors.map((e) => `${e.code} ${e.text}`).join(', ')}`,
          );
        }
      }
    }
    t.diagnostic(`${agree}/${total} verdicts agree with openssl verify`);
  });
});
