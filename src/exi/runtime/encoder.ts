// Grammar interpreter, encoding side: the typed model to EXI (schema-informed, non-strict,
// bit-packed, header 0x80, strings always as misses). The model is validated as it is written:
// missing required content, content out of order, values outside their type, or properties the
// type does not have are CodecErrors ('schema-mismatch' / 'value-out-of-range'), and nothing is
// returned for a model that is not valid.
import { BitWriter } from './bit-writer.ts';
import { CodecError } from './codec-error.ts';
import {
  nextState,
  qnameKeyOf,
  type RtSchema,
  type RtType,
  resolveElementFragmentAttribute,
} from './grammar.ts';
import type { AnyElement, QualifiedName } from './model.ts';
import { ELEMENT_FRAGMENT_GRAMMAR, EV_AT, EV_CH, EV_EE, EV_SE, EV_SE_ANY } from './table.ts';
import { EncoderNames, encodeValue, type FacetPolicy, STRICT_FACETS } from './values.ts';
import { isCursorErrorOf, ObjectCursor } from './walk.ts';

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** `{uri}local` (Clark notation) → QName; the local part is an NCName, so the last '}' splits. */
export function parseClark(v: string): QualifiedName | undefined {
  const close = v.lastIndexOf('}');
  if (!v.startsWith('{') || close < 0) return undefined;
  return { ns: v.slice(1, close), local: v.slice(close + 1) };
}
const MAX_DEPTH = 64;

export interface EncodeElement {
  readonly name: QualifiedName;
  readonly value: unknown;
  /**
   * For a qname that uses the element fragment grammar (EXI 1.0 §8.5.3; ISO 15118-2: eMAID): the
   * name of the type it was declared with where it was found (e.g. 'EMAIDType'), which says which
   * qualified attribute names its properties stand for.
   */
  readonly declaredType?: string;
  /** Set when `value` is an AnyElement to be written with SE(*) and built-in grammars. */
  readonly wildcard?: boolean;
}

class Encoder {
  readonly schema: RtSchema;
  readonly writer = new BitWriter(1024);
  readonly names: EncoderNames;
  readonly facets: FacetPolicy;

  constructor(schema: RtSchema, facets: FacetPolicy) {
    this.schema = schema;
    this.facets = facets;
    this.names = new EncoderNames(schema.table.uris, schema.table.localNames);
  }

  encodeTypeRef(typeRef: number, value: unknown, path: string, depth: number): void {
    if (depth > MAX_DEPTH) throw new CodecError('limit', `${path}: nesting deeper than ${MAX_DEPTH}`, -1);
    if (typeRef >= 0) {
      this.encodeComplex(this.schema.types[typeRef]!, value, path, depth);
      return;
    }
    // Simple type grammar: CH (code 0 of 1 bit), the value, EE (code 0 of 1 bit).
    const w = this.writer;
    w.writeBits(0, 1);
    encodeValue(w, this.schema.simpleTypes[~typeRef]!, value, path, this.facets);
    w.writeBits(0, 1);
  }

  private encodeComplex(type: RtType, value: unknown, path: string, depth: number): void {
    const cursor = new ObjectCursor(type, value, path);
    // Greedy first — any order the grammar accepts is a valid encoding of the unordered model; only
    // if this element's own order dead-ends (interleaved repeated groups), rewind and plan (walk.ts).
    const start = this.writer.bitLength;
    const learned = this.snapshotLearning();
    try {
      this.writeComplex(type, cursor, path, depth);
    } catch (e) {
      if (!isCursorErrorOf(e, path)) throw e;
      this.writer.truncateTo(start);
      this.restoreLearning(learned);
      try {
        const planned = new ObjectCursor(type, value, path);
        planned.usePlan();
        this.writeComplex(type, planned, path, depth);
      } catch (e2) {
        // No order works either: the greedy error says best what is missing or extra.
        throw isCursorErrorOf(e2, path) ? e : e2;
      }
    }
  }

  /**
   * Built-in grammars and qname partitions learn while writing; a retry must start from the same
   * point. Every addition is recorded in one undo log (names.journal), so a snapshot is its length.
   */
  private snapshotLearning(): number {
    return this.names.journal.length;
  }

  private restoreLearning(snapshot: number): void {
    const journal = this.names.journal;
    while (journal.length > snapshot) journal.pop()!();
  }

  private writeComplex(type: RtType, cursor: ObjectCursor, path: string, depth: number): void {
    const w = this.writer;
    let state = 0;
    const loop = { count: 0 };
    for (;;) {
      const st = type.states[state]!;
      const code = cursor.choose(st, state);
      w.writeBits(code, st.width);
      const arg = st.args[code]!;
      switch (st.kinds[code]) {
        case EV_EE:
          cursor.assertConsumed();
          return;
        case EV_AT:
          encodeValue(
            w,
            this.schema.simpleTypes[type.attrTypes[arg]!]!,
            cursor.takeAttribute(arg),
            `${path}/@${type.attrNames[arg]}`,
            this.facets,
          );
          break;
        case EV_SE: {
          const child = cursor.takeChild(arg);
          this.encodeTypeRef(type.childTypes[arg]!, child.value, child.path, depth + 1);
          break;
        }
        case EV_CH:
          if (arg >= 0)
            encodeValue(w, this.schema.simpleTypes[arg]!, cursor.takeValue(), `${path}/$value`, this.facets);
          else {
            const text = cursor.takeText();
            if (typeof text !== 'string')
              throw new CodecError('schema-mismatch', `${path}/$text: expected strings`, -1);
            this.writeStringMiss(text);
          }
          break;
        case EV_SE_ANY:
          this.encodeWildcardElement(cursor.takeAny() as AnyElement, `${path}/$any`, depth + 1);
          break;
        default:
          throw new CodecError('schema-mismatch', `${path}: unsupported production`, -1);
      }
      state = nextState(st, code, state, loop);
    }
  }

  /** SE(*) content: a qname, then the global declaration's grammar or the built-in grammar. */
  encodeWildcardElement(element: AnyElement, path: string, depth: number): void {
    if (depth > MAX_DEPTH) throw new CodecError('limit', `${path}: nesting deeper than ${MAX_DEPTH}`, -1);
    if (!element || typeof element !== 'object' || !element.name)
      throw new CodecError('schema-mismatch', `${path}: expected an element`, -1);
    this.names.writeQName(this.writer, element.name.ns, element.name.local);
    this.encodeNamedElement(element, path, depth);
  }

  /** Content of an element known by qname: its global declaration's grammar, else built-in. */
  private encodeNamedElement(element: AnyElement, path: string, depth: number): void {
    if (depth > MAX_DEPTH) throw new CodecError('limit', `${path}: nesting deeper than ${MAX_DEPTH}`, -1);
    const q = this.schema.qnameByKey.get(qnameKeyOf(element.name.ns, element.name.local));
    const global = q === undefined ? undefined : this.schema.table.globalElements.find(([gq]) => gq === q);
    if (global) {
      this.encodeTypeRef(global[1], element.typed, path, depth);
      return;
    }
    this.encodeBuiltIn(element, path, depth);
  }

  /** Built-in grammars per qname, shared by all elements of that qname (EXI 1.0 §8.4.1, §8.4.3). */
  private readonly builtInGrammars = new Map<string, { start: string[]; content: string[] }>();

  /** Built-in element grammar (EXI 1.0 §8.4.3), mirroring the decoder including learning. */
  private encodeBuiltIn(element: AnyElement, path: string, depth: number): void {
    const w = this.writer;
    const codeWidth = (n: number): number => {
      let b = 0;
      while (1 << b < n) b++;
      return b;
    };
    const grammarKey = qnameKeyOf(element.name.ns, element.name.local);
    let grammar = this.builtInGrammars.get(grammarKey);
    if (!grammar) {
      grammar = { start: [], content: ['EE'] };
      this.builtInGrammars.set(grammarKey, grammar);
      this.names.journal.push(() => this.builtInGrammars.delete(grammarKey));
    }
    const startLearned = grammar.start;
    const contentLearned = grammar.content;
    const key = (kind: string, n?: QualifiedName): string => (n ? `${kind}{${n.ns}}${n.local}` : kind);
    // Writes one event in the current state: a learned production if there is one, else the escape
    // plus the second-level code, learning it (new productions take code 0, §8.4.3).
    const event = (
      learned: string[],
      k: string,
      second: number,
      secondWidth: number,
      learn: boolean,
    ): boolean => {
      const i = learned.indexOf(k);
      const width = codeWidth(learned.length + 1);
      if (i >= 0) {
        w.writeBits(i, width);
        return true;
      }
      w.writeBits(learned.length, width);
      w.writeBits(second, secondWidth);
      if (learn) {
        learned.unshift(k);
        this.names.journal.push(() => learned.shift());
      }
      return false;
    };
    let attributes = element.attributes;
    const xsiType = attributes.find((a) => a.name.ns === XSI_NS && a.name.local === 'type');
    if (xsiType) {
      event(startLearned, key('AT', xsiType.name), 1, 2, false);
      this.names.writeQName(w, XSI_NS, 'type');
      const typeName = xsiType.qname ?? parseClark(xsiType.value);
      if (!typeName)
        throw new CodecError('schema-mismatch', `${path}: xsi:type needs a qname ({uri}local)`, -1);
      this.names.writeQName(w, typeName.ns, typeName.local);
      attributes = attributes.filter((a) => a !== xsiType);
      // xs:anyType content (EXI 1.0 §8.5.4.1.3.3, non-strict): StartTag AT(*) 0, SE(*) 1, EE 2, CH 3; Content SE(*) 0, EE 1, CH 2.
      for (const a of attributes) {
        w.writeBits(0, 3);
        this.names.writeQName(w, a.name.ns, a.name.local);
        this.writeStringMiss(a.value);
      }
      let inStart = true;
      for (const c of element.children) {
        if (typeof c === 'string') {
          w.writeBits(inStart ? 3 : 2, inStart ? 3 : 2);
          this.writeStringMiss(c);
        } else {
          w.writeBits(inStart ? 1 : 0, inStart ? 3 : 2);
          this.encodeWildcardElement(c, `${path}/${c.name.local}`, depth + 1);
        }
        inStart = false;
      }
      w.writeBits(inStart ? 2 : 1, inStart ? 3 : 2);
      return;
    }
    for (const a of attributes) {
      const known = event(startLearned, key('AT', a.name), 1, 2, true);
      if (!known) this.names.writeQName(w, a.name.ns, a.name.local);
      this.writeStringMiss(a.value);
    }
    let inStart = true;
    for (const c of element.children) {
      const learned = inStart ? startLearned : contentLearned;
      if (typeof c === 'string') event(learned, 'CH', inStart ? 3 : 1, inStart ? 2 : 1, true);
      else {
        const known = event(learned, key('SE', c.name), inStart ? 2 : 0, inStart ? 2 : 1, true);
        if (!known) this.names.writeQName(w, c.name.ns, c.name.local);
      }
      if (typeof c === 'string') this.writeStringMiss(c);
      else this.encodeNamedElement(c, `${path}/${c.name.local}`, depth + 1);
      inStart = false;
    }
    event(inStart ? startLearned : contentLearned, 'EE', 0, 2, inStart);
  }

  writeStringMiss(s: string): void {
    this.writer.writeLiteralString(s);
  }

  /** Schema-informed element fragment grammar (EXI 1.0 §8.5.3) for an element of simple content. */
  encodeElementFragmentGrammar(
    q: number,
    value: unknown,
    declaredType: string | undefined,
    path: string,
  ): void {
    const schema = this.schema;
    const w = this.writer;
    const t = schema.table;
    const nA = t.fragmentAttributes.length;
    const nF = t.fragmentElements.length;
    const type = declaredType === undefined ? undefined : schema.types.find((x) => x.name === declaredType);
    if (declaredType !== undefined && !type)
      throw new CodecError('schema-mismatch', `${path}: unknown type ${declaredType}`, -1);
    if (value === null || typeof value !== 'object') {
      // Plain simple content (e.g. eMAIDType): CH [untyped], EE.
      w.writeBits(nA + 1 + nF + 2, schema.elementFragmentStartWidth);
      this.writeStringMiss(String(value));
      w.writeBits(nF + 1, schema.elementFragmentContentWidth);
      return;
    }
    const obj = value as Record<string, unknown>;
    const attrs: { code: number; name: string }[] = [];
    for (const key of Object.keys(obj)) {
      if (key === '$value' || obj[key] === undefined) continue;
      const code = resolveElementFragmentAttribute(schema, q, key, type);
      if (typeof code === 'string') throw new CodecError('schema-mismatch', `${path}/@${key}: ${code}`, -1);
      attrs.push({ code, name: key });
    }
    attrs.sort((a, b) => a.code - b.code);
    for (const a of attrs) {
      w.writeBits(a.code, schema.elementFragmentStartWidth);
      encodeValue(
        w,
        schema.simpleTypes[~t.fragmentAttributes[a.code]![1]]!,
        obj[a.name],
        `${path}/@${a.name}`,
        this.facets,
      );
    }
    if (obj.$value === undefined) {
      w.writeBits(nA + 1 + nF + 1, schema.elementFragmentStartWidth);
      return;
    }
    w.writeBits(nA + 1 + nF + 2, schema.elementFragmentStartWidth);
    const v = obj.$value;
    this.writeStringMiss(typeof v === 'string' ? v : String(v));
    w.writeBits(nF + 1, schema.elementFragmentContentWidth);
  }
}

function lookupQName(schema: RtSchema, name: QualifiedName, path: string): number {
  const q = schema.qnameByKey.get(qnameKeyOf(name.ns, name.local));
  if (q === undefined)
    throw new CodecError(
      'schema-mismatch',
      `${path}: element {${name.ns}}${name.local} is not declared in schema set ${schema.table.id}`,
      -1,
    );
  return q;
}

/** Encodes an EXI document (EXI 1.0 §8.5.1) with one root element. */
export interface EncodeOptions {
  readonly facets?: FacetPolicy;
}

export function encodeDocument(
  schema: RtSchema,
  root: EncodeElement,
  options: EncodeOptions = {},
): Uint8Array {
  const e = new Encoder(schema, options.facets ?? STRICT_FACETS);
  const w = e.writer;
  w.writeHeader();
  const path = `/${root.name.local}`;
  if (root.wildcard) {
    w.writeBits(schema.table.globalElements.length, schema.documentWidth);
    e.encodeWildcardElement(root.value as AnyElement, path, 1);
  } else {
    const q = lookupQName(schema, root.name, path);
    const code = schema.globalCode.get(q);
    if (code === undefined)
      throw new CodecError('schema-mismatch', `${path}: not a global element of ${schema.table.id}`, -1);
    w.writeBits(code, schema.documentWidth);
    e.encodeTypeRef(schema.table.globalElements[code]![1], root.value, path, 1);
  }
  // DocEnd: ED has a 0-bit code; then pad to the byte boundary.
  return w.finish();
}

/** Encodes an EXI fragment (EXI 1.0 §8.5.2): the elements, then ED with an explicit event code. */
export function encodeFragment(
  schema: RtSchema,
  elements: readonly EncodeElement[],
  options: EncodeOptions = {},
): Uint8Array {
  const e = new Encoder(schema, options.facets ?? STRICT_FACETS);
  const w = e.writer;
  w.writeHeader();
  const fragment = schema.table.fragmentElements;
  for (const el of elements) {
    const path = `/${el.name.local}`;
    if (el.wildcard) {
      w.writeBits(fragment.length, schema.fragmentWidth);
      e.encodeWildcardElement(el.value as AnyElement, path, 1);
      continue;
    }
    const q = lookupQName(schema, el.name, path);
    const code = schema.fragmentCode.get(q);
    if (code === undefined)
      throw new CodecError('schema-mismatch', `${path}: not an element of ${schema.table.id}`, -1);
    w.writeBits(code, schema.fragmentWidth);
    const ref = fragment[code]![1];
    if (ref === ELEMENT_FRAGMENT_GRAMMAR) e.encodeElementFragmentGrammar(q, el.value, el.declaredType, path);
    else e.encodeTypeRef(ref, el.value, path, 1);
  }
  w.writeBits(fragment.length + 1, schema.fragmentWidth);
  return w.finish();
}
