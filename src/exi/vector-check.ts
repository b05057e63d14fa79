// Runs EXI test vectors in the JSON Lines format of ../shared/vectors/README.md: decode, compare
// with the independent XML rendering, re-encode (byte identity or infoset identity), and check the
// signature expectations. Used by `pnc exi check` and by the test suite.
import { parseXml, resolvePrefix, type XmlElement } from '../xml/dom.ts';
import { compareInfoset } from '../xml/infoset.ts';
import { serializeXml } from '../xml/serialize.ts';
import { verifyV2gMessage } from '../xmldsig/v2g-signature.ts';
import {
  type AnyDecoded,
  decodeExiDocument,
  decodeExiFragment,
  encodeExiDocument,
  encodeExiFragment,
  isCodecError,
  isSchemaId,
  type SchemaId,
  schemaSet,
} from './codec.ts';
import type { FacetPolicy } from './runtime/values.ts';
import { elementToXml, PREFERRED_PREFIXES } from './xml-model.ts';

export interface VectorRecord {
  readonly id: string;
  readonly schema: string;
  readonly kind: 'document' | 'fragment' | 'element-fragment';
  readonly exi: string;
  readonly xml?: string | null;
  readonly message?: string;
  readonly roundTrip?: 'exact' | 'infoset';
  readonly signature?: {
    readonly references: Readonly<Record<string, 'ok' | 'missing'>>;
    readonly signatureValid: boolean | null;
    readonly signerCertificates?: readonly string[];
  };
}

export interface VectorResult {
  readonly id: string;
  readonly schema: string;
  readonly ok: boolean;
  readonly failure?: string;
  /** Facet deviations of the real stream, accepted for the check (docs/spec-decisions.md). */
  readonly notes: readonly string[];
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function describe(e: unknown): string {
  if (isCodecError(e)) return `${e.reason}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/** xsi:type values are QNames: compare them by (namespace, local name), not by prefix. */
function resolvedXsiTypes(root: XmlElement): string[] {
  const out: string[] = [];
  const visit = (e: XmlElement, chain: XmlElement[]): void => {
    for (const a of e.attributes) {
      if (a.ns === XSI && a.local === 'type') {
        const colon = a.value.indexOf(':');
        const ns = resolvePrefix(chain, colon < 0 ? '' : a.value.slice(0, colon));
        out.push(`{${ns}}${a.value.slice(colon + 1)}`);
      }
    }
    for (const c of e.children) if ('local' in c) visit(c, [...chain, c]);
  };
  visit(root, [root]);
  return out;
}

function decodeAll(
  schemaId: SchemaId,
  kind: VectorRecord['kind'],
  bytes: Uint8Array,
  facets: FacetPolicy,
): AnyDecoded[] {
  return kind === 'document'
    ? [decodeExiDocument(schemaId, bytes, { facets })]
    : decodeExiFragment(schemaId, bytes, { facets });
}

function encodeAll(
  schemaId: SchemaId,
  kind: VectorRecord['kind'],
  elements: AnyDecoded[],
  facets: FacetPolicy,
): Uint8Array {
  if (kind === 'document') return encodeExiDocument(schemaId, elements[0]!, { facets });
  return encodeExiFragment(schemaId, elements, { facets });
}

export function checkVector(record: VectorRecord): VectorResult {
  const noteSet = new Set<string>();
  const notes: string[] = [];
  const fail = (failure: string): VectorResult => ({
    id: record.id,
    schema: record.schema,
    ok: false,
    failure,
    notes,
  });
  if (!isSchemaId(record.schema)) return fail(`schema set '${record.schema}' is not implemented`);
  const schemaId: SchemaId = record.schema;
  const facets: FacetPolicy = {
    lenient: true,
    warn: (m) => {
      const plain = m.replace(/^\/[^:]*: /, '').replace(/ \(at bit \d+\)$/, '');
      if (!noteSet.has(plain)) {
        noteSet.add(plain);
        notes.push(m);
      }
    },
  };
  const schema = schemaSet(schemaId);
  const bytes = new Uint8Array(Buffer.from(record.exi, 'base64'));
  let decoded: AnyDecoded[];
  try {
    decoded = decodeAll(schemaId, record.kind, bytes, facets);
  } catch (e) {
    return fail(`decode: ${describe(e)}`);
  }
  if (decoded.length !== 1) return fail(`decode: expected one element, found ${decoded.length}`);
  let ours: XmlElement;
  try {
    ours = elementToXml(schema, decoded[0]!, { facets });
  } catch (e) {
    return fail(`XML rendering: ${describe(e)}`);
  }
  if (record.xml) {
    let expected: XmlElement;
    try {
      expected = parseXml(record.xml);
    } catch (e) {
      return fail(`vector XML does not parse: ${describe(e)}`);
    }
    const ignoreXsiType = {
      ignoreAttributes: (a: { ns: string; local: string }) => a.ns === XSI && a.local === 'type',
    };
    const cmp = compareInfoset(expected, ours, ignoreXsiType);
    if (!cmp.equal) return fail(`XML differs at ${cmp.path}: ${cmp.reason}`);
    const a = resolvedXsiTypes(expected).join(' ');
    // Our tree carries no namespace declarations: write and read it back to resolve its QNames.
    const b = resolvedXsiTypes(
      parseXml(serializeXml(ours, { prefixes: PREFERRED_PREFIXES, declareAllPrefixes: true })),
    ).join(' ');
    if (a !== b) return fail(`xsi:type differs: expected ${a}, got ${b}`);
  }
  let reencoded: Uint8Array;
  try {
    reencoded = encodeAll(schemaId, record.kind, decoded, facets);
  } catch (e) {
    return fail(`re-encode: ${describe(e)}`);
  }
  if ((record.roundTrip ?? 'exact') === 'exact') {
    if (!Buffer.from(reencoded).equals(Buffer.from(bytes))) {
      const at = Buffer.from(reencoded).findIndex((b, i) => b !== bytes[i]);
      return fail(
        `re-encoding differs from the stream (first difference at byte ${at < 0 ? Math.min(reencoded.length, bytes.length) : at}; ${reencoded.length} vs ${bytes.length} bytes)`,
      );
    }
  } else {
    try {
      const again = decodeAll(schemaId, record.kind, reencoded, facets);
      const cmp = compareInfoset(ours, elementToXml(schema, again[0]!, { facets }));
      if (!cmp.equal)
        return fail(`re-encoded stream decodes to another infoset at ${cmp.path}: ${cmp.reason}`);
    } catch (e) {
      return fail(`re-encoded stream does not decode: ${describe(e)}`);
    }
  }
  if (record.signature) {
    const sig = record.signature;
    const certificates = (sig.signerCertificates ?? []).map((c) => new Uint8Array(Buffer.from(c, 'base64')));
    let report: ReturnType<typeof verifyV2gMessage>;
    try {
      report = verifyV2gMessage(decoded[0]!, certificates.length > 0 ? { certificates } : {});
    } catch (e) {
      return fail(`signature: ${describe(e)}`);
    }
    for (const [uri, expected] of Object.entries(sig.references)) {
      const got = report.references.find((r) => r.uri === uri);
      if (!got) return fail(`signature: reference ${uri} not reported`);
      if (got.status !== expected)
        return fail(`signature: reference ${uri} is ${got.status}, expected ${expected}`);
    }
    if (sig.signatureValid === true && report.signature !== 'valid')
      return fail(`signature: ${report.signature}, expected valid`);
  }
  return { id: record.id, schema: record.schema, ok: true, notes };
}

export interface CheckSummary {
  readonly results: readonly VectorResult[];
  readonly passed: number;
  readonly failed: number;
  readonly bySchema: ReadonlyMap<string, { passed: number; failed: number }>;
}

export function parseVectorLines(text: string, source: string): VectorRecord[] {
  const out: VectorRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let record: VectorRecord;
    try {
      record = JSON.parse(line) as VectorRecord;
    } catch {
      throw new Error(`${source}:${i + 1}: not a JSON object`);
    }
    if (
      typeof record.id !== 'string' ||
      typeof record.schema !== 'string' ||
      typeof record.exi !== 'string'
    ) {
      throw new Error(`${source}:${i + 1}: a vector needs id, schema and exi`);
    }
    out.push(record);
  });
  return out;
}

export function checkVectors(records: readonly VectorRecord[]): CheckSummary {
  const results = records.map(checkVector);
  const bySchema = new Map<string, { passed: number; failed: number }>();
  for (const r of results) {
    const s = bySchema.get(r.schema) ?? { passed: 0, failed: 0 };
    if (r.ok) s.passed++;
    else s.failed++;
    bySchema.set(r.schema, s);
  }
  const passed = results.filter((r) => r.ok).length;
  return { results, passed, failed: results.length - passed, bySchema };
}
