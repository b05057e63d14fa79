import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  decodeExiDocument,
  encodeExiDocument,
  encodeExiFragment,
  type ModelObject,
  schemaSet,
} from '../exi/codec.ts';
import { buildCertificate, generateTestKey, type TestKey } from '../pki/lint/testing/cert-builder.ts';
import {
  ISO20_COMMON_NS,
  SHAKE256_OUTPUT_BYTES,
  SUITE_ED448,
  SUITE_P521,
  signIso20Message,
  verifyIso20Message,
} from './v2g-signature.ts';

async function keyAndCertificate(
  alg: 'P-521' | 'Ed448',
): Promise<{ key: TestKey; der: Uint8Array; signRaw: (d: Uint8Array) => Promise<Uint8Array> }> {
  const key = await generateTestKey(alg);
  const der = await buildCertificate({
    subject: [['CN', 'test vehicle']],
    issuer: [['CN', 'test vehicle']],
    serialHex: '0a',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2028-01-01T00:00:00Z'),
    subjectKey: key,
    signerKey: key,
    extensions: [],
  });
  const signRaw = async (data: Uint8Array): Promise<Uint8Array> =>
    new Uint8Array(
      await webcrypto.subtle.sign(
        alg === 'Ed448' ? { name: 'Ed448' } : { name: 'ECDSA', hash: 'SHA-512' },
        key.privateKey,
        data,
      ),
    );
  return { key, der, signRaw };
}

const header = () => ({ SessionID: new Uint8Array(8).fill(0x11), TimeStamp: 1_790_000_000n });

function certificateInstallationReq(cert: Uint8Array): {
  name: { ns: string; local: string };
  value: ModelObject;
} {
  return {
    name: { ns: ISO20_COMMON_NS, local: 'CertificateInstallationReq' },
    value: {
      Header: header(),
      OEMProvisioningCertificateChain: { Id: 'id1', Certificate: cert },
      ListOfRootCertificateIDs: {
        RootCertificateID: [{ X509IssuerName: 'CN=V2G Root', X509SerialNumber: 12345678901234567890n }],
      },
      MaximumContractCertificateChains: 2,
    },
  };
}

describe('ISO 15118-20 signatures over CommonMessages fragments', () => {
  for (const [alg, suite] of [['P-521', SUITE_P521] as const, ['Ed448', SUITE_ED448] as const]) {
    test(`CertificateInstallationReq signed with ${alg}: verifies; every flipped bit of the signed field is detected`, async () => {
      const { der, signRaw } = await keyAndCertificate(alg);
      const message = certificateInstallationReq(der);
      await signIso20Message(message, {
        ids: ['id1'],
        signRaw,
        suite: suite === SUITE_ED448 ? 'ed448-shake256' : 'ecdsa-p521-sha512',
      });
      const bytes = encodeExiDocument('iso-20-common', message);
      assert.equal(bytes[1]! >> 2, 7, 'CertificateInstallationReq is DocContent code 7 of 54 (6 bits)');
      const decoded = decodeExiDocument('iso-20-common', bytes);
      const report = verifyIso20Message(decoded);
      assert.equal(report.suite, suite.name);
      assert.equal(report.valid, true, JSON.stringify(report.references));
      assert.equal(report.references[0]!.computed!.length, suite === SUITE_P521 ? 64 : SHAKE256_OUTPUT_BYTES);
      const sig = (((decoded.value as ModelObject).Header as ModelObject).Signature as ModelObject)
        .SignatureValue as ModelObject;
      assert.equal((sig.$value as Uint8Array).length, suite.signatureLength);

      // A flipped bit anywhere in the signed OEMProvisioningCertificateChain fails and names the reference.
      const chain = (decoded.value as ModelObject).OEMProvisioningCertificateChain as ModelObject;
      const certificate = chain.Certificate as Uint8Array;
      for (const at of [0, 37, certificate.length - 1]) {
        const copy = structuredClone(decoded);
        (
          ((copy.value as ModelObject).OEMProvisioningCertificateChain as ModelObject)
            .Certificate as Uint8Array
        )[at]! ^= 0x04;
        const r = verifyIso20Message(copy, { certificates: [der] });
        assert.equal(r.valid, false);
        assert.deepEqual(
          r.references.map((x) => [x.uri, x.status, x.element]),
          [['#id1', 'digest-mismatch', 'OEMProvisioningCertificateChain']],
        );
      }
      // A flipped bit in the signature value fails the signature.
      const copy = structuredClone(decoded);
      (
        (((copy.value as ModelObject).Header as ModelObject).Signature as ModelObject)
          .SignatureValue as ModelObject
      ).$value = Uint8Array.from(sig.$value as Uint8Array, (b, i) => (i === 3 ? b ^ 1 : b));
      assert.equal(verifyIso20Message(copy).signature, 'invalid');
    });
  }

  test('the signed fragment is the element alone in the CommonMessages fragment grammar (9-bit code 128, ED = 282)', () => {
    const bytes = encodeExiFragment(schemaSet('iso-20-common'), [
      {
        name: { ns: ISO20_COMMON_NS, local: 'OEMProvisioningCertificateChain' },
        value: { Id: 'a', Certificate: new Uint8Array(3) },
      },
    ]);
    assert.equal(bytes[0], 0x80);
    assert.equal((bytes[1]! << 1) | (bytes[2]! >> 7), 128);
  });

  test('a -2 suite on a -20 message, or a key of the other suite, is refused', async () => {
    const p521 = await keyAndCertificate('P-521');
    const ed = await keyAndCertificate('Ed448');
    const message = certificateInstallationReq(p521.der);
    await signIso20Message(message, { ids: ['id1'], signRaw: p521.signRaw, suite: 'ecdsa-p521-sha512' });
    const decoded = decodeExiDocument('iso-20-common', encodeExiDocument('iso-20-common', message));
    assert.equal(verifyIso20Message(decoded, { certificates: [ed.der] }).signature, 'invalid');
    const sm = (
      (((decoded.value as ModelObject).Header as ModelObject).Signature as ModelObject)
        .SignedInfo as ModelObject
    ).SignatureMethod as ModelObject;
    sm.Algorithm = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
    assert.throws(() => verifyIso20Message(decoded), /SignatureMethod .* is not one of ISO 15118-20/);
  });
});

test('pnc exi verify --schema iso-20-common: exit 0 when valid, 1 with the failing reference named', async () => {
  const { spawnSync } = await import('node:child_process');
  const { resolve } = await import('node:path');
  const bin = resolve(import.meta.dirname, '../../bin/pnc.js');
  const { der, signRaw } = await keyAndCertificate('Ed448');
  const message = certificateInstallationReq(der);
  await signIso20Message(message, { ids: ['id1'], signRaw, suite: 'ed448-shake256' });
  const bytes = encodeExiDocument('iso-20-common', message);
  const ok = spawnSync(process.execPath, [bin, 'exi', 'verify', '--schema', 'iso-20-common'], {
    input: Buffer.from(bytes).toString('base64'),
    encoding: 'utf8',
  });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /reference #id1 \(OEMProvisioningCertificateChain\): ok shake256=/);
  assert.match(ok.stdout, /signature: valid \[ed448-shake256\]/);
  (message.value.OEMProvisioningCertificateChain as ModelObject).Id = 'id2';
  const bad = spawnSync(process.execPath, [bin, 'exi', 'verify', '--schema', 'iso-20-common'], {
    input: Buffer.from(encodeExiDocument('iso-20-common', message)).toString('base64'),
    encoding: 'utf8',
  });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /reference #id1: missing/);
  assert.match(bad.stdout, /not signed: OEMProvisioningCertificateChain/);
});
