/**
 * Property tests of the schema-informed EXI codec over random VALID models generated from the
 * grammar tables (src/exi/testing/arbitrary.ts): for every ISO 15118-2 body message, SAP document,
 * xmldsig SignedInfo fragment and iso-2 fragment element,
 *   decode(encode(m)) deep-equals m, and encode(decode(bytes)) is byte-identical to bytes
 * (ISO 15118-2 [V2G2-099]/[V2G2-100]: one canonical bit-packed encoding, strings as misses), and
 * the XML path (xml-model.ts) gives the same model back.
 *
 * Seeds are fixed per property (src/exi/testing/seed.ts; override the base with PNC_FC_SEED);
 * fast-check prints the seed and the counterexample path of any failure.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type AnyDecoded,
  decodeExiDocument,
  decodeExiFragment,
  type EncodeElement,
  encodeExiDocument,
  encodeExiFragment,
  NS,
  schemaSet,
} from './codec.ts';
import { BitWriter } from './runtime/bit-writer.ts';
import {
  arbitraryDocument,
  arbitraryElement,
  arbitraryFragment,
  arbitraryFragmentElement,
  arbitraryMessage,
  bodyMessageNames,
  typedFragmentElements,
} from './testing/arbitrary.ts';
import { runParams } from './testing/seed.ts';
import { elementToXmlString, xmlToElement } from './xml-model.ts';

const iso2 = schemaSet('iso-2');
const sap = schemaSet('sap');
const xmldsig = schemaSet('xmldsig');

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Document round trip: model → bytes → the same model → the same bytes. */
function documentRoundTrip(schema: ReturnType<typeof schemaSet>, element: EncodeElement): void {
  const bytes = encodeExiDocument(schema, element);
  const decoded = decodeExiDocument(schema, bytes);
  assert.deepStrictEqual(decoded, element, `decoded model differs; stream ${hex(bytes)}`);
  const again = encodeExiDocument(schema, decoded);
  assert.equal(hex(again), hex(bytes), 're-encoding the decoded model changed the stream');
}

/** Fragment round trip (EXI 1.0 §8.5.2): the same properties for a list of elements. */
function fragmentRoundTrip(schema: ReturnType<typeof schemaSet>, elements: EncodeElement[]): void {
  const bytes = encodeExiFragment(schema, elements);
  const decoded = decodeExiFragment(schema, bytes);
  assert.deepStrictEqual(decoded, elements, `decoded fragment differs; stream ${hex(bytes)}`);
  const again = encodeExiFragment(schema, decoded);
  assert.equal(hex(again), hex(bytes), 're-encoding the decoded fragment changed the stream');
}

describe('generator sanity', () => {
  test('BodyElement substitution group: 34 message types, all children of BodyType but the head', () => {
    const names = bodyMessageNames(iso2);
    assert.equal(names.length, 34);
    assert.ok(!names.includes('BodyElement'));
    for (const n of ['SessionSetupReq', 'CurrentDemandRes', 'CertificateInstallationRes', 'MeteringReceiptReq']) {
      assert.ok(names.includes(n), n);
    }
  });

  test('generated models are valid for the encoder (no schema-mismatch) and vary', () => {
    const seen = new Set<string>();
    for (const m of fc.sample(arbitraryMessage('iso-2', 'ChargeParameterDiscoveryRes'), { numRuns: 40, ...runParams('sanity', 40) })) {
      seen.add(hex(encodeExiDocument(iso2, m)));
    }
    assert.ok(seen.size > 30, `only ${seen.size} distinct streams out of 40`);
  });

  test('depth 0 generates exactly the required content', () => {
    const [m] = fc.sample(arbitraryElement(iso2, iso2.types.findIndex((t) => t.name === 'V2G_MessageType'), 0), {
      numRuns: 1,
      seed: 1,
    });
    // Header/SessionID and Body are required; the Body's one element is optional (BodyType allows EE).
    assert.deepEqual(Object.keys(m as object).sort(), ['Body', 'Header']);
    assert.deepEqual(Object.keys((m as { Header: object }).Header), ['SessionID']);
    assert.deepEqual((m as { Body: object }).Body, {});
  });
});

describe('ISO 15118-2 V2G_Message: EXI round trip of every body message type', () => {
  for (const name of bodyMessageNames(iso2)) {
    test(name, () => {
      fc.assert(
        fc.property(arbitraryMessage('iso-2', name), (m) => documentRoundTrip(iso2, m)),
        runParams(`iso-2 message ${name}`, 50),
      );
    });
  }
});

describe('other documents and fragments', () => {
  for (const root of ['supportedAppProtocolReq', 'supportedAppProtocolRes']) {
    test(`SAP ${root} document`, () => {
      fc.assert(
        fc.property(arbitraryDocument(sap, root), (m) => documentRoundTrip(sap, m)),
        runParams(`sap ${root}`, 100),
      );
    });
  }

  test('xmldsig SignedInfo fragments (ISO 15118-2 Annex J.4 signature input)', () => {
    const signedInfo = arbitraryFragmentElement(xmldsig, `{${NS.xmldsig}}SignedInfo`, { depth: 5 });
    fc.assert(
      fc.property(signedInfo, (e) => fragmentRoundTrip(xmldsig, [e])),
      runParams('xmldsig SignedInfo', 100),
    );
  });

  test('xmldsig fragments of any element, with typed wildcard content', () => {
    fc.assert(
      fc.property(arbitraryFragment(xmldsig, { wildcards: 'typed' }), (es) => fragmentRoundTrip(xmldsig, es)),
      runParams('xmldsig fragments', 150),
    );
  });

  test('iso-2 fragments of random elements (all but the element-fragment-grammar eMAID)', () => {
    assert.equal(iso2.table.fragmentElements.length - typedFragmentElements(iso2).length, 1);
    fc.assert(
      fc.property(arbitraryFragment(iso2), (es) => fragmentRoundTrip(iso2, es)),
      runParams('iso-2 fragments', 300),
    );
  });

  test('iso-2 and xmldsig documents rooted at every global element', () => {
    for (const schema of [iso2, xmldsig]) {
      for (const [q] of schema.table.globalElements) {
        const name = `{${schema.qnameUri[q]}}${schema.qnameLocal[q]}`;
        fc.assert(
          fc.property(arbitraryDocument(schema, name, { depth: 4, wildcards: 'typed' }), (m) =>
            documentRoundTrip(schema, m),
          ),
          runParams(`${schema.table.id} document ${name}`, 10),
        );
      }
    }
  });

  test('signed messages: Header with ds:Signature (KeyInfo / Object wildcards included)', () => {
    const names = bodyMessageNames(iso2);
    const arb = fc
      .constantFrom(...names)
      .chain((n) => arbitraryMessage('iso-2', n, { signatureRate: 1, depth: 4, wildcards: 'typed' }));
    fc.assert(
      fc.property(arb, (m) => documentRoundTrip(iso2, m)),
      runParams('iso-2 signed messages', 100),
    );
  });
});

describe('XML path (xml-model.ts) gives the same model', () => {
  /** elementToXml → serializeXml → parseXml → xmlToElement. */
  function xmlRoundTrip(schema: ReturnType<typeof schemaSet>, element: EncodeElement, kind: 'document' | 'fragment'): void {
    const xml = elementToXmlString(schema, element as AnyDecoded);
    const back = xmlToElement(schema, xml, { kind });
    assert.deepStrictEqual(back, element, `XML was ${xml}`);
  }

  test('random ISO 15118-2 messages of every type (some signed)', () => {
    const arb = fc
      .constantFrom(...bodyMessageNames(iso2))
      .chain((n) => arbitraryMessage('iso-2', n, { xmlSafe: true, signatureRate: 0.2 }));
    fc.assert(
      fc.property(arb, (m) => xmlRoundTrip(iso2, m, 'document')),
      runParams('xml iso-2 messages', 300),
    );
  });

  test('SAP documents and xmldsig SignedInfo fragments', () => {
    const sapArb = fc.constantFrom('supportedAppProtocolReq', 'supportedAppProtocolRes').chain((r) => arbitraryDocument(sap, r));
    fc.assert(
      fc.property(sapArb, (m) => xmlRoundTrip(sap, m, 'document')),
      runParams('xml sap', 100),
    );
    const si = arbitraryFragmentElement(xmldsig, 'SignedInfo', { xmlSafe: true });
    fc.assert(
      fc.property(si, (e) => xmlRoundTrip(xmldsig, e, 'fragment')),
      runParams('xml xmldsig SignedInfo', 100),
    );
  });

  test('iso-2 fragment elements', () => {
    fc.assert(
      fc.property(arbitraryFragmentElement(iso2, undefined, { xmlSafe: true }), (e) => xmlRoundTrip(iso2, e, 'fragment')),
      runParams('xml iso-2 fragments', 200),
    );
  });
});

describe('known codec limitations', () => {
  test(
    'untyped character data of mixed content ($text) decodes but cannot be re-encoded',
    { todo: 'codec bug: the encoder has no production for $text (CH of mixed content, EXI 1.0 §8.5.4.1.3.2)' },
    () => {
      // xmldsig fragment: SE(CanonicalizationMethod) AT(Algorithm)="a" CH "x" EE ED, built bit by bit.
      const t = xmldsig.table;
      const w = new BitWriter(64);
      w.writeHeader();
      const cm = t.fragmentElements.findIndex(([q]) => xmldsig.qnameLocal[q] === 'CanonicalizationMethod');
      w.writeBits(cm, xmldsig.fragmentWidth); // SE(CanonicalizationMethod)
      w.writeBits(0, 1); // state 0: AT(Algorithm) (1 production + escape: 1 bit)
      w.writeLiteralString('a');
      w.writeBits(2, 2); // state 1: SE(*) 0, EE 1, CH 2 (+ escape: 2 bits)
      w.writeLiteralString('x');
      w.writeBits(1, 2); // state 1: EE
      w.writeBits(t.fragmentElements.length + 1, xmldsig.fragmentWidth); // ED
      const bytes = w.finish();
      const decoded = decodeExiFragment(xmldsig, bytes);
      assert.deepStrictEqual(decoded[0]!.value, { Algorithm: 'a', $text: ['x'] });
      // Expected: the decoded model re-encodes to the same stream. Actual: CodecError
      // schema-mismatch "property '$text' is not part of CanonicalizationMethodType".
      assert.equal(hex(encodeExiFragment(xmldsig, decoded)), hex(bytes));
    },
  );
});
