// Compiles a generated SchemaTable into the runtime form the interpreter walks: per state the
// event-code width and the productions as typed arrays, plus per type the property names of the
// model. Compiled once per table and cached.
import {
  type ComplexTypeSpec,
  EV_AT,
  EV_CH,
  EV_EE,
  EV_SE,
  type SchemaTable,
  type SimpleTypeSpec,
} from './table.ts';

/** ceil(log2(n)) for n >= 1: the width of an n-bit code that distinguishes n values (EXI 1.0 §7.1.9). */
export function codeWidth(n: number): number {
  let w = 0;
  while (1 << w < n) w++;
  return w;
}

export interface RtState {
  /** Width of the first event-code part. Non-strict (EXI 1.0 §8.5.4.4): one more value than the
   * declared productions is reserved for the second level, so a single production costs 1 bit. */
  readonly width: number;
  readonly count: number;
  readonly kinds: Int8Array;
  readonly args: Int32Array;
  readonly nexts: Int32Array;
  /** Event code of EE in this state, or -1. */
  readonly eeCode: number;
  /** Counted repetition (table `loops`): the looping production, how often, and where after. */
  readonly loopCode: number;
  readonly loopLimit: number;
  readonly loopExit: number;
}

/**
 * Successor of `state` after production `code`, for interpreters that keep a repetition counter
 * `loop` (the count of loop-backs since the counted state was entered). Returns the next state and
 * updates loop.count.
 */
export function nextState(st: RtState, code: number, state: number, loop: { count: number }): number {
  if (code !== st.loopCode) {
    loop.count = 0;
    return st.nexts[code]!;
  }
  const count = loop.count + 1;
  if (count < st.loopLimit) {
    loop.count = count;
    return state;
  }
  loop.count = 0;
  return st.loopExit;
}

export interface RtType {
  readonly index: number;
  readonly spec: ComplexTypeSpec;
  readonly name: string;
  readonly states: readonly RtState[];
  readonly attrNames: readonly string[];
  readonly attrQNames: readonly number[];
  readonly attrTypes: readonly number[];
  readonly attrRequired: readonly boolean[];
  readonly childNames: readonly string[];
  readonly childQNames: readonly number[];
  readonly childTypes: readonly number[];
  readonly childRepeated: readonly boolean[];
  /** Property name → attribute index / child index, for the encoder's leftover check. */
  readonly attrIndex: ReadonlyMap<string, number>;
  readonly childIndex: ReadonlyMap<string, number>;
  readonly simpleContent: number;
  /**
   * Repeated groups interleave several properties (or mixed text) in this type's content: the model
   * does not record their order, so the encoder plans one (src/exi/runtime/walk.ts).
   */
  readonly needsPlan: boolean;
}

export interface RtSchema {
  readonly table: SchemaTable;
  readonly types: readonly RtType[];
  readonly simpleTypes: readonly SimpleTypeSpec[];
  readonly qnameUri: readonly string[];
  readonly qnameLocal: readonly string[];
  /** qname index → position in the document grammar, fragment grammar, element-fragment attributes. */
  readonly globalCode: ReadonlyMap<number, number>;
  readonly fragmentCode: ReadonlyMap<number, number>;
  readonly fragmentAttributeCode: ReadonlyMap<number, number>;
  readonly qnameByKey: ReadonlyMap<string, number>;
  readonly documentWidth: number;
  readonly fragmentWidth: number;
  /** Element fragment grammar (EXI 1.0 §8.5.3) widths: start tag and content. */
  readonly elementFragmentStartWidth: number;
  readonly elementFragmentContentWidth: number;
}

const cache = new WeakMap<SchemaTable, RtSchema>();

/**
 * True when a cycle of the state graph writes two or more different properties (child qnames,
 * wildcard content, mixed text): then the same property can be written at several points between
 * others, and only a search finds an order for an unordered model. Sequence-shaped types (every V2G
 * message) have cycles of one property at most (a repeated element) and are encoded greedily.
 */
function interleavesProperties(states: readonly RtState[]): boolean {
  const n = states.length;
  const successors = (s: number): number[] => {
    const st = states[s]!;
    const out: number[] = [];
    for (let i = 0; i < st.count; i++) if (st.nexts[i]! >= 0) out.push(st.nexts[i]!);
    if (st.loopExit >= 0) out.push(st.loopExit);
    return out;
  };
  // Tarjan's strongly connected components (the grammars have a few hundred states at most).
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const component = new Int32Array(n).fill(-1);
  let counter = 0;
  let components = 0;
  const visit = (v: number): void => {
    index[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = 1;
    for (const w of successors(v)) {
      if (index[w] === -1) {
        visit(w);
        low[v] = Math.min(low[v]!, low[w]!);
      } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
    }
    if (low[v] === index[v]) {
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = 0;
        component[w] = components;
      } while (w !== v);
      components++;
    }
  };
  for (let v = 0; v < n; v++) if (index[v] === -1) visit(v);
  const propertiesInCycle = new Map<number, Set<string>>();
  for (let s = 0; s < n; s++) {
    const st = states[s]!;
    for (let i = 0; i < st.count; i++) {
      const next = i === st.loopCode ? s : st.nexts[i]!;
      if (next < 0 || component[next] !== component[s]) continue;
      const kind = st.kinds[i];
      const key = kind === EV_SE ? `se${st.args[i]}` : kind === EV_CH ? `ch${st.args[i]}` : `k${kind}`;
      const set = propertiesInCycle.get(component[s]!) ?? new Set<string>();
      set.add(key);
      propertiesInCycle.set(component[s]!, set);
    }
  }
  for (const set of propertiesInCycle.values()) if (set.size > 1) return true;
  return false;
}

export const qnameKeyOf = (ns: string, local: string): string => `{${ns}}${local}`;

export function compileSchema(table: SchemaTable): RtSchema {
  const cached = cache.get(table);
  if (cached) return cached;
  const qnameUri = table.qnames.map(([u]) => table.uris[u]!);
  const qnameLocal = table.qnames.map(([, l]) => l);
  const qnameByKey = new Map<string, number>();
  for (const [i, u] of qnameUri.entries()) qnameByKey.set(qnameKeyOf(u, qnameLocal[i]!), i);
  const types = table.types.map((spec, index): RtType => {
    const states = spec.states.map((flat, stateIndex): RtState => {
      const count = flat.length / 3;
      const kinds = new Int8Array(count);
      const args = new Int32Array(count);
      const nexts = new Int32Array(count);
      let eeCode = -1;
      for (let i = 0; i < count; i++) {
        kinds[i] = flat[3 * i]!;
        args[i] = flat[3 * i + 1]!;
        nexts[i] = flat[3 * i + 2]!;
        if (kinds[i] === EV_EE) eeCode = i;
      }
      const loop = spec.loops?.find(([s]) => s === stateIndex);
      return {
        width: codeWidth(count + 1),
        count,
        kinds,
        args,
        nexts,
        eeCode,
        loopCode: loop ? loop[1] : -1,
        loopLimit: loop ? loop[2] : 0,
        loopExit: loop ? loop[3] : -1,
      };
    });
    const attrNames = spec.attributes.map(([q]) => qnameLocal[q]!);
    const childNames = spec.children.map(([q]) => qnameLocal[q]!);
    return {
      index,
      spec,
      name: spec.name,
      states,
      attrNames,
      attrQNames: spec.attributes.map(([q]) => q),
      attrTypes: spec.attributes.map(([, t]) => t),
      attrRequired: spec.attributes.map(([, , r]) => r === 1),
      childNames,
      childQNames: spec.children.map(([q]) => q),
      childTypes: spec.children.map(([, t]) => t),
      childRepeated: spec.children.map(([, , r]) => r === 1),
      attrIndex: new Map(attrNames.map((n, i) => [n, i])),
      childIndex: new Map(childNames.map((n, i) => [n, i])),
      simpleContent: spec.simpleContent,
      needsPlan: interleavesProperties(states),
    };
  });
  const nF = table.fragmentElements.length;
  const nA = table.fragmentAttributes.length;
  const rt: RtSchema = {
    table,
    types,
    simpleTypes: table.simpleTypes,
    qnameUri,
    qnameLocal,
    globalCode: new Map(table.globalElements.map(([q], i) => [q, i])),
    fragmentCode: new Map(table.fragmentElements.map(([q], i) => [q, i])),
    fragmentAttributeCode: new Map(table.fragmentAttributes.map(([q], i) => [q, i])),
    qnameByKey,
    // DocContent: SE(G_0..G_n-1), SE(*) (EXI 1.0 §8.5.1).
    documentWidth: codeWidth(table.globalElements.length + 1),
    // FragmentContent: SE(F_0..F_n-1), SE(*), ED (EXI 1.0 §8.5.2).
    fragmentWidth: codeWidth(nF + 2),
    // ElementFragmentStartTag: AT(A_i), AT(*), SE(F_i), SE(*), EE, CH; ElementFragmentContent:
    // SE(F_i), SE(*), EE, CH (EXI 1.0 §8.5.3).
    elementFragmentStartWidth: codeWidth(nA + 1 + nF + 3),
    elementFragmentContentWidth: codeWidth(nF + 3),
  };
  cache.set(table, rt);
  return rt;
}

export { EV_AT, EV_CH, EV_EE, EV_SE };

/**
 * Element fragment grammar (EXI 1.0 §8.5.3) attributes in the model: an attribute that the element's
 * own declarations have (ISO 15118-2 eMAID: {MsgDataTypes}Id) is keyed by its local name like any
 * attribute; any other attribute of the schema set that the grammar admits is keyed by its expanded
 * name `{uri}local`, so nothing is lost or renamed between decode and encode.
 */
export function elementFragmentAttributeKey(
  schema: RtSchema,
  elementQName: number,
  attributeQName: number,
): string {
  const local = schema.qnameLocal[attributeQName]!;
  const own = ownFragmentAttributes(schema, elementQName).filter((q) => schema.qnameLocal[q] === local);
  if (own.length === 1 && own[0] === attributeQName) return local;
  return `{${schema.qnameUri[attributeQName]}}${local}`;
}

/** The index in fragmentAttributes that a model key stands for, or an error message. */
export function resolveElementFragmentAttribute(
  schema: RtSchema,
  elementQName: number,
  key: string,
  declaredType: RtType | undefined,
): number | string {
  const attributes = schema.table.fragmentAttributes;
  if (key.startsWith('{')) {
    const close = key.lastIndexOf('}');
    const q = schema.qnameByKey.get(qnameKeyOf(key.slice(1, close), key.slice(close + 1)));
    const i = q === undefined ? -1 : attributes.findIndex(([aq]) => aq === q);
    return i >= 0 ? i : 'no such attribute in the schema set';
  }
  const allowed = declaredType ? declaredType.attrQNames : ownFragmentAttributes(schema, elementQName);
  const matches = attributes
    .map(([aq], i) => ({ aq, i }))
    .filter(({ aq }) => schema.qnameLocal[aq] === key && allowed.includes(aq));
  if (matches.length === 1) return matches[0]!.i;
  return matches.length === 0
    ? 'no such attribute (use {uri}local for other attributes of the schema set)'
    : 'ambiguous attribute name; give the declared type';
}

function ownFragmentAttributes(schema: RtSchema, elementQName: number): readonly number[] {
  const code = schema.fragmentCode.get(elementQName);
  return code === undefined ? [] : (schema.table.fragmentElements[code]![2] ?? []);
}
