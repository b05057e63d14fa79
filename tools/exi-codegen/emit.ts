// Turns a schema set and its grammars into the committed TypeScript: a data table the runtime
// interprets, and the interfaces of the typed message model. Output is deterministic: every list
// is ordered by schema data (qnames, schema order), never by hash or insertion accident.
import { compressChains } from './compress.ts';
import { buildTypeGrammar, type GProduction } from './grammar-builder.ts';
import {
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
import { XSD_NS } from './xsd-reader.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** EXI 1.0 Appendix D.3: initial local names of the XML Schema namespace (built-in type names). */
const XSD_LOCAL_NAMES = [
  'ENTITIES',
  'ENTITY',
  'ID',
  'IDREF',
  'IDREFS',
  'NCName',
  'NMTOKEN',
  'NMTOKENS',
  'NOTATION',
  'Name',
  'QName',
  'anySimpleType',
  'anyType',
  'anyURI',
  'base64Binary',
  'boolean',
  'byte',
  'date',
  'dateTime',
  'decimal',
  'double',
  'duration',
  'float',
  'gDay',
  'gMonth',
  'gMonthDay',
  'gYear',
  'gYearMonth',
  'hexBinary',
  'int',
  'integer',
  'language',
  'long',
  'negativeInteger',
  'nonNegativeInteger',
  'nonPositiveInteger',
  'normalizedString',
  'positiveInteger',
  'short',
  'string',
  'time',
  'token',
  'unsignedByte',
  'unsignedInt',
  'unsignedLong',
  'unsignedShort',
];

export interface EmitInput {
  readonly id: string;
  readonly exportName: string;
  readonly schema: SchemaSet;
  readonly banner: string;
  /** Counted repetitions instead of unrolled chains (default true; false only to cross-check in tests). */
  readonly compress?: boolean;
  /**
   * Interfaces already emitted by another set's types module (code name → module and exact text). An
   * interface of this set whose text is identical is imported and re-exported from there instead of
   * being declared again (the xmldsig types of every set, the -20 CommonTypes of AC / DC / WPT / ACDP).
   */
  readonly sharedInterfaces?: ReadonlyMap<string, SharedInterface>;
}

export interface SharedInterface {
  /** Module specifier relative to the generated folder, e.g. `./xmldsig-types.ts`. */
  readonly module: string;
  readonly text: string;
}

export interface EmitOutput {
  readonly table: string;
  readonly types: string;
  /** Every interface of this set's model (declared or imported), by code name, with its exact text. */
  readonly interfaces: ReadonlyMap<string, SharedInterface>;
  readonly stats: { states: number; unrolledStates: number; types: number; qnames: number };
}

const EV: Record<GProduction['kind'], number> = {
  AT: 0,
  AT_URI: 1,
  AT_ANY: 2,
  SE: 3,
  SE_URI: 4,
  SE_ANY: 5,
  EE: 6,
  CH: 7,
};
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function bitsFor(n: number): number {
  // ceil(log2(n)) for n >= 1
  let w = 0;
  while (1 << w < n) w++;
  return w;
}

export function emitSchemaSet(input: EmitInput): EmitOutput {
  const { schema } = input;
  // URI partition (EXI 1.0 §7.3.1, §8.5.1 schema-informed): "", xml, xsi, xsd, then target namespaces sorted.
  const uris = ['', XML_NS, XSI_NS, XSD_NS];
  for (const ns of schema.targetNamespaces) if (!uris.includes(ns)) uris.push(ns);
  const uriIndex = (ns: string): number => {
    const i = uris.indexOf(ns);
    if (i < 0) throw new Error(`namespace ${ns} is not in the URI partition`);
    return i;
  };
  const localNameSets: Set<string>[] = uris.map(() => new Set<string>());
  for (const n of ['base', 'id', 'lang', 'space']) localNameSets[1]!.add(n);
  for (const n of ['nil', 'type']) localNameSets[2]!.add(n);
  for (const n of XSD_LOCAL_NAMES) localNameSets[3]!.add(n);
  for (const e of schema.allElements) localNameSets[uriIndex(e.qname.ns)]!.add(e.qname.local);
  for (const a of schema.attributeQNames) localNameSets[uriIndex(a.ns)]!.add(a.local);
  for (const t of schema.complexTypes)
    if (t.name && t.name.ns !== XSD_NS) localNameSets[uriIndex(t.name.ns)]!.add(t.name.local);
  for (const t of schema.simpleTypes)
    if (t.name && t.name.ns !== XSD_NS) localNameSets[uriIndex(t.name.ns)]!.add(t.name.local);
  const localNames = localNameSets.map((s) => [...s].sort());

  const qnames: [number, string][] = [];
  const qnameIndex = new Map<string, number>();
  const qn = (q: QName): number => {
    const key = qnameKey(q);
    let i = qnameIndex.get(key);
    if (i === undefined) {
      i = qnames.length;
      qnames.push([uriIndex(q.ns), q.local]);
      qnameIndex.set(key, i);
    }
    return i;
  };

  // Simple types are keyed by their EXI representation so identical ones share an entry.
  const simpleSpecs: Record<string, unknown>[] = [];
  const simpleIndex = new Map<string, number>();
  const simpleRef = (t: SimpleTypeDef): number => {
    const spec = simpleSpec(t);
    const key = JSON.stringify(spec);
    let i = simpleIndex.get(key);
    if (i === undefined) {
      i = simpleSpecs.length;
      simpleSpecs.push(spec);
      simpleIndex.set(key, i);
    }
    return i;
  };

  // Complex types reachable from the element declarations, in a deterministic order: by code name.
  const complexList = [
    ...new Set(
      schema.allElements.map((e) => e.type).filter((t): t is ComplexTypeDef => t.kind === 'complex'),
    ),
  ];
  for (const t of schema.complexTypes) if (!complexList.includes(t)) complexList.push(t);
  uniquifyCodeNames(complexList);
  complexList.sort((a, b) => (a.codeName < b.codeName ? -1 : a.codeName > b.codeName ? 1 : 0));
  const complexIndex = new Map(complexList.map((t, i) => [t, i]));
  const typeRef = (t: TypeDef): number => (t.kind === 'complex' ? complexIndex.get(t)! : ~simpleRef(t));

  const typeSpecs: string[] = [];
  let stateCount = 0;
  let unrolledCount = 0;
  const interfaces: string[] = [];
  const imported = new Map<string, string[]>();
  const allInterfaces = new Map<string, SharedInterface>();
  for (const t of complexList) {
    const grammar = buildTypeGrammar(t, schema);
    const attributes = [...t.attributes].sort((a, b) => compareQName(a.qname, b.qname));
    const children = childrenOf(t, schema);
    checkPropertyNames(
      t,
      attributes.map((a) => a.qname),
      children.map((c) => c.element.qname),
    );
    const childIndex = new Map(children.map((c, i) => [qnameKey(c.element.qname), i]));
    const flatStates = grammar.states.map((s) => {
      const flat: number[] = [];
      for (const p of s.productions) {
        let arg = -1;
        if (p.kind === 'AT') arg = attributes.findIndex((a) => qnameKey(a.qname) === qnameKey(p.qname!));
        else if (p.kind === 'SE') arg = childIndex.get(qnameKey(p.qname!))!;
        else if (p.kind === 'CH') arg = p.chType ? simpleRef(p.chType) : -1;
        else if (p.kind === 'SE_URI' || p.kind === 'AT_URI') arg = uriIndex(p.uri!);
        flat.push(EV[p.kind], arg, p.next);
      }
      return flat;
    });
    const compressed =
      input.compress === false ? { states: flatStates, loops: [] } : compressChains(flatStates);
    stateCount += compressed.states.length;
    unrolledCount += flatStates.length;
    const states = compressed.states.map((flat) => `[${flat.join(',')}]`);
    const loops = compressed.loops.length > 0 ? `, loops: ${JSON.stringify(compressed.loops)}` : '';
    const attrSpecs = attributes.map((a) => `[${qn(a.qname)},${simpleRef(a.type)},${a.required ? 1 : 0}]`);
    const childSpecs = children.map(
      (c) => `[${qn(c.element.qname)},${typeRef(c.element.type)},${c.repeated ? 1 : 0}]`,
    );
    const simpleContent = t.content.kind === 'simple' ? simpleRef(t.content.type) : -1;
    const mixed = t.content.kind === 'elements' && t.content.mixed;
    typeSpecs.push(
      `  { name: ${JSON.stringify(t.codeName)}, attributes: [${attrSpecs.join(', ')}], children: [${childSpecs.join(', ')}], ` +
        `simpleContent: ${simpleContent}, mixed: ${mixed}, states: [${states.join(', ')}]${loops} },`,
    );
    const text = interfaceFor(t, attributes, children, schema);
    const shared = input.sharedInterfaces?.get(t.codeName);
    if (shared !== undefined && shared.text === text) {
      imported.set(shared.module, [...(imported.get(shared.module) ?? []), t.codeName]);
      allInterfaces.set(t.codeName, shared);
    } else {
      interfaces.push(text);
      allInterfaces.set(t.codeName, { module: `./${input.id}-types.ts`, text });
    }
  }

  const globalElements = schema.globalElements.map((e) => `[${qn(e.qname)},${typeRef(e.type)}]`);

  // FragmentContent (§8.5.2): all element qnames once; a qname declared with different types (or
  // nillability) uses the element fragment grammar (§8.5.3) — in ISO 15118-2 only {MsgBody}eMAID.
  const byQName = new Map<string, ElementDecl[]>();
  for (const e of schema.allElements) {
    const list = byQName.get(qnameKey(e.qname)) ?? [];
    list.push(e);
    byQName.set(qnameKey(e.qname), list);
  }
  const fragment = [...byQName.values()]
    .map((list) => {
      const first = list[0]!;
      const same = list.every((e) => sameTypeName(e.type, first.type) && e.nillable === first.nillable);
      // With the element fragment grammar, the attributes its declarations have tell which
      // qualified attribute a model property such as `Id` stands for.
      const attributes = new Map<string, QName>();
      for (const e of list)
        if (e.type.kind === 'complex')
          for (const a of e.type.attributes) attributes.set(qnameKey(a.qname), a.qname);
      return {
        qname: first.qname,
        same,
        ref: first.type,
        attributes: [...attributes.values()].sort(compareQName),
      };
    })
    .sort((a, b) => compareQName(a.qname, b.qname))
    .map((f) =>
      f.same
        ? `[${qn(f.qname)},${typeRef(f.ref)}]`
        : `[${qn(f.qname)},ELEMENT_FRAGMENT_GRAMMAR,[${f.attributes.map((a) => qn(a)).join(',')}]]`,
    );
  const fragmentAttributes = schema.attributeQNames.map((q) => {
    const types = new Set<number>();
    for (const t of complexList)
      for (const a of t.attributes) if (qnameKey(a.qname) === qnameKey(q)) types.add(simpleRef(a.type));
    // Element fragment grammar attributes: schema-typed when all declarations agree, else untyped (string).
    const ref =
      types.size === 1
        ? [...types][0]!
        : simpleRef({ kind: 'simple', name: undefined, builtin: 'string', facets: {}, where: '' });
    return `[${qn(q)},${~ref}]`;
  });

  const table = [
    input.banner,
    `import { ELEMENT_FRAGMENT_GRAMMAR, type SchemaTable } from '../runtime/table.ts';`,
    '',
    `export const ${input.exportName}Table: SchemaTable = {`,
    `  id: ${JSON.stringify(input.id)},`,
    `  uris: ${JSON.stringify(uris)},`,
    `  localNames: [`,
    ...localNames.map((l) => `    ${JSON.stringify(l)},`),
    `  ],`,
    `  qnames: [`,
    ...chunk(
      qnames.map((q) => JSON.stringify(q)),
      8,
    ).map((c) => `    ${c.join(', ')},`),
    `  ],`,
    `  simpleTypes: [`,
    ...simpleSpecs.map((s) => `    ${JSON.stringify(s)},`),
    `  ],`,
    `  types: [`,
    ...typeSpecs,
    `  ],`,
    `  globalElements: [${globalElements.join(', ')}],`,
    `  fragmentElements: [`,
    ...chunk(fragment, 12).map((c) => `    ${c.join(', ')},`),
    `  ],`,
    `  fragmentAttributes: [${fragmentAttributes.join(', ')}],`,
    `};`,
    '',
  ].join('\n');

  const rootTypes = schema.globalElements.map(
    (e) => `  ${JSON.stringify(e.qname.local)}: ${tsTypeOf(e.type)};`,
  );
  const importLines: string[] = [];
  for (const [module, names] of [...imported].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const list = names.sort().join(', ');
    importLines.push(
      `import type { ${list} } from '${module}';`,
      `export type { ${list} } from '${module}';`,
    );
  }
  const types = [
    input.banner,
    '// Typed message model: one interface per complex type. Attributes and child elements are',
    '// properties named by their local name; repeated children are arrays; simple content is `$value`.',
    ...(importLines.length > 0
      ? [
          '// Interfaces identical to those of another schema set are imported from it, not repeated.',
          ...importLines,
        ]
      : []),
    '',
    ...interfaces,
    `/** The global elements of this schema set and the type of their content. */`,
    `export interface ${capitalize(input.exportName)}Elements {`,
    ...rootTypes,
    `}`,
    '',
  ].join('\n');
  return {
    table,
    types,
    interfaces: allInterfaces,
    stats: {
      states: stateCount,
      unrolledStates: unrolledCount,
      types: complexList.length,
      qnames: qnames.length,
    },
  };
}

function sameTypeName(a: TypeDef, b: TypeDef): boolean {
  if (a === b) return true;
  if (!a.name || !b.name) return false;
  return qnameKey(a.name) === qnameKey(b.name);
}

function uniquifyCodeNames(list: ComplexTypeDef[]): void {
  const used = new Map<string, number>();
  for (const t of [...list].sort((a, b) => (a.where < b.where ? -1 : 1))) {
    const n = used.get(t.codeName) ?? 0;
    used.set(t.codeName, n + 1);
    if (n > 0) t.codeName = `${t.codeName}${n + 1}`;
  }
}

function simpleSpec(t: SimpleTypeDef): Record<string, unknown> {
  const f = t.facets;
  const name = t.name ? t.name.local : `${t.builtin}*`;
  const lengths: Record<string, number> = {};
  if (f.length !== undefined) lengths.length = f.length;
  if (f.minLength !== undefined) lengths.minLength = f.minLength;
  if (f.maxLength !== undefined) lengths.maxLength = f.maxLength;
  const integer = [
    'integer',
    'long',
    'int',
    'short',
    'byte',
    'nonNegativeInteger',
    'positiveInteger',
    'nonPositiveInteger',
    'negativeInteger',
    'unsignedLong',
    'unsignedInt',
    'unsignedShort',
    'unsignedByte',
  ].includes(t.builtin);
  if (f.enumeration) {
    // EXI 1.0 §7.2: enumerated values are n-bit indexes in schema order, width ceil(log2(count)).
    const base = t.builtin === 'boolean' ? 'boolean' : integer ? 'integer' : 'string';
    return { name, kind: 'enum', width: bitsFor(f.enumeration.length), values: f.enumeration, base };
  }
  if (t.builtin === 'boolean') return { name, kind: 'boolean' };
  if (t.builtin === 'base64Binary' || t.builtin === 'hexBinary') {
    return { name, kind: 'binary', encoding: t.builtin === 'hexBinary' ? 'hex' : 'base64', ...lengths };
  }
  if (integer) {
    const min = f.minInclusive;
    const max = f.maxInclusive;
    const big = min === undefined || max === undefined || min < -SAFE || max > SAFE;
    const bounds: Record<string, string> = {};
    if (min !== undefined) bounds.min = String(min);
    if (max !== undefined) bounds.max = String(max);
    // EXI 1.0 §7.1.9 / Table 7-1: bounded range of at most 4096 values → n-bit (value − min);
    // otherwise non-negative lower bound → Unsigned Integer; else Integer.
    if (min !== undefined && max !== undefined && max - min < 4096n) {
      return { name, kind: 'nbit', width: bitsFor(Number(max - min) + 1), ...bounds };
    }
    if (min !== undefined && min >= 0n)
      return { name, kind: 'unsigned', ...(big ? { big: true } : {}), ...bounds };
    return { name, kind: 'integer', ...(big ? { big: true } : {}), ...bounds };
  }
  return { name, kind: 'string', ...lengths };
}

interface ChildInfo {
  element: ElementDecl;
  repeated: boolean;
  optional: boolean;
}

/** Child element qnames of a type's content model with how often each may occur. */
function childrenOf(t: ComplexTypeDef, schema: SchemaSet): ChildInfo[] {
  if (t.content.kind !== 'elements') return [];
  const order: string[] = [];
  const decls = new Map<string, ElementDecl>();
  const collect = (p: Particle): void => {
    const term = p.term;
    if ('qname' in term) {
      for (const m of schema.substitutionMembers.get(qnameKey(term.qname)) ?? [term]) {
        const key = qnameKey(m.qname);
        if (!decls.has(key)) {
          decls.set(key, m);
          order.push(key);
        } else if (decls.get(key)!.type !== m.type && !sameTypeName(decls.get(key)!.type, m.type)) {
          throw new Error(`${t.where}: child ${key} declared with two types in one content model`);
        }
      }
    } else if (term.kind === 'group') for (const c of term.particles) collect(c);
  };
  collect(t.content.particle);
  const maxCount = (p: Particle, key: string): number => {
    const term = p.term;
    let inner: number;
    if ('qname' in term) {
      const members = schema.substitutionMembers.get(qnameKey(term.qname)) ?? [term];
      inner = members.some((m) => qnameKey(m.qname) === key) ? 1 : 0;
    } else if (term.kind === 'wildcard') inner = 0;
    else if (term.compositor === 'choice')
      inner = Math.max(0, ...term.particles.map((c) => maxCount(c, key)));
    else inner = term.particles.reduce((sum, c) => sum + maxCount(c, key), 0);
    return inner * p.max;
  };
  const minCount = (p: Particle, key: string): number => {
    const term = p.term;
    let inner: number;
    if ('qname' in term) {
      // A substitution group offers several members: none of them is required on its own.
      const members = schema.substitutionMembers.get(qnameKey(term.qname)) ?? [term];
      inner = members.length === 1 && qnameKey(term.qname) === key ? 1 : 0;
    } else if (term.kind === 'wildcard') inner = 0;
    else if (term.compositor === 'choice')
      inner = term.particles.length === 0 ? 0 : Math.min(...term.particles.map((c) => minCount(c, key)));
    else inner = term.particles.reduce((sum, c) => sum + minCount(c, key), 0);
    return inner * p.min;
  };
  const particle = t.content.particle;
  return order.map((key) => ({
    element: decls.get(key)!,
    repeated: maxCount(particle, key) > 1,
    optional: minCount(particle, key) === 0,
  }));
}

function checkPropertyNames(t: ComplexTypeDef, attributes: QName[], children: QName[]): void {
  const seen = new Map<string, string>();
  for (const q of [...attributes, ...children]) {
    const prev = seen.get(q.local);
    if (prev !== undefined && prev !== qnameKey(q)) {
      throw new Error(
        `${t.where}: two properties named '${q.local}' in type ${t.codeName} (${prev}, ${qnameKey(q)})`,
      );
    }
    seen.set(q.local, qnameKey(q));
  }
  if (seen.has('$value') || seen.has('$any') || seen.has('$text'))
    throw new Error(`${t.where}: reserved property name`);
}

function tsSimple(t: SimpleTypeDef): string {
  const spec = simpleSpec(t);
  switch (spec.kind) {
    case 'enum':
      return (spec.values as string[]).map((v) => JSON.stringify(v)).join(' | ');
    case 'boolean':
      return 'boolean';
    case 'binary':
      return 'Uint8Array';
    case 'nbit':
      return 'number';
    case 'unsigned':
    case 'integer':
      return spec.big ? 'bigint' : 'number';
    default:
      return 'string';
  }
}

function tsTypeOf(t: TypeDef): string {
  return t.kind === 'simple' ? tsSimple(t) : t.codeName;
}

function interfaceFor(
  t: ComplexTypeDef,
  attributes: ComplexTypeDef['attributes'],
  children: ChildInfo[],
  _schema: SchemaSet,
): string {
  const lines: string[] = [];
  const where = t.name
    ? `{${t.name.ns}}${t.name.local}`
    : `anonymous type (${t.where.replace(/^.*[\\/]/, '')})`;
  lines.push(`/** ${where} */`);
  lines.push(`export interface ${t.codeName} {`);
  for (const a of attributes) lines.push(`  ${a.qname.local}${a.required ? '' : '?'}: ${tsSimple(a.type)};`);
  if (t.content.kind === 'simple') lines.push(`  $value: ${tsSimple(t.content.type)};`);
  for (const c of children) {
    const type = tsTypeOf(c.element.type);
    const needsParens = type.includes('|');
    const element = c.repeated ? `${needsParens ? `(${type})` : type}[]` : type;
    lines.push(`  ${c.element.qname.local}${c.optional ? '?' : ''}: ${element};`);
  }
  if (t.content.kind === 'elements' && hasWildcard(t.content.particle))
    lines.push(`  $any?: import('../runtime/model.ts').AnyElement[];`);
  lines.push('}');
  lines.push('');
  return lines.join('\n');
}

function hasWildcard(p: Particle): boolean {
  const t = p.term;
  if ('qname' in t) return false;
  if (t.kind === 'wildcard') return true;
  return t.particles.some(hasWildcard);
}

function chunk<T>(list: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
