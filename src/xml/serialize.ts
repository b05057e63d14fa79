/**
 * Deterministic XML 1.0 writer for the DOM of dom.ts.
 *
 * Namespaces: every namespace used by an element or attribute is declared once, on the root, with a
 * prefix. A default namespace (`xmlns="…"`) is never written, so an unprefixed element is always in
 * no namespace and the empty namespace needs no undeclaration (which XML 1.0 namespaces cannot
 * express for prefixes anyway, Namespaces in XML 1.0 §5).
 */

import type { XmlElement } from './dom.ts';
import { isElement, XML_NAMESPACE, XMLNS_NAMESPACE } from './dom.ts';
import { XmlSerializeError } from './xml-error.ts';

export interface SerializeOptions {
  /** Preferred prefix per namespace (ns → prefix). Invalid or clashing preferences fall back to generated ones. */
  prefixes?: Record<string, string>;
  /** Also declare on the root every namespace of `prefixes`, even when unused (e.g. for QName-valued content). */
  declareAllPrefixes?: boolean;
  /** Write `<?xml version="1.0" encoding="UTF-8"?>` first. Default false. */
  xmlDeclaration?: boolean;
  /** Indent element-only content with two spaces per level. Default false (no whitespace added). */
  indent?: boolean;
}

// NCName = Name minus ':' (Namespaces in XML 1.0 §3; Name per XML 1.0 5th ed. §2.3 [4], [4a]).
const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NCNAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');

/** Characters outside XML 1.0 `Char` (§2.2 [2]); `u` mode makes a lone surrogate match too. */
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
// Text: & and < must be escaped (§2.4); > too (for "]]>"); " for symmetry with attributes; CR
// because a literal CR would be normalized to LF on input (§2.11); C1 controls and U+2028 as
// references so they survive XML 1.1 line-end normalization and stay visible.
const TEXT_SPECIAL = /[&<>"\r\u007F-\u009F\u2028]/g;
// Attributes additionally: TAB, LF, CR, which attribute-value normalization turns into spaces (§3.3.3).
const ATTR_SPECIAL = /[&<>"\t\n\r\u007F-\u009F\u2028]/g;

function ref(c: string): string {
  switch (c) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '"':
      return '&quot;';
    default:
      return `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`;
  }
}

export function isNCName(s: string): boolean {
  return NCNAME.test(s);
}

/** A prefix that may be declared: an NCName not starting with "xml" (reserved, Namespaces in XML 1.0 §3). */
function isUsablePrefix(p: string): boolean {
  return NCNAME.test(p) && !/^xml/i.test(p);
}

interface Ctx {
  prefixOf: Map<string, string>;
  indent: boolean;
  path: string[];
}

function pathString(path: string[]): string {
  return path.join('');
}

function escapeText(s: string, ctx: Ctx): string {
  if (INVALID_CHAR.test(s)) throw invalidChar(s, ctx);
  return s.replace(TEXT_SPECIAL, ref);
}

function escapeAttr(s: string, ctx: Ctx): string {
  if (INVALID_CHAR.test(s)) throw invalidChar(s, ctx);
  return s.replace(ATTR_SPECIAL, ref);
}

function invalidChar(s: string, ctx: Ctx): XmlSerializeError {
  const m = INVALID_CHAR.exec(s);
  const cp = m?.[0].codePointAt(0) ?? 0;
  return new XmlSerializeError(
    `character U+${cp.toString(16).toUpperCase().padStart(4, '0')} at index ${m?.index ?? -1} is not allowed in XML 1.0`,
    pathString(ctx.path),
  );
}

/**
 * Collect namespaces in first-use order (pre-order: element, then its attributes) and check the
 * reserved ones. Iterative so caller-built deep trees cannot overflow the stack here.
 */
function collectNamespaces(root: XmlElement): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const use = (ns: string, where: string): void => {
    if (ns === '' || ns === XML_NAMESPACE || seen.has(ns)) return;
    if (ns === XMLNS_NAMESPACE) {
      throw new XmlSerializeError(
        `the xmlns namespace cannot be used for ${where} (Namespaces in XML 1.0 §3)`,
        '',
      );
    }
    seen.add(ns);
    order.push(ns);
  };
  const stack: XmlElement[] = [root];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    use(e.ns, `element ${e.local}`);
    for (const a of e.attributes) use(a.ns, `attribute ${a.local}`);
    for (let i = e.children.length - 1; i >= 0; i--) {
      const c = e.children[i];
      if (isElement(c)) stack.push(c);
    }
  }
  return order;
}

function assignPrefixes(used: string[], options: SerializeOptions | undefined): Map<string, string> {
  const preferred = options?.prefixes ?? {};
  const all = [...used];
  if (options?.declareAllPrefixes === true) {
    const have = new Set(all);
    for (const ns of Object.keys(preferred)) {
      if (ns !== '' && ns !== XML_NAMESPACE && ns !== XMLNS_NAMESPACE && !have.has(ns)) {
        have.add(ns);
        all.push(ns);
      }
    }
  }
  const assigned: (string | undefined)[] = [];
  const taken = new Set<string>();
  // Pass 1: preferred prefixes, first come first served, so a generated nsN never steals one.
  for (const ns of all) {
    const p = Object.hasOwn(preferred, ns) ? preferred[ns] : undefined;
    if (p !== undefined && isUsablePrefix(p) && !taken.has(p)) {
      assigned.push(p);
      taken.add(p);
    } else {
      assigned.push(undefined);
    }
  }
  // Pass 2: ns1, ns2, … in first-use order. The map keeps first-use order for the declarations.
  const prefixOf = new Map<string, string>();
  let n = 1;
  for (const [i, ns] of all.entries()) {
    let p = assigned[i];
    if (p === undefined) {
      while (taken.has(`ns${n}`)) n++;
      p = `ns${n}`;
      taken.add(p);
    }
    prefixOf.set(ns, p);
  }
  return prefixOf;
}

function qname(ns: string, local: string, ctx: Ctx, what: string): string {
  if (!NCNAME.test(local)) {
    throw new XmlSerializeError(
      `${what} local name ${JSON.stringify(local)} is not an NCName`,
      pathString(ctx.path),
    );
  }
  if (ns === '') return local;
  if (ns === XML_NAMESPACE) return `xml:${local}`;
  const p = ctx.prefixOf.get(ns);
  if (p === undefined) throw new Error(`internal: namespace ${ns} was not collected`);
  return `${p}:${local}`;
}

function writeElement(
  e: XmlElement,
  ctx: Ctx,
  level: number,
  siblingIndex: number,
  rootDecls: string,
): string {
  ctx.path.push(`/${e.local}[${siblingIndex}]`);
  const name = qname(e.ns, e.local, ctx, 'element');
  let out = `<${name}${rootDecls}`;
  if (e.attributes.length > 0) {
    const seen = e.attributes.length > 1 ? new Set<string>() : undefined;
    for (const a of e.attributes) {
      if (a.ns === '' && a.local === 'xmlns') {
        throw new XmlSerializeError(
          'attribute "xmlns" is a namespace declaration, not an attribute',
          pathString(ctx.path),
        );
      }
      if (seen !== undefined) {
        const key = `${a.ns} ${a.local}`;
        if (seen.has(key)) {
          throw new XmlSerializeError(
            `duplicate attribute {${a.ns}}${a.local} (Namespaces in XML 1.0 §6.3)`,
            pathString(ctx.path),
          );
        }
        seen.add(key);
      }
      out += ` ${qname(a.ns, a.local, ctx, 'attribute')}="${escapeAttr(a.value, ctx)}"`;
    }
  }
  const cs = e.children;
  let content = '';
  // Indentation only where it cannot change the infoset: element-only content.
  // Empty text nodes write nothing, so they do not count as text here.
  const indentHere = ctx.indent && cs.some(isElement) && cs.every((c) => isElement(c) || c.text === '');
  const pad = indentHere ? `\n${'  '.repeat(level + 1)}` : '';
  // Sibling position per (ns, local), for error paths only.
  let counts: Map<string, number> | undefined;
  for (const c of cs) {
    if (isElement(c)) {
      counts ??= new Map();
      const key = `${c.ns} ${c.local}`;
      const k = (counts.get(key) ?? 0) + 1;
      counts.set(key, k);
      content += pad + writeElement(c, ctx, level + 1, k, '');
    } else if (c.text !== '') {
      content += escapeText(c.text, ctx);
    }
  }
  if (content === '') out += '/>';
  else out += `>${content}${indentHere ? `\n${'  '.repeat(level)}` : ''}</${name}>`;
  ctx.path.pop();
  return out;
}

/**
 * Serialize `root` as an XML 1.0 document in UTF-8 terms (a JS string; encode with TextEncoder).
 * Output is a pure function of (tree, options). Throws XmlSerializeError when the tree cannot be
 * represented as well-formed, namespace-well-formed XML 1.0.
 */
export function serializeXml(root: XmlElement, options?: SerializeOptions): string {
  const used = collectNamespaces(root);
  const prefixOf = assignPrefixes(used, options);
  const ctx: Ctx = { prefixOf, indent: options?.indent === true, path: [] };
  let decls = '';
  for (const [ns, p] of prefixOf) decls += ` xmlns:${p}="${escapeAttr(ns, ctx)}"`;
  const body = writeElement(root, ctx, 0, 1, decls);
  if (options?.xmlDeclaration === true) {
    return `<?xml version="1.0" encoding="UTF-8"?>${ctx.indent ? '\n' : ''}${body}`;
  }
  return body;
}
