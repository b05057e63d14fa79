// Reads an XSD file set into a minimal element tree that keeps the in-scope namespace bindings of
// every element: XSD attributes such as type="v2gci_t:sessionIDType" are QNames whose prefixes
// resolve against the bindings in scope at that element (XML Schema 1.0 §3.15.3).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SaxesParser } from 'saxes';

export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

export interface XsdNode {
  readonly local: string;
  readonly ns: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly bindings: ReadonlyMap<string, string>;
  readonly children: XsdNode[];
  readonly file: string;
  readonly line: number;
}

export interface XsdDocument {
  readonly file: string;
  readonly root: XsdNode;
}

/** Parses one XSD file. DOCTYPEs are skipped (the W3C xmldsig schema carries one it never uses). */
export function parseXsdFile(file: string): XsdDocument {
  const text = readFileSync(file, 'utf8');
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XsdNode[] = [];
  let root: XsdNode | undefined;
  parser.on('opentag', (tag) => {
    const attrs = new Map<string, string>();
    for (const attr of Object.values(tag.attributes)) {
      if (typeof attr === 'string') continue;
      if (attr.prefix === 'xmlns' || attr.name === 'xmlns') continue;
      attrs.set(attr.local, attr.value);
    }
    const parentBindings = stack.length > 0 ? stack[stack.length - 1]!.bindings : new Map<string, string>();
    const bindings = new Map(parentBindings);
    for (const [prefix, uri] of Object.entries(tag.ns ?? {})) bindings.set(prefix, uri);
    const node: XsdNode = {
      local: tag.local ?? tag.name,
      ns: tag.uri ?? '',
      attrs,
      bindings,
      children: [],
      file,
      line: parser.line,
    };
    if (stack.length > 0) stack[stack.length - 1]!.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('error', (err) => {
    throw new Error(`${file}: ${err.message}`);
  });
  parser.write(text).close();
  if (!root) throw new Error(`${file}: no root element`);
  if (root.ns !== XSD_NS || root.local !== 'schema') throw new Error(`${file}: not an XML Schema document`);
  return { file, root };
}

/** Loads a schema file and, transitively, every xs:import / xs:include it names (resolved beside it). */
export function loadXsdSet(rootFiles: readonly string[]): XsdDocument[] {
  const seen = new Map<string, XsdDocument>();
  const visit = (file: string): void => {
    const path = resolve(file);
    if (seen.has(path)) return;
    const doc = parseXsdFile(path);
    seen.set(path, doc);
    for (const child of doc.root.children) {
      if (child.ns !== XSD_NS) continue;
      if (child.local === 'import' || child.local === 'include' || child.local === 'redefine') {
        if (child.local === 'redefine') throw new Error(`${path}: xs:redefine is not supported`);
        const location = child.attrs.get('schemaLocation');
        if (location) visit(resolve(dirname(path), location));
      }
    }
  };
  for (const f of rootFiles) visit(f);
  // Deterministic order regardless of import order: sort by path.
  return [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export function xsdChildren(node: XsdNode, local?: string): XsdNode[] {
  return node.children.filter((c) => c.ns === XSD_NS && (local === undefined || c.local === local));
}

export function where(node: XsdNode): string {
  return `${node.file}:${node.line}`;
}
