// XSD → EXI grammar tables and typed model, for the V2G schema sets.
// Usage: node tools/exi-codegen/main.ts [--schemas DIR] [--out DIR]
// Defaults: schemas from $PNC_SHARED_DIR/schemas or ../shared/schemas; output src/exi/gen.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { emitSchemaSet, type SharedInterface } from './emit.ts';
import type { SchemaSet } from './schema-model.ts';
import { buildSchemaSet } from './schema-model.ts';
import { FACET_OVERRIDES, type FacetOverride, SCHEMA_SETS, type SchemaSetConfig } from './schema-sets.ts';
import { loadXsdSet } from './xsd-reader.ts';

export const GENERATOR_VERSION = '1';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function defaultSchemasDir(): string {
  const shared = process.env.PNC_SHARED_DIR ?? resolve(repoRoot, '../shared');
  return join(shared, 'schemas');
}

/** Applies the recorded facet corrections of one set; fails if a named type does not exist. */
function applyFacetOverrides(setId: string, schema: SchemaSet): FacetOverride[] {
  const applied: FacetOverride[] = [];
  for (const o of FACET_OVERRIDES.filter((x) => x.set === setId)) {
    const t = schema.simpleTypes.find((s) => s.name?.ns === o.ns && s.name.local === o.type);
    if (!t) throw new Error(`facet override ${o.decision}: no simple type {${o.ns}}${o.type} in ${setId}`);
    delete t.facets.length;
    delete t.facets.minLength;
    delete t.facets.maxLength;
    Object.assign(t.facets, o.facets);
    applied.push(o);
  }
  return applied;
}

export function generate(
  schemasDir: string,
  outDir: string,
  log: (line: string) => void = () => {},
): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const interfacesOf = new Map<string, ReadonlyMap<string, SharedInterface>>();
  const stats = new Map<string, string>();
  // Providers of shared interfaces first; index.ts and the log keep the SCHEMA_SETS order.
  const remaining = [...SCHEMA_SETS];
  const order: SchemaSetConfig[] = [];
  while (remaining.length > 0) {
    const next = remaining.findIndex((s) =>
      (s.typesFrom ?? []).every((id) => order.some((o) => o.id === id)),
    );
    if (next < 0) throw new Error(`typesFrom forms a cycle among ${remaining.map((s) => s.id).join(', ')}`);
    order.push(...remaining.splice(next, 1));
  }
  for (const set of order) {
    const roots = set.roots.map((r) => join(schemasDir, set.dir, r));
    const docs = loadXsdSet(roots);
    const sources = docs.map((d) => {
      const sha = createHash('sha256').update(readFileSync(d.file)).digest('hex');
      return `//   ${relative(schemasDir, d.file).split('\\').join('/')} sha256=${sha}`;
    });
    const schema = buildSchemaSet(docs);
    const overrides = applyFacetOverrides(set.id, schema);
    const banner = [
      '// GENERATED FILE — do not edit. Regenerate with `npm run generate`.',
      `// Generator: tools/exi-codegen v${GENERATOR_VERSION}; schema set '${set.id}' (${set.description}).`,
      '// Sources (read from the shared schema directory, not part of this repository):',
      ...sources,
      ...overrides.map(
        (o) => `// Facet override (${o.decision}): {${o.ns}}${o.type} ${JSON.stringify(o.facets)}`,
      ),
      '/* biome-ignore-all format: generated */',
      '',
    ].join('\n');
    const sharedInterfaces = new Map<string, SharedInterface>();
    for (const provider of [...(set.typesFrom ?? [])].reverse()) {
      for (const [name, shared] of interfacesOf.get(provider) ?? []) sharedInterfaces.set(name, shared);
    }
    const out = emitSchemaSet({ id: set.id, exportName: set.exportName, schema, banner, sharedInterfaces });
    interfacesOf.set(set.id, out.interfaces);
    for (const [suffix, text] of [
      ['table', out.table],
      ['types', out.types],
    ] as const) {
      const file = join(outDir, `${set.id}-${suffix}.ts`);
      writeFileSync(file, text);
      written.push(file);
    }
    stats.set(
      set.id,
      `${set.id}: ${out.stats.types} complex types, ${out.stats.states} grammar states (${out.stats.unrolledStates} before counted repetitions), ${out.stats.qnames} qnames`,
    );
  }
  const indexLines: string[] = [];
  for (const set of SCHEMA_SETS) {
    indexLines.push(`export { ${set.exportName}Table } from './${set.id}-table.ts';`);
    indexLines.push(`export type * as ${set.exportName} from './${set.id}-types.ts';`);
    log(stats.get(set.id) as string);
  }
  const index = join(outDir, 'index.ts');
  writeFileSync(
    index,
    ['// GENERATED FILE — do not edit. Regenerate with `npm run generate`.', ...indexLines, ''].join('\n'),
  );
  written.push(index);
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { schemas: { type: 'string' }, out: { type: 'string' } } });
  const schemasDir = values.schemas ?? defaultSchemasDir();
  const outDir = values.out ?? join(repoRoot, 'src/exi/gen');
  try {
    const files = generate(schemasDir, outDir, (l) => console.log(l));
    console.log(
      `wrote ${files.length} files to ${relative(process.cwd(), outDir) || '.'} (${files.map((f) => basename(f)).join(', ')})`,
    );
  } catch (err) {
    console.error(`exi-codegen: ${(err as Error).message}`);
    process.exit(1);
  }
}
