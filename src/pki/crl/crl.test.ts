// CRL issuance checked with the real `openssl` (signature, text, and revocation during path
// validation), with @peculiar/x509 as an independent parser, and its refusals.

import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { isAppError } from '../../errors/app-error.ts';
import {
  buildTestCertificate,
  createTestPki,
  generateTestSigner,
  hasOpenssl,
  OPENSSL_SKIP,
  openssl,
  TempDir,
  type TestPki,
  toPem,
  validityAroundNow,
} from '../ocsp/testing/test-pki.ts';
import { OID } from '../ocsp/x509.ts';
import { type BuildCrlInput, buildCrl, CRL_REASON } from './index.ts';

const skip = hasOpenssl() ? false : OPENSSL_SKIP;
const DAY = 86_400_000;

function hasCode(code: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isAppError(e), `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

const REVOKED = [
  { serial: 0x1002n, reason: CRL_REASON.keyCompromise, text: 'Key Compromise' },
  { serial: 0x2001n, reason: CRL_REASON.superseded, text: 'Superseded' },
  { serial: 0x2002n, reason: CRL_REASON.cessationOfOperation, text: 'Cessation Of Operation' },
  { serial: 0x2003n, reason: CRL_REASON.privilegeWithdrawn, text: 'Privilege Withdrawn' },
  { serial: 0x2004n, reason: CRL_REASON.affiliationChanged, text: 'Affiliation Changed' },
  { serial: 0x2005n, reason: CRL_REASON.certificateHold, text: 'Certificate Hold' },
  { serial: 0x2006n, reason: CRL_REASON.aACompromise, text: 'AA Compromise' },
  { serial: 0x2007n, reason: CRL_REASON.cACompromise, text: 'CA Compromise' },
] as const;

for (const algorithm of ['P-256', 'P-521', 'Ed448'] as const) {
  describe(`CRL ${algorithm}`, () => {
    let pki: TestPki;
    let dir: TempDir;
    let der: Uint8Array;
    const now = Date.now();

    before(async () => {
      pki = await createTestPki(algorithm);
      dir = new TempDir();
      der = await buildCrl({
        issuer: { signer: pki.sub.signer, certificateDer: pki.sub.certificate },
        thisUpdate: new Date(now - 60_000),
        nextUpdate: new Date(now + 7 * DAY),
        crlNumber: 0x0102_0304_0506_0708_090an,
        revoked: [
          ...REVOKED.map((r) => ({ serial: r.serial, revokedAt: new Date(now - DAY), reason: r.reason })),
          { serial: 0x3000n, revokedAt: new Date(now - DAY), reason: CRL_REASON.unspecified },
          { serial: 0x3001n, revokedAt: new Date(now - DAY) },
        ],
      });
      dir.write('crl.der', der);
      dir.write('root.pem', toPem(pki.root.certificate, 'CERTIFICATE'));
      dir.write('sub.pem', toPem(pki.sub.certificate, 'CERTIFICATE'));
      dir.write(
        'chain.pem',
        toPem(pki.sub.certificate, 'CERTIFICATE') + toPem(pki.root.certificate, 'CERTIFICATE'),
      );
      dir.write('crl.pem', toPem(der, 'X509 CRL'));
      for (const [i, leaf] of pki.leaves.entries())
        dir.write(`leaf${i}.pem`, toPem(leaf.certificate, 'CERTIFICATE'));
    });
    after(() => dir?.remove());

    test('openssl crl verifies the signature and lists every serial with its reason', { skip }, () => {
      const r = openssl(
        ['crl', '-inform', 'DER', '-in', 'crl.der', '-CAfile', 'sub.pem', '-verify', '-noout', '-text'],
        {
          cwd: dir.path,
        },
      );
      assert.equal(r.status, 0, r.output);
      assert.match(r.output, /verify OK/);
      assert.match(r.output, /Version 2 \(0x1\)/);
      // openssl prints the CRL number in decimal
      assert.match(
        r.output,
        new RegExp(`X509v3 CRL Number:\\s*\\n\\s*${0x0102_0304_0506_0708_090an.toString()}\\n`),
      );
      assert.match(r.output, /X509v3 Authority Key Identifier:/);
      const text = r.output;
      for (const entry of REVOKED) {
        const hex = entry.serial.toString(16).toUpperCase();
        const block = new RegExp(
          `Serial Number: ${hex}\\s*\\n\\s*Revocation Date: [^\\n]+\\n\\s*CRL entry extensions:\\s*\\n\\s*X509v3 CRL Reason Code:\\s*\\n\\s*${entry.text}`,
        );
        assert.match(text, block, `${hex} ${entry.text}`);
      }
      for (const hex of ['3000', '3001']) {
        // unspecified / absent reason: no entry extension at all (RFC 5280 §5.3.1)
        assert.match(
          text,
          new RegExp(
            `Serial Number: ${hex}\\s*\\n\\s*Revocation Date: [^\\n]+\\n(\\s*Serial Number|\\s*Signature Algorithm)`,
          ),
        );
      }
    });

    test('openssl verify -crl_check refuses the revoked leaf and accepts the others', { skip }, () => {
      const revoked = openssl(
        ['verify', '-crl_check', '-CAfile', 'chain.pem', '-CRLfile', 'crl.pem', 'leaf1.pem'],
        {
          cwd: dir.path,
        },
      );
      assert.notEqual(revoked.status, 0);
      assert.match(revoked.output, /certificate revoked/);
      const good = openssl(
        ['verify', '-crl_check', '-CAfile', 'chain.pem', '-CRLfile', 'crl.pem', 'leaf0.pem', 'leaf2.pem'],
        {
          cwd: dir.path,
        },
      );
      assert.equal(good.status, 0, good.output);
      assert.match(good.output, /leaf0\.pem: OK/);
      assert.match(good.output, /leaf2\.pem: OK/);
    });

    test('@peculiar/x509 reads the same CRL', () => {
      const crl = new x509.X509Crl(der);
      assert.equal(crl.version, 1, 'the raw Version INTEGER: 1 = v2');
      assert.equal(crl.entries.length, REVOKED.length + 2);
      const serials = crl.entries.map((e) => BigInt(`0x${e.serialNumber}`));
      assert.deepEqual(
        serials,
        [...serials].sort((a, b) => (a < b ? -1 : 1)),
        'sorted by serial',
      );
      for (const entry of REVOKED) {
        const found = crl.entries.find((e) => BigInt(`0x${e.serialNumber}`) === entry.serial);
        assert.equal(found?.reason, entry.reason);
      }
      assert.equal(crl.entries.find((e) => e.serialNumber === '3000')?.extensions.length, 0);
      assert.equal(crl.issuer, new x509.X509Certificate(pki.sub.certificate).subject);
      const aki = crl.getExtension(x509.AuthorityKeyIdentifierExtension);
      const ski = new x509.X509Certificate(pki.sub.certificate).getExtension(
        x509.SubjectKeyIdentifierExtension,
      );
      assert.equal(aki?.keyId, ski?.keyId);
      assert.equal(crl.getExtension(OID.crlNumber)?.critical, false);
    });
  });
}

describe('CRL edge cases', () => {
  let pki: TestPki;
  before(async () => {
    pki = await createTestPki('Ed448');
  });
  const base = (): BuildCrlInput => ({
    issuer: { signer: pki.sub.signer, certificateDer: pki.sub.certificate },
    thisUpdate: new Date('2030-01-01T00:00:00Z'),
    nextUpdate: new Date('2030-01-08T00:00:00Z'),
    crlNumber: 1n,
    revoked: [],
  });

  test('an empty CRL omits revokedCertificates; dates from 2050 use GeneralizedTime', { skip }, async () => {
    const dir = new TempDir();
    try {
      const der = await buildCrl({
        ...base(),
        thisUpdate: new Date('2050-01-01T00:00:00Z'),
        nextUpdate: new Date('2051-01-01T00:00:00.999Z'),
      });
      dir.write('crl.der', der);
      dir.write('sub.pem', toPem(pki.sub.certificate, 'CERTIFICATE'));
      const r = openssl(
        ['crl', '-inform', 'DER', '-in', 'crl.der', '-CAfile', 'sub.pem', '-verify', '-noout', '-text'],
        { cwd: dir.path },
      );
      assert.equal(r.status, 0, r.output);
      assert.match(r.output, /verify OK/);
      assert.match(r.output, /No Revoked Certificates/);
      assert.match(r.output, /Last Update: Jan {2}1 00:00:00 2050 GMT/);
      assert.match(r.output, /Next Update: Jan {2}1 00:00:00 2051 GMT/);
      const p = openssl(['asn1parse', '-inform', 'DER', '-in', 'crl.der'], { cwd: dir.path });
      assert.match(p.output, /GENERALIZEDTIME\s+:20500101000000Z/);
    } finally {
      dir.remove();
    }
  });

  test('property: the entry order does not change the (deterministic Ed448) CRL', async () => {
    const entries = Array.from({ length: 12 }, (_, i) => ({
      serial: BigInt(i + 1) * 0x1_0000_0001n,
      revokedAt: new Date(Date.UTC(2029, 11, i + 1)),
      reason: [0, 1, 3, 4, 5, 9][i % 6] as number,
    }));
    const reference = await buildCrl({ ...base(), revoked: entries });
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(entries, { minLength: entries.length }), async (shuffled) => {
        assert.deepEqual(await buildCrl({ ...base(), revoked: shuffled }), reference);
      }),
      { numRuns: 20 },
    );
  });

  test('refuses inconsistent input with crl.invalid', async () => {
    const at = new Date('2029-12-01T00:00:00Z');
    const noCrlSign = await buildTestCertificate({
      subject: [['CN', 'No cRLSign']],
      subjectKey: pki.sub.signer,
      issuer: pki.root,
      serial: 77n,
      ...validityAroundNow(),
      ca: { pathLen: 0 },
      keyUsage: ['keyCertSign'],
    });
    const bad: BuildCrlInput[] = [
      { ...base(), issuer: { signer: generateTestSigner('Ed448'), certificateDer: pki.sub.certificate } },
      { ...base(), issuer: { signer: pki.sub.signer, certificateDer: noCrlSign } },
      { ...base(), issuer: { signer: pki.sub.signer, certificateDer: Uint8Array.of(1, 2, 3) } },
      { ...base(), nextUpdate: base().thisUpdate },
      { ...base(), thisUpdate: new Date(Number.NaN) },
      { ...base(), crlNumber: -1n },
      { ...base(), crlNumber: 1n << 159n },
      { ...base(), revoked: [{ serial: 0n, revokedAt: at }] },
      { ...base(), revoked: [{ serial: 1n << 159n, revokedAt: at }] },
      {
        ...base(),
        revoked: [
          { serial: 5n, revokedAt: at },
          { serial: 5n, revokedAt: at },
        ],
      },
      { ...base(), revoked: [{ serial: 5n, revokedAt: at, reason: 7 }] },
      { ...base(), revoked: [{ serial: 5n, revokedAt: at, reason: CRL_REASON.removeFromCRL }] },
      { ...base(), revoked: [{ serial: 5n, revokedAt: at, reason: 11 }] },
      { ...base(), revoked: [{ serial: 5n, revokedAt: new Date(Number.NaN) }] },
    ];
    for (const [i, input] of bad.entries())
      await assert.rejects(buildCrl(input), hasCode('crl.invalid'), `case ${i}`);
  });
});
