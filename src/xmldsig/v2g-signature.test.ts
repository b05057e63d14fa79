import assert from 'node:assert/strict';
import { sign as cryptoSign, generateKeyPairSync, webcrypto } from 'node:crypto';
import { describe, test } from 'node:test';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { isAppError } from '../errors/app-error.ts';
import { decodeExiDocument, encodeExiDocument, type ModelObject, NS, schemaSet } from '../exi/codec.ts';
import { xmlToElement } from '../exi/xml-model.ts';
import { exiVector, hasShared, readSharedJson, SHARED_SKIP } from '../testing/shared-data.ts';
import { signV2gMessage, verifyV2gMessage } from './v2g-signature.ts';

const V2G_MESSAGE = { ns: NS.iso2MsgDef, local: 'V2G_Message' };

function decodeVector(id: string): { name: typeof V2G_MESSAGE; value: ModelObject } {
  const v = exiVector('iso-2.jsonl', id)!;
  const d = decodeExiDocument('iso-2', new Uint8Array(Buffer.from(v.exi, 'base64')));
  return d as { name: typeof V2G_MESSAGE; value: ModelObject };
}

const body = (m: { value: ModelObject }, type: string): ModelObject =>
  (m.value.Body as ModelObject)[type] as ModelObject;

describe('real signed messages', { skip: hasShared('vectors', 'exi') ? false : SHARED_SKIP }, () => {
  test('Hubject CertificateInstallationReq: OEM signature over #ID1 verifies with the certificate it carries', () => {
    const report = verifyV2gMessage(decodeVector('opcp-CertificateInstallationReq'));
    assert.equal(report.valid, true);
    assert.deepEqual(
      report.references.map((r) => [r.uri, r.status]),
      [['#ID1', 'ok']],
    );
    assert.equal(Buffer.from(report.references[0]!.computed!).toString('hex').slice(0, 8), 'ad4ef309');
    assert.match(report.signer!, /CN=hubjectopenpnc0001/);
  });

  test('Hubject and CharIN CertificateInstallationRes: 4 references in any order, eMAID included', () => {
    for (const id of [
      'opcp-CertificateInstallationRes',
      'opnc-CertificateInstallationRes',
      'ds-i2-dc-pnc-ci-f0118',
    ]) {
      const report = verifyV2gMessage(decodeVector(id));
      assert.equal(report.valid, true, id);
      assert.equal(report.references.length, 4);
      assert.deepEqual(report.unreferenced, []);
    }
  });

  test('a changed signed field fails and names its reference; a changed SignatureValue fails the signature', () => {
    const req = decodeVector('opcp-CertificateInstallationReq');
    const cert = body(req, 'CertificateInstallationReq').OEMProvisioningCert as Uint8Array;
    cert[cert.length - 40]! ^= 0x01;
    let report = verifyV2gMessage(req, {
      certificates: [
        (decodeVector('opcp-CertificateInstallationReq').value.Body as ModelObject).CertificateInstallationReq
          ? (body(decodeVector('opcp-CertificateInstallationReq'), 'CertificateInstallationReq')
              .OEMProvisioningCert as Uint8Array)
          : cert,
      ],
    });
    assert.equal(report.valid, false);
    assert.deepEqual(
      report.references.map((r) => [r.uri, r.status]),
      [['#ID1', 'digest-mismatch']],
    );

    const res = decodeVector('opcp-CertificateInstallationRes');
    const emaid = body(res, 'CertificateInstallationRes').eMAID as ModelObject;
    emaid.$value = `${emaid.$value}X`.slice(1);
    report = verifyV2gMessage(res);
    assert.deepEqual(
      report.references.filter((r) => r.status !== 'ok').map((r) => [r.uri, r.element]),
      [['#ID4', 'eMAID']],
    );

    const res2 = decodeVector('opcp-CertificateInstallationRes');
    const sv = ((res2.value.Header as ModelObject).Signature as ModelObject).SignatureValue as ModelObject;
    (sv.$value as Uint8Array)[5]! ^= 0x10;
    report = verifyV2gMessage(res2);
    assert.equal(report.signature, 'invalid');
    assert.equal(report.valid, false);

    // r = 0, s = 0 and r, s = n or beyond (SEC 1 §4.1.4 step 1): invalid, never an exception.
    for (const fill of [0x00, 0xff]) {
      const res3 = decodeVector('opcp-CertificateInstallationRes');
      const sv3 = ((res3.value.Header as ModelObject).Signature as ModelObject).SignatureValue as ModelObject;
      (sv3.$value as Uint8Array).fill(fill);
      report = verifyV2gMessage(res3);
      assert.equal(report.signature, 'invalid', `SignatureValue of 0x${fill.toString(16)} octets`);
    }
  });

  test('an AuthorizationReq is verified with the contract certificate given', () => {
    const v = exiVector('iso-2.jsonl', 'ds-i2-dc-pnc-ci-f0128')!;
    const certificates = (v.signature!.signerCertificates ?? []).map(
      (c) => new Uint8Array(Buffer.from(c, 'base64')),
    );
    const message = decodeVector('ds-i2-dc-pnc-ci-f0128');
    assert.equal(verifyV2gMessage(message).signature, 'no-certificate');
    assert.equal(verifyV2gMessage(message, { certificates }).valid, true);
  });

  test('the signed contract data XML of OPCP cps.v1.json verifies (XML and EXI canonical forms agree)', {
    skip: hasShared('specs') ? false : SHARED_SKIP,
  }, () => {
    const spec = readSharedJson('specs', 'opcp-1.0.0', 'reference', 'cps.v1.json') as {
      components: { schemas: Record<string, { 'x-examples'?: Record<string, { signedData?: string }> }> };
    };
    const examples = [
      spec.components.schemas.SignedContractDataResponse?.['x-examples']?.['example-1']?.signedData,
      spec.components.schemas.CreateSignedContractDataResponse?.['x-examples']?.example?.signedData,
    ];
    for (const b64 of examples) {
      assert.ok(b64);
      const xml = Buffer.from(b64, 'base64').toString('utf8');
      const report = verifyV2gMessage(xmlToElement(schemaSet('iso-2'), xml));
      assert.equal(report.valid, true);
      assert.match(report.signer!, /CN=CPS 2022.2 QA/);
    }
  });
});

async function selfSignedP256(): Promise<{
  der: Uint8Array;
  signRaw: (d: Uint8Array) => Promise<Uint8Array>;
}> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keys = {
    privateKey: await webcrypto.subtle.importKey(
      'pkcs8',
      privateKey.export({ format: 'der', type: 'pkcs8' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    ),
    publicKey: await webcrypto.subtle.importKey(
      'spki',
      publicKey.export({ format: 'der', type: 'spki' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['verify'],
    ),
  };
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01',
      name: 'CN=test contract',
      notBefore: new Date('2026-01-01'),
      notAfter: new Date('2027-01-01'),
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    },
    webcrypto,
  );
  return {
    der: new Uint8Array(cert.rawData),
    signRaw: async (data) =>
      new Uint8Array(cryptoSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  };
}

describe('signing', () => {
  test('sign → encode → decode → verify an AuthorizationReq; tampering is detected', async () => {
    const key = await selfSignedP256();
    const message = {
      name: V2G_MESSAGE,
      value: {
        Header: { SessionID: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) },
        Body: { AuthorizationReq: { Id: 'ID1', GenChallenge: new Uint8Array(16).fill(7) } },
      } as ModelObject,
    };
    await signV2gMessage(message, { ids: ['ID1'], signRaw: key.signRaw });
    const bytes = encodeExiDocument('iso-2', message);
    const decoded = decodeExiDocument('iso-2', bytes);
    assert.equal(verifyV2gMessage(decoded, { certificates: [key.der] }).valid, true);
    const tampered = bytes.slice();
    tampered[tampered.length - 3]! ^= 0x01; // inside GenChallenge
    const report = verifyV2gMessage(decodeExiDocument('iso-2', tampered), { certificates: [key.der] });
    assert.equal(report.valid, false);
  });

  test('coverage both ways: a missing target and an unreferenced required element are reported', async () => {
    const key = await selfSignedP256();
    const value = {
      Header: { SessionID: new Uint8Array([0]) },
      Body: {
        CertificateInstallationRes: {
          ResponseCode: 'OK',
          SAProvisioningCertificateChain: { Certificate: key.der },
          ContractSignatureCertChain: { Id: 'ID1', Certificate: key.der },
          ContractSignatureEncryptedPrivateKey: { Id: 'ID2', $value: new Uint8Array(48) },
          DHpublickey: { Id: 'ID3', $value: new Uint8Array(65).fill(4) },
          eMAID: { Id: 'ID4', $value: 'DEABCC123ABC56' },
        },
      },
    } as ModelObject;
    const message = { name: V2G_MESSAGE, value };
    await signV2gMessage(message, { ids: ['ID3', 'ID1', 'ID2'], signRaw: key.signRaw });
    let report = verifyV2gMessage(decodeExiDocument('iso-2', encodeExiDocument('iso-2', message)));
    assert.equal(report.signature, 'valid');
    assert.deepEqual(report.unreferenced, ['eMAID']);
    assert.equal(report.valid, false);

    await signV2gMessage(message, { ids: ['ID4', 'ID3', 'ID1', 'ID2'], signRaw: key.signRaw });
    report = verifyV2gMessage(decodeExiDocument('iso-2', encodeExiDocument('iso-2', message)));
    assert.equal(report.valid, true);
    // Rename the eMAID's Id: its reference now points nowhere.
    (body(message, 'CertificateInstallationRes').eMAID as ModelObject).Id = 'ID9';
    report = verifyV2gMessage(decodeExiDocument('iso-2', encodeExiDocument('iso-2', message)));
    assert.deepEqual(report.references.find((r) => r.uri === '#ID4')?.status, 'missing');
    assert.equal(report.valid, false);
  });

  test('xmldsig features V2G does not use are refused (KeyInfo, other algorithms, duplicate Ids)', async () => {
    const key = await selfSignedP256();
    const fresh = async (): Promise<{ name: typeof V2G_MESSAGE; value: ModelObject }> => {
      const m = {
        name: V2G_MESSAGE,
        value: {
          Header: { SessionID: new Uint8Array([9]) },
          Body: { AuthorizationReq: { Id: 'a', GenChallenge: new Uint8Array(16) } },
        } as ModelObject,
      };
      await signV2gMessage(m, { ids: ['a'], signRaw: key.signRaw });
      return m;
    };
    const signatureOf = (m: { value: ModelObject }): ModelObject =>
      (m.value.Header as ModelObject).Signature as ModelObject;
    const refused = (m: { name: typeof V2G_MESSAGE; value: ModelObject }, pattern: RegExp): void => {
      assert.throws(
        () => verifyV2gMessage(m, { certificates: [key.der] }),
        (e: unknown) => isAppError(e) && e.code === 'sig.unsupported' && pattern.test(e.message),
      );
    };
    let m = await fresh();
    signatureOf(m).KeyInfo = { KeyName: ['k'] };
    refused(m, /KeyInfo/);
    m = await fresh();
    ((signatureOf(m).SignedInfo as ModelObject).SignatureMethod as ModelObject).Algorithm =
      'http://www.w3.org/2000/09/xmldsig#hmac-sha1';
    refused(m, /SignatureMethod/);
    m = await fresh();
    (
      ((signatureOf(m).SignedInfo as ModelObject).Reference as ModelObject[])[0]!.Transforms as ModelObject
    ).Transform = [{ Algorithm: 'http://www.w3.org/TR/canonical-exi/', XPath: ['/'] }];
    refused(m, /XPath/);
  });
});
