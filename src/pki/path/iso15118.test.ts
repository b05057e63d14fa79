// ISO 15118 usage checks (profile: true): [V2G2-925] root per use, chain shape, every certificate
// linted against the profile of its position.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SHARED_SKIP } from '../../testing/shared-data.ts';
import type { CertificateRole, IsoVersion } from '../profiles/types.ts';
import { type PathValidationResult, validatePath } from './index.ts';
import { certRecords, parseCall } from './testing/openssl-records.ts';
import { PROFILE_AT, profileChain } from './testing/profile-chain.ts';

/** Root first → validatePath with the last as target and the first as anchor. */
function check(
  chain: readonly Uint8Array[],
  profile: Parameters<typeof validatePath>[0]['profile'] = true,
  at = PROFILE_AT,
): PathValidationResult {
  const [root, ...rest] = chain;
  const leaf = rest.pop() ?? root;
  return validatePath({
    target: leaf as Uint8Array,
    intermediates: rest.reverse(),
    anchors: [root as Uint8Array],
    at,
    profile,
  });
}

function errors(r: PathValidationResult): string[] {
  return (r.violations ?? [])
    .filter((v) => v.severity === 'error')
    .map((v) => `${v.index} ${v.code}: ${v.message}`);
}

const CHAINS_2: readonly (readonly CertificateRole[])[] = [
  ['v2g-root', 'cpo-sub1', 'cpo-sub2', 'secc-leaf'],
  ['mo-root', 'mo-sub1', 'mo-sub2', 'contract-leaf'],
  ['oem-root', 'oem-sub1', 'oem-sub2', 'oem-prov-leaf'],
  ['v2g-root', 'cps-sub1', 'cps-sub2', 'cps-leaf'],
  ['v2g-root', 'mo-sub1', 'mo-sub2', 'contract-leaf'], // C7: Hubject's MO sub-CAs under the V2G root
  ['v2g-root', 'oem-sub1', 'oem-sub2', 'oem-prov-leaf'],
  ['v2g-root', 'cpo-sub2', 'secc-leaf'], // Sub-CA 1 is optional
  ['v2g-root', 'ocsp-signer'],
];
const CHAINS_20: readonly (readonly CertificateRole[])[] = [
  ...CHAINS_2.filter((c) => c.length > 3 || c.includes('ocsp-signer')),
  ['v2g-root', 'vehicle-sub1', 'vehicle-sub2', 'vehicle-leaf'],
];

describe('conforming chains pass the usage checks with the roles of their positions', () => {
  const cases: [IsoVersion, readonly CertificateRole[], 'P-256' | 'P-521' | 'Ed448'][] = [
    ...CHAINS_2.map((c) => ['2', c, 'P-256'] as [IsoVersion, readonly CertificateRole[], 'P-256']),
    ...CHAINS_20.flatMap((c) => [
      ['20', c, 'P-521'] as [IsoVersion, readonly CertificateRole[], 'P-521'],
      ['20', c, 'Ed448'] as [IsoVersion, readonly CertificateRole[], 'Ed448'],
    ]),
  ];
  for (const [iso, roles, alg] of cases) {
    it(`ISO 15118-${iso} ${alg}: ${roles.join(' → ')}`, async () => {
      const chain = await profileChain(iso, roles, alg);
      const r = check(chain);
      assert.ok(r.valid, r.valid ? '' : `${r.code}: ${r.reason}\n${errors(r).join('\n')}`);
      assert.deepEqual(r.roles, [...roles].reverse());
      assert.deepEqual(
        r.profiles,
        [...roles].reverse().map((role) => `iso15118-${iso}/${role}`),
      );
      assert.deepEqual(errors(r), []);
    });
  }

  it('a Private Environment chain needs the roles from the configuration', async () => {
    const chain = await profileChain('20', ['pe-root', 'pe-leaf'], 'P-521');
    const r = check(chain, { role: 'pe-leaf', anchorRoles: ['pe-root'] });
    assert.ok(r.valid, r.valid ? '' : r.reason);
    assert.deepEqual(r.roles, ['pe-leaf', 'pe-root']);
    // Read as an ordinary SECC chain, a root-issued leaf is refused in -20 ([V2G20-867]).
    const asSecc = check(chain, { role: 'secc-leaf', anchorRoles: ['v2g-root'] });
    assert.equal(asSecc.valid, false);
  });
});

describe('[V2G2-925]: the trust anchor must be the root of the leaf’s domain', () => {
  it('a SECC chain under an MO root, a contract chain under an OEM root: wrong root', async () => {
    for (const roles of [
      ['mo-root', 'cpo-sub1', 'cpo-sub2', 'secc-leaf'],
      ['oem-root', 'mo-sub1', 'mo-sub2', 'contract-leaf'],
      ['mo-root', 'cps-sub1', 'cps-sub2', 'cps-leaf'],
      ['mo-root', 'oem-sub1', 'oem-sub2', 'oem-prov-leaf'],
    ] as const) {
      const r = check(await profileChain('2', roles, 'P-256'));
      assert.equal(r.valid, false, roles.join(' → '));
      if (r.valid) continue;
      assert.equal(r.code, 'path.wrong-root', r.reason);
      assert.equal(r.at, 3);
      assert.match(r.reason, /V2G2-925/);
      // RFC 5280 alone accepts the same chain.
      const [root, sub1, sub2, leaf] = await profileChain('2', roles, 'P-256');
      assert.ok(
        validatePath({
          target: leaf as Uint8Array,
          intermediates: [sub2 as Uint8Array, sub1 as Uint8Array],
          anchors: [root as Uint8Array],
          at: PROFILE_AT,
        }).valid,
      );
    }
  });

  it('a sub-CA anchor of another domain is a wrong root too', async () => {
    const [, sub1, sub2, leaf] = await profileChain(
      '2',
      ['v2g-root', 'cpo-sub1', 'cpo-sub2', 'secc-leaf'],
      'P-256',
    );
    const args = {
      target: leaf as Uint8Array,
      intermediates: [sub2 as Uint8Array],
      anchors: [sub1 as Uint8Array],
      at: PROFILE_AT,
    };
    assert.ok(validatePath({ ...args, profile: true }).valid);
    const r = validatePath({ ...args, profile: { role: 'contract-leaf' } });
    assert.equal(r.valid, false);
    if (!r.valid) assert.equal(r.code, 'path.wrong-root', r.reason);
  });

  it('configured anchor roles override detection', async () => {
    const chain = await profileChain('2', ['v2g-root', 'cpo-sub1', 'cpo-sub2', 'secc-leaf'], 'P-256');
    const r = check(chain, { anchorRoles: ['mo-root'] });
    assert.equal(r.valid, false);
    if (!r.valid) assert.equal(r.code, 'path.wrong-root');
  });
});

describe('chain shape and profile lints', () => {
  it('a leaf issued directly by a root: an error in -20 ([V2G20-867]), a warning in -2', async () => {
    const r20 = check(await profileChain('20', ['v2g-root', 'secc-leaf'], 'P-521'));
    assert.equal(r20.valid, false);
    if (!r20.valid) assert.equal(r20.code, 'path.profile-shape', r20.reason);
    const r2 = check(await profileChain('2', ['v2g-root', 'secc-leaf'], 'P-256'));
    assert.ok(r2.valid, r2.valid ? '' : r2.reason);
    assert.ok(r2.violations.some((v) => v.code === 'path.profile-shape' && v.severity === 'warning'));
  });

  it('three sub-CAs between leaf and root: shape error', async () => {
    const chain = await profileChain(
      '2',
      ['v2g-root', 'cpo-sub1', 'cpo-sub1', 'cpo-sub2', 'secc-leaf'],
      'P-256',
      (_role, i, spec) =>
        // The outer Sub-CA 1 needs pathLen 2 for RFC 5280 to accept the path at all.
        i === 1
          ? {
              ...spec,
              extensions: spec.extensions.map((e) =>
                e.oid === '2.5.29.19'
                  ? { ...e, value: Uint8Array.of(0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x02) }
                  : e,
              ),
            }
          : spec,
    );
    const r = check(chain);
    assert.equal(r.valid, false);
    if (!r.valid) {
      assert.equal(r.code, 'path.profile-shape', r.reason);
      assert.equal(r.at, 3);
    }
  });

  it('an error-level lint finding makes the path invalid and is listed', async () => {
    const chain = await profileChain(
      '2',
      ['v2g-root', 'cpo-sub1', 'cpo-sub2', 'secc-leaf'],
      'P-256',
      (role, _i, spec) =>
        role === 'secc-leaf' ? { ...spec, subject: spec.subject.filter(([t]) => t !== 'DC') } : spec,
    );
    const r = check(chain);
    assert.equal(r.valid, false);
    if (r.valid) return;
    assert.equal(r.code, 'path.profile');
    assert.equal(r.at, 0);
    assert.match(r.reason, /v2g\.subject\.dc-missing/);
    assert.ok(
      r.violations?.some(
        (v) => v.index === 0 && v.code === 'v2g.subject.dc-missing' && v.severity === 'error',
      ),
    );
  });

  it('RFC 5280 failures come first: the usage checks only run on a valid path', async () => {
    const chain = await profileChain('2', ['v2g-root', 'cpo-sub1', 'cpo-sub2', 'secc-leaf'], 'P-256');
    const r = check(chain, true, new Date('2000-01-01T00:00:00Z'));
    assert.equal(r.valid, false);
    if (!r.valid) assert.equal(r.code, 'path.not-yet-valid');
  });
});

const records = certRecords();

describe('usage checks on the real chains', { skip: records === undefined ? SHARED_SKIP : false }, () => {
  it('every chain OpenSSL accepts: well-formed results, never a wrong root for its own domain', (t) => {
    if (records === undefined) return;
    const counts = new Map<string, number>();
    for (const rec of records.values()) {
      const call = rec.strict;
      if (call === undefined || call.exitCode !== 0) continue;
      const p = parseCall(call);
      const der = (id: string) => (records.get(id) as { der: Uint8Array }).der;
      const r = validatePath({
        target: der(p.target),
        intermediates: p.untrusted.map(der),
        anchors: p.anchor === null ? [] : [der(p.anchor)],
        at: p.at,
        profile: true,
      });
      const key = r.valid ? 'valid' : r.code;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (!r.valid) {
        assert.ok(
          ['path.profile', 'path.profile-shape'].includes(r.code),
          `${rec.id}: ${r.code} ${r.reason}`,
        );
        assert.ok((r.violations ?? []).some((v) => v.severity === 'error'));
      } else {
        assert.equal(r.roles?.length, r.chain.length);
        // The record's own role (from its position and names) is what the usage check used.
        if (rec.role !== 'other') assert.equal(r.roles?.[0], rec.role, rec.id);
      }
    }
    t.diagnostic(
      `profile mode on the ${[...counts.values()].reduce((a, b) => a + b, 0)} OpenSSL-valid real chains: ${JSON.stringify(Object.fromEntries(counts))}`,
    );
  });

  it('a real contract chain read as a SECC chain hits [V2G2-925]', (t) => {
    if (records === undefined) return;
    const contract = [...records.values()].find(
      (r) => r.role === 'contract-leaf' && r.strict?.exitCode === 0 && r.chain.length === 3,
    );
    if (contract?.strict === undefined) return t.skip('no three-level contract chain in the records');
    const p = parseCall(contract.strict);
    const der = (id: string) => (records.get(id) as { der: Uint8Array }).der;
    const args = {
      target: der(p.target),
      intermediates: p.untrusted.map(der),
      anchors: p.anchor === null ? [] : [der(p.anchor)],
      at: p.at,
    };
    const r = validatePath({ ...args, profile: { role: 'secc-leaf' } });
    assert.equal(r.valid, false);
    if (!r.valid) assert.equal(r.code, 'path.wrong-root', r.reason);
  });
});
