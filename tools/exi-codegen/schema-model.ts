// XML Schema component model (XML Schema 1.0 Part 1 §3) for the subset the V2G schemas use:
// global/local elements, named/anonymous complex and simple types, sequence/choice/all, element
// references, substitution groups (with abstract heads), wildcards, attribute uses, simple content,
// complex-content extension and restriction, facets. Unsupported constructs fail loudly.
import { where, XSD_NS, type XsdDocument, type XsdNode, xsdChildren } from './xsd-reader.ts';

export interface QName {
  readonly ns: string;
  readonly local: string;
}

export const qnameKey = (q: QName): string => `{${q.ns}}${q.local}`;

/** EXI 1.0 §8.5.4.3 / Table 4-1 ordering of qnames: local name first, then namespace URI. */
export function compareQName(a: QName, b: QName): number {
  if (a.local !== b.local) return a.local < b.local ? -1 : 1;
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1;
  return 0;
}

export interface Facets {
  enumeration?: string[];
  minInclusive?: bigint;
  maxInclusive?: bigint;
  length?: number;
  minLength?: number;
  maxLength?: number;
}

export interface SimpleTypeDef {
  readonly kind: 'simple';
  readonly name: QName | undefined;
  /** Nearest built-in ancestor (e.g. unsignedByte, short, string, hexBinary). */
  readonly builtin: string;
  readonly facets: Facets;
  readonly where: string;
}

export interface AttributeUse {
  readonly qname: QName;
  readonly type: SimpleTypeDef;
  readonly required: boolean;
}

export interface ElementDecl {
  readonly qname: QName;
  type: TypeDef;
  readonly global: boolean;
  readonly abstract: boolean;
  readonly nillable: boolean;
  substitutionHead: ElementDecl | undefined;
  readonly where: string;
}

export interface Wildcard {
  readonly kind: 'wildcard';
  /** '##any', '##other', or an explicit URI list ('' = absent namespace). */
  readonly namespaces: '##any' | '##other' | readonly string[];
}

export interface ModelGroup {
  readonly kind: 'group';
  readonly compositor: 'sequence' | 'choice' | 'all';
  readonly particles: Particle[];
}

export interface Particle {
  readonly min: number;
  readonly max: number; // Infinity = unbounded
  readonly term: ElementDecl | ModelGroup | Wildcard;
}

export type ComplexContent =
  | { readonly kind: 'empty' }
  | { readonly kind: 'simple'; readonly type: SimpleTypeDef }
  | { readonly kind: 'elements'; readonly particle: Particle; readonly mixed: boolean };

export interface ComplexTypeDef {
  readonly kind: 'complex';
  readonly name: QName | undefined;
  /** Name used for generated TypeScript (named types: local name; anonymous: element name + 'Type'). */
  codeName: string;
  attributes: AttributeUse[];
  attributeWildcard: boolean;
  content: ComplexContent;
  readonly abstract: boolean;
  readonly where: string;
  resolved: boolean;
}

export type TypeDef = SimpleTypeDef | ComplexTypeDef;

export interface SchemaSet {
  readonly targetNamespaces: string[];
  readonly globalElements: ElementDecl[];
  readonly allElements: ElementDecl[];
  readonly complexTypes: ComplexTypeDef[];
  readonly simpleTypes: SimpleTypeDef[];
  readonly attributeQNames: QName[];
  /** Substitution group members (including the head itself), keyed by head qname. */
  readonly substitutionMembers: Map<string, ElementDecl[]>;
}

const BUILTIN_BOUNDS: Record<string, [bigint | undefined, bigint | undefined]> = {
  integer: [undefined, undefined],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  short: [-32768n, 32767n],
  byte: [-128n, 127n],
  nonNegativeInteger: [0n, undefined],
  positiveInteger: [1n, undefined],
  nonPositiveInteger: [undefined, 0n],
  negativeInteger: [undefined, -1n],
  unsignedLong: [0n, 2n ** 64n - 1n],
  unsignedInt: [0n, 2n ** 32n - 1n],
  unsignedShort: [0n, 65535n],
  unsignedByte: [0n, 255n],
};

const OTHER_BUILTINS = new Set([
  'string',
  'normalizedString',
  'token',
  'anyURI',
  'ID',
  'IDREF',
  'NCName',
  'Name',
  'NMTOKEN',
  'language',
  'boolean',
  'base64Binary',
  'hexBinary',
  'anySimpleType',
]);

export function isIntegerBuiltin(name: string): boolean {
  return name in BUILTIN_BOUNDS;
}

function builtinSimpleType(local: string): SimpleTypeDef {
  const bounds = BUILTIN_BOUNDS[local];
  const facets: Facets = {};
  if (bounds) {
    if (bounds[0] !== undefined) facets.minInclusive = bounds[0];
    if (bounds[1] !== undefined) facets.maxInclusive = bounds[1];
  }
  return { kind: 'simple', name: { ns: XSD_NS, local }, builtin: local, facets, where: 'builtin' };
}

interface SchemaDocContext {
  readonly targetNamespace: string;
  readonly elementQualified: boolean;
  readonly attributeQualified: boolean;
}

/** Builds the component model of a schema set from its parsed documents. */
export function buildSchemaSet(docs: readonly XsdDocument[]): SchemaSet {
  const globalElementNodes = new Map<string, { node: XsdNode; ctx: SchemaDocContext }>();
  const typeNodes = new Map<string, { node: XsdNode; ctx: SchemaDocContext }>();
  const groupNodes = new Map<string, { node: XsdNode; ctx: SchemaDocContext }>();
  const attributeGroupNodes = new Map<string, { node: XsdNode; ctx: SchemaDocContext }>();
  const globalAttributeNodes = new Map<string, { node: XsdNode; ctx: SchemaDocContext }>();
  const targetNamespaces = new Set<string>();

  for (const doc of docs) {
    const root = doc.root;
    const ctx: SchemaDocContext = {
      targetNamespace: root.attrs.get('targetNamespace') ?? '',
      elementQualified: root.attrs.get('elementFormDefault') === 'qualified',
      attributeQualified: root.attrs.get('attributeFormDefault') === 'qualified',
    };
    targetNamespaces.add(ctx.targetNamespace);
    for (const child of xsdChildren(root)) {
      const name = child.attrs.get('name');
      const key = name === undefined ? '' : qnameKey({ ns: ctx.targetNamespace, local: name });
      switch (child.local) {
        case 'element':
          globalElementNodes.set(key, { node: child, ctx });
          break;
        case 'complexType':
        case 'simpleType':
          typeNodes.set(key, { node: child, ctx });
          break;
        case 'group':
          groupNodes.set(key, { node: child, ctx });
          break;
        case 'attributeGroup':
          attributeGroupNodes.set(key, { node: child, ctx });
          break;
        case 'attribute':
          globalAttributeNodes.set(key, { node: child, ctx });
          break;
        case 'import':
        case 'include':
        case 'annotation':
          break;
        default:
          throw new Error(`${where(child)}: unsupported top-level xs:${child.local}`);
      }
    }
  }

  const resolveQName = (node: XsdNode, value: string): QName => {
    const colon = value.indexOf(':');
    const prefix = colon < 0 ? '' : value.slice(0, colon);
    const local = colon < 0 ? value : value.slice(colon + 1);
    const ns = node.bindings.get(prefix);
    if (ns === undefined) {
      if (prefix === '') return { ns: '', local };
      throw new Error(`${where(node)}: undeclared prefix '${prefix}' in '${value}'`);
    }
    return { ns, local };
  };

  const types = new Map<string, TypeDef>();
  const complexTypes: ComplexTypeDef[] = [];
  const simpleTypes: SimpleTypeDef[] = [];
  const globalElements = new Map<string, ElementDecl>();
  const allElements: ElementDecl[] = [];
  const attributeQNames = new Map<string, QName>();

  const lookupType = (node: XsdNode, value: string): TypeDef => {
    const q = resolveQName(node, value);
    const key = qnameKey(q);
    const existing = types.get(key);
    if (existing) return existing;
    if (q.ns === XSD_NS) {
      if (q.local === 'anyType') return anyType();
      if (!(q.local in BUILTIN_BOUNDS) && !OTHER_BUILTINS.has(q.local)) {
        throw new Error(`${where(node)}: unsupported built-in type xs:${q.local}`);
      }
      const t = builtinSimpleType(q.local);
      types.set(key, t);
      return t;
    }
    const decl = typeNodes.get(key);
    if (!decl) throw new Error(`${where(node)}: unknown type ${key}`);
    return defineType(decl.node, decl.ctx, q);
  };

  let anyTypeDef: ComplexTypeDef | undefined;
  const anyType = (): ComplexTypeDef => {
    if (!anyTypeDef) {
      anyTypeDef = {
        kind: 'complex',
        name: { ns: XSD_NS, local: 'anyType' },
        codeName: 'AnyType',
        attributes: [],
        attributeWildcard: true,
        content: {
          kind: 'elements',
          mixed: true,
          particle: {
            min: 0,
            max: Number.POSITIVE_INFINITY,
            term: { kind: 'wildcard', namespaces: '##any' },
          },
        },
        abstract: false,
        where: 'builtin',
        resolved: true,
      };
      types.set(qnameKey(anyTypeDef.name!), anyTypeDef);
      complexTypes.push(anyTypeDef);
    }
    return anyTypeDef;
  };

  const defineType = (
    node: XsdNode,
    ctx: SchemaDocContext,
    name: QName | undefined,
    hint?: string,
  ): TypeDef => {
    if (node.local === 'simpleType') {
      const t = defineSimpleType(node, name);
      if (name) types.set(qnameKey(name), t);
      simpleTypes.push(t);
      return t;
    }
    const t: ComplexTypeDef = {
      kind: 'complex',
      name,
      codeName: name ? name.local : `${hint ?? 'Anonymous'}Type`,
      attributes: [],
      attributeWildcard: false,
      content: { kind: 'empty' },
      abstract: node.attrs.get('abstract') === 'true',
      where: where(node),
      resolved: false,
    };
    if (name) types.set(qnameKey(name), t);
    complexTypes.push(t);
    resolveComplexType(t, node, ctx);
    return t;
  };

  const defineSimpleType = (node: XsdNode, name: QName | undefined): SimpleTypeDef => {
    const restriction = xsdChildren(node, 'restriction')[0];
    if (!restriction) {
      const other = xsdChildren(node).find((c) => c.local !== 'annotation');
      throw new Error(`${where(node)}: unsupported simple type derivation xs:${other?.local ?? '?'}`);
    }
    let base: SimpleTypeDef;
    const baseName = restriction.attrs.get('base');
    if (baseName) {
      const b = lookupType(restriction, baseName);
      if (b.kind !== 'simple') throw new Error(`${where(restriction)}: simple type restricts a complex type`);
      base = b;
    } else {
      const inner = xsdChildren(restriction, 'simpleType')[0];
      if (!inner) throw new Error(`${where(restriction)}: restriction without base`);
      base = defineSimpleType(inner, undefined);
    }
    return {
      kind: 'simple',
      name,
      builtin: base.builtin,
      facets: applyFacets(base.facets, restriction),
      where: where(node),
    };
  };

  const applyFacets = (baseFacets: Facets, restriction: XsdNode): Facets => {
    const facets: Facets = { ...baseFacets };
    const enumeration: string[] = [];
    for (const f of xsdChildren(restriction)) {
      const value = f.attrs.get('value');
      if (f.local === 'annotation' || f.local === 'simpleType') continue;
      if (value === undefined) throw new Error(`${where(f)}: facet without value`);
      switch (f.local) {
        case 'enumeration':
          enumeration.push(value);
          break;
        case 'minInclusive':
          facets.minInclusive = BigInt(value);
          break;
        case 'maxInclusive':
          facets.maxInclusive = BigInt(value);
          break;
        case 'minExclusive':
          facets.minInclusive = BigInt(value) + 1n;
          break;
        case 'maxExclusive':
          facets.maxInclusive = BigInt(value) - 1n;
          break;
        case 'length':
          facets.length = Number(value);
          break;
        case 'minLength':
          facets.minLength = Number(value);
          break;
        case 'maxLength':
          facets.maxLength = Number(value);
          break;
        case 'whiteSpace':
        case 'totalDigits':
        case 'fractionDigits':
          break;
        default:
          // xs:pattern would change the EXI string representation (restricted character sets,
          // EXI 1.0 §7.1.10.1); no V2G schema uses it, so refuse rather than mis-encode.
          throw new Error(`${where(f)}: unsupported facet xs:${f.local}`);
      }
    }
    if (enumeration.length > 0) facets.enumeration = enumeration;
    return facets;
  };

  const attributeUses = (
    node: XsdNode,
    ctx: SchemaDocContext,
  ): { uses: AttributeUse[]; wildcard: boolean } => {
    const uses: AttributeUse[] = [];
    let wildcard = false;
    for (const a of xsdChildren(node)) {
      if (a.local === 'attribute') {
        if (a.attrs.get('use') === 'prohibited') continue;
        const ref = a.attrs.get('ref');
        let qname: QName;
        let type: SimpleTypeDef;
        if (ref) {
          qname = resolveQName(a, ref);
          const g = globalAttributeNodes.get(qnameKey(qname));
          if (!g) throw new Error(`${where(a)}: unknown attribute ${ref}`);
          type = attributeType(g.node);
        } else {
          const name = a.attrs.get('name');
          if (!name) throw new Error(`${where(a)}: attribute without name`);
          const form = a.attrs.get('form');
          const qualified = form ? form === 'qualified' : ctx.attributeQualified;
          qname = { ns: qualified ? ctx.targetNamespace : '', local: name };
          type = attributeType(a);
        }
        attributeQNames.set(qnameKey(qname), qname);
        uses.push({ qname, type, required: a.attrs.get('use') === 'required' });
      } else if (a.local === 'attributeGroup') {
        const ref = a.attrs.get('ref');
        const g = ref ? attributeGroupNodes.get(qnameKey(resolveQName(a, ref))) : undefined;
        if (!g) throw new Error(`${where(a)}: unknown attribute group ${ref}`);
        const inner = attributeUses(g.node, g.ctx);
        uses.push(...inner.uses);
        wildcard ||= inner.wildcard;
      } else if (a.local === 'anyAttribute') {
        wildcard = true;
      }
    }
    return { uses, wildcard };
  };

  const attributeType = (a: XsdNode): SimpleTypeDef => {
    const typeName = a.attrs.get('type');
    if (typeName) {
      const t = lookupType(a, typeName);
      if (t.kind !== 'simple') throw new Error(`${where(a)}: attribute of complex type`);
      return t;
    }
    const inline = xsdChildren(a, 'simpleType')[0];
    if (inline) return defineSimpleType(inline, undefined);
    return builtinSimpleType('anySimpleType');
  };

  const mergeAttributes = (base: AttributeUse[], own: AttributeUse[]): AttributeUse[] => {
    const map = new Map<string, AttributeUse>();
    for (const u of base) map.set(qnameKey(u.qname), u);
    for (const u of own) map.set(qnameKey(u.qname), u);
    return [...map.values()];
  };

  const resolveComplexType = (t: ComplexTypeDef, node: XsdNode, ctx: SchemaDocContext): void => {
    const mixed = node.attrs.get('mixed') === 'true';
    const simpleContent = xsdChildren(node, 'simpleContent')[0];
    const complexContent = xsdChildren(node, 'complexContent')[0];
    if (simpleContent) {
      const derivation = xsdChildren(simpleContent).find(
        (c) => c.local === 'extension' || c.local === 'restriction',
      );
      if (!derivation) throw new Error(`${where(simpleContent)}: empty simpleContent`);
      const base = lookupType(derivation, derivation.attrs.get('base') ?? '');
      let simple: SimpleTypeDef;
      let baseAttrs: AttributeUse[] = [];
      if (base.kind === 'simple') simple = base;
      else {
        ensureResolved(base);
        if (base.content.kind !== 'simple')
          throw new Error(`${where(derivation)}: simpleContent base without simple content`);
        simple = base.content.type;
        baseAttrs = base.attributes;
      }
      if (derivation.local === 'restriction') {
        simple = {
          kind: 'simple',
          name: undefined,
          builtin: simple.builtin,
          facets: applyFacets(simple.facets, derivation),
          where: where(derivation),
        };
      }
      const own = attributeUses(derivation, ctx);
      t.attributes = mergeAttributes(baseAttrs, own.uses);
      t.attributeWildcard = own.wildcard;
      t.content = { kind: 'simple', type: simple };
    } else if (complexContent) {
      const derivation = xsdChildren(complexContent).find(
        (c) => c.local === 'extension' || c.local === 'restriction',
      );
      if (!derivation) throw new Error(`${where(complexContent)}: empty complexContent`);
      const base = lookupType(derivation, derivation.attrs.get('base') ?? '');
      if (base.kind !== 'complex')
        throw new Error(`${where(derivation)}: complexContent derived from a simple type`);
      ensureResolved(base);
      const ownParticle = contentParticle(derivation, ctx, t.codeName);
      const own = attributeUses(derivation, ctx);
      const isMixed = mixed || complexContent.attrs.get('mixed') === 'true';
      if (derivation.local === 'extension') {
        t.attributes = mergeAttributes(base.attributes, own.uses);
        t.attributeWildcard = base.attributeWildcard || own.wildcard;
        const baseParticle = base.content.kind === 'elements' ? base.content.particle : undefined;
        // XML Schema 1.0 §3.4.2 (complex content extension): a sequence of the base content
        // followed by the extension's own particle; an empty side is dropped.
        let particle: Particle | undefined;
        if (baseParticle && ownParticle) {
          particle = {
            min: 1,
            max: 1,
            term: { kind: 'group', compositor: 'sequence', particles: [baseParticle, ownParticle] },
          };
        } else particle = baseParticle ?? ownParticle;
        const baseMixed = base.content.kind === 'elements' && base.content.mixed;
        t.content = particle
          ? { kind: 'elements', particle, mixed: isMixed || baseMixed }
          : { kind: 'empty' };
      } else {
        t.attributes = mergeAttributes(base.attributes, own.uses);
        t.attributeWildcard = own.wildcard;
        t.content = ownParticle
          ? { kind: 'elements', particle: ownParticle, mixed: isMixed }
          : { kind: 'empty' };
      }
    } else {
      const particle = contentParticle(node, ctx, t.codeName);
      const own = attributeUses(node, ctx);
      t.attributes = own.uses;
      t.attributeWildcard = own.wildcard;
      t.content = particle
        ? { kind: 'elements', particle, mixed }
        : mixed
          ? {
              kind: 'elements',
              mixed,
              particle: { min: 1, max: 1, term: { kind: 'group', compositor: 'sequence', particles: [] } },
            }
          : { kind: 'empty' };
    }
    t.resolved = true;
  };

  // A base type is resolved before its derived type is read; a base still being resolved means a
  // derivation cycle (or a base whose content refers to the derived type), which no V2G schema has.
  const ensureResolved = (t: ComplexTypeDef): void => {
    if (!t.resolved) throw new Error(`${t.where}: base type is not resolved yet (cyclic derivation?)`);
  };

  const occurs = (node: XsdNode): { min: number; max: number } => {
    const min = Number(node.attrs.get('minOccurs') ?? '1');
    const maxAttr = node.attrs.get('maxOccurs') ?? '1';
    const max = maxAttr === 'unbounded' ? Number.POSITIVE_INFINITY : Number(maxAttr);
    if (!Number.isInteger(min) || min < 0 || !(max >= min))
      throw new Error(`${where(node)}: bad occurrence bounds`);
    return { min, max };
  };

  const contentParticle = (node: XsdNode, ctx: SchemaDocContext, hint: string): Particle | undefined => {
    const groupNode = xsdChildren(node).find((c) => ['sequence', 'choice', 'all', 'group'].includes(c.local));
    return groupNode ? particleOf(groupNode, ctx, hint) : undefined;
  };

  const particleOf = (node: XsdNode, ctx: SchemaDocContext, hint: string): Particle => {
    const { min, max } = occurs(node);
    switch (node.local) {
      case 'sequence':
      case 'choice':
      case 'all': {
        const particles = xsdChildren(node)
          .filter((c) => c.local !== 'annotation')
          .map((c) => particleOf(c, ctx, hint));
        return { min, max, term: { kind: 'group', compositor: node.local, particles } };
      }
      case 'group': {
        const ref = node.attrs.get('ref');
        const g = ref ? groupNodes.get(qnameKey(resolveQName(node, ref))) : undefined;
        if (!g) throw new Error(`${where(node)}: unknown group ${ref}`);
        const inner = xsdChildren(g.node).find((c) => ['sequence', 'choice', 'all'].includes(c.local));
        if (!inner) throw new Error(`${where(g.node)}: empty group`);
        const p = particleOf(inner, g.ctx, hint);
        return { min, max, term: p.term };
      }
      case 'element': {
        const ref = node.attrs.get('ref');
        if (ref) return { min, max, term: globalElement(resolveQName(node, ref), node) };
        return { min, max, term: localElement(node, ctx) };
      }
      case 'any': {
        const ns = node.attrs.get('namespace') ?? '##any';
        let namespaces: Wildcard['namespaces'];
        if (ns === '##any' || ns === '##other') namespaces = ns;
        else
          namespaces = ns
            .split(/\s+/)
            .filter((s) => s.length > 0)
            .map((s) => (s === '##targetNamespace' ? ctx.targetNamespace : s === '##local' ? '' : s));
        return { min, max, term: { kind: 'wildcard', namespaces } };
      }
      default:
        throw new Error(`${where(node)}: unsupported particle xs:${node.local}`);
    }
  };

  const elementType = (node: XsdNode, ctx: SchemaDocContext, name: string): TypeDef => {
    const typeName = node.attrs.get('type');
    if (typeName) return lookupType(node, typeName);
    const inline = xsdChildren(node).find((c) => c.local === 'complexType' || c.local === 'simpleType');
    if (inline) return defineType(inline, ctx, undefined, name);
    return anyType();
  };

  const globalElement = (q: QName, from: XsdNode): ElementDecl => {
    const key = qnameKey(q);
    const existing = globalElements.get(key);
    if (existing) return existing;
    const decl = globalElementNodes.get(key);
    if (!decl) throw new Error(`${where(from)}: unknown element ${key}`);
    const node = decl.node;
    const e: ElementDecl = {
      qname: q,
      type: anyType(), // replaced below; set first so recursive references terminate
      global: true,
      abstract: node.attrs.get('abstract') === 'true',
      nillable: node.attrs.get('nillable') === 'true',
      substitutionHead: undefined,
      where: where(node),
    };
    globalElements.set(key, e);
    allElements.push(e);
    e.type = elementType(node, decl.ctx, q.local);
    const head = node.attrs.get('substitutionGroup');
    if (head) e.substitutionHead = globalElement(resolveQName(node, head), node);
    return e;
  };

  const localElement = (node: XsdNode, ctx: SchemaDocContext): ElementDecl => {
    const name = node.attrs.get('name');
    if (!name) throw new Error(`${where(node)}: local element without name`);
    const form = node.attrs.get('form');
    const qualified = form ? form === 'qualified' : ctx.elementQualified;
    const e: ElementDecl = {
      qname: { ns: qualified ? ctx.targetNamespace : '', local: name },
      type: anyType(),
      global: false,
      abstract: false,
      nillable: node.attrs.get('nillable') === 'true',
      substitutionHead: undefined,
      where: where(node),
    };
    allElements.push(e);
    e.type = elementType(node, ctx, name);
    return e;
  };

  // Resolve everything reachable from the global declarations, in a stable order.
  for (const key of [...globalElementNodes.keys()].sort()) {
    const { node, ctx } = globalElementNodes.get(key)!;
    globalElement({ ns: ctx.targetNamespace, local: node.attrs.get('name')! }, node);
  }
  for (const key of [...typeNodes.keys()].sort()) {
    if (!types.has(key)) {
      const { node, ctx } = typeNodes.get(key)!;
      defineType(node, ctx, { ns: ctx.targetNamespace, local: node.attrs.get('name')! });
    }
  }
  for (const key of [...globalAttributeNodes.keys()].sort()) {
    const { node, ctx } = globalAttributeNodes.get(key)!;
    const q = { ns: ctx.targetNamespace, local: node.attrs.get('name')! };
    attributeQNames.set(qnameKey(q), q);
  }

  const substitutionMembers = new Map<string, ElementDecl[]>();
  for (const e of globalElements.values()) {
    // Transitive substitution: a member of a member is a member of the head.
    for (let head = e.substitutionHead; head; head = head.substitutionHead) {
      const list = substitutionMembers.get(qnameKey(head.qname)) ?? [head];
      list.push(e);
      substitutionMembers.set(qnameKey(head.qname), list);
    }
  }

  return {
    targetNamespaces: [...targetNamespaces].sort(),
    globalElements: [...globalElements.values()].sort((a, b) => compareQName(a.qname, b.qname)),
    allElements,
    complexTypes,
    simpleTypes,
    attributeQNames: [...attributeQNames.values()].sort(compareQName),
    substitutionMembers,
  };
}
