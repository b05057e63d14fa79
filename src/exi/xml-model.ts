// XML serialisation and parsing of the typed model, driven by the same grammar tables as the EXI
// codec: the XML written lists content in the order the grammar allows, and XML read is turned into
// typed values with the facets of the schema (the CPS exchanges signed contract data as XML,
// OPCP cps.v1.json; the qualified `Id` attributes keep their namespaces, exi-and-signatures.md §1.6).
import { isElement, parseXml, resolvePrefix, type XmlElement, type XmlNode } from '../xml/dom.ts';
import { serializeXml } from '../xml/serialize.ts';
import { BitWriter } from './runtime/bit-writer.ts';
import { CodecError } from './runtime/codec-error.ts';
import type { AnyDecoded } from './runtime/decoder.ts';
import { parseClark } from './runtime/encoder.ts';
import {
  elementFragmentAttributeKey,
  nextState,
  qnameKeyOf,
  type RtSchema,
  type RtType,
  resolveElementFragmentAttribute,
} from './runtime/grammar.ts';
import type { AnyElement, ModelObject, ModelValue, QualifiedName } from './runtime/model.ts';
import { ELEMENT_FRAGMENT_GRAMMAR, EV_AT, EV_CH, EV_EE, EV_SE, EV_SE_ANY } from './runtime/table.ts';
import {
  encodeValue,
  type FacetPolicy,
  formatValue,
  parseValue,
  type SimpleValue,
  STRICT_FACETS,
} from './runtime/values.ts';
import { isCursorErrorOf, ObjectCursor } from './runtime/walk.ts';

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

/** Preferred prefixes for the V2G namespaces (what readers of our XML will recognise). */
export const PREFERRED_PREFIXES: Record<string, string> = {
  'urn:iso:15118:2:2013:MsgDef': 'v2gci_d',
  'urn:iso:15118:2:2013:MsgHeader': 'v2gci_h',
  'urn:iso:15118:2:2013:MsgBody': 'v2gci_b',
  'urn:iso:15118:2:2013:MsgDataTypes': 'v2gci_t',
  'http://www.w3.org/2000/09/xmldsig#': 'ds',
  'urn:iso:15118:2:2010:AppProtocol': 'app',
  [XSI_NS]: 'xsi',
  [XSD_NS]: 'xs',
};

export interface ToXmlOptions {
  /** Declared type of an element-fragment-grammar element (ISO 15118-2 eMAID: 'EMAIDType'). */
  readonly declaredType?: string;
  readonly facets?: FacetPolicy;
}

/** A decoded (or built) element as an XML element tree. */
export function elementToXml(schema: RtSchema, element: AnyDecoded, options: ToXmlOptions = {}): XmlElement {
  const w = new XmlWriter(schema, options.facets ?? STRICT_FACETS);
  if ('wildcard' in element && element.wildcard) return w.any(element.value);
  const q = schema.qnameByKey.get(qnameKeyOf(element.name.ns, element.name.local));
  if (q === undefined)
    throw new CodecError(
      'schema-mismatch',
      `{${element.name.ns}}${element.name.local} is not declared in ${schema.table.id}`,
      -1,
    );
  const code = schema.fragmentCode.get(q);
  const ref = code === undefined ? undefined : schema.table.fragmentElements[code]![1];
  if (ref === undefined)
    throw new CodecError(
      'schema-mismatch',
      `${element.name.local} is not an element of ${schema.table.id}`,
      -1,
    );
  if (ref === ELEMENT_FRAGMENT_GRAMMAR)
    return w.elementFragment(q, element.value, options.declaredType, `/${element.name.local}`);
  return w.element(element.name, ref, element.value, `/${element.name.local}`);
}

export function elementToXmlString(
  schema: RtSchema,
  element: AnyDecoded,
  options: ToXmlOptions & { indent?: boolean } = {},
): string {
  const tree = elementToXml(schema, element, options);
  return serializeXml(tree, {
    prefixes: PREFERRED_PREFIXES,
    // xsi:type values are QNames written with our preferred prefixes: those must then be declared
    // even though no element or attribute name uses them.
    declareAllPrefixes: hasXsiType(tree),
    ...(options.indent ? { indent: true } : {}),
  });
}

function hasXsiType(e: XmlElement): boolean {
  if (e.attributes.some((a) => a.ns === XSI_NS && a.local === 'type')) return true;
  return e.children.some((c) => isElement(c) && hasXsiType(c));
}

class XmlWriter {
  readonly schema: RtSchema;
  readonly facets: FacetPolicy;
  constructor(schema: RtSchema, facets: FacetPolicy) {
    this.schema = schema;
    this.facets = facets;
  }

  private name(q: number): QualifiedName {
    return { ns: this.schema.qnameUri[q]!, local: this.schema.qnameLocal[q]! };
  }

  private text(simple: number, value: unknown, path: string): string {
    const spec = this.schema.simpleTypes[simple]!;
    // Validate exactly as the EXI encoder would, so XML and EXI accept the same models.
    encodeValue(new BitWriter(16), spec, value, path, this.facets);
    return formatValue(spec, value as SimpleValue);
  }

  element(name: QualifiedName, typeRef: number, value: unknown, path: string): XmlElement {
    const out: XmlElement = { ns: name.ns, local: name.local, attributes: [], children: [] };
    if (typeRef < 0) {
      out.children.push({ text: this.text(~typeRef, value, path) });
      return out;
    }
    const type: RtType = this.schema.types[typeRef]!;
    const cursor = new ObjectCursor(type, value, path);
    try {
      return this.complex(out, type, cursor, path);
    } catch (e) {
      // Same order search as the EXI encoder (walk.ts) when the greedy order dead-ends.
      if (cursor.isPlanned || !isCursorErrorOf(e, path)) throw e;
      try {
        const planned = new ObjectCursor(type, value, path);
        planned.usePlan();
        return this.complex(
          { ns: name.ns, local: name.local, attributes: [], children: [] },
          type,
          planned,
          path,
        );
      } catch (e2) {
        throw isCursorErrorOf(e2, path) ? e : e2;
      }
    }
  }

  private complex(out: XmlElement, type: RtType, cursor: ObjectCursor, path: string): XmlElement {
    let state = 0;
    const loop = { count: 0 };
    for (;;) {
      const st = type.states[state]!;
      const code = cursor.choose(st, state);
      const arg = st.args[code]!;
      switch (st.kinds[code]) {
        case EV_EE:
          cursor.assertConsumed();
          return out;
        case EV_AT: {
          const q = this.name(type.attrQNames[arg]!);
          out.attributes.push({
            ns: q.ns,
            local: q.local,
            value: this.text(type.attrTypes[arg]!, cursor.takeAttribute(arg), `${path}/@${q.local}`),
          });
          break;
        }
        case EV_SE: {
          const child = cursor.takeChild(arg);
          out.children.push(
            this.element(this.name(type.childQNames[arg]!), type.childTypes[arg]!, child.value, child.path),
          );
          break;
        }
        case EV_CH:
          if (arg >= 0) out.children.push({ text: this.text(arg, cursor.takeValue(), `${path}/$value`) });
          else out.children.push({ text: String(cursor.takeText()) });
          break;
        case EV_SE_ANY:
          out.children.push(this.any(cursor.takeAny() as AnyElement));
          break;
      }
      state = nextState(st, code, state, loop);
    }
  }

  elementFragment(q: number, value: unknown, declaredType: string | undefined, path: string): XmlElement {
    const name = this.name(q);
    const out: XmlElement = { ns: name.ns, local: name.local, attributes: [], children: [] };
    if (value === null || typeof value !== 'object') {
      out.children.push({ text: String(value) });
      return out;
    }
    const obj = value as Record<string, unknown>;
    const type =
      declaredType === undefined ? undefined : this.schema.types.find((t) => t.name === declaredType);
    for (const key of Object.keys(obj)) {
      if (key === '$value' || obj[key] === undefined) continue;
      const code = resolveElementFragmentAttribute(this.schema, q, key, type);
      if (typeof code === 'string') throw new CodecError('schema-mismatch', `${path}/@${key}: ${code}`, -1);
      const [aq, ref] = this.schema.table.fragmentAttributes[code]!;
      const n = this.name(aq);
      out.attributes.push({ ns: n.ns, local: n.local, value: this.text(~ref, obj[key], `${path}/@${key}`) });
    }
    if (obj.$value !== undefined) out.children.push({ text: String(obj.$value) });
    return out;
  }

  any(element: AnyElement): XmlElement {
    if (element.typed !== undefined) {
      const q = this.schema.qnameByKey.get(qnameKeyOf(element.name.ns, element.name.local))!;
      const global = this.schema.table.globalElements.find(([gq]) => gq === q)!;
      return this.element(element.name, global[1], element.typed, `/${element.name.local}`);
    }
    return {
      ns: element.name.ns,
      local: element.name.local,
      attributes: element.attributes.map((a) => ({
        ns: a.name.ns,
        local: a.name.local,
        // xsi:type values are names; XML needs a prefixed QName.
        value:
          a.name.ns === XSI_NS && a.name.local === 'type'
            ? qnameValue(a.qname ?? parseClark(a.value), a.value)
            : a.value,
      })),
      children: element.children.map((c): XmlNode => (typeof c === 'string' ? { text: c } : this.any(c))),
    };
  }
}

function qnameValue(q: QualifiedName | undefined, shown: string): string {
  const prefix = q ? PREFERRED_PREFIXES[q.ns] : undefined;
  if (!q || !prefix)
    throw new CodecError('schema-mismatch', `xsi:type value ${shown} has no known prefix`, -1);
  return `${prefix}:${q.local}`;
}

export interface FromXmlOptions {
  readonly facets?: FacetPolicy;
  /** 'document': the root must be a global element; 'fragment': any element of the schema set. */
  readonly kind?: 'document' | 'fragment';
}

/** Parses XML text into elements of the typed model (the root, or for fragments the root itself). */
export function xmlToElement(
  schema: RtSchema,
  xml: string | XmlElement,
  options: FromXmlOptions = {},
): AnyDecoded {
  const root = typeof xml === 'string' ? parseXml(xml) : xml;
  const r = new XmlReader(schema, options.facets ?? STRICT_FACETS);
  return r.root(root, options.kind ?? 'document');
}

class XmlReader {
  readonly schema: RtSchema;
  readonly facets: FacetPolicy;
  constructor(schema: RtSchema, facets: FacetPolicy) {
    this.schema = schema;
    this.facets = facets;
  }

  root(e: XmlElement, kind: 'document' | 'fragment'): AnyDecoded {
    const name = { ns: e.ns, local: e.local };
    const q = this.schema.qnameByKey.get(qnameKeyOf(e.ns, e.local));
    if (kind === 'document') {
      const global = q === undefined ? undefined : this.schema.table.globalElements.find(([gq]) => gq === q);
      if (!global) return { name, value: this.any(e, [e]), wildcard: true };
      return { name, value: this.element(e, global[1], `/${e.local}`, [e]) };
    }
    const code = q === undefined ? undefined : this.schema.fragmentCode.get(q);
    if (code === undefined) return { name, value: this.any(e, [e]), wildcard: true };
    const ref = this.schema.table.fragmentElements[code]![1];
    if (ref === ELEMENT_FRAGMENT_GRAMMAR) return { name, value: this.elementFragment(e, q!, `/${e.local}`) };
    return { name, value: this.element(e, ref, `/${e.local}`, [e]) };
  }

  private textOf(e: XmlElement, path: string): string {
    let s = '';
    for (const c of e.children) {
      if (isElement(c))
        throw new CodecError(
          'schema-mismatch',
          `${path}: element content where a simple value is expected`,
          -1,
        );
      s += c.text;
    }
    return s;
  }

  private value(simple: number, text: string, path: string): SimpleValue {
    const spec = this.schema.simpleTypes[simple]!;
    const v = parseValue(spec, text, path);
    encodeValue(new BitWriter(16), spec, v, path, this.facets);
    return v;
  }

  element(e: XmlElement, typeRef: number, path: string, ancestors: XmlElement[]): ModelValue {
    for (const a of e.attributes) {
      if (a.ns === XSI_NS)
        throw new CodecError('undeclared', `${path}: xsi:${a.local} is not supported in V2G messages`, -1);
    }
    if (typeRef < 0) {
      if (e.attributes.length > 0)
        throw new CodecError('schema-mismatch', `${path}: attributes on a simple-typed element`, -1);
      return this.value(~typeRef, this.textOf(e, path), path);
    }
    const type = this.schema.types[typeRef]!;
    const obj: ModelObject = {};
    for (const a of e.attributes) {
      const q = this.schema.qnameByKey.get(qnameKeyOf(a.ns, a.local));
      const i = q === undefined ? -1 : type.attrQNames.indexOf(q);
      if (i < 0)
        throw new CodecError(
          'schema-mismatch',
          `${path}/@{${a.ns}}${a.local}: not an attribute of ${type.name}`,
          -1,
        );
      obj[type.attrNames[i]!] = this.value(type.attrTypes[i]!, a.value, `${path}/@${a.local}`);
    }
    if (type.simpleContent >= 0) {
      obj.$value = this.value(type.simpleContent, this.textOf(e, path), `${path}/$value`);
      return obj;
    }
    const hasWildcard = type.states.some((s) => Array.from(s.kinds).includes(EV_SE_ANY));
    for (const c of e.children) {
      if (!isElement(c)) {
        if (c.text.trim() === '') continue;
        if (!type.spec.mixed)
          throw new CodecError(
            'schema-mismatch',
            `${path}: text in element-only content of ${type.name}`,
            -1,
          );
        const list = (obj.$text as string[] | undefined) ?? [];
        list.push(c.text);
        obj.$text = list;
        continue;
      }
      const q = this.schema.qnameByKey.get(qnameKeyOf(c.ns, c.local));
      const i = q === undefined ? -1 : type.childQNames.indexOf(q);
      if (i < 0) {
        if (!hasWildcard)
          throw new CodecError(
            'schema-mismatch',
            `${path}/{${c.ns}}${c.local}: not a child of ${type.name}`,
            -1,
          );
        const list = (obj.$any as AnyElement[] | undefined) ?? [];
        list.push(this.any(c, [...ancestors, c]));
        obj.$any = list;
        continue;
      }
      const name = type.childNames[i]!;
      const childPath = `${path}/${name}`;
      const value = this.element(c, type.childTypes[i]!, childPath, [...ancestors, c]);
      if (type.childRepeated[i]) {
        const list = (obj[name] as ModelValue[] | undefined) ?? [];
        list.push(value);
        obj[name] = list;
      } else {
        if (obj[name] !== undefined)
          throw new CodecError('schema-mismatch', `${childPath}: more than one`, -1);
        obj[name] = value;
      }
    }
    return obj;
  }

  elementFragment(e: XmlElement, elementQName: number, path: string): ModelObject {
    const obj: ModelObject = {};
    for (const a of e.attributes) {
      const q = this.schema.qnameByKey.get(qnameKeyOf(a.ns, a.local));
      const entry =
        q === undefined ? undefined : this.schema.table.fragmentAttributes.find(([aq]) => aq === q);
      if (!entry)
        throw new CodecError(
          'schema-mismatch',
          `${path}/@{${a.ns}}${a.local}: not an attribute of the schema set`,
          -1,
        );
      obj[elementFragmentAttributeKey(this.schema, elementQName, entry[0])] = this.value(
        ~entry[1],
        a.value,
        `${path}/@${a.local}`,
      );
    }
    obj.$value = this.textOf(e, path);
    return obj;
  }

  any(e: XmlElement, ancestors: XmlElement[]): AnyElement {
    return {
      name: { ns: e.ns, local: e.local },
      attributes: e.attributes.map((a) => {
        if (a.ns === XSI_NS && a.local === 'type') {
          const colon = a.value.indexOf(':');
          const prefix = colon < 0 ? '' : a.value.slice(0, colon);
          const ns = resolvePrefix(ancestors, prefix);
          if (ns === undefined)
            throw new CodecError('schema-mismatch', `xsi:type ${a.value}: undeclared prefix`, -1);
          const qname = { ns, local: a.value.slice(colon + 1) };
          return { name: { ns: a.ns, local: a.local }, value: `{${qname.ns}}${qname.local}`, qname };
        }
        return { name: { ns: a.ns, local: a.local }, value: a.value };
      }),
      children: e.children.map((c) => (isElement(c) ? this.any(c, [...ancestors, c]) : c.text)),
    };
  }
}
