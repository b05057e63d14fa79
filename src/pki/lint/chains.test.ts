// Whole conforming chains per domain: every link lints clean against its profile with its issuer
// (AKI = issuer SKI, names chain, shell model), and OpenSSL 3 — an independent X.509
// implementation (pki-profiles.md §8) — accepts them with -x509_strict.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { getProfile } from '../profiles/index.ts';
import type { CertificateRole, IsoVersion } from '../profiles/types.ts';
import { lintCertificate } from './index.ts';
import {
  buildCertificate,
  conformingSpec,
  generateTestKey,
  type NameSpec,
  subjectFor,
  TEST_NOW,
  type TestKey,
  type TestKeyAlgorithm,
} from './testing/cert-builder.ts';

const CHAINS: readonly (readonly CertificateRole[])[] = [
  ['v2g-root', 'cpo-sub1', 'cpo-sub2', 'secc-leaf'],
  ['mo-root', 'mo-sub1', 'mo-sub2', 'contract-leaf'],
  ['oem-root', 'oem-sub1', 'oem-sub2', 'oem-prov-leaf'],
  ['v2g-root', 'cps-sub1', 'cps-sub2', 'cps-leaf'],
  ['v2g-root', 'mo-sub1', 'mo-sub2', 'contract-leaf'], // Hubject: MO sub-CAs under the V2G root (C7)
  ['v2g-root', 'ocsp-signer'],
];
const CHAINS_20: readonly (readonly CertificateRole[])[] = [
  ['v2g-root', 'vehicle-sub1', 'vehicle-sub2', 'vehicle-leaf'],
  ['pe-root', 'pe-leaf'], // [V2G20-867]: a PE root issues leaves directly
];

function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function pem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

async function buildChain(
  iso: IsoVersion,
  roles: readonly CertificateRole[],
  alg: TestKeyAlgorithm,
): Promise<Uint8Array[]> {
  const ders: Uint8Array[] = [];
  let parentKey: TestKey | null = null;
  let parentName: NameSpec | null = null;
  for (const role of roles) {
    const profile = getProfile(iso, role);
    assert.ok(profile, `${iso}/${role}`);
    const k = await generateTestKey(alg);
    const { spec } = conformingSpec(
      profile,
      k,
      parentKey ?? k,
      parentName === null ? {} : { issuerName: parentName },
    );
    const der = await buildCertificate(spec);
    const issuer = ders.at(-1);
    const result = lintCertificate(der, profile, {
      at: new Date(TEST_NOW.getTime() + 86_400_000),
      ...(issuer === undefined ? {} : { issuer }),
    });
    assert.deepEqual(result.violations, [], `${profile.id}`);
    ders.push(der);
    parentKey = k;
    parentName = subjectFor(profile);
  }
  return ders;
}

describe('conforming chains', () => {
  const cases: [IsoVersion, readonly CertificateRole[], TestKeyAlgorithm][] = [
    ...CHAINS.map((c) => ['2', c, 'P-256'] as [IsoVersion, readonly CertificateRole[], TestKeyAlgorithm]),
    ...[...CHAINS, ...CHAINS_20].flatMap((c) => [
      ['20', c, 'P-521'] as [IsoVersion, readonly CertificateRole[], TestKeyAlgorithm],
      ['20', c, 'Ed448'] as [IsoVersion, readonly CertificateRole[], TestKeyAlgorithm],
    ]),
  ];
  const haveOpenssl = opensslAvailable();
  for (const [iso, roles, alg] of cases) {
    it(`ISO 15118-${iso} ${alg}: ${roles.join(' → ')}`, async (t) => {
      const chain = await buildChain(iso, roles, alg);
      if (!haveOpenssl) return t.skip('SKIPPED: openssl not on PATH (independent X.509 oracle)');
      const dir = mkdtempSync(join(tmpdir(), 'pnc-chain-'));
      try {
        const [root, ...rest] = chain;
        const leaf = rest.pop();
        assert.ok(root && leaf);
        writeFileSync(join(dir, 'root.pem'), pem(root));
        writeFileSync(join(dir, 'untrusted.pem'), rest.map(pem).join(''));
        writeFileSync(join(dir, 'leaf.pem'), pem(leaf));
        const at = String(Math.floor(TEST_NOW.getTime() / 1000) + 86_400);
        const args = ['verify', '-x509_strict', '-attime', at, '-CAfile', join(dir, 'root.pem')];
        if (rest.length > 0) args.push('-untrusted', join(dir, 'untrusted.pem'));
        const out = execFileSync('openssl', [...args, join(dir, 'leaf.pem')], {
          encoding: 'utf8',
          stdio: 'pipe',
        });
        assert.match(out, /: OK/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
