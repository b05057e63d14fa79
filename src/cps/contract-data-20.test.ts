// The ISO 15118-20 signed contract data builder: built and signed with a P-521 and an Ed448 CPS key,
// checked with verifyIso20Message (what `pnc exi verify --schema iso-20-common` runs), the vehicle
// recovers the contract key (P-521, and X448 for an Ed448 vehicle), a flipped bit names the
// reference, the SessionID is exactly 8 bytes, sizes and hostile input are refused.

import assert from 'node:assert/strict';
import {
  createECDH,
  createPrivateKey,
  KeyObject,
  randomBytes,
  webcrypto,
  X509Certificate,
} from 'node:crypto';
import { describe, test } from 'node:test';
import { x448PrivateKeyOfEd448, x448PublicKeyOfEd448 } from '../contract-key/ed448-x448.ts';
import { decryptContractKeyIso20, encryptContractKeyIso20 } from '../contract-key/iso20-key-transport.ts';
import { isAppError } from '../errors/app-error.ts';
import { decodeExiDocument, encodeExiDocument, type ModelObject } from '../exi/codec.ts';
import { buildCertificate, generateTestKey, type TestKey } from '../pki/lint/testing/cert-builder.ts';
import { ISO20_COMMON_NS, verifyIso20Message } from '../xmldsig/v2g-signature.ts';
import { signContractData } from './contract-data.ts';
import {
  certificateInstallationRes20,
  type Iso20ContractData,
  parseContractData20,
  SESSION_ID_PLACEHOLDER_20,
  type SignedContractData20,
  signContractData20,
  verifyContractData20,
  withSessionId20,
} from './contract-data-20.ts';

const rnd = (n: number) => new Uint8Array(randomBytes(n));
const PCID = 'WMIV1234567890ABCD';
const SKI = Uint8Array.from([0x41, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]);

const codeOf = async (fn: () => unknown): Promise<string | undefined> => {
  try {
    await fn();
  } catch (e) {
    return isAppError(e) ? e.code : `not an AppError: ${String(e)}`;
  }
  return undefined;
};

interface Party {
  readonly key: TestKey;
  readonly der: Uint8Array;
  readonly privateKey: KeyObject;
  signRaw(data: Uint8Array): Promise<Uint8Array>;
}

async function party(cn: string, alg: 'P-521' | 'Ed448'): Promise<Party> {
  const key = await generateTestKey(alg);
  const der = await buildCertificate({
    subject: [['CN', cn]],
    issuer: [['CN', cn]],
    serialHex: '07',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2029-01-01T00:00:00Z'),
    subjectKey: key,
    signerKey: key,
    extensions: [],
  });
  const params = alg === 'Ed448' ? { name: 'Ed448' } : { name: 'ECDSA', hash: 'SHA-512' };
  return {
    key,
    der,
    privateKey: KeyObject.from(key.privateKey),
    signRaw: async (d) => new Uint8Array(await webcrypto.subtle.sign(params, key.privateKey, d)),
  };
}

/** Contract data for a vehicle: the contract key encrypted for it (X448 from its Ed448 key). */
function contractFor(contract: Party, subCa: Uint8Array, vehicle: Party): Iso20ContractData {
  const ed448 = vehicle.privateKey.asymmetricKeyType === 'ed448';
  const transport = encryptContractKeyIso20({
    contractPrivateKey: contract.privateKey,
    recipient: ed448 ? x448PublicKeyOfEd448(vehicle.privateKey) : vehicle.der,
    pcid: PCID,
    contractSki: SKI,
    randomBytes: rnd,
  });
  return {
    contractChain: { certificate: contract.der, subCertificates: [subCa] },
    curve: transport.curve,
    dhPublicKey: transport.dhPublicKey,
    encryptedPrivateKey: transport.encryptedPrivateKey,
  };
}

/** Signed -20 contract data of fresh P-521 parties (the CPS leaf is also the contract's sub-CA). */
async function signedP521Example(): Promise<{
  signed: SignedContractData20;
  cps: Party;
  vehicle: Party;
  contract: Party;
}> {
  const cps = await party('CPS Leaf', 'P-521');
  const vehicle = await party(PCID, 'P-521');
  const contract = await party('DEABCC123456789', 'P-521');
  const signed = await signContractData20(contractFor(contract, cps.der, vehicle), {
    cpsChain: { certificate: cps.der, subCertificates: [] },
    suite: 'ecdsa-p521-sha512',
    signRaw: cps.signRaw,
  });
  return { signed, cps, vehicle, contract };
}

for (const alg of ['P-521', 'Ed448'] as const) {
  describe(`-20 signed contract data, ${alg} CPS key and ${alg} vehicle`, () => {
    test('signs SignedInstallationData only; verifyIso20Message accepts; the vehicle recovers the contract key', async () => {
      const cps = await party(`CPS Leaf ${alg}`, alg);
      const vehicle = await party(PCID, alg);
      const contract = await party('DEABCC123456789', alg);
      const sub = await party('MO Sub-CA 2', alg);
      const data = contractFor(contract, sub.der, vehicle);
      assert.equal(data.curve, alg === 'P-521' ? 'SECP521' : 'X448');
      const signed = await signContractData20(data, {
        cpsChain: { certificate: cps.der, subCertificates: [sub.der] },
        suite: alg === 'P-521' ? 'ecdsa-p521-sha512' : 'ed448-shake256',
        signRaw: cps.signRaw,
        timeStamp: new Date('2027-03-01T10:00:00Z'),
      });
      const decoded = decodeExiDocument('iso-20-common', signed.exi);
      const report = verifyIso20Message(decoded);
      assert.equal(report.valid, true);
      assert.equal(report.suite, alg === 'P-521' ? 'ecdsa-p521-sha512' : 'ed448-shake256');
      assert.deepEqual(
        report.references.map((r) => [r.uri, r.element]),
        [['#ID1', 'SignedInstallationData']],
      );
      const parsed = parseContractData20({ exi: signed.exi });
      assert.deepEqual(parsed.sessionId, SESSION_ID_PLACEHOLDER_20);
      assert.equal(parsed.sessionId.length, 8);
      assert.equal(parsed.timeStamp, BigInt(Date.parse('2027-03-01T10:00:00Z') / 1000));
      assert.equal(parsed.remaining, 0);
      assert.deepEqual(verifyContractData20(parsed).problems, []);
      const v = parsed.message.value;
      assert.equal(v.ResponseCode, 'OK');
      assert.equal(v.EVSEProcessing, 'Finished');
      // The XML form reads back to the same message.
      assert.deepEqual(parseContractData20({ xml: signed.xml }).exi, signed.exi);
      assert.match(signed.xml, /^<\?xml version="1.0" encoding="UTF-8"\?><cm:CertificateInstallationRes /);

      // Vehicle side: the decrypted key is the contract certificate's.
      const plain = decryptContractKeyIso20({
        curve: parsed.contract.curve,
        encryptedPrivateKey: parsed.contract.encryptedPrivateKey,
        dhPublicKey: parsed.contract.dhPublicKey,
        recipientPrivateKey: alg === 'P-521' ? vehicle.privateKey : x448PrivateKeyOfEd448(vehicle.privateKey),
        pcid: PCID,
        contractSki: SKI,
      });
      const certificateKey = new X509Certificate(parsed.contract.contractChain.certificate).publicKey;
      if (alg === 'P-521') {
        assert.equal(plain.length, 66);
        const ecdh = createECDH('secp521r1');
        ecdh.setPrivateKey(Buffer.from(plain));
        const jwk = certificateKey.export({ format: 'jwk' });
        assert.equal(ecdh.getPublicKey().subarray(1, 67).toString('base64url'), jwk.x);
      } else {
        assert.equal(plain.length, 57);
        const key = createPrivateKey({
          key: Buffer.concat([Buffer.from('3047020100300506032b6571043b0439', 'hex'), plain]),
          format: 'der',
          type: 'pkcs8',
        });
        assert.ok(KeyObject.from(contract.key.publicKey).equals(certificateKey));
        assert.equal(
          key.export({ format: 'jwk' }).x,
          certificateKey.export({ format: 'jwk' }).x,
          'the decrypted Ed448 key is the contract certificate key',
        );
      }

      // A flipped bit inside SignedInstallationData names the reference; the signature value too.
      const tampered = decodeExiDocument('iso-20-common', signed.exi);
      const sid = (tampered.value as ModelObject).SignedInstallationData as ModelObject;
      (sid.DHPublicKey as Uint8Array)[10] ^= 0x01;
      const bad = verifyContractData20(
        parseContractData20({ exi: encodeExiDocument('iso-20-common', tampered as never) }),
      );
      assert.equal(bad.valid, false);
      assert.deepEqual(bad.problems, ['reference #ID1: digest-mismatch']);
      const badSig = decodeExiDocument('iso-20-common', signed.exi);
      const sigValue = (((badSig.value as ModelObject).Header as ModelObject).Signature as ModelObject)
        .SignatureValue as ModelObject;
      (sigValue.$value as Uint8Array)[5] ^= 0x80;
      const badReport = verifyContractData20(
        parseContractData20({ exi: encodeExiDocument('iso-20-common', badSig as never) }),
      );
      assert.equal(badReport.valid, false);
      assert.match(badReport.problems.join(), /signature does not verify/);
    });
  });
}

describe('-20 SessionID, Header and RemainingContractCertificateChains', () => {
  test('withSessionId20 writes exactly 8 bytes, TimeStamp and Remaining; the signature stays valid; other lengths are refused', async () => {
    const { signed, cps, vehicle, contract } = await signedP521Example();
    const session = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const delivered = withSessionId20(signed.exi, session, {
      timeStamp: new Date('2027-04-01T00:00:00Z'),
      remaining: 2,
    });
    const parsed = parseContractData20({ exi: delivered });
    assert.deepEqual(parsed.sessionId, session);
    assert.equal(parsed.remaining, 2);
    assert.equal(parsed.timeStamp, BigInt(Date.parse('2027-04-01T00:00:00Z') / 1000));
    assert.equal(verifyContractData20(parsed).valid, true);
    // SignedInstallationData is byte-identical: only the unsigned parts changed.
    assert.deepEqual(
      parsed.message.value.SignedInstallationData,
      parseContractData20({ exi: signed.exi }).message.value.SignedInstallationData,
    );
    for (const bad of [new Uint8Array(0), Uint8Array.of(0), new Uint8Array(7), new Uint8Array(9)]) {
      assert.equal(await codeOf(() => withSessionId20(signed.exi, bad)), 'cps.invalid-signed-data');
      assert.equal(
        await codeOf(() =>
          certificateInstallationRes20(
            contractFor(contract, cps.der, vehicle),
            { certificate: cps.der, subCertificates: [] },
            { sessionId: bad },
          ),
        ),
        'cps.invalid-signed-data',
      );
    }
    assert.equal(
      await codeOf(() => withSessionId20(signed.exi, session, { remaining: 256 })),
      'cps.invalid-signed-data',
    );
    assert.equal(
      await codeOf(() => withSessionId20(signed.exi, session, { remaining: -1 })),
      'cps.invalid-signed-data',
    );
  });
});

describe('-20 sizes and hostile input', () => {
  test('wrong key sizes, missing sub-CAs and oversize certificates are refused before signing', async () => {
    const cps = await party('CPS Leaf', 'P-521');
    const vehicle = await party(PCID, 'P-521');
    const contract = await party('DEABCC123456789', 'P-521');
    const good = contractFor(contract, cps.der, vehicle);
    let signerCalls = 0;
    const options = {
      cpsChain: { certificate: cps.der, subCertificates: [] },
      suite: 'ecdsa-p521-sha512' as const,
      signRaw: async (d: Uint8Array) => {
        signerCalls += 1;
        return cps.signRaw(d);
      },
    };
    const cases: Iso20ContractData[] = [
      { ...good, encryptedPrivateKey: new Uint8Array(93) },
      { ...good, encryptedPrivateKey: new Uint8Array(95) },
      { ...good, dhPublicKey: new Uint8Array(134) },
      { ...good, curve: 'X448', encryptedPrivateKey: new Uint8Array(94) },
      { ...good, contractChain: { certificate: contract.der, subCertificates: [] } },
      { ...good, contractChain: { certificate: new Uint8Array(1601), subCertificates: [cps.der] } },
      {
        ...good,
        contractChain: { certificate: contract.der, subCertificates: [cps.der, cps.der, cps.der, cps.der] },
      },
    ];
    for (const data of cases) {
      assert.equal(await codeOf(() => signContractData20(data, options)), 'cps.invalid-signed-data');
    }
    assert.equal(signerCalls, 0, 'the CPS key is never used for data outside the schema');
    assert.ok((await signContractData20(good, options)).exi.length > 0);
  });

  test('garbage, empty, oversized and -2 documents are refused with cps.invalid-signed-data', async () => {
    const { signed } = await signedP521Example();
    const p256 = await generateTestKey('P-256');
    const iso2 = await signContractData(
      {
        contractChain: { certificate: new Uint8Array(10), subCertificates: [] },
        encryptedPrivateKey: new Uint8Array(48),
        dhPublicKey: new Uint8Array(65),
        emaid: 'DEABCC123456789',
      },
      {
        cpsChain: { certificate: new Uint8Array(10), subCertificates: [] },
        signRaw: async (d) =>
          new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, p256.privateKey, d)),
      },
    );
    const inputs: ({ exi: Uint8Array } | { xml: string })[] = [
      { exi: new Uint8Array(0) },
      { exi: rnd(300) },
      { exi: signed.exi.subarray(0, signed.exi.length - 40) },
      { exi: new Uint8Array(20_000) },
      { exi: iso2.exi },
      { xml: '' },
      { xml: '<x/>' },
      { xml: iso2.xml },
      { xml: `<a>${'<b>'.repeat(40)}` },
      { xml: 'x'.repeat(70_000) },
    ];
    for (const input of inputs) {
      assert.equal(await codeOf(() => parseContractData20(input)), 'cps.invalid-signed-data');
    }
    // Another -20 message is a valid document but not a CertificateInstallationRes.
    const other = encodeExiDocument('iso-20-common', {
      name: { ns: ISO20_COMMON_NS, local: 'SessionSetupReq' },
      value: { Header: { SessionID: new Uint8Array(8), TimeStamp: 1n }, EVCCID: PCID },
    });
    assert.equal(await codeOf(() => parseContractData20({ exi: other })), 'cps.invalid-signed-data');
  });
});
