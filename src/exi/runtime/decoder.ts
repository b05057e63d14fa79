// Grammar interpreter, decoding side: EXI 1.0 schema-informed, non-strict, bit-packed streams
// (the ISO 15118 profile, exi-and-signatures.md §1.1) into the typed model.
//
// Hostile input is the normal case here: every read is bounds-checked by BitReader, nesting depth
// and element count are bounded, and second-level (undeclared) productions of schema-informed
// grammars are refused (exi-and-signatures.md P7; the only exception is content the schema itself
// leaves open: SE(*) of the fragment grammar and of xs:any, decoded with built-in grammars).
import { BitReader, type ReaderLimits } from './bit-reader.ts';
import { CodecError } from './codec-error.ts';
import {
  codeWidth,
  elementFragmentAttributeKey,
  nextState,
  qnameKeyOf,
  type RtSchema,
  type RtType,
} from './grammar.ts';
import type { AnyElement, ExiElement, ModelObject, ModelValue, QualifiedName } from './model.ts';
import { ELEMENT_FRAGMENT_GRAMMAR, EV_AT, EV_CH, EV_EE, EV_SE, EV_SE_ANY } from './table.ts';
import { decodeValue, type FacetPolicy, STRICT_FACETS, StringTable } from './values.ts';

export interface DecodeLimits extends ReaderLimits {
  /** Maximum element nesting depth (V2G messages nest about 10 deep). */
  readonly maxDepth: number;
  /** Maximum number of elements in one stream. */
  readonly maxElements: number;
}

export interface DecodeOptions extends Partial<DecodeLimits> {
  readonly facets?: FacetPolicy;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxDepth: 48,
  maxElements: 200_000,
  maxStringLength: 65_536,
  maxBinaryLength: 1_048_576,
};

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** A learned production of a built-in element grammar. */
type Learned = { kind: 'AT' | 'SE' | 'CH' | 'EE'; name?: QualifiedName };

/**
 * Hard ceiling on nesting, whatever a caller asks for: the interpreter recurses once per element, so
 * a larger depth would let hostile input exhaust the JavaScript stack instead of failing cleanly.
 */
export const MAX_DEPTH_CEILING = 1000;

class Decoder {
  readonly schema: RtSchema;
  readonly limits: DecodeLimits;
  readonly reader: BitReader;
  readonly strings: StringTable;
  readonly facets: FacetPolicy;
  private elements = 0;

  constructor(schema: RtSchema, bytes: Uint8Array, limits: DecodeLimits, facets: FacetPolicy) {
    this.schema = schema;
    this.facets = facets;
    this.limits = { ...limits, maxDepth: Math.min(limits.maxDepth, MAX_DEPTH_CEILING) };
    this.reader = new BitReader(bytes, limits);
    this.strings = new StringTable(schema.table.uris, schema.table.localNames);
  }

  private enter(depth: number): void {
    if (depth > this.limits.maxDepth) {
      throw new CodecError(
        'limit',
        `nesting deeper than ${this.limits.maxDepth} elements`,
        this.reader.bitPosition,
      );
    }
    if (++this.elements > this.limits.maxElements) {
      throw new CodecError('limit', `more than ${this.limits.maxElements} elements`, this.reader.bitPosition);
    }
  }

  /** Content of an element whose type is given by a table type reference. */
  decodeTypeRef(typeRef: number, qname: number, depth: number): ModelValue {
    this.enter(depth);
    if (typeRef >= 0) return this.decodeComplex(this.schema.types[typeRef]!, qname, depth);
    return this.decodeSimpleElement(~typeRef, qname);
  }

  /** Simple type grammar (EXI 1.0 §8.5.4.1.3.1): CH then EE, each state 1 bit in non-strict mode. */
  private decodeSimpleElement(simple: number, qname: number): ModelValue {
    const r = this.reader;
    let at = r.bitPosition;
    if (r.readBits(1) !== 0) throw this.undeclared(at, `element ${this.nameOf(qname)}`);
    const value = decodeValue(r, this.schema.simpleTypes[simple]!, this.strings, qname, this.facets);
    at = r.bitPosition;
    if (r.readBits(1) !== 0) throw this.undeclared(at, `end of element ${this.nameOf(qname)}`);
    return value;
  }

  private decodeComplex(type: RtType, qname: number, depth: number): ModelObject {
    const r = this.reader;
    const obj: ModelObject = {};
    let state = 0;
    const loop = { count: 0 };
    for (;;) {
      const st = type.states[state]!;
      const at = r.bitPosition;
      const code = r.readBits(st.width);
      if (code >= st.count) throw this.undeclared(at, `${type.name} (state ${state})`);
      const arg = st.args[code]!;
      switch (st.kinds[code]) {
        case EV_EE:
          return obj;
        case EV_AT:
          obj[type.attrNames[arg]!] = decodeValue(
            r,
            this.schema.simpleTypes[type.attrTypes[arg]!]!,
            this.strings,
            type.attrQNames[arg]!,
          );
          break;
        case EV_SE: {
          const name = type.childNames[arg]!;
          const value = this.decodeTypeRef(type.childTypes[arg]!, type.childQNames[arg]!, depth + 1);
          if (type.childRepeated[arg]) {
            const list = obj[name] as ModelValue[] | undefined;
            if (list) list.push(value);
            else obj[name] = [value];
          } else obj[name] = value;
          break;
        }
        case EV_CH:
          if (arg >= 0)
            obj.$value = decodeValue(r, this.schema.simpleTypes[arg]!, this.strings, qname, this.facets);
          else {
            const text = this.strings.readValue(r, qname);
            const list = obj.$text as string[] | undefined;
            if (list) list.push(text);
            else obj.$text = [text];
          }
          break;
        case EV_SE_ANY: {
          const element = this.decodeWildcardElement(depth + 1);
          const list = obj.$any as AnyElement[] | undefined;
          if (list) list.push(element);
          else obj.$any = [element];
          break;
        }
        default:
          throw new CodecError('undeclared', `unsupported production in ${type.name}`, at);
      }
      state = nextState(st, code, state, loop);
    }
  }

  /** SE(*): a qname, then the global element's grammar if the schema declares one (EXI 1.0 §8.5.4.4), else the built-in element grammar (§8.4.3). */
  decodeWildcardElement(depth: number): AnyElement {
    return this.decodeNamedElement(this.readQName(), depth);
  }

  /** Content of an element known by qname only: its global declaration's grammar, else built-in. */
  private decodeNamedElement(name: QualifiedName, depth: number): AnyElement {
    const q = this.schema.qnameByKey.get(qnameKeyOf(name.ns, name.local));
    const global = q === undefined ? undefined : this.schema.table.globalElements.find(([gq]) => gq === q);
    if (global) {
      const typed = this.decodeTypeRef(global[1], q!, depth);
      return { name, attributes: [], children: [], typed };
    }
    this.enter(depth);
    return this.decodeBuiltIn(name, depth);
  }

  /**
   * Built-in element grammars are created once per qname and keep what they learned for every later
   * element of that qname in the stream (EXI 1.0 §8.4.1, §8.4.3).
   */
  private readonly builtInGrammars = new Map<string, { start: Learned[]; content: Learned[] }>();

  private builtInGrammar(name: QualifiedName): { start: Learned[]; content: Learned[] } {
    const key = qnameKeyOf(name.ns, name.local);
    let g = this.builtInGrammars.get(key);
    if (!g) {
      g = { start: [], content: [{ kind: 'EE' }] };
      this.builtInGrammars.set(key, g);
    }
    return g;
  }

  readQName(): QualifiedName {
    const uri = this.strings.readUri(this.reader);
    const local = this.strings.readLocalName(this.reader, uri);
    return { ns: this.strings.uris[uri]!, local };
  }

  /**
   * Built-in element grammar (EXI 1.0 §8.4.3) with the fidelity options of ISO 15118 (no prefixes,
   * comments, PIs, DTDs, self-contained): StartTagContent and ElementContent, with learning.
   */
  private decodeBuiltIn(name: QualifiedName, depth: number): AnyElement {
    const r = this.reader;
    const element: AnyElement = { name, attributes: [], children: [] };
    // Learned first-level productions, newest first (§8.4.3: new productions get event code 0).
    const grammar = this.builtInGrammar(name);
    const startLearned = grammar.start;
    const contentLearned = grammar.content;
    let inStartTag = true;
    for (;;) {
      const learned = inStartTag ? startLearned : contentLearned;
      const at = r.bitPosition;
      // First level: the learned productions plus one escape to the second level.
      const firstWidth = codeWidth(learned.length + 1);
      const first = r.readBits(firstWidth);
      let event: Learned;
      if (first < learned.length) event = learned[first]!;
      else if (first > learned.length)
        throw new CodecError('event-code', `invalid event code in built-in grammar of ${name.local}`, at);
      else if (inStartTag) {
        // StartTagContent second level: EE 0.0, AT(*) 0.1, SE(*) 0.2, CH 0.3 (NS, SC, ER, CM, PI pruned).
        const second = r.readBits(2);
        event = [{ kind: 'EE' }, { kind: 'AT' }, { kind: 'SE' }, { kind: 'CH' }][second] as Learned;
      } else {
        // ElementContent second level: SE(*) 1.0, CH 1.1 (ER, CM, PI pruned).
        const second = r.readBits(1);
        event = second === 0 ? { kind: 'SE' } : { kind: 'CH' };
      }
      const isNew = first >= learned.length;
      switch (event.kind) {
        case 'EE':
          if (isNew && inStartTag) startLearned.unshift({ kind: 'EE' });
          return element;
        case 'AT': {
          const attrName = event.name ?? this.readQName();
          if (attrName.ns === XSI_NS && attrName.local === 'type') {
            // xsi:type switches to the named type's grammar (EXI 1.0 §8.4.3 / §8.5.4.4.1): only
            // xs:anyType is accepted here, the sole case real V2G streams show.
            const typeName = this.readQNameValue();
            element.attributes.push({
              name: attrName,
              value: `{${typeName.ns}}${typeName.local}`,
              qname: typeName,
            });
            return this.decodeAnyTypeContent(element, depth);
          }
          const value = this.strings.readValue(r, -1);
          element.attributes.push({ name: attrName, value });
          if (isNew) startLearned.unshift({ kind: 'AT', name: attrName });
          break;
        }
        case 'SE': {
          const childName = event.name ?? this.readQName();
          if (isNew) learned.unshift({ kind: 'SE', name: childName });
          element.children.push(this.decodeNamedElement(childName, depth + 1));
          inStartTag = false;
          break;
        }
        case 'CH': {
          element.children.push(this.strings.readValue(r, -1));
          if (isNew) learned.unshift({ kind: 'CH' });
          inStartTag = false;
          break;
        }
      }
    }
  }

  /** Value of xsi:type: a QName (EXI 1.0 §7.1.7), uri and local name from the string table. */
  private readQNameValue(): QualifiedName {
    return this.readQName();
  }

  /**
   * Content after xsi:type="xs:anyType" (EXI 1.0 §8.5.4.1.3.3 ur-type grammar, non-strict):
   * StartTag: AT(*) 0, SE(*) 1, EE 2, CH 3 (+ escape); Content: SE(*) 0, EE 1, CH 2 (+ escape).
   */
  private decodeAnyTypeContent(element: AnyElement, depth: number): AnyElement {
    const r = this.reader;
    let inStartTag = true;
    for (;;) {
      const at = r.bitPosition;
      const code = r.readBits(inStartTag ? 3 : 2);
      const kinds = inStartTag ? ['AT', 'SE', 'EE', 'CH'] : ['SE', 'EE', 'CH'];
      const kind = kinds[code];
      if (kind === undefined)
        throw new CodecError(
          'undeclared',
          `undeclared event in xs:anyType content of ${element.name.local}`,
          at,
        );
      if (kind === 'EE') return element;
      if (kind === 'AT') {
        const attrName = this.readQName();
        element.attributes.push({ name: attrName, value: this.strings.readValue(r, -1) });
      } else if (kind === 'SE') {
        element.children.push(this.decodeWildcardElement(depth + 1));
        inStartTag = false;
      } else {
        element.children.push(this.strings.readValue(r, -1));
        inStartTag = false;
      }
    }
  }

  undeclared(at: number, where: string): CodecError {
    return new CodecError('undeclared', `undeclared (second-level) event in ${where}`, at);
  }

  nameOf(qname: number): string {
    return this.schema.qnameLocal[qname] ?? '?';
  }

  elementName(qname: number): QualifiedName {
    return { ns: this.schema.qnameUri[qname]!, local: this.schema.qnameLocal[qname]! };
  }

  /** Schema-informed element fragment grammar (EXI 1.0 §8.5.3). */
  decodeElementFragmentGrammar(qname: number, depth: number): ModelObject {
    this.enter(depth);
    const r = this.reader;
    const t = this.schema.table;
    const nA = t.fragmentAttributes.length;
    const nF = t.fragmentElements.length;
    const obj: ModelObject = {};
    let inStartTag = true;
    for (;;) {
      const at = r.bitPosition;
      if (inStartTag) {
        const code = r.readBits(this.schema.elementFragmentStartWidth);
        if (code < nA) {
          const [aq, ref] = t.fragmentAttributes[code]!;
          obj[elementFragmentAttributeKey(this.schema, qname, aq)] = decodeValue(
            r,
            this.schema.simpleTypes[~ref]!,
            this.strings,
            aq,
            this.facets,
          );
          continue;
        }
        const rel = code - nA - 1; // skip AT(*)
        if (code === nA) throw this.undeclared(at, `element fragment ${this.nameOf(qname)} (AT(*))`);
        if (rel < nF) {
          this.decodeElementFragmentChild(obj, rel, depth);
          inStartTag = false;
          continue;
        }
        if (rel === nF) throw this.undeclared(at, `element fragment ${this.nameOf(qname)} (SE(*))`);
        if (rel === nF + 1) return obj;
        if (rel === nF + 2) {
          obj.$value = this.strings.readValue(r, qname);
          inStartTag = false;
          continue;
        }
        throw new CodecError('event-code', `invalid event code ${code} in element fragment grammar`, at);
      }
      const code = r.readBits(this.schema.elementFragmentContentWidth);
      if (code < nF) this.decodeElementFragmentChild(obj, code, depth);
      else if (code === nF) throw this.undeclared(at, `element fragment ${this.nameOf(qname)} (SE(*))`);
      else if (code === nF + 1) return obj;
      else if (code === nF + 2) obj.$value = this.strings.readValue(r, qname);
      else throw new CodecError('event-code', `invalid event code ${code} in element fragment grammar`, at);
    }
  }

  private decodeElementFragmentChild(obj: ModelObject, index: number, depth: number): void {
    const [cq, ref] = this.schema.table.fragmentElements[index]!;
    const value =
      ref === ELEMENT_FRAGMENT_GRAMMAR
        ? this.decodeElementFragmentGrammar(cq, depth + 1)
        : this.decodeTypeRef(ref, cq, depth + 1);
    const name = this.schema.qnameLocal[cq]!;
    const prev = obj[name];
    if (prev === undefined) obj[name] = value;
    else if (Array.isArray(prev)) (prev as ModelValue[]).push(value);
    else obj[name] = [prev as ModelValue, value];
  }
}

export type AnyDecoded = ExiElement<ModelValue> | (ExiElement<AnyElement> & { readonly wildcard: true });

function finish(d: Decoder): void {
  d.reader.assertOnlyPaddingRemains();
}

/** Decodes an EXI document (EXI 1.0 §8.5.1): header, SD, DocContent, the root element, ED. */
export function decodeDocument(schema: RtSchema, bytes: Uint8Array, options: DecodeOptions = {}): AnyDecoded {
  const d = new Decoder(
    schema,
    bytes,
    { ...DEFAULT_DECODE_LIMITS, ...options },
    options.facets ?? STRICT_FACETS,
  );
  d.reader.readHeader();
  const at = d.reader.bitPosition;
  const code = d.reader.readBits(schema.documentWidth);
  const globals = schema.table.globalElements;
  let result: AnyDecoded;
  if (code < globals.length) {
    const [q, ref] = globals[code]!;
    result = { name: d.elementName(q), value: d.decodeTypeRef(ref, q, 1) };
  } else if (code === globals.length) {
    const element = d.decodeWildcardElement(1);
    result = { name: element.name, value: element, wildcard: true };
  } else throw new CodecError('event-code', `invalid DocContent event code ${code}`, at);
  finish(d);
  return result;
}

/** Decodes an EXI fragment (EXI 1.0 §8.5.2): any number of elements, then an explicit ED. */
export function decodeFragment(
  schema: RtSchema,
  bytes: Uint8Array,
  options: DecodeOptions = {},
): AnyDecoded[] {
  const d = new Decoder(
    schema,
    bytes,
    { ...DEFAULT_DECODE_LIMITS, ...options },
    options.facets ?? STRICT_FACETS,
  );
  d.reader.readHeader();
  const elements = schema.table.fragmentElements;
  const out: AnyDecoded[] = [];
  for (;;) {
    const at = d.reader.bitPosition;
    const code = d.reader.readBits(schema.fragmentWidth);
    if (code < elements.length) {
      const [q, ref] = elements[code]!;
      const value =
        ref === ELEMENT_FRAGMENT_GRAMMAR ? d.decodeElementFragmentGrammar(q, 1) : d.decodeTypeRef(ref, q, 1);
      out.push({ name: d.elementName(q), value });
    } else if (code === elements.length) {
      const element = d.decodeWildcardElement(1);
      out.push({ name: element.name, value: element, wildcard: true });
    } else if (code === elements.length + 1) {
      break;
    } else throw new CodecError('event-code', `invalid FragmentContent event code ${code}`, at);
  }
  finish(d);
  return out;
}
