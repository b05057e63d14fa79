// The CCP's message helpers without a server: FAILED answers decode strictly in both editions with
// the SessionID rules of spec-gaps.md item 31, garbage never escapes as anything but a RequestError
// (property), identifiers and names are read as documented, the install reply shapes (OPCP array,
// ev-server object, OPNC collection).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import { decodeExiDocument, encodeExiDocument, type ModelObject, type QualifiedName } from '../exi/codec.ts';
import { exiVectors, SHARED_SKIP } from '../testing/shared-data.ts';
import { parseCcpEmaid, parseCcpPcid } from './identifiers.ts';
import { normalizedName } from './installation.ts';
import { alwaysReturnExi, installReply, pcidAndEmaid } from './routes.ts';
import {
  decodeInstallationRequest,
  deliverIso2,
  FAILED_EMAID,
  failedResponse,
  RequestError,
  reencodeIso2,
  responseCodeFor,
  spliceIso2SessionId,
} from './v2g-messages.ts';

const NOW = new Date('2027-03-01T10:00:00Z');

describe('FAILED answers', () => {
  test('ISO 15118-2: strict decoding, the SessionID copied, placeholders within the facets', () => {
    const exi = failedResponse(2, responseCodeFor(2, 'no-contract'), Uint8Array.of(0xab), { now: NOW });
    const v = decodeExiDocument('iso-2', exi).value as ModelObject;
    assert.deepEqual([...((v.Header as ModelObject).SessionID as Uint8Array)], [0xab]);
    const res = (v.Body as ModelObject).CertificateInstallationRes as ModelObject;
    assert.equal(res.ResponseCode, 'FAILED_NoCertificateAvailable');
    assert.equal((res.eMAID as ModelObject).$value, FAILED_EMAID);
    // An unusable SessionID (none read) becomes 8 zero bytes.
    const fallback = decodeExiDocument('iso-2', failedResponse(2, 'FAILED', new Uint8Array(0), { now: NOW }));
    assert.deepEqual(
      [...(((fallback.value as ModelObject).Header as ModelObject).SessionID as Uint8Array)],
      [0, 0, 0, 0, 0, 0, 0, 0],
    );
  });

  test('ISO 15118-20: strict decoding, SessionID exactly 8 bytes, the clock as TimeStamp, WARNING codes', () => {
    const exi = failedResponse(
      20,
      responseCodeFor(20, 'no-contract'),
      Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
      {
        now: NOW,
      },
    );
    const v = decodeExiDocument('iso-20-common', exi).value as ModelObject;
    const header = v.Header as ModelObject;
    assert.deepEqual([...(header.SessionID as Uint8Array)], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(header.TimeStamp, BigInt(NOW.getTime() / 1000));
    assert.equal(v.ResponseCode, 'WARNING_NoContractMatchingPCIDFound');
    assert.equal(v.RemainingContractCertificateChains, 0);
    // A -2 style 1-byte SessionID is illegal in -20: replaced by 8 zero bytes.
    const short = decodeExiDocument(
      'iso-20-common',
      failedResponse(20, 'FAILED', Uint8Array.of(0), { now: NOW }),
    );
    assert.equal((((short.value as ModelObject).Header as ModelObject).SessionID as Uint8Array).length, 8);
  });

  test('every failure reason has a ResponseCode of the edition XSD (the encoder checks the enumeration)', () => {
    for (const reason of [
      'invalid',
      'signature',
      'chain',
      'expired',
      'not-yet-valid',
      'revoked',
      'no-contract',
    ] as const) {
      for (const iso of [2, 20] as const) {
        assert.ok(
          failedResponse(iso, responseCodeFor(iso, reason), new Uint8Array(8), { now: NOW }).length > 10,
        );
      }
    }
  });
});

test('property: any bytes are a decoded request or a RequestError, never another exception', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 400 }),
      fc.constantFrom(2 as const, 20 as const),
      (bytes, hint) => {
        try {
          decodeInstallationRequest(Uint8Array.of(0x80, ...bytes), hint);
        } catch (error) {
          assert.ok(error instanceof RequestError, String(error));
          assert.ok(['ccp.invalid-request', 'ccp.unsupported-message'].includes(error.code));
        }
      },
    ),
    { numRuns: 300 },
  );
});

describe('identifiers', () => {
  test('EMAIDs: hyphens and case normalised, the check digit verified and removed, both forms looked up', () => {
    assert.deepEqual(parseCcpEmaid('de-abc-c12345678'), {
      normalized: 'DEABCC12345678',
      providerId: 'DEABC',
      lookupKeys: ['DEABCC12345678', 'DEABCC123456788'],
    });
    assert.deepEqual(parseCcpEmaid('DEABCC123456788').lookupKeys, ['DEABCC12345678', 'DEABCC123456788']);
    for (const bad of [
      'DEABCC123456789',
      'DE_ABC123456789',
      'D1ABC123456789',
      '',
      'DEABC12',
      'X'.repeat(60),
    ]) {
      assert.throws(
        () => parseCcpEmaid(bad),
        (e) => isAppError(e) && e.code === 'ccp.invalid-emaid',
        bad,
      );
    }
    // -20 EMAIDs are longer: no check digit rule.
    assert.equal(parseCcpEmaid('DEABCC1234567890ABC').normalized, 'DEABCC1234567890ABC');
    assert.equal(parseCcpPcid('wp0abcdefghijklmn'), 'wp0abcdefghijklmn');
    assert.throws(
      () => parseCcpPcid('WP0-ABCDEFGHIJKLM'),
      (e) => isAppError(e) && e.code === 'ccp.invalid-pcid',
    );
  });

  test('the default route finds the PCID in either segment order', () => {
    assert.deepEqual(pcidAndEmaid('WP0ABCDEFGHIJKLMN', 'DEABCC12345678'), {
      pcid: 'WP0ABCDEFGHIJKLMN',
      emaid: 'DEABCC12345678',
    });
    assert.deepEqual(pcidAndEmaid('DE-ABC-C12345678', 'WP0ABCDEFGHIJKLMN'), {
      pcid: 'WP0ABCDEFGHIJKLMN',
      emaid: 'DE-ABC-C12345678',
    });
    assert.throws(
      () => pcidAndEmaid('DEABCC12345678', 'DEABCC12345679'),
      (e) => isAppError(e) && e.code === 'ccp.invalid-pcid',
    );
  });

  test('distinguished names compare as RDN sets (order, case, spaces, DC spelled as OID)', () => {
    assert.equal(
      normalizedName('DC=V2G,C=DE,O=RISE V2G Project,CN=V2GRootCA'),
      normalizedName('CN=v2grootca, O=RISE  V2G Project, C=DE, 0.9.2342.19200300.100.1.25=V2G'),
    );
    assert.notEqual(normalizedName('CN=A,O=B'), normalizedName('CN=A,O=C'));
  });

  test('alwaysReturnEXI: true unless false / 0 / no', () => {
    assert.equal(alwaysReturnExi(undefined), true);
    assert.equal(alwaysReturnExi('TRUE'), true);
    assert.equal(alwaysReturnExi('False'), false);
    assert.equal(alwaysReturnExi('0'), false);
  });
});

describe('install reply shapes', () => {
  const contract = {
    id: '1',
    emaid: 'DEABCC12345678',
    emaidAsInCertificate: 'DE-ABC-C12345678',
    pcid: 'WP0ABCDEFGHIJKLMN',
    iso: 2 as const,
    providerId: 'DEABC',
    certificateInstallationRes: new Uint8Array(0),
    contractCertificate: new Uint8Array(0),
    contractNotAfter: NOW,
    cpsV2GRootFingerprint: 'ab'.repeat(32),
    cpsRootDistinguishedName: 'CN=Root',
    metadata: null,
    source: 'cps' as const,
    isDefault: true,
    createdAt: NOW,
    updatedAt: NOW,
  };
  const ok = {
    ok: true as const,
    iso: 2 as const,
    pcid: contract.pcid,
    deliveries: [{ contract, exi: Uint8Array.of(0x80) }],
  };

  test('OPCP: an array (MaEVe takes [0], CitrineOS the last); ev-server: an object', () => {
    const array = installReply('opcp', ok, true, 'array') as { CCPResponse: { emaidContent: unknown } };
    assert.deepEqual(array.CCPResponse.emaidContent, [
      {
        messageDef: {
          certificateInstallationRes: 'gA==',
          emaid: 'DE-ABC-C12345678',
          metaData: undefined,
          cpsV2GRootCertificateFingerprint: 'ab'.repeat(32),
        },
      },
    ]);
    const object = installReply('opcp', ok, true, 'object') as { CCPResponse: { emaidContent: unknown } };
    assert.ok(!Array.isArray(object.CCPResponse.emaidContent));
    assert.equal(
      (object.CCPResponse.emaidContent as { messageDef: { emaid: string } }).messageDef.emaid,
      'DE-ABC-C12345678',
    );
  });

  test('a failure without alwaysReturnEXI is thrown as its AppError', () => {
    const error = appError('ccp.no-contract', 'no contract for vehicle WP0ABCDEFGHIJKLMN');
    const failed = {
      ok: false as const,
      iso: 2 as const,
      reason: 'no-contract' as const,
      responseCode: 'FAILED_NoCertificateAvailable',
      error,
      exi: Uint8Array.of(0x80),
    };
    assert.throws(
      () => installReply('opnc', failed, false, 'array'),
      (e) => e === error,
    );
    const opnc = installReply('opnc', failed, true, 'array') as { signedContractDataCollection: unknown[] };
    assert.equal(opnc.signedContractDataCollection.length, 1);
  });
});

describe('ISO 15118-2 SessionID splice (D-176)', () => {
  const vectors = (exiVectors('iso-2.jsonl') ?? []).filter((v) => v.kind === 'document');
  const withSession = (exi: Uint8Array, id: Uint8Array) => {
    const model = decodeExiDocument('iso-2', exi);
    ((model.value as ModelObject).Header as ModelObject).SessionID = id;
    return model;
  };

  test('gives the octets of decode → replace → encode for messages encoded here (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        fc.uint8Array({ minLength: 0, maxLength: 8 }),
        fc.constantFrom('FAILED', 'FAILED_NoCertificateAvailable', 'OK'),
        (stored, id, code) => {
          const exi = failedResponse(2, code, stored, { now: NOW });
          const spliced = spliceIso2SessionId(exi, id);
          assert.ok(spliced !== undefined);
          assert.deepEqual([...spliced], [...reencodeIso2(exi, id)]);
          assert.deepEqual([...deliverIso2(exi, id)], [...spliced]);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('on every real ISO 15118-2 document of ../shared: the same message with the new SessionID', {
    skip: vectors.length === 0 ? SHARED_SKIP : false,
  }, () => {
    let canonical = 0;
    for (const v of vectors) {
      const exi = new Uint8Array(Buffer.from(v.exi, 'base64'));
      let reference: ReturnType<typeof decodeExiDocument>;
      try {
        reference = decodeExiDocument('iso-2', exi);
      } catch {
        continue; // vectors of the lenient decoder only
      }
      const reencoded = encodeExiDocument('iso-2', reference as { name: QualifiedName; value: ModelObject });
      const isCanonical = Buffer.compare(reencoded, exi) === 0;
      if (isCanonical) canonical++;
      for (const id of [new Uint8Array(0), Uint8Array.of(0xab), new Uint8Array(8).fill(0x5a)]) {
        const spliced = spliceIso2SessionId(exi, id);
        assert.ok(spliced !== undefined, v.id);
        assert.deepEqual(decodeExiDocument('iso-2', spliced), withSession(exi, id), v.id);
        if (isCanonical) assert.deepEqual([...spliced], [...reencodeIso2(exi, id)], v.id);
      }
    }
    assert.ok(canonical > 0, 'some vectors are canonical encodings');
  });

  test('streams of another shape are left to the re-encoding path', () => {
    const sap = Uint8Array.of(0x80, 0x00, 0xf3, 0xab);
    assert.equal(spliceIso2SessionId(new Uint8Array(0), Uint8Array.of(1)), undefined);
    assert.equal(spliceIso2SessionId(Uint8Array.of(0x81, 0, 0), Uint8Array.of(1)), undefined);
    assert.equal(spliceIso2SessionId(sap.subarray(0, 2), Uint8Array.of(1)), undefined);
    const exi = failedResponse(2, 'FAILED', Uint8Array.of(1), { now: NOW });
    assert.equal(spliceIso2SessionId(exi, new Uint8Array(128)), undefined);
    assert.throws(() => deliverIso2(Uint8Array.of(0x80, 0xff, 0xff), Uint8Array.of(1)));
  });
});
