// ISO 15118-20 Plug & Charge messages made here (no signed -20 stream is public; issue 6 item 5):
// a CertificateInstallationReq signed by the OEM provisioning key, a CertificateInstallationRes whose
// SignedInstallationData carries a P-521 contract key encrypted for the vehicle (D-015) and is
// signed by the CPS, and an AuthorizationReq in PnC mode signed by the contract key — each checked
// against facts that do not come from our own code: fragment event codes and widths from
// exi-and-signatures.md §1.3, the XSD facets (SessionID 8, DHPublicKey 133,
// SECP521_EncryptedPrivateKey 94 bytes), and the decrypted key matching the contract certificate.
import assert from 'node:assert/strict';
import { createECDH, KeyObject, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { decryptContractKeyIso20, encryptContractKeyIso20 } from '../contract-key/iso20-key-transport.ts';
import { signContractData20 } from '../cps/contract-data-20.ts';
import {
  decodeExiDocument,
  encodeExiDocument,
  encodeExiFragment,
  type ModelObject,
  schemaSet,
} from '../exi/codec.ts';
import { buildCertificate, generateTestKey, type TestKey } from '../pki/lint/testing/cert-builder.ts';
import { ISO20_COMMON_NS, signIso20Message, verifyIso20Message } from './v2g-signature.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));
const PCID = 'WMIV1234567890ABCD';
const common = schemaSet('iso-20-common');

async function party(cn: string): Promise<{
  key: TestKey;
  der: Uint8Array;
  signRaw: (d: Uint8Array) => Promise<Uint8Array>;
  privateKey: KeyObject;
}> {
  const key = await generateTestKey('P-521');
  const der = await buildCertificate({
    subject: [['CN', cn]],
    issuer: [['CN', cn]],
    serialHex: '05',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2029-01-01T00:00:00Z'),
    subjectKey: key,
    signerKey: key,
    extensions: [],
  });
  const signRaw = async (d: Uint8Array) =>
    new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-512' }, key.privateKey, d));
  return { key, der, signRaw, privateKey: KeyObject.from(key.privateKey) };
}

const header = () => ({ SessionID: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), TimeStamp: 1_790_000_000n });
const fragmentCode = (bytes: Uint8Array) => (bytes[1]! << 1) | (bytes[2]! >> 7); // 9-bit FragmentContent code

describe('ISO 15118-20 PnC messages made and checked here', () => {
  test('CertificateInstallationRes: SignedInstallationData (P-521 key for the vehicle) signed by the CPS; the vehicle recovers the contract key', async () => {
    const cps = await party('CPS leaf');
    const vehicle = await party('vehicle PCID WMIV1234567890ABCD');
    const contract = await party('contract DEABC1234567890');
    const ski = Uint8Array.from([1, 0, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6]);
    const transport = encryptContractKeyIso20({
      contractPrivateKey: contract.privateKey,
      recipient: vehicle.der,
      pcid: PCID,
      contractSki: ski,
      randomBytes: rnd,
    });
    // The builder of the CPS (src/cps/contract-data-20.ts) makes and signs the message.
    const { message, exi: bytes } = await signContractData20(
      {
        contractChain: { certificate: contract.der, subCertificates: [cps.der] },
        curve: 'SECP521',
        dhPublicKey: transport.dhPublicKey,
        encryptedPrivateKey: transport.encryptedPrivateKey,
      },
      {
        cpsChain: { certificate: cps.der, subCertificates: [] },
        suite: 'ecdsa-p521-sha512',
        signRaw: cps.signRaw,
        sessionId: header().SessionID,
        timeStamp: new Date(1_790_000_000_000),
      },
    );
    // Strict facets (the default) accept the sizes: SessionID 8, DHPublicKey 133, encrypted key 94.
    assert.deepEqual(encodeExiDocument('iso-20-common', message), bytes);
    assert.equal(bytes[1]! >> 2, 8, 'CertificateInstallationRes = DocContent 8 of 54 (6 bits)');
    const signedFragment = encodeExiFragment(common, [
      {
        name: { ns: ISO20_COMMON_NS, local: 'SignedInstallationData' },
        value: message.value.SignedInstallationData as ModelObject,
      },
    ]);
    assert.equal(
      fragmentCode(signedFragment),
      231,
      'SignedInstallationData = FragmentContent 231 of 281 (9 bits)',
    );

    const decoded = decodeExiDocument('iso-20-common', bytes);
    const report = verifyIso20Message(decoded);
    assert.equal(report.valid, true);
    assert.match(report.signer!, /CN=CPS leaf/);

    const data = (decoded.value as ModelObject).SignedInstallationData as ModelObject;
    const key = decryptContractKeyIso20({
      curve: 'SECP521',
      encryptedPrivateKey: data.SECP521_EncryptedPrivateKey as Uint8Array,
      dhPublicKey: data.DHPublicKey as Uint8Array,
      recipientPrivateKey: vehicle.privateKey,
      pcid: PCID,
      contractSki: ski,
    });
    // The recovered scalar is the contract certificate's key: its public point is the certificate's.
    const ecdh = createECDH('secp521r1');
    ecdh.setPrivateKey(Buffer.from(key));
    const certificateJwk = new X509Certificate(contract.der).publicKey.export({ format: 'jwk' });
    const point = ecdh.getPublicKey(null, 'uncompressed');
    assert.equal(point.subarray(1, 67).toString('base64url'), certificateJwk.x);
    assert.equal(point.subarray(67).toString('base64url'), certificateJwk.y);
  });

  test('AuthorizationReq in PnC mode signed by the contract key over PnC_AReqAuthorizationMode (not the whole message)', async () => {
    const contract = await party('contract DEABC1234567890');
    const message = {
      name: { ns: ISO20_COMMON_NS, local: 'AuthorizationReq' },
      value: {
        Header: header(),
        SelectedAuthorizationService: 'PnC',
        PnC_AReqAuthorizationMode: {
          Id: 'id1',
          GenChallenge: new Uint8Array(16).fill(0x5a),
          ContractCertificateChain: {
            Certificate: contract.der,
            SubCertificates: { Certificate: [contract.der] },
          },
        },
      } as ModelObject,
    };
    await signIso20Message(message, { ids: ['id1'], signRaw: contract.signRaw, suite: 'ecdsa-p521-sha512' });
    const bytes = encodeExiDocument('iso-20-common', message);
    assert.equal(bytes[1]! >> 2, 0, 'AuthorizationReq = DocContent 0 (documents start 80 00)');
    const fragment = encodeExiFragment(common, [
      {
        name: { ns: ISO20_COMMON_NS, local: 'PnC_AReqAuthorizationMode' },
        value: message.value.PnC_AReqAuthorizationMode,
      },
    ]);
    assert.equal(fragmentCode(fragment), 151, 'PnC_AReqAuthorizationMode = FragmentContent 151');
    const report = verifyIso20Message(decodeExiDocument('iso-20-common', bytes));
    assert.equal(report.valid, true);
    assert.deepEqual(
      report.references.map((r) => r.element),
      ['PnC_AReqAuthorizationMode'],
    );
    // Changing the echoed GenChallenge breaks the reference.
    const tampered = decodeExiDocument('iso-20-common', bytes);
    (
      ((tampered.value as ModelObject).PnC_AReqAuthorizationMode as ModelObject).GenChallenge as Uint8Array
    )[0] = 0;
    assert.equal(verifyIso20Message(tampered).references[0]!.status, 'digest-mismatch');
  });
});

test('X448 key transport fits the corrected facets (D-029): 56-byte DHPublicKey, 85-byte Ed448 key, strict encoding', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const vehicle = generateKeyPairSync('x448');
  const contract = generateKeyPairSync('ed448');
  const t = encryptContractKeyIso20({
    contractPrivateKey: contract.privateKey,
    recipient: vehicle.publicKey,
    pcid: PCID,
    contractSki: new Uint8Array(8),
    randomBytes: rnd,
  });
  assert.equal(t.dhPublicKey.length, 56);
  const bytes = encodeExiFragment(common, [
    {
      name: { ns: ISO20_COMMON_NS, local: 'SignedInstallationData' },
      value: {
        Id: 'id1',
        ContractCertificateChain: {
          Certificate: new Uint8Array(10),
          SubCertificates: { Certificate: [new Uint8Array(10)] },
        },
        ECDHCurve: 'X448',
        DHPublicKey: t.dhPublicKey,
        X448_EncryptedPrivateKey: t.encryptedPrivateKey,
      },
    },
  ]);
  assert.ok(bytes.length > 0);
});
