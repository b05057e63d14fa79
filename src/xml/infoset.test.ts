import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { XmlAttribute, XmlElement, XmlNode } from './dom.ts';
import { elementChildren, isElement, parseXml, XML_NAMESPACE } from './dom.ts';
import type { CompareResult } from './infoset.ts';
import { compareInfoset } from './infoset.ts';
import { serializeXml } from './serialize.ts';
import { loadXmlVectors, SKIP_MESSAGE } from './vectors.test-util.ts';

function assertDiff(r: CompareResult, path: string, reason: RegExp, label = ''): void {
  assert.equal(r.equal, false, `${label}: expected a difference`);
  if (r.equal) return;
  assert.equal(r.path, path, `${label}: path (${r.reason})`);
  assert.match(r.reason, reason, label);
}

function must<T>(v: T | undefined): T {
  assert.ok(v !== undefined);
  return v;
}

const reEscape = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** Pre-order list of (element, path, parent, index in parent.children); written independently of infoset.ts. */
function walk(root: XmlElement): { e: XmlElement; path: string; parent?: XmlElement }[] {
  const out: { e: XmlElement; path: string; parent?: XmlElement }[] = [];
  const visit = (e: XmlElement, path: string, parent?: XmlElement): void => {
    out.push(parent === undefined ? { e, path } : { e, path, parent });
    const seen = new Map<string, number>();
    for (const c of elementChildren(e)) {
      const key = `{${c.ns}}${c.local}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      visit(c, `${path}/${c.local}[${n}]`, e);
    }
  };
  visit(root, `/${root.local}[1]`);
  return out;
}

const V2G =
  '<ns7:V2G_Message xmlns:ns7="urn:iso:15118:2:2013:MsgDef" xmlns:ns8="urn:iso:15118:2:2013:MsgHeader" ' +
  'xmlns:ns5="urn:iso:15118:2:2013:MsgBody" xmlns:unused="urn:unused">' +
  '<ns7:Header><ns8:SessionID>0102</ns8:SessionID></ns7:Header>' +
  '<ns7:Body><ns5:PowerDeliveryReq ns5:Id="a"><ns5:ChargeProgress>Start</ns5:ChargeProgress><ns5:SAScheduleTupleID>1</ns5:SAScheduleTupleID></ns5:PowerDeliveryReq></ns7:Body>' +
  '</ns7:V2G_Message>';

test('prefix-insensitive, declaration-insensitive, whitespace between elements ignored', () => {
  const a = parseXml(V2G);
  const b = parseXml(
    '<M:V2G_Message xmlns:M="urn:iso:15118:2:2013:MsgDef">\n  <Header xmlns="urn:iso:15118:2:2013:MsgDef">\n    <h:SessionID xmlns:h="urn:iso:15118:2:2013:MsgHeader">0102</h:SessionID>\n  </Header>\n' +
      '  <M:Body xmlns:b="urn:iso:15118:2:2013:MsgBody"><b:PowerDeliveryReq b:Id="a"> <b:SAScheduleTupleID>1</b:SAScheduleTupleID>' +
      '</b:PowerDeliveryReq></M:Body></M:V2G_Message>',
  );
  assertDiff(
    compareInfoset(a, b),
    '/V2G_Message[1]/Body[1]/PowerDeliveryReq[1]/ChargeProgress[1]',
    /element name differs: expected \{urn:iso:15118:2:2013:MsgBody\}ChargeProgress, actual .*SAScheduleTupleID/,
  );
  const c = parseXml(
    V2G.replace('<ns5:SAScheduleTupleID>', ' <ns5:SAScheduleTupleID>').replaceAll('ns5', 'q'),
  );
  assert.deepEqual(compareInfoset(a, c), { equal: true });
});

test('reports names, namespaces, attributes, text and child counts with paths', () => {
  const a = parseXml(V2G);
  const cases: [string, string, RegExp][] = [
    [
      V2G.replace('>0102<', '>0103<'),
      '/V2G_Message[1]/Header[1]/SessionID[1]',
      /text differs: expected "0102", actual "0103"/,
    ],
    [
      V2G.replace('ns8:SessionID>0102</ns8:SessionID', 'ns5:SessionID>0102</ns5:SessionID'),
      '/V2G_Message[1]/Header[1]/SessionID[1]',
      /expected \{urn:iso:15118:2:2013:MsgHeader\}SessionID, actual \{urn:iso:15118:2:2013:MsgBody\}SessionID/,
    ],
    [
      V2G.replace('ns5:Id="a"', 'ns5:Id="b"'),
      '/V2G_Message[1]/Body[1]/PowerDeliveryReq[1]/@Id',
      /attribute \{urn:iso:15118:2:2013:MsgBody\}Id value differs: expected "a", actual "b"/,
    ],
    [
      V2G.replace('ns5:Id="a"', 'Id="a"'),
      '/V2G_Message[1]/Body[1]/PowerDeliveryReq[1]/@Id',
      /attribute \{urn:iso:15118:2:2013:MsgBody\}Id missing/,
    ],
    [
      V2G.replace('ns5:Id="a"', 'ns5:Id="a" extra="1"'),
      '/V2G_Message[1]/Body[1]/PowerDeliveryReq[1]/@extra',
      /unexpected attribute extra = "1"/,
    ],
    [
      V2G.replace('<ns7:Body>', '<ns7:Body><ns7:Body/>'),
      '/V2G_Message[1]/Body[1]/PowerDeliveryReq[1]',
      /element name differs: expected .*PowerDeliveryReq, actual .*Body/,
    ],
    [
      V2G.replace('</ns7:Body>', '<ns7:X/></ns7:Body>'),
      '/V2G_Message[1]/Body[1]/X[1]',
      /unexpected element \{urn:iso:15118:2:2013:MsgDef\}X \(expected 1 children, actual 2\)/,
    ],
    [
      V2G.replace('<ns5:SAScheduleTupleID>1</ns5:SAScheduleTupleID>', ''),
      '/V2G_Message[1]/Body[1]/PowerDeliveryReq[1]/SAScheduleTupleID[1]',
      /missing element/,
    ],
    [
      V2G.replace('<ns8:SessionID>0102</ns8:SessionID>', '<ns8:SessionID/>'),
      '/V2G_Message[1]/Header[1]/SessionID[1]',
      /expected "0102", actual ""/,
    ],
    [
      V2G.replace('<ns8:SessionID>0102</ns8:SessionID>', '<ns8:SessionID><ns8:x/></ns8:SessionID>'),
      '/V2G_Message[1]/Header[1]/SessionID[1]/text()[1]',
      /expected text "0102", actual element/,
    ],
    [
      V2G.replace('ns7:V2G_Message', 'ns7:Other').replace('ns7:V2G_Message', 'ns7:Other'),
      '/V2G_Message[1]',
      /element name differs/,
    ],
  ];
  for (const [xml, path, reason] of cases) {
    assertDiff(compareInfoset(a, parseXml(xml)), path, reason, xml);
  }
});

test('same-named siblings are indexed; mixed content compared; ignoreAttributes', () => {
  const a = parseXml('<r><c>1</c><d/><c>2</c><c>3</c></r>');
  assertDiff(
    compareInfoset(a, parseXml('<r><c>1</c><d/><c>2</c><c>4</c></r>')),
    '/r[1]/c[3]',
    /expected "3", actual "4"/,
  );
  const m = parseXml('<p>one <b>two</b> three</p>');
  assertDiff(
    compareInfoset(m, parseXml('<p>one <b>two</b> four</p>')),
    '/p[1]/text()[2]',
    /expected " three", actual " four"/,
  );
  assert.equal(compareInfoset(m, parseXml('<p>one <b>two</b><!-- c --> three</p>')).equal, true);
  const s1 = parseXml('<r Id="x" keep="1"/>');
  const s2 = parseXml('<r Id="y" keep="1"/>');
  assert.equal(compareInfoset(s1, s2).equal, false);
  assert.deepEqual(compareInfoset(s1, s2, { ignoreAttributes: (x) => x.local === 'Id' }), { equal: true });
});

test('long values: reason shows the region of the first difference, bounded', () => {
  const base = 'A'.repeat(500);
  const r = compareInfoset(parseXml(`<r>${base}B${base}</r>`), parseXml(`<r>${base}C${base}</r>`));
  assert.equal(r.equal, false);
  if (r.equal) return;
  assert.match(r.reason, /first difference at index 500/);
  assert.match(r.reason, /AB/);
  assert.match(r.reason, /AC/);
  assert.ok(r.reason.length < 260, `reason length ${r.reason.length}`);
});

test('vectors: every xml parses, parse → serialize → parse is infoset-equal, modifications are located', (t) => {
  const vectors = loadXmlVectors();
  if (vectors === undefined) {
    t.skip(SKIP_MESSAGE);
    return;
  }
  assert.equal(vectors.length, 856);
  const counts = { attribute: 0, rename: 0, text: 0, reorder: 0 };
  for (const v of vectors) {
    const label = `${v.file} ${v.id}`;
    const tree = parseXml(v.xml);
    const out = serializeXml(tree);
    assert.deepEqual(compareInfoset(tree, parseXml(out)), { equal: true }, label);
    // Indented output differs only by whitespace between elements.
    assert.deepEqual(
      compareInfoset(tree, parseXml(serializeXml(tree, { indent: true }))),
      { equal: true },
      label,
    );
    // Deterministic and stable under a second round trip.
    assert.equal(serializeXml(parseXml(out)), out, label);

    const nodes = walk(tree);
    // 1. One attribute value changed.
    const withAttr = nodes.find((n) => n.e.attributes.length > 0);
    if (withAttr !== undefined) {
      const copy = structuredClone(tree);
      const target = must(walk(copy).find((n) => n.path === withAttr.path)).e;
      const attr = target.attributes[0];
      const old = attr.value;
      attr.value = `${old}x`;
      assertDiff(
        compareInfoset(tree, copy),
        `${withAttr.path}/@${attr.local}`,
        new RegExp(`value differs.*expected "${reEscape(old)}", actual "${reEscape(old)}x"`),
        label,
      );
      counts.attribute++;
    }
    // 2. One element renamed (the last in document order).
    const last = nodes[nodes.length - 1];
    {
      const copy = structuredClone(tree);
      const target = must(walk(copy).find((n) => n.path === last.path)).e;
      target.local += 'Renamed';
      assertDiff(
        compareInfoset(tree, copy),
        last.path,
        new RegExp(`element name differs: expected \\S*${last.e.local}, actual \\S*${last.e.local}Renamed$`),
        label,
      );
      counts.rename++;
    }
    // 3. Text changed in the middle of the last non-empty leaf value.
    const leaf = nodes.findLast(
      (n) => elementChildren(n.e).length === 0 && n.e.children.some((c) => !isElement(c) && c.text !== ''),
    );
    if (leaf !== undefined) {
      const copy = structuredClone(tree);
      const target = must(walk(copy).find((n) => n.path === leaf.path)).e;
      const tn = must(target.children.find((c): c is { text: string } => !isElement(c)));
      const mid = tn.text.length >> 1;
      tn.text = tn.text.slice(0, mid) + (tn.text[mid] === '#' ? '$' : '#') + tn.text.slice(mid + 1);
      assertDiff(compareInfoset(tree, copy), leaf.path, /text differs/, label);
      counts.text++;
    }
    // 4. Two adjacent children with different names swapped.
    let swapped = false;
    for (const n of nodes) {
      const kids = elementChildren(n.e);
      const i = kids.findIndex(
        (k, j) => j + 1 < kids.length && (k.local !== kids[j + 1].local || k.ns !== kids[j + 1].ns),
      );
      if (i < 0) continue;
      const copy = structuredClone(tree);
      const target = must(walk(copy).find((m) => m.path === n.path)).e;
      const ci = target.children.indexOf(elementChildren(target)[i]);
      const cj = target.children.indexOf(elementChildren(target)[i + 1]);
      const tmp = target.children[ci];
      target.children[ci] = target.children[cj];
      target.children[cj] = tmp;
      const firstPath = must(nodes.find((m) => m.parent === n.e && m.e === kids[i])).path;
      assertDiff(
        compareInfoset(tree, copy),
        firstPath,
        new RegExp(`element name differs: expected \\S*${kids[i].local}, actual \\S*${kids[i + 1].local}$`),
        label,
      );
      counts.reorder++;
      swapped = true;
      break;
    }
    assert.ok(swapped || nodes.length < 3, `${label}: no reorder candidate`);
  }
  t.diagnostic(`modified copies checked: ${JSON.stringify(counts)}`);
  assert.ok(counts.attribute > 0 && counts.text > 800 && counts.reorder > 800);
});

// --- property: random trees survive serialize → parse ---

const isXmlChar = (cp: number): boolean =>
  cp === 0x9 ||
  cp === 0xa ||
  cp === 0xd ||
  (cp >= 0x20 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd) ||
  cp >= 0x10000;
const xmlChar = fc.oneof(
  fc.constantFrom(
    '&',
    '<',
    '>',
    '"',
    "'",
    '\t',
    '\n',
    '\r',
    ' ',
    ']',
    '\u0085',
    '\u2028',
    '\u007F',
    'a',
    'é',
  ),
  fc
    .integer({ min: 0x20, max: 0x10ffff })
    .filter(isXmlChar)
    .map((cp) => String.fromCodePoint(cp)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
);
const xmlString = fc.string({ unit: xmlChar, maxLength: 12 });
const localName = fc.constantFrom('a', 'b', 'Id', 'x-y', 'é', '_n.1', 'V2G_Message', 'ns1');
const elementNs = fc.constantFrom('', 'urn:a', 'urn:b', 'http://example.com/x?a=1&b="2"<>');
const attributeNs = fc.constantFrom('', 'urn:a', 'urn:c', XML_NAMESPACE);
const attribute: fc.Arbitrary<XmlAttribute> = fc.record({
  ns: attributeNs,
  local: localName,
  value: xmlString,
});

const { tree } = fc.letrec<{ tree: XmlElement; node: XmlNode }>((tie) => ({
  tree: fc.record({
    ns: elementNs,
    local: localName,
    attributes: fc.uniqueArray(attribute, { selector: (x) => `${x.ns} ${x.local}`, maxLength: 4 }),
    children: fc.array(tie('node'), { maxLength: 4 }),
  }),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.record({ text: xmlString }), tie('tree')),
}));

test('property: serialize → parse → compareInfoset equal; second serialization identical', () => {
  fc.assert(
    fc.property(
      tree,
      fc.boolean(),
      fc.dictionary(elementNs, fc.constantFrom('p', 'q', 'ns1', 'xml', 'bad:x')),
      (t, indent, prefixes) => {
        const out = serializeXml(t, { indent, prefixes });
        const back = parseXml(out);
        const r = compareInfoset(t, back);
        if (!r.equal) throw new Error(`${r.path}: ${r.reason}\n${out}`);
        assert.equal(serializeXml(back, { indent, prefixes }), out);
      },
    ),
    { numRuns: 500 },
  );
});
