import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { XmlElement } from './dom.ts';
import {
  childElement,
  elementChildren,
  getAttribute,
  isElement,
  parseXml,
  resolvePrefix,
  textContent,
  XML_NAMESPACE,
} from './dom.ts';
import { loadXmlVectors, SKIP_MESSAGE } from './vectors.test-util.ts';
import { XmlError } from './xml-error.ts';

function refused(
  input: string | Uint8Array,
  pattern: RegExp,
  limits?: Parameters<typeof parseXml>[1],
): XmlError {
  let caught: unknown;
  try {
    parseXml(input, limits);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof XmlError, `expected XmlError, got ${String(caught)}`);
  assert.equal(caught.kind, 'Xml');
  assert.equal(caught.code, 'xml.parse');
  assert.match(caught.message, pattern);
  return caught;
}

// Parse speed is measured by benchmarks (docs/performance.md), never asserted in tests.
test('every vector XML parses', (t) => {
  const vectors = loadXmlVectors();
  if (vectors === undefined) {
    t.skip(SKIP_MESSAGE);
    return;
  }
  assert.equal(vectors.length, 856);
  for (const v of vectors) {
    const r: XmlElement = parseXml(v.xml);
    assert.ok(r.local.length > 0, v.id);
  }
});

test('parses namespaces, attributes, prefixes; drops namespace declarations', () => {
  const r = parseXml(
    '<?xml version="1.0" encoding="UTF-8"?><p:root xmlns:p="urn:p" xmlns="urn:d" a="1" p:b="2" xml:lang="en">' +
      '<child/><q:x xmlns:q="urn:p"/><n xmlns=""><m/></n></p:root>',
  );
  assert.equal(r.ns, 'urn:p');
  assert.equal(r.local, 'root');
  assert.equal(r.prefix, 'p');
  assert.deepEqual(r.attributes, [
    { ns: '', local: 'a', value: '1' },
    { ns: 'urn:p', local: 'b', value: '2' },
    { ns: XML_NAMESPACE, local: 'lang', value: 'en' },
  ]);
  assert.deepEqual(r.namespaceDeclarations, { p: 'urn:p', '': 'urn:d' });
  const [child, x, n] = elementChildren(r);
  assert.deepEqual([child.ns, child.local, child.prefix], ['urn:d', 'child', '']);
  assert.deepEqual([x.ns, x.local, x.prefix], ['urn:p', 'x', 'q']);
  assert.equal(n.ns, '');
  assert.equal(elementChildren(n)[0].ns, '', 'xmlns="" undeclares the default namespace');
  assert.equal(resolvePrefix([r, n], ''), '');
  assert.equal(resolvePrefix([r, child], ''), 'urn:d');
  assert.equal(resolvePrefix([r, x], 'q'), 'urn:p');
  assert.equal(resolvePrefix([r], 'zz'), undefined);
  assert.equal(getAttribute(r, 'urn:p', 'b'), '2');
  assert.equal(getAttribute(r, '', 'b'), undefined);
  assert.equal(childElement(r, 'urn:p', 'x'), x);
});

test('text: entities, char refs, CDATA and text split by comments are merged; whitespace kept', () => {
  const r = parseXml(
    '<r>\n  <a>x &amp; &lt;&#x10000;&#65;<![CDATA[<raw>]]><!-- c -->y<?pi z?>z</a>\n  <b> </b>\r\n</r>',
  );
  assert.equal(r.children.length, 5, 'whitespace-only text nodes are kept');
  assert.deepEqual(r.children[0], { text: '\n  ' });
  assert.deepEqual(r.children[4], { text: '\n' }, 'CRLF normalized to LF (XML 1.0 §2.11)');
  const a = elementChildren(r)[0];
  assert.deepEqual(a.children, [{ text: 'x & <\u{10000}A<raw>yz' }]);
  assert.equal(textContent(a), 'x & <\u{10000}A<raw>yz');
  assert.equal(textContent(r), '\n  x & <\u{10000}A<raw>yz\n   \n');
  assert.deepEqual(elementChildren(r)[1].children, [{ text: ' ' }]);
  assert.equal(isElement(r.children[0]), false);
  assert.equal(isElement(a), true);
  // Empty CDATA creates no text node.
  assert.deepEqual(parseXml('<r><![CDATA[]]></r>').children, []);
});

test('accepts UTF-8 bytes with BOM, refuses malformed UTF-8 and other encodings', () => {
  const bytes = new TextEncoder().encode('\uFEFF<r a="é">€</r>');
  const r = parseXml(bytes);
  assert.equal(r.attributes[0].value, 'é');
  assert.equal(textContent(r), '€');
  refused(new Uint8Array([0x3c, 0x72, 0x3e, 0xff, 0x3c, 0x2f, 0x72, 0x3e]), /not valid UTF-8/);
  refused(
    new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><r/>'),
    /unsupported encoding/,
  );
  // String input is already decoded: a leading BOM is ignored.
  assert.equal(parseXml('\uFEFF<r/>').local, 'r');
});

test('refuses DOCTYPE (XXE, billion laughs) in every form', () => {
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
    Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
    ).join('') +
    ']><lolz>&lol9;</lolz>';
  refused(laughs, /DOCTYPE is not allowed/);
  refused('<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>', /DOCTYPE is not allowed/);
  refused('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', /DOCTYPE is not allowed/);
  refused('<!DOCTYPE r><r/>', /DOCTYPE is not allowed/);
  // Without a DTD an entity reference is simply undefined.
  refused('<r>&x;</r>', /undefined entity/);
});

test('refuses 10 000-deep nesting quickly, and honours maxDepth', () => {
  const deep = '<a>'.repeat(10_000) + '</a>'.repeat(10_000);
  const e = refused(deep, /nesting deeper than 64/);
  assert.equal(e.line, 1);
  assert.ok(e.column > 0 && e.column < 70 * 3, `column ${e.column}`);
  assert.equal(parseXml('<a>'.repeat(64) + '</a>'.repeat(64)).local, 'a');
  refused('<a><b><c/></b></a>', /nesting deeper than 2/, { maxDepth: 2 });
  assert.equal(parseXml('<a><b/></a>', { maxDepth: 2 }).local, 'a');
});

test('honours maxNodes (elements + attributes + text nodes)', () => {
  assert.equal(parseXml('<a x="1"><b/>t</a>', { maxNodes: 4 }).local, 'a');
  refused('<a x="1"><b/>t</a>', /more than 3 nodes/, { maxNodes: 3 });
  refused('<a x="1" y="2"/>', /more than 2 nodes/, { maxNodes: 2 });
  refused(`<a>${'<b/>'.repeat(200_001)}</a>`, /more than 200000 nodes/);
});

test('refuses input above maxBytes before parsing', () => {
  const huge = `<a>${'x'.repeat(20 * 1024 * 1024)}</a>`;
  const e = refused(huge, /exceeds 8388608 bytes/);
  // line 0: refused before the parser saw a character.
  assert.equal(e.line, 0);
  refused(new Uint8Array(20 * 1024 * 1024), /exceeds 8388608 bytes/);
  // UTF-8 size, not UTF-16 length: 3 bytes per '€'.
  refused(`<a>${'€'.repeat(3_000_000)}</a>`, /exceeds 8388608 bytes/);
  refused('<a>0123456789</a>', /exceeds 16 bytes/, { maxBytes: 16 });
  assert.throws(() => parseXml('<a/>', { maxBytes: 0 }), RangeError);
});

test('refuses malformed XML with a position', () => {
  const cases: [string, RegExp][] = [
    ['<a>', /unclosed tag: a/],
    ['<a><b></a>', /unexpected close tag|unclosed tag/],
    ['<a></b>', /unexpected close tag/],
    ['<a x="1" x="2"/>', /duplicate attribute/],
    ['<a p:x="1" q:x="2" xmlns:p="urn:x" xmlns:q="urn:x"/>', /duplicate attribute/],
    ['<a x=1/>', /unquoted attribute value/],
    ['<a>x</a>y', /text data outside of root node/],
    ['<a/><b/>', /only one root/],
    ['', /root element/],
    ['  ', /root element/],
    ['<1a/>', /disallowed character in tag name/],
    ['<a>&amp</a>', /entity|unclosed tag/],
    ['<a>]]></a>', /]]>/],
    ['<?xml version="1.1"?><a/>', /unsupported XML version/],
  ];
  for (const [input, pattern] of cases) {
    const e = refused(input, pattern);
    assert.ok(e.line >= 1, `${input}: line`);
  }
});

test('refuses undeclared prefixes and namespace misuse', () => {
  refused('<p:a/>', /unbound namespace prefix: "p"/);
  refused('<a p:x="1"/>', /unbound namespace prefix: "p"/);
  refused('<a xmlns:p="urn:p"><p:b/></a><!-- ok --><p:c/>', /only one root|unbound/);
  refused(
    '<a xmlns:p="urn:p"/>'.replace('/>', '><b><p:c/></b><p:d xmlns:p=""/></a>'),
    /undefine prefix|unbound/,
  );
  refused('<xmlns:a/>', /xmlns/);
  refused('<a xmlns:xml="urn:not-xml"/>', /xml/);
  // Scope ends with the element.
  refused('<a><b xmlns:p="urn:p"/><p:c/></a>', /unbound namespace prefix: "p"/);
});

test('refuses characters outside XML 1.0 Char, literal or as references', () => {
  for (const input of [
    '<a>\u0001</a>',
    '<a x="\u0000"/>',
    '<a>\uFFFE</a>',
    '<a>\uD800</a>',
    '<a>&#0;</a>',
    '<a>&#x1;</a>',
    '<a>&#xFFFF;</a>',
    '<a>&#xD800;</a>',
    '<a\u0007/>',
  ]) {
    refused(input, /disallowed character|malformed character entity|character/);
  }
  // Allowed: TAB, LF, CR (as reference), C1 controls, astral.
  assert.equal(textContent(parseXml('<a>&#9;&#xA;&#xD;\u0085&#x10FFFF;</a>')), '\t\n\r\u0085\u{10FFFF}');
});

test('ignores comments and processing instructions anywhere', () => {
  const r = parseXml(
    '<?xml version="1.0"?><?pi before?><!-- c --><a><?x y?><!-- d --><b/></a><!-- after --><?pi after?>',
  );
  assert.deepEqual(r, {
    ns: '',
    local: 'a',
    attributes: [],
    children: [{ ns: '', local: 'b', attributes: [], children: [], prefix: '' }],
    prefix: '',
  });
});
