/**
 * A minimal namespace-aware XML DOM and a hardened parser built on saxes.
 *
 * The tree holds exactly what the EXI layer needs from the XML Information Set (XML Infoset §2):
 * element (namespace, local name), attributes (namespace, local name, value) and character data.
 * Namespace declarations are not attributes here (Namespaces in XML 1.0 §3: they are "reserved
 * attributes"); the ones declared on an element are kept, informationally, in
 * `namespaceDeclarations` so QName-valued content (e.g. `xsi:type`, EXI 1.0 §7.1.7) can be resolved.
 */

import type { SaxesTagNS } from 'saxes';
import { SaxesParser } from 'saxes';
import { XmlError } from './xml-error.ts';

/** Namespace bound to the `xml` prefix by definition (Namespaces in XML 1.0 §3). */
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
/** Namespace of namespace declarations themselves (Namespaces in XML 1.0 §3). */
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

export interface XmlName {
  /** Namespace name; '' = no namespace. */
  ns: string;
  local: string;
}

export interface XmlAttribute {
  ns: string;
  local: string;
  value: string;
}

export interface XmlElement {
  ns: string;
  local: string;
  /** Attributes in document order, excluding namespace declarations (xmlns, xmlns:*). */
  attributes: XmlAttribute[];
  /** Children in document order. Consecutive text/CDATA is merged into one text node. */
  children: XmlNode[];
  /** Prefix as found when parsed ('' = unprefixed). Informational only: never used for comparison. */
  prefix?: string;
  /**
   * Namespace declarations made on this element when parsed, prefix → namespace ('' key = default
   * namespace). Present only when the element declares at least one. Informational: the serializer
   * ignores it and declares what it needs on the root.
   */
  namespaceDeclarations?: Record<string, string>;
}

export interface XmlText {
  text: string;
}

export type XmlNode = XmlElement | XmlText;

export interface ParseLimits {
  /** Maximum element nesting depth; the root is depth 1. Default 64. */
  maxDepth?: number;
  /** Maximum input size in UTF-8 bytes. Default 8 MiB. */
  maxBytes?: number;
  /** Maximum number of nodes: elements + attributes + text nodes. Default 200 000. */
  maxNodes?: number;
}

export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_NODES = 200_000;

export function isElement(n: XmlNode): n is XmlElement {
  return (n as XmlElement).local !== undefined;
}

/** The element children of `e`, in document order (text nodes skipped). */
export function elementChildren(e: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of e.children) if (isElement(c)) out.push(c);
  return out;
}

/**
 * Concatenated character data of `e` and all its descendants, in document order (the DOM
 * `textContent` semantics). For a simple-content element this is its value.
 */
export function textContent(e: XmlElement): string {
  // Fast path: leaf with zero or one text node (the common case for EXI simple content).
  const cs = e.children;
  if (cs.length === 0) return '';
  if (cs.length === 1 && !isElement(cs[0])) return (cs[0] as XmlText).text;
  let out = '';
  // Iterative pre-order walk: no recursion limit concerns for caller-built trees.
  const stack: XmlNode[][] = [cs];
  const idx: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const list = stack[top];
    const i = idx[top];
    if (i >= list.length) {
      stack.pop();
      idx.pop();
      continue;
    }
    idx[top] = i + 1;
    const n = list[i];
    if (isElement(n)) {
      stack.push(n.children);
      idx.push(0);
    } else {
      out += n.text;
    }
  }
  return out;
}

/** First child element with the given name, or undefined. */
export function childElement(e: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const c of e.children) if (isElement(c) && c.local === local && c.ns === ns) return c;
  return undefined;
}

/** Value of the attribute (ns, local), or undefined. Unprefixed attributes have ns ''. */
export function getAttribute(e: XmlElement, ns: string, local: string): string | undefined {
  for (const a of e.attributes) if (a.local === local && a.ns === ns) return a.value;
  return undefined;
}

/**
 * Resolve a prefix against the namespace declarations recorded by parseXml, given the element and
 * its ancestors (`ancestorsAndSelf[0]` = root, last = the element whose scope is wanted).
 * '' resolves the default namespace ('' when none). `xml` is always bound (Namespaces in XML §3).
 */
export function resolvePrefix(ancestorsAndSelf: readonly XmlElement[], prefix: string): string | undefined {
  if (prefix === 'xml') return XML_NAMESPACE;
  for (let i = ancestorsAndSelf.length - 1; i >= 0; i--) {
    const d = ancestorsAndSelf[i].namespaceDeclarations;
    if (d !== undefined && Object.hasOwn(d, prefix)) return d[prefix];
  }
  return prefix === '' ? '' : undefined;
}

function checkLimit(name: string, value: number | undefined, dflt: number): number {
  if (value === undefined) return dflt;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`parseXml: ${name} must be a positive integer`);
  return value;
}

/**
 * Parse an XML 1.0 document (string, or UTF-8 bytes) into its root element.
 *
 * Hardening (all refusals throw XmlError):
 * - any DOCTYPE is refused, so no entity can be declared: no XXE, no billion laughs
 *   (ISO 15118 messages never carry a DTD);
 * - input larger than `maxBytes` UTF-8 bytes is refused before any parsing;
 * - nesting deeper than `maxDepth` is refused when the offending start tag is read;
 * - more than `maxNodes` nodes is refused as soon as the count is exceeded;
 * - only XML 1.0 (§2.8): a declaration with another version is refused, so XML 1.1 control
 *   character references cannot slip in.
 * Comments and processing instructions are skipped. Whitespace-only text is kept.
 */
export function parseXml(input: string | Uint8Array, limits?: ParseLimits): XmlElement {
  const maxDepth = checkLimit('maxDepth', limits?.maxDepth, DEFAULT_MAX_DEPTH);
  const maxBytes = checkLimit('maxBytes', limits?.maxBytes, DEFAULT_MAX_BYTES);
  const maxNodes = checkLimit('maxNodes', limits?.maxNodes, DEFAULT_MAX_NODES);

  let text: string;
  const fromBytes = typeof input !== 'string';
  if (typeof input === 'string') {
    // UTF-8 needs at least one byte per UTF-16 code unit and at most three, so the exact count
    // (a linear native scan) is only needed in the ambiguous band.
    if (
      input.length > maxBytes ||
      (input.length * 3 > maxBytes && Buffer.byteLength(input, 'utf8') > maxBytes)
    ) {
      throw new XmlError(`input exceeds ${maxBytes} bytes`);
    }
    text = input;
  } else {
    if (input.byteLength > maxBytes) throw new XmlError(`input exceeds ${maxBytes} bytes`);
    try {
      // fatal: malformed UTF-8 is an error, not U+FFFD (XML 1.0 §4.3.3); the BOM is stripped.
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (e) {
      throw new XmlError('input is not valid UTF-8', 0, 0, { cause: e });
    }
  }
  // A leading BOM is an encoding signature, not content (XML 1.0 §4.3.3, Appendix F).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A lone surrogate is not a character at all (XML 1.0 §2.2 Char excludes U+D800–U+DFFF); saxes
  // would misreport it (it pairs it with the next code unit), so catch it first.
  if (!text.isWellFormed()) {
    const i = text.search(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const column = i - before.lastIndexOf('\n');
    throw new XmlError(
      `lone surrogate U+${text.charCodeAt(i).toString(16).toUpperCase()} is not an XML character`,
      line,
      column,
    );
  }

  // Forced XML 1.0 character rules (§2.2): a version="1.1" declaration must not enable XML 1.1
  // control-character references before we get to refuse it.
  const parser = new SaxesParser({
    xmlns: true,
    position: true,
    defaultXMLVersion: '1.0',
    forceXMLVersion: true,
  });

  function fail(message: string): never {
    throw new XmlError(message, parser.line, parser.column);
  }

  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];
  let nodes = 0;

  // Performance: saxes stores handlers as properties added to the parser after construction; with
  // 7 or more V8 turns the object into a slow dictionary (parsing ~6x slower), and differing handler
  // sets make the hot paths polymorphic. So exactly these five are always set, in this order, and
  // well-formedness errors are taken from saxes's throw instead of an 'error' handler.
  parser.on('opentag', (tag: SaxesTagNS) => {
    // Depth is checked when a start tag completes, so hostile nesting stops at maxDepth + 1.
    if (stack.length >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
    const attributes: XmlAttribute[] = [];
    for (const name in tag.attributes) {
      const a = tag.attributes[name];
      if (a.uri === XMLNS_NAMESPACE) continue; // namespace declaration (saxes gives xmlns and xmlns:* this URI)
      attributes.push({ ns: a.uri, local: a.local, value: a.value });
    }
    nodes += 1 + attributes.length;
    if (nodes > maxNodes) fail(`more than ${maxNodes} nodes`);
    const el: XmlElement = { ns: tag.uri, local: tag.local, attributes, children: [], prefix: tag.prefix };
    let decls: Record<string, string> | undefined;
    for (const p in tag.ns) {
      decls ??= {};
      decls[p] = tag.ns[p];
    }
    if (decls !== undefined) el.namespaceDeclarations = decls;
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      // The XML declaration, if any, has been read by now (it must come first, XML 1.0 §2.8).
      const { version, encoding } = parser.xmlDecl;
      if (version !== undefined && version !== '1.0')
        fail(`unsupported XML version ${JSON.stringify(version)}`);
      if (fromBytes && encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
        fail(`unsupported encoding ${JSON.stringify(encoding)} (only UTF-8)`);
      }
      root = el;
    } else {
      parent.children.push(el);
    }
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined || t.length === 0) return; // whitespace around the root is not content
    const cs = parent.children;
    const last = cs[cs.length - 1];
    if (last !== undefined && !isElement(last)) {
      last.text += t; // merge text/CDATA split by comments, PIs or CDATA boundaries
    } else {
      if (++nodes > maxNodes) fail(`more than ${maxNodes} nodes`);
      cs.push({ text: t });
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('doctype', () => {
    fail('DOCTYPE is not allowed');
  });

  try {
    parser.write(text).close();
  } catch (e) {
    if (e instanceof XmlError) throw e;
    // saxes reports well-formedness errors by throwing Error("line:column: message").
    const m = e instanceof Error ? /^\d+:\d+: (.*)$/s.exec(e.message) : null;
    if (m === null) throw e;
    throw new XmlError(m[1], parser.line, parser.column, { cause: e });
  }
  if (root === undefined) fail('no root element');
  return root;
}
