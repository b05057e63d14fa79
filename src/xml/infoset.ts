/**
 * Namespace-aware, prefix-insensitive comparison of two DOM trees, for testing decoders/encoders
 * against reference renderings (e.g. EXIficient output, whose prefixes and unused declarations are
 * irrelevant to the EXI stream: EXI 1.0 §4 encodes the infoset, prefixes only with
 * Preserve.prefixes, which ISO 15118 does not use).
 *
 * Rules:
 * - elements: same (namespace, local name); prefixes and namespace declarations are ignored;
 * - attributes: same set of (namespace, local name, value), order ignored;
 * - content: merged text nodes; in an element with element children, whitespace-only text is
 *   ignored (formatting) and the remaining sequence of elements and non-whitespace text must match;
 *   in an element without element children the concatenated text must match exactly.
 */

import type { XmlAttribute, XmlElement } from './dom.ts';
import { isElement } from './dom.ts';

export interface CompareOptions {
  /** Attributes for which this returns true are left out on both sides. */
  ignoreAttributes?: (attr: XmlAttribute) => boolean;
}

export type CompareResult = { equal: true } | { equal: false; path: string; reason: string };

const MAX_SHOWN = 80;
const WHITESPACE_ONLY = /^[ \t\r\n]*$/; // XML 1.0 §2.3 [3] S

function clark(ns: string, local: string): string {
  return ns === '' ? local : `{${ns}}${local}`;
}

function shown(s: string, from = 0): string {
  const start = from > 0 ? Math.max(0, from - 20) : 0;
  let t = s.slice(start, start + MAX_SHOWN);
  if (start > 0) t = `…${t}`;
  if (start + MAX_SHOWN < s.length) t += '…';
  return JSON.stringify(t);
}

/** "expected X, actual Y", windowed around the first difference when the strings are long. */
function differs(what: string, expected: string, actual: string): string {
  let d = 0;
  const n = Math.min(expected.length, actual.length);
  while (d < n && expected.charCodeAt(d) === actual.charCodeAt(d)) d++;
  const from = d > MAX_SHOWN - 20 ? d : 0;
  const at = from > 0 ? ` (first difference at index ${d})` : '';
  return `${what} differs${at}: expected ${shown(expected, from)}, actual ${shown(actual, from)}`;
}

type Item = XmlElement | string;

/**
 * Normalized content: merged text; whitespace-only text dropped when there are element children;
 * for a leaf, its text if non-empty. `leafText` is the concatenated text when there is no element child.
 */
function items(e: XmlElement): { list: Item[]; leafText: string | undefined } {
  const out: Item[] = [];
  let hasElement = false;
  let text: string | undefined;
  for (const c of e.children) {
    if (isElement(c)) {
      if (text !== undefined) out.push(text);
      text = undefined;
      out.push(c);
      hasElement = true;
    } else {
      text = text === undefined ? c.text : text + c.text;
    }
  }
  if (text !== undefined) out.push(text);
  if (!hasElement) {
    const t = out.length === 0 ? '' : (out[0] as string);
    return { list: t === '' ? [] : [t], leafText: t };
  }
  return { list: out.filter((i) => typeof i !== 'string' || !WHITESPACE_ONLY.test(i)), leafText: undefined };
}

function describe(i: Item): string {
  return typeof i === 'string' ? `text ${shown(i)}` : `element ${clark(i.ns, i.local)}`;
}

/** XPath-like step: local name and 1-based position among preceding siblings with the same (ns, local). */
function step(siblings: Item[], index: number): string {
  const e = siblings[index] as XmlElement;
  let pos = 1;
  for (let i = 0; i < index; i++) {
    const s = siblings[i];
    if (typeof s !== 'string' && s.local === e.local && s.ns === e.ns) pos++;
  }
  return `/${e.local}[${pos}]`;
}

function textStep(siblings: Item[], index: number): string {
  let pos = 1;
  for (let i = 0; i < index; i++) if (typeof siblings[i] === 'string') pos++;
  return `/text()[${pos}]`;
}

function compareAttributes(
  a: XmlElement,
  b: XmlElement,
  path: string,
  ignore: CompareOptions['ignoreAttributes'],
): CompareResult | undefined {
  if (a.attributes.length === 0 && b.attributes.length === 0) return undefined;
  const keep = (x: XmlAttribute): boolean => ignore === undefined || !ignore(x);
  const bs = new Map<string, XmlAttribute>();
  for (const x of b.attributes) if (keep(x)) bs.set(`${x.ns} ${x.local}`, x);
  for (const x of a.attributes) {
    if (!keep(x)) continue;
    const key = `${x.ns} ${x.local}`;
    const y = bs.get(key);
    if (y === undefined) {
      return {
        equal: false,
        path: `${path}/@${x.local}`,
        reason: `attribute ${clark(x.ns, x.local)} missing: expected ${shown(x.value)}`,
      };
    }
    if (y.value !== x.value) {
      return {
        equal: false,
        path: `${path}/@${x.local}`,
        reason: differs(`attribute ${clark(x.ns, x.local)} value`, x.value, y.value),
      };
    }
    bs.delete(key);
  }
  for (const y of bs.values()) {
    return {
      equal: false,
      path: `${path}/@${y.local}`,
      reason: `unexpected attribute ${clark(y.ns, y.local)} = ${shown(y.value)}`,
    };
  }
  return undefined;
}

function nameDiffers(a: XmlElement, b: XmlElement): string {
  return `element name differs: expected ${clark(a.ns, a.local)}, actual ${clark(b.ns, b.local)}`;
}

function compareElements(
  a: XmlElement,
  b: XmlElement,
  path: string,
  options: CompareOptions | undefined,
): CompareResult {
  if (a.local !== b.local || a.ns !== b.ns) return { equal: false, path, reason: nameDiffers(a, b) };
  const attrs = compareAttributes(a, b, path, options?.ignoreAttributes);
  if (attrs !== undefined) return attrs;
  const ca = items(a);
  const cb = items(b);
  if (ca.leafText !== undefined && cb.leafText !== undefined) {
    // Both simple content: the value is reported at the element itself.
    if (ca.leafText === cb.leafText) return { equal: true };
    return { equal: false, path, reason: differs('text', ca.leafText, cb.leafText) };
  }
  const ia = ca.list;
  const ib = cb.list;
  const n = Math.min(ia.length, ib.length);
  // Running position per (ns, local) so wide elements stay linear (step() rescans siblings and is
  // only used once, for the reported difference).
  const positions = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = ia[i];
    const y = ib[i];
    if (typeof x === 'string') {
      if (typeof y === 'string') {
        if (x !== y) return { equal: false, path: path + textStep(ia, i), reason: differs('text', x, y) };
        continue;
      }
      return {
        equal: false,
        path: path + textStep(ia, i),
        reason: `expected ${describe(x)}, actual ${describe(y)}`,
      };
    }
    if (typeof y === 'string') {
      return {
        equal: false,
        path: path + step(ia, i),
        reason: `expected ${describe(x)}, actual ${describe(y)}`,
      };
    }
    const key = `${x.ns} ${x.local}`;
    const pos = (positions.get(key) ?? 0) + 1;
    positions.set(key, pos);
    const r = compareElements(x, y, `${path}/${x.local}[${pos}]`, options);
    if (!r.equal) return r;
  }
  if (ia.length > n) {
    const x = ia[n];
    const p = typeof x === 'string' ? path + textStep(ia, n) : path + step(ia, n);
    return {
      equal: false,
      path: p,
      reason: `missing ${describe(x)} (expected ${ia.length} children, actual ${ib.length})`,
    };
  }
  if (ib.length > n) {
    const y = ib[n];
    const p = typeof y === 'string' ? path + textStep(ib, n) : path + step(ib, n);
    return {
      equal: false,
      path: p,
      reason: `unexpected ${describe(y)} (expected ${ia.length} children, actual ${ib.length})`,
    };
  }
  return { equal: true };
}

/**
 * Compare `expected` (a) with `actual` (b). On difference, `path` locates the first one in document
 * order (e.g. `/V2G_Message[1]/Header[1]/SessionID[1]`, `/…/@Id`, `/…/text()[2]`); steps are
 * local names with the position among same-named siblings (namespace in `reason`).
 */
export function compareInfoset(a: XmlElement, b: XmlElement, options?: CompareOptions): CompareResult {
  return compareElements(a, b, `/${a.local}[1]`, options);
}
