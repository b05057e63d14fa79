import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { XmlElement, XmlNode } from './dom.ts';
import { parseXml, XML_NAMESPACE, XMLNS_NAMESPACE } from './dom.ts';
import { compareInfoset } from './infoset.ts';
import { serializeXml } from './serialize.ts';
import { XmlSerializeError } from './xml-error.ts';

function el(
  ns: string,
  local: string,
  children: XmlNode[] = [],
  attributes: XmlElement['attributes'] = [],
): XmlElement {
  return { ns, local, attributes, children };
}

const MSG = 'urn:iso:15118:2:2013:MsgDef';
const HDR = 'urn:iso:15118:2:2013:MsgHeader';

test('declares every used namespace once on the root, generated prefixes in first-use order', () => {
  const tree = el(MSG, 'V2G_Message', [
    el(MSG, 'Header', [el(HDR, 'SessionID', [{ text: '00' }])]),
    el(MSG, 'Body'),
  ]);
  assert.equal(
    serializeXml(tree),
    '<ns1:V2G_Message xmlns:ns1="urn:iso:15118:2:2013:MsgDef" xmlns:ns2="urn:iso:15118:2:2013:MsgHeader">' +
      '<ns1:Header><ns2:SessionID>00</ns2:SessionID></ns1:Header><ns1:Body/></ns1:V2G_Message>',
  );
  assert.equal(
    serializeXml(tree, { prefixes: { [HDR]: 'v2gHeader', [MSG]: 'ns2', 'urn:unused': 'u' } }),
    '<ns2:V2G_Message xmlns:ns2="urn:iso:15118:2:2013:MsgDef" xmlns:v2gHeader="urn:iso:15118:2:2013:MsgHeader">' +
      '<ns2:Header><v2gHeader:SessionID>00</v2gHeader:SessionID></ns2:Header><ns2:Body/></ns2:V2G_Message>',
  );
});

test('generated prefixes never collide with preferred ones; invalid or reserved preferences fall back', () => {
  const tree = el('urn:a', 'r', [el('urn:b', 'x'), el('urn:c', 'y'), el('urn:d', 'z')]);
  const out = serializeXml(tree, {
    prefixes: { 'urn:c': 'ns1', 'urn:b': 'ns1', 'urn:d': 'xmlfoo', 'urn:a': '1bad' },
  });
  assert.equal(
    out,
    // urn:b is used before urn:c, so it wins the contested "ns1"; the rest are generated around it.
    '<ns2:r xmlns:ns2="urn:a" xmlns:ns1="urn:b" xmlns:ns3="urn:c" xmlns:ns4="urn:d"><ns1:x/><ns3:y/><ns4:z/></ns2:r>',
  );
  assert.equal(compareInfoset(tree, parseXml(out)).equal, true);
});

test('declareAllPrefixes declares unused preferred namespaces too (for QName-valued content)', () => {
  const xsi = 'http://www.w3.org/2001/XMLSchema-instance';
  const tree = el('urn:a', 'r', [], [{ ns: xsi, local: 'type', value: 't:T' }]);
  assert.equal(
    serializeXml(tree, { prefixes: { 'urn:t': 't', [xsi]: 'xsi' }, declareAllPrefixes: true }),
    '<ns1:r xmlns:ns1="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:t="urn:t" xsi:type="t:T"/>',
  );
});

test('no default namespace: an element in no namespace under a namespaced parent stays in no namespace', () => {
  const tree = el('urn:a', 'r', [
    el('', 'plain', [el('urn:a', 'back')], [{ ns: '', local: 'x', value: '1' }]),
  ]);
  const out = serializeXml(tree);
  assert.equal(out, '<ns1:r xmlns:ns1="urn:a"><plain x="1"><ns1:back/></plain></ns1:r>');
  assert.doesNotMatch(out, /xmlns=/);
  const back = parseXml(out);
  assert.deepEqual(compareInfoset(tree, back), { equal: true });
  assert.equal(el('', 'x').ns, (back.children[0] as XmlElement).ns);
  assert.equal(serializeXml(el('', 'solo')), '<solo/>');
});

test('xml: namespace uses the reserved xml prefix, never declared', () => {
  const tree = el('', 'r', [], [{ ns: XML_NAMESPACE, local: 'lang', value: 'de' }]);
  assert.equal(serializeXml(tree, { prefixes: { [XML_NAMESPACE]: 'x' } }), '<r xml:lang="de"/>');
});

test('escapes text and attribute values; round-trips exactly', () => {
  const text = 'a & b < c > d " e \' f ]]> g\tTAB\nLF\rCR \u0085 \u2028 \u007F \u{1F600} é';
  const value = 'x & <y> "q" \'s\'\tTAB\nLF\rCR\r\n \u0085 \u{10FFFF}';
  const tree = el('', 'r', [{ text }], [{ ns: '', local: 'v', value }]);
  const out = serializeXml(tree);
  assert.equal(
    out,
    '<r v="x &amp; &lt;y&gt; &quot;q&quot; \'s\'&#x9;TAB&#xA;LF&#xD;CR&#xD;&#xA; &#x85; \u{10FFFF}">' +
      "a &amp; b &lt; c &gt; d &quot; e ' f ]]&gt; g\tTAB\nLF&#xD;CR &#x85; &#x2028; &#x7F; \u{1F600} é</r>",
  );
  const back = parseXml(out);
  assert.equal(back.attributes[0].value, value);
  assert.deepEqual(back.children, [{ text }]);
});

test('refuses what XML 1.0 cannot represent', () => {
  const cases: [XmlElement, RegExp][] = [
    [el('', 'r', [{ text: 'a\u0000' }]), /U\+0000 at index 1/],
    [el('', 'r', [{ text: '\u0001' }]), /U\+0001/],
    [el('', 'r', [], [{ ns: '', local: 'a', value: '\u001F' }]), /U\+001F/],
    [el('', 'r', [{ text: '\uFFFE' }]), /U\+FFFE/],
    [el('', 'r', [{ text: 'x\uD800y' }]), /U\+D800/],
    [el('', 'r', [{ text: '\uDC00' }]), /U\+DC00/],
    [el('', 'r', [el('', 'ok'), el('', 'bad name')]), /"bad name" is not an NCName/],
    [el('', 'p:x'), /not an NCName/],
    [el('', ''), /not an NCName/],
    [el('', 'r', [], [{ ns: '', local: '1a', value: '' }]), /not an NCName/],
    [
      el(
        '',
        'r',
        [],
        [
          { ns: '', local: 'a', value: '1' },
          { ns: '', local: 'a', value: '2' },
        ],
      ),
      /duplicate attribute/,
    ],
    [el('', 'r', [], [{ ns: '', local: 'xmlns', value: 'urn:x' }]), /namespace declaration/],
    [el('', 'r', [], [{ ns: XMLNS_NAMESPACE, local: 'p', value: 'urn:x' }]), /xmlns namespace/],
  ];
  for (const [tree, pattern] of cases) {
    assert.throws(
      () => serializeXml(tree),
      (e: unknown) =>
        e instanceof XmlSerializeError &&
        e.code === 'xml.serialize' &&
        e.kind === 'Xml' &&
        pattern.test(e.message),
      pattern.source,
    );
  }
  try {
    serializeXml(el('', 'r', [el('', 'a'), el('', 'a', [{ text: '\u0002' }])]));
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof XmlSerializeError);
    assert.equal(e.path, '/r[1]/a[2]');
  }
  // Same local name in two namespaces is two different attributes.
  assert.equal(
    serializeXml(
      el(
        '',
        'r',
        [],
        [
          { ns: '', local: 'a', value: '1' },
          { ns: 'urn:x', local: 'a', value: '2' },
        ],
      ),
    ),
    '<r xmlns:ns1="urn:x" a="1" ns1:a="2"/>',
  );
});

test('xmlDeclaration and indent; indentation only in element-only content', () => {
  const tree = el('urn:a', 'r', [
    el('urn:a', 'x', [{ text: 't' }]),
    el('urn:a', 'mixed', [{ text: 'a' }, el('', 'b'), { text: 'c' }]),
    el('', 'e'),
  ]);
  assert.equal(
    serializeXml(tree, { xmlDeclaration: true, indent: true }),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ns1:r xmlns:ns1="urn:a">\n  <ns1:x>t</ns1:x>\n  <ns1:mixed>a<b/>c</ns1:mixed>\n  <e/>\n</ns1:r>',
  );
  assert.equal(
    serializeXml(tree, { xmlDeclaration: true }).startsWith('<?xml version="1.0" encoding="UTF-8"?><ns1:r'),
    true,
  );
  const back = parseXml(serializeXml(tree, { indent: true }));
  assert.deepEqual(compareInfoset(tree, back), { equal: true });
});

test('empty text nodes and adjacent text nodes', () => {
  assert.equal(serializeXml(el('', 'r', [{ text: '' }])), '<r/>');
  assert.equal(serializeXml(el('', 'r', [{ text: 'a' }, { text: 'b' }])), '<r>ab</r>');
});

test('deterministic: same tree, same options, same string', () => {
  const tree = parseXml('<a:r xmlns:a="urn:a" xmlns:b="urn:b" b:z="1" y="2"><b:c/><a:d b:q="x"/></a:r>');
  const s1 = serializeXml(tree);
  assert.equal(serializeXml(structuredClone(tree)), s1);
  assert.equal(serializeXml(parseXml(s1)), s1);
  assert.equal(
    s1,
    '<ns1:r xmlns:ns1="urn:a" xmlns:ns2="urn:b" ns2:z="1" y="2"><ns2:c/><ns1:d ns2:q="x"/></ns1:r>',
  );
});
