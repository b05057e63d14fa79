// The signed contract data builder (src/cps/contract-data.ts): signs what verifyV2gMessage accepts,
// both wire forms carry the same signature, tampering is detected, the real Hubject / CharIN signed
// contract data parses and verifies, hostile input is refused with cps.invalid-signed-data.

import assert from 'node:assert/strict';
import { createECDH, sign as cryptoSign, KeyObject, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { decryptContractKeyIso2, encryptContractKeyIso2 } from '../contract-key/iso2-key-transport.ts';
import { isAppError } from '../errors/app-error.ts';
import { decodeExiDocument, encodeExiDocument, type ModelObject } from '../exi/codec.ts';
import { buildCertificate, generateTestKey, type TestKey } from '../pki/lint/testing/cert-builder.ts';
import { exiVector, hasShared, readSharedJson, SHARED_SKIP } from '../testing/shared-data.ts';
import { verifyV2gMessage } from '../xmldsig/v2g-signature.ts';
import {
  contractDataXml,
  type Iso2ContractData,
  parseContractData,
  SESSION_ID_PLACEHOLDER,
  signContractData,
  verifyContractData,
  withSessionId,
} from './contract-data.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));

interface Party {
  readonly key: TestKey;
  readonly der: Uint8Array;
  readonly privateKey: KeyObject;
  signRaw(data: Uint8Array): Promise<Uint8Array>;
}

async function party(cn: string): Promise<Party> {
  const key = await generateTestKey('P-256');
  const der = await buildCertificate({
    subject: [['CN', cn]],
    issuer: [['CN', cn]],
    serialHex: '0a',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2029-01-01T00:00:00Z'),
    subjectKey: key,
    signerKey: key,
    extensions: [],
  });
  const privateKey = KeyObject.from(key.privateKey);
  return {
    key,
    der,
    privateKey,
    signRaw: async (data) =>
      new Uint8Array(cryptoSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  };
}

async function fixture(): Promise<{
  cps: Party;
  cpsSub: Party;
  contract: Party;
  moSub: Party;
  vehicle: Party;
  data: Iso2ContractData;
}> {
  const [cps, cpsSub, contract, moSub, vehicle] = await Promise.all(
    ['CPS Leaf', 'Prov Sub-CA 2', 'DEABCC12345678', 'MO Sub-CA 2', 'WMIV1234567890ABCD'].map(party),
  );
  const transport = encryptContractKeyIso2({
    contractPrivateKey: contract!.privateKey,
    recipient: vehicle!.der,
    randomBytes: rnd,
  });
  return {
    cps: cps!,
    cpsSub: cpsSub!,
    contract: contract!,
    moSub: moSub!,
    vehicle: vehicle!,
    data: {
      contractChain: { certificate: contract!.der, subCertificates: [moSub!.der] },
      encryptedPrivateKey: transport.encryptedPrivateKey,
      dhPublicKey: transport.dhPublicKey,
      emaid: 'DEABCC12345678',
    },
  };
}

const res = (m: { value: ModelObject }) =>
  (m.value.Body as ModelObject).CertificateInstallationRes as ModelObject;

function code(error: unknown): string | undefined {
  return isAppError(error) ? error.code : undefined;
}

describe('signContractData (ISO 15118-2)', () => {
  test('the signature verifies with the CPS leaf over exactly the four Id elements; both forms agree', async () => {
    const f = await fixture();
    const signed = await signContractData(f.data, {
      cpsChain: { certificate: f.cps.der, subCertificates: [f.cpsSub.der] },
      signRaw: f.cps.signRaw,
    });
    const report = verifyV2gMessage(decodeExiDocument('iso-2', signed.exi));
    assert.equal(report.valid, true);
    assert.deepEqual(
      report.references.map((r) => [r.uri, r.element, r.status]),
      [
        ['#ID1', 'ContractSignatureCertChain', 'ok'],
        ['#ID2', 'ContractSignatureEncryptedPrivateKey', 'ok'],
        ['#ID3', 'DHpublickey', 'ok'],
        ['#ID4', 'eMAID', 'ok'],
      ],
    );
    assert.match(report.signer!, /CN=CPS Leaf/);
    // EXI round trip: decoding and re-encoding gives the same bytes; SessionID is the placeholder.
    const decoded = decodeExiDocument('iso-2', signed.exi);
    assert.deepEqual(encodeExiDocument('iso-2', decoded as never), signed.exi);
    assert.deepEqual((decoded.value as ModelObject).Header as ModelObject, {
      ...((decoded.value as ModelObject).Header as ModelObject),
      SessionID: SESSION_ID_PLACEHOLDER,
    });

    // The XML form: Hubject's shape (no SessionID, qualified Id attributes) parses back to the same
    // message, and its signature verifies too.
    assert.match(signed.xml, /^<\?xml version="1\.0" encoding="UTF-8"\?><ns6:V2G_Message /);
    assert.doesNotMatch(signed.xml, /SessionID/);
    assert.match(signed.xml, /<ns7:eMAID ns4:Id="ID4">DEABCC12345678<\/ns7:eMAID>/);
    const fromXml = parseContractData({ xml: signed.xml });
    assert.equal(fromXml.sessionId, null);
    assert.deepEqual(fromXml.exi, signed.exi, 'XML → EXI gives the signed EXI document byte for byte');
    assert.equal(verifyContractData(fromXml).valid, true);
    assert.equal(fromXml.contract.emaid, 'DEABCC12345678');
    assert.deepEqual(fromXml.contract.encryptedPrivateKey, f.data.encryptedPrivateKey);
    assert.deepEqual(fromXml.cpsChain.subCertificates, [f.cpsSub.der]);

    // The vehicle recovers the contract key from the signed data: it is the contract certificate's.
    const scalar = decryptContractKeyIso2({
      encryptedPrivateKey: fromXml.contract.encryptedPrivateKey,
      dhPublicKey: fromXml.contract.dhPublicKey,
      recipientPrivateKey: f.vehicle.privateKey,
    });
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(scalar));
    const jwk = f.contract.privateKey.export({ format: 'jwk' });
    assert.equal(ecdh.getPublicKey().subarray(1, 33).toString('base64url'), jwk.x);
  });

  test('a flipped bit in a signed field or in SignatureValue fails verification', async () => {
    const f = await fixture();
    const signed = await signContractData(f.data, {
      cpsChain: { certificate: f.cps.der, subCertificates: [] },
      signRaw: f.cps.signRaw,
    });
    for (const field of ['ContractSignatureEncryptedPrivateKey', 'DHpublickey'] as const) {
      const message = decodeExiDocument('iso-2', signed.exi) as { value: ModelObject };
      const value = (res(message)[field] as ModelObject).$value as Uint8Array;
      value[10]! ^= 0x01;
      const report = verifyContractData(
        parseContractData({ exi: encodeExiDocument('iso-2', message as never) }),
      );
      assert.equal(report.valid, false, field);
      assert.ok(report.problems.some((p) => /digest-mismatch/.test(p)));
    }
    const message = decodeExiDocument('iso-2', signed.exi) as { value: ModelObject };
    const signatureValue = (
      ((message.value.Header as ModelObject).Signature as ModelObject).SignatureValue as ModelObject
    ).$value as Uint8Array;
    signatureValue[3]! ^= 0x80;
    const report = verifyContractData(
      parseContractData({ exi: encodeExiDocument('iso-2', message as never) }),
    );
    assert.equal(report.valid, false);
    assert.equal(report.signature.signature, 'invalid');
  });

  test('a signature by another key does not verify with the CPS certificate carried', async () => {
    const f = await fixture();
    const other = await party('someone else');
    const signed = await signContractData(f.data, {
      cpsChain: { certificate: f.cps.der, subCertificates: [] },
      signRaw: other.signRaw,
    });
    assert.equal(verifyContractData(parseContractData({ exi: signed.exi })).valid, false);
  });

  test('sizes outside the -2 schema are refused before signing', async () => {
    const f = await fixture();
    let signerCalled = false;
    const signRaw = async (d: Uint8Array) => {
      signerCalled = true;
      return f.cps.signRaw(d);
    };
    const cpsChain = { certificate: f.cps.der, subCertificates: [] };
    for (const bad of [
      { ...f.data, encryptedPrivateKey: new Uint8Array(49) },
      { ...f.data, dhPublicKey: new Uint8Array(66) },
      { ...f.data, emaid: 'DE-ABC-C12345678-8' },
      { ...f.data, contractChain: { certificate: new Uint8Array(801), subCertificates: [] } },
    ]) {
      await assert.rejects(
        signContractData(bad, { cpsChain, signRaw }),
        (e) => code(e) === 'cps.invalid-signed-data',
      );
    }
    assert.equal(signerCalled, false);
  });

  test('withSessionId writes another SessionID; the signature stays valid', async () => {
    const f = await fixture();
    const signed = await signContractData(f.data, {
      cpsChain: { certificate: f.cps.der, subCertificates: [] },
      signRaw: f.cps.signRaw,
    });
    const session = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const delivered = parseContractData({ exi: withSessionId(signed.exi, session) });
    assert.deepEqual(delivered.sessionId, session);
    assert.equal(verifyContractData(delivered).valid, true);
    assert.throws(
      () => withSessionId(signed.exi, new Uint8Array(9)),
      (e) => code(e) === 'cps.invalid-signed-data',
    );
  });

  test('contractDataXml of a parsed message round-trips', async () => {
    const f = await fixture();
    const signed = await signContractData(f.data, {
      cpsChain: { certificate: f.cps.der, subCertificates: [] },
      signRaw: f.cps.signRaw,
    });
    assert.equal(contractDataXml(parseContractData({ xml: signed.xml }).message), signed.xml);
  });
});

describe('real signed contract data', {
  skip: hasShared('specs') && hasShared('vectors', 'exi') ? false : SHARED_SKIP,
}, () => {
  const spec = () =>
    readSharedJson('specs', 'opcp-1.0.0', 'reference', 'cps.v1.json') as {
      paths: Record<
        string,
        Record<
          string,
          {
            responses: Record<
              string,
              { content: Record<string, { examples: Record<string, { value: unknown }> }> }
            >;
          }
        >
      >;
      components: { schemas: Record<string, { 'x-examples'?: Record<string, Record<string, string>> }> };
    };

  test('OPCP cps.v1.json signedData (Hubject XML, no SessionID) parses and verifies; its CPS chain validates at a fixed clock', () => {
    const s = spec();
    const signer = (
      s.paths['/cps/signer']!.get!.responses['200']!.content['application/json']!.examples['example-1']!
        .value as {
        cpsCertificates: { cpsCa1Certificate: string }[];
      }
    ).cpsCertificates[0]!;
    const examples = [
      s.components.schemas.SignedContractDataResponse?.['x-examples']?.['example-1']?.signedData,
      s.components.schemas.CreateSignedContractDataResponse?.['x-examples']?.example?.signedData,
    ];
    for (const b64 of examples) {
      assert.ok(b64);
      const parsed = parseContractData({ xml: Buffer.from(b64, 'base64') });
      assert.equal(parsed.sessionId, null);
      assert.equal(parsed.contract.emaid, 'EMP99CQATEST001');
      assert.equal(parsed.contract.encryptedPrivateKey.length, 48);
      assert.equal(parsed.contract.contractChain.subCertificates.length, 2);
      const report = verifyContractData(parsed);
      assert.deepEqual(report.problems, []);
      assert.equal(report.valid, true);
      assert.match(report.signature.signer!, /CN=CPS 2022\.2 QA/);
      // Reference order is Hubject's (#ID2, #ID1, #ID4, #ID3): matched by URI.
      assert.deepEqual(
        report.signature.references.map((r) => r.uri),
        ['#ID2', '#ID1', '#ID4', '#ID3'],
      );
      // The CPS chain, anchored at Hubject's Prov Sub1 CA (the QA V2G root is not public), inside the
      // validity of the CPS leaf (2022-02-07 … 2023-04-26) — and not after it.
      const anchor = new Uint8Array(Buffer.from(signer.cpsCa1Certificate, 'base64'));
      const at = new Date('2022-06-01T00:00:00Z');
      const inside = verifyContractData(parsed, { anchors: [anchor], at, profile: false });
      assert.deepEqual(inside.problems, []);
      assert.equal(inside.valid, true);
      const after = verifyContractData(parsed, {
        anchors: [anchor],
        at: new Date('2024-01-01T00:00:00Z'),
        profile: false,
      });
      assert.equal(after.valid, false);
      assert.equal(after.cpsPath?.valid === false && after.cpsPath.code, 'path.expired');
      // Against the ISO 15118-2 CPS profile, Hubject's 2022 CPS leaf has no keyUsage (an error even
      // with the tolerated foreign findings) and an explicit cA FALSE (tolerated, P-008).
      const profiled = verifyContractData(parsed, { anchors: [anchor], at });
      assert.equal(profiled.valid, false);
      assert.match(profiled.problems.join(), /v2g\.key-usage\.missing|explicit-default/);
      const violations = profiled.cpsPath?.valid === false ? (profiled.cpsPath.violations ?? []) : [];
      assert.deepEqual(
        violations
          .filter((v) => v.severity === 'error')
          .map((v) => v.code)
          .sort(),
        ['v2g.key-usage.missing', 'x509.basic-constraints.explicit-default'],
      );
      // XML → EXI → parse: the same contract data, still valid.
      const again = parseContractData({ exi: parsed.exi });
      assert.equal(verifyContractData(again).valid, true);
      assert.deepEqual(again.contract, parsed.contract);
    }
  });

  test('the OPCP ccp.v1.json and OPNC signedContractData EXI examples parse and verify', () => {
    for (const [id, emaid] of [
      ['opcp-CertificateInstallationRes', 'EMP99CQAPAB004'],
      ['opnc-CertificateInstallationRes', 'DEICECOPNCCERT'],
    ] as const) {
      const v = exiVector('iso-2.jsonl', id);
      assert.ok(v, id);
      const exi = new Uint8Array(Buffer.from(v.exi, 'base64'));
      const parsed = parseContractData({ exi });
      assert.deepEqual(parsed.exi, exi, `${id}: canonical re-encoding is identical`);
      assert.deepEqual(parsed.sessionId, Uint8Array.of(0));
      assert.equal(parsed.contract.emaid, emaid);
      assert.equal(verifyContractData(parsed).valid, true, id);
    }
  });
});

describe('parseContractData refuses hostile input', () => {
  const refused = (input: Parameters<typeof parseContractData>[0]) =>
    assert.throws(
      () => parseContractData(input),
      (e) => code(e) === 'cps.invalid-signed-data',
    );

  test('garbage, empty, oversized and foreign documents', async () => {
    refused({ exi: new Uint8Array(0) });
    refused({ exi: Uint8Array.from([0x80, 0xff, 0x00, 0x13]) });
    refused({ exi: new Uint8Array(20_000) });
    refused({ xml: '' });
    refused({ xml: 'not xml at all' });
    refused({ xml: `<a>${'x'.repeat(70_000)}</a>` });
    refused({ xml: '<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>' });
    refused({ xml: '<foo xmlns="urn:other"/>' });
    // A valid V2G message that is not a CertificateInstallationRes.
    const authorization = encodeExiDocument('iso-2', {
      name: { ns: 'urn:iso:15118:2:2013:MsgDef', local: 'V2G_Message' },
      value: {
        Header: { SessionID: Uint8Array.of(1) },
        Body: { AuthorizationReq: { Id: 'ID1', GenChallenge: new Uint8Array(16) } },
      },
    });
    refused({ exi: authorization });
    // Truncations of a real document.
    const f = await fixture();
    const signed = await signContractData(f.data, {
      cpsChain: { certificate: f.cps.der, subCertificates: [] },
      signRaw: f.cps.signRaw,
    });
    for (const cut of [1, 10, signed.exi.length / 2, signed.exi.length - 1]) {
      refused({ exi: signed.exi.subarray(0, Math.floor(cut)) });
    }
    refused({ xml: signed.xml.replace('<ns7:ResponseCode>OK</ns7:ResponseCode>', '') });
    refused({ xml: signed.xml.replace('ns4:Id="ID4"', 'ns4:Id="ID4" ns4:Unknown="x"') });
  });
});
