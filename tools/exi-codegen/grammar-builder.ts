// Schema-informed EXI type grammars (EXI 1.0 §8.5.4) derived from a content-model automaton.
//
// Construction: every type is turned into a nondeterministic automaton exactly following the
// proto-grammar rules of §8.5.4.1 (attribute-use grammars in qname order, then the content grammar;
// particle grammars with min mandatory copies and optional or looping copies; element terms with
// their whole substitution group, abstract heads included; wildcards as SE(*) / SE(uri:*); EE of a
// term grammar replaced by the grammar that follows it). Normalisation (§8.5.4.2) is the classic
// epsilon-closure + subset construction, which removes the epsilon productions and merges productions
// with the same terminal. Event codes (§8.5.4.3) are then assigned in the order AT(qname) sorted by
// qname, AT(uri:*), AT(*), SE(qname) in schema order, SE(uri:*), SE(*), EE, CH.
//
// Bounded repetitions (maxOccurs n) come out as a chain of n states that differ only in their
// successor; the table emitter compresses such chains (see emit-table.ts).
import {
  type AttributeUse,
  type ComplexTypeDef,
  compareQName,
  type ElementDecl,
  type Particle,
  type QName,
  qnameKey,
  type SchemaSet,
  type SimpleTypeDef,
  type TypeDef,
} from './schema-model.ts';

export type EventKind = 'AT' | 'AT_URI' | 'AT_ANY' | 'SE' | 'SE_URI' | 'SE_ANY' | 'EE' | 'CH';

export interface GProduction {
  readonly kind: EventKind;
  readonly qname?: QName;
  readonly uri?: string;
  readonly attribute?: AttributeUse;
  readonly element?: ElementDecl;
  /** Schema order of the particle an SE production came from (§8.5.4.3 item 4). */
  readonly position: number;
  /** Index of the next state in the same grammar; -1 for EE. */
  next: number;
  /** Value type of CH: the simple content type, or undefined for untyped (mixed) content. */
  readonly chType?: SimpleTypeDef;
}

export interface GState {
  productions: GProduction[];
}

export interface TypeGrammar {
  readonly type: TypeDef;
  readonly states: GState[];
}

const KIND_ORDER: Record<EventKind, number> = {
  AT: 0,
  AT_URI: 1,
  AT_ANY: 2,
  SE: 3,
  SE_URI: 4,
  SE_ANY: 5,
  EE: 6,
  CH: 7,
};

interface NState {
  readonly id: number;
  readonly eps: NState[];
  readonly terms: { prod: Omit<GProduction, 'next'>; to: NState }[];
  ee: boolean;
  /** CH [untyped] loops here (mixed content, §8.5.4.1.3.2). */
  mixed: boolean;
}

class Nfa {
  private count = 0;
  state(): NState {
    return { id: this.count++, eps: [], terms: [], ee: false, mixed: false };
  }
}

/** Orders element particles of a content model by first occurrence (schema order). */
function positionsOf(particle: Particle | undefined): Map<string, number> {
  const positions = new Map<string, number>();
  const visit = (p: Particle): void => {
    const t = p.term;
    if ('qname' in t) {
      const key = qnameKey(t.qname);
      if (!positions.has(key)) positions.set(key, positions.size);
    } else if (t.kind === 'wildcard') {
      const key = `*${JSON.stringify(t.namespaces)}`;
      if (!positions.has(key)) positions.set(key, positions.size);
    } else for (const c of t.particles) visit(c);
  };
  if (particle) visit(particle);
  return positions;
}

export function buildTypeGrammar(type: TypeDef, schema: SchemaSet): TypeGrammar {
  const nfa = new Nfa();
  const end = nfa.state();
  end.ee = true;
  let start: NState;
  const contentStates = new Set<NState>();

  if (type.kind === 'simple') {
    // §8.5.4.1.3.1 simple type grammar: CH [schema-typed value] then EE.
    start = nfa.state();
    start.terms.push({ prod: { kind: 'CH', position: 0, chType: type }, to: end });
  } else {
    let content: NState;
    const c = type.content;
    if (c.kind === 'simple') {
      content = nfa.state();
      content.terms.push({ prod: { kind: 'CH', position: 0, chType: c.type }, to: end });
    } else if (c.kind === 'empty') {
      content = end;
    } else {
      const positions = positionsOf(c.particle);
      const before = nfa.state().id;
      content = buildParticle(nfa, c.particle, end, schema, positions, (s) => contentStates.add(s));
      contentStates.add(content);
      contentStates.add(end);
      if (c.mixed) for (const s of contentStates) s.mixed = true;
      void before;
    }
    // §8.5.4.1.3.2: attribute uses sorted by qname, each optional one skippable, then the content.
    const attrs = [...type.attributes].sort((a, b) => compareQName(a.qname, b.qname));
    let next = content;
    for (let i = attrs.length - 1; i >= 0; i--) {
      const use = attrs[i]!;
      const s = nfa.state();
      s.terms.push({ prod: { kind: 'AT', qname: use.qname, attribute: use, position: 0 }, to: next });
      if (!use.required) s.eps.push(next);
      next = s;
    }
    if (type.attributeWildcard && type.name?.local !== 'anyType') {
      throw new Error(`${type.where}: attribute wildcards are not supported`);
    }
    start = next;
    if (type.name?.local === 'anyType' && type.attributeWildcard) {
      // xs:anyType: AT(*) in the start tag (§8.5.4.1.3.2 attribute wildcard).
      const s = nfa.state();
      s.terms.push({ prod: { kind: 'AT_ANY', position: 0 }, to: s });
      s.eps.push(start);
      start = s;
    }
  }
  return { type, states: determinize(start, contentStates) };
}

function buildParticle(
  nfa: Nfa,
  particle: Particle,
  cont: NState,
  schema: SchemaSet,
  positions: Map<string, number>,
  mark: (s: NState) => void,
): NState {
  const term = (c: NState): NState => buildTerm(nfa, particle.term, c, schema, positions, mark);
  let tail: NState;
  if (particle.max === Number.POSITIVE_INFINITY) {
    // Loop: term productions first, then the way out (EE of the loop copy, §8.5.4.1.4).
    const loop = nfa.state();
    mark(loop);
    loop.eps.push(term(loop), cont);
    tail = loop;
  } else {
    tail = cont;
    for (let k = particle.max; k > particle.min; k--) {
      const optional = nfa.state();
      mark(optional);
      optional.eps.push(term(tail), cont);
      tail = optional;
    }
  }
  for (let k = 0; k < particle.min; k++) tail = term(tail);
  return tail;
}

function buildTerm(
  nfa: Nfa,
  t: Particle['term'],
  cont: NState,
  schema: SchemaSet,
  positions: Map<string, number>,
  mark: (s: NState) => void,
): NState {
  const s = nfa.state();
  mark(s);
  if ('qname' in t) {
    // §8.5.4.1.6 element terms: one SE per member of the substitution group (head included, even
    // when abstract), sorted by qname.
    const members = schema.substitutionMembers.get(qnameKey(t.qname)) ?? [t];
    const position = positions.get(qnameKey(t.qname)) ?? 0;
    for (const m of [...members].sort((a, b) => compareQName(a.qname, b.qname))) {
      s.terms.push({ prod: { kind: 'SE', qname: m.qname, element: m, position }, to: cont });
    }
  } else if (t.kind === 'wildcard') {
    const position = positions.get(`*${JSON.stringify(t.namespaces)}`) ?? 0;
    // §8.5.4.1.7 wildcard terms: ##any and ##other (a "not" constraint) give SE(*); a URI list
    // gives one SE(uri:*) per URI.
    if (typeof t.namespaces === 'string') s.terms.push({ prod: { kind: 'SE_ANY', position }, to: cont });
    else
      for (const uri of [...t.namespaces].sort())
        s.terms.push({ prod: { kind: 'SE_URI', uri, position }, to: cont });
  } else if (t.compositor === 'sequence') {
    let next = cont;
    for (let i = t.particles.length - 1; i >= 0; i--)
      next = buildParticle(nfa, t.particles[i]!, next, schema, positions, mark);
    s.eps.push(next);
  } else if (t.compositor === 'choice') {
    for (const p of t.particles) s.eps.push(buildParticle(nfa, p, cont, schema, positions, mark));
    if (t.particles.length === 0) s.eps.push(cont);
  } else {
    throw new Error('xs:all content models are not supported');
  }
  return s;
}

function prodKey(p: Omit<GProduction, 'next'>): string {
  switch (p.kind) {
    case 'AT':
    case 'SE':
      return `${p.kind}${qnameKey(p.qname!)}`;
    case 'SE_URI':
    case 'AT_URI':
      return `${p.kind}{${p.uri}}`;
    default:
      return p.kind;
  }
}

function compareProductions(a: Omit<GProduction, 'next'>, b: Omit<GProduction, 'next'>): number {
  const k = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (k !== 0) return k;
  if (a.kind === 'AT') return compareQName(a.qname!, b.qname!);
  if (a.kind === 'SE') return a.position - b.position || compareQName(a.qname!, b.qname!);
  if (a.kind === 'SE_URI' || a.kind === 'AT_URI') return a.uri! < b.uri! ? -1 : a.uri! > b.uri! ? 1 : 0;
  return 0;
}

function determinize(start: NState, contentStates: Set<NState>): GState[] {
  const closure = (set: NState[]): NState[] => {
    const seen = new Set<NState>();
    const stack = [...set];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      for (const e of s.eps) stack.push(e);
    }
    return [...seen].sort((a, b) => a.id - b.id);
  };
  const keyOf = (set: NState[]): string => set.map((s) => s.id).join(',');
  const states: GState[] = [];
  const index = new Map<string, number>();
  const queue: NState[][] = [];
  const intern = (set: NState[]): number => {
    const c = closure(set);
    const key = keyOf(c);
    let i = index.get(key);
    if (i === undefined) {
      i = states.length;
      index.set(key, i);
      states.push({ productions: [] });
      queue.push(c);
    }
    return i;
  };
  intern([start]);
  for (let i = 0; i < queue.length; i++) {
    const set = queue[i]!;
    const byKey = new Map<string, { prod: Omit<GProduction, 'next'>; to: NState[] }>();
    let ee = false;
    let mixed = false;
    for (const s of set) {
      if (s.ee) ee = true;
      if (s.mixed && contentStates.has(s)) mixed = true;
      for (const t of s.terms) {
        const key = prodKey(t.prod);
        const entry = byKey.get(key);
        if (entry) {
          entry.to.push(t.to);
          // Keep the earliest schema position for the merged production.
          if (t.prod.position < entry.prod.position) entry.prod = t.prod;
        } else byKey.set(key, { prod: t.prod, to: [t.to] });
      }
    }
    // Number successor states in event-code order (breadth first) so tables read naturally.
    const entries = [...byKey.values()].sort((a, b) => compareProductions(a.prod, b.prod));
    const productions: GProduction[] = [];
    for (const { prod, to } of entries) productions.push({ ...prod, next: intern(to) });
    if (ee) productions.push({ kind: 'EE', position: 0, next: -1 });
    if (mixed && !byKey.has('CH')) productions.push({ kind: 'CH', position: 0, next: i });
    productions.sort(compareProductions);
    states[i]!.productions = productions;
  }
  return states;
}

export function typeDisplayName(t: TypeDef): string {
  if (t.kind === 'simple') return t.name ? t.name.local : `anonymous simple type at ${t.where}`;
  return (t as ComplexTypeDef).codeName;
}
