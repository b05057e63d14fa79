import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { exiVector, exiVectors, hasShared, SHARED_SKIP } from '../testing/shared-data.ts';
import {
  type CodecError,
  decodeExiDocument,
  decodeExiFragment,
  encodeExiDocument,
  encodeExiFragment,
  isCodecError,
  type ModelObject,
  NS,
  schemaSet,
} from './codec.ts';
import { checkVectors } from './vector-check.ts';
import { elementToXmlString, xmlToElement } from './xml-model.ts';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function expectCodecError(f: () => unknown, reason: CodecError['reason']): CodecError {
  try {
    f();
  } catch (e) {
    assert.ok(isCodecError(e), `expected a CodecError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    return e;
  }
  assert.fail(`expected CodecError '${reason}'`);
}

describe('ISO 15118-2 reference vectors (bit exact)', () => {
  test('Annex J AuthorizationReq fragment (OpenV2G xmldsig_test) and its digest', () => {
    const bytes = encodeExiFragment('iso-2', [
      {
        name: { ns: NS.iso2MsgBody, local: 'AuthorizationReq' },
        value: { Id: 'ID1', GenChallenge: new Uint8Array(Buffer.from('U29tZSBSYW5kb20gRGF0YQ==', 'base64')) },
      },
    ]);
    assert.equal(toHex(bytes), '80040152510c40829b7b6b2902930b73237b6902230ba309e8');
    assert.equal(
      createHash('sha256').update(bytes).digest('hex'),
      'd1b5e03d0065bee56b317984453051eb54ca18fc0e0916174f8b3c77a98f4aa9',
    );
  });

  test('eMAID uses the schema-informed element fragment grammar (EXI 1.0 §8.5.3; RISE-V2G, cbexigen #60)', () => {
    const bytes = encodeExiFragment('iso-2', [
      { name: { ns: NS.iso2MsgBody, local: 'eMAID' }, value: { Id: 'id4', $value: 'DEABCC123ABC56' } },
    ]);
    assert.equal(toHex(bytes), '80ec0202b4b21a40041111505090d0cc4c8cd05090cd4dbd3d00');
    // The wrong libcbv2g encoding must not be what we produce.
    assert.notEqual(toHex(bytes), '80ec02b4b21a041111505090d0cc4c8cd05090cd4d9e80');
    const [decoded] = decodeExiFragment('iso-2', bytes);
    assert.deepEqual(decoded?.value, { Id: 'id4', $value: 'DEABCC123ABC56' });
  });

  test('documents start with the DocContent code of V2G_Message (76 of 81, 7 bits) and SAP codes 0/1 of 2 bits', () => {
    const msg = {
      Header: { SessionID: hex('0102030405060708') },
      Body: { SessionStopReq: { ChargingSession: 'Terminate' } },
    };
    const bytes = encodeExiDocument('iso-2', {
      name: { ns: NS.iso2MsgDef, local: 'V2G_Message' },
      value: msg,
    });
    assert.equal(bytes[0], 0x80);
    assert.equal(bytes[1]! >> 1, 76);
    const req = encodeExiDocument('sap', {
      name: { ns: NS.appProtocol, local: 'supportedAppProtocolReq' },
      value: {
        AppProtocol: [
          {
            ProtocolNamespace: 'urn:iso:15118:2:2013:MsgDef',
            VersionNumberMajor: 2,
            VersionNumberMinor: 0,
            SchemaID: 1,
            Priority: 1,
          },
        ],
      },
    });
    assert.equal(toHex(req.subarray(0, 2)), '8000');
    assert.deepEqual(decodeExiDocument('iso-2', bytes).value, msg);
  });
});

describe('real EXI streams of ../shared/vectors', {
  skip: hasShared('vectors', 'exi') ? false : SHARED_SKIP,
}, () => {
  for (const file of [
    'iso-2.jsonl',
    'sap.jsonl',
    'xmldsig.jsonl',
    'din.jsonl',
    'iso-20-common.jsonl',
    'iso-20-ac.jsonl',
    'iso-20-dc.jsonl',
  ]) {
    test(`${file}: decode, XML comparison, re-encode and signatures all pass`, () => {
      const records = exiVectors(file)!;
      assert.ok(records.length > 0);
      const summary = checkVectors(records);
      const failures = summary.results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.failure}`);
      assert.deepEqual(failures, []);
    });
  }

  test('string-table hits are decoded and re-encoded miss-only (octt vectors)', () => {
    const hits = exiVector('iso-2.jsonl', 'octt-AuthorizationReq-stringtable-hits')!;
    const miss = exiVector('iso-2.jsonl', 'octt-AuthorizationReq-miss-only')!;
    const decoded = decodeExiDocument('iso-2', new Uint8Array(Buffer.from(hits.exi, 'base64')));
    assert.equal(Buffer.from(encodeExiDocument('iso-2', decoded)).toString('base64'), miss.exi);
  });

  test('a stream whose value breaks a length facet fails by default and decodes when lenient', () => {
    const failed = exiVector('iso-2.jsonl', 'opcp-CertificateInstallationRes-failed')!;
    const bytes = new Uint8Array(Buffer.from(failed.exi, 'base64'));
    const err = expectCodecError(() => decodeExiDocument('iso-2', bytes), 'value-out-of-range');
    assert.match(err.message, /minLength 14 of eMAIDType \(at bit \d+\)/);
    const warnings: string[] = [];
    const decoded = decodeExiDocument('iso-2', bytes, {
      facets: { lenient: true, warn: (m) => warnings.push(m) },
    });
    assert.equal(warnings.length, 1);
    assert.equal(
      ((decoded.value as ModelObject).Body as ModelObject).CertificateInstallationRes !== undefined,
      true,
    );
  });
});

describe('hostile input is refused with a reason and a bit position', () => {
  const valid = (): Uint8Array =>
    encodeExiDocument('iso-2', {
      name: { ns: NS.iso2MsgDef, local: 'V2G_Message' },
      value: {
        Header: { SessionID: hex('0102030405060708') },
        Body: { SessionStopReq: { ChargingSession: 'Terminate' } },
      },
    });

  test('wrong header', () => {
    expectCodecError(() => decodeExiDocument('iso-2', hex('81 98')), 'header');
    expectCodecError(() => decodeExiDocument('iso-2', new Uint8Array(Buffer.from('$EXI\x80'))), 'header');
  });

  test('every truncation of a valid document fails, none crashes', () => {
    const bytes = valid();
    for (let n = 0; n < bytes.length; n++) {
      assert.throws(
        () => decodeExiDocument('iso-2', bytes.subarray(0, n)),
        (e: unknown) => isCodecError(e),
      );
    }
  });

  test('trailing bytes after the end of the document', () => {
    const bytes = valid();
    const longer = new Uint8Array([...bytes, 0x00]);
    expectCodecError(() => decodeExiDocument('iso-2', longer), 'malformed');
  });

  test('a second-level (undeclared) event code is refused', () => {
    // V2G_Message: 7-bit 76, then Header/SessionID states: the 1-bit code 1 is the escape to the
    // second level (non-strict), which V2G streams never use.
    const bytes = hex('80 98 80');
    const err = expectCodecError(() => decodeExiDocument('iso-2', bytes), 'undeclared');
    assert.ok(err.bitPosition >= 8);
  });

  test('an enumeration index beyond its values', () => {
    // PowerDeliveryReq ChargeProgress has 3 values in 2 bits: Renegotiate is index 2 (binary 10);
    // flipping its low bit gives the invalid index 3.
    const msg = {
      Header: { SessionID: hex('00') },
      Body: { PowerDeliveryReq: { ChargeProgress: 'Renegotiate', SAScheduleTupleID: 1 } },
    };
    const bytes = encodeExiDocument('iso-2', {
      name: { ns: NS.iso2MsgDef, local: 'V2G_Message' },
      value: msg,
    });
    // Find the 2-bit enum by flipping candidates until the decoder reports an enumeration error.
    let found = false;
    for (let bit = 16; bit < bytes.length * 8 && !found; bit++) {
      const copy = bytes.slice();
      copy[bit >> 3]! ^= 0x80 >> (bit & 7);
      try {
        decodeExiDocument('iso-2', copy);
      } catch (e) {
        if (isCodecError(e) && e.reason === 'value-out-of-range' && /enumeration index 3/.test(e.message))
          found = true;
      }
    }
    assert.ok(found, 'an out-of-range enumeration index is reported as such');
  });

  test('limits: nesting depth and element count', () => {
    expectCodecError(() => decodeExiDocument('iso-2', valid(), { maxDepth: 2 }), 'limit');
    expectCodecError(() => decodeExiDocument('iso-2', valid(), { maxElements: 3 }), 'limit');
  });

  test('the encoder refuses invalid models and says where', () => {
    const name = { ns: NS.iso2MsgDef, local: 'V2G_Message' };
    const e1 = expectCodecError(
      () => encodeExiDocument('iso-2', { name, value: { Header: { SessionID: hex('00') } } }),
      'schema-mismatch',
    );
    assert.match(e1.message, /\/V2G_Message: .*expected one of Body/);
    const e2 = expectCodecError(
      () =>
        encodeExiDocument('iso-2', {
          name,
          value: { Header: { SessionID: hex('000102030405060708') }, Body: {} },
        }),
      'value-out-of-range',
    );
    assert.match(e2.message, /SessionID.*maxLength 8/);
    expectCodecError(
      () =>
        encodeExiDocument('iso-2', { name, value: { Header: { SessionID: hex('00'), Foo: 1 }, Body: {} } }),
      'schema-mismatch',
    );
    expectCodecError(
      () =>
        encodeExiDocument('iso-2', {
          name,
          value: {
            Header: { SessionID: hex('00') },
            Body: { SessionStopReq: { ChargingSession: 'Suspend' } },
          },
        }),
      'schema-mismatch',
    );
    expectCodecError(() => schemaSet('iso-99'), 'schema-mismatch');
  });
});

describe('XML form of the model', () => {
  test('XML → model → XML keeps namespaces and the qualified Id attributes', () => {
    const schema = schemaSet('iso-2');
    const value = { Id: 'ID1', GenChallenge: hex('00112233445566778899aabbccddeeff') };
    const xml = elementToXmlString(schema, {
      name: { ns: NS.iso2MsgBody, local: 'AuthorizationReq' },
      value,
    });
    assert.match(xml, /v2gci_b:Id="ID1"/);
    const back = xmlToElement(schema, xml, { kind: 'fragment' });
    assert.deepEqual(back.value, value);
  });

  test('XML that does not follow the schema is refused', () => {
    const schema = schemaSet('iso-2');
    assert.throws(
      () =>
        xmlToElement(
          schema,
          '<a:V2G_Message xmlns:a="urn:iso:15118:2:2013:MsgDef"><a:Nope/></a:V2G_Message>',
        ),
      (e: unknown) => isCodecError(e) && /not a child of V2G_Message/.test(e.message),
    );
  });
});
