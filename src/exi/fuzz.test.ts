/**
 * Fuzz tests of the EXI decoder: whatever the bytes, decoding returns a model or throws a CodecError
 * (codec-error.ts) whose bitPosition lies in the input and whose message is not empty — never a
 * TypeError / RangeError, never a hang (every event consumes at least one bit, so the work is
 * bounded by the input), and nothing allocated out of proportion to the input.
 *
 * (a) ≥ 30 000 mutations of the real streams of the shared vector set (bit flips, octet insertions
 *     and deletions, truncations, 0xff runs that inflate Unsigned Integer lengths, duplicated slices);
 *     a stream that still decodes must re-encode (or be refused with a CodecError) to bytes that
 *     decode to the same model;
 * (b) random octet strings with and without the 0x80 header;
 * (c) hostile streams built bit by bit, each with its exact expected reason.
 *
 * Seeds are fixed per property (src/exi/testing/seed.ts; PNC_FC_SEED overrides the base). No
 * assertion depends on timing; the test timeouts only turn a hang into a failure.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import {
  type AnyDecoded,
  type CodecError,
  type DecodeOptions,
  decodeExiDocument,
  decodeExiFragment,
  type EncodeElement,
  encodeExiDocument,
  encodeExiFragment,
  isCodecError,
  NS,
  schemaSet,
} from './codec.ts';
import { BitWriter } from './runtime/bit-writer.ts';
import type { RtSchema, RtType } from './runtime/grammar.ts';
import { ELEMENT_FRAGMENT_GRAMMAR, EV_SE } from './runtime/table.ts';
import { arbitraryMessage } from './testing/arbitrary.ts';
import { runParams } from './testing/seed.ts';
import { type ExiVector, loadExiVectors, SKIP_MESSAGE } from './testing/vectors.ts';

// Every schema set that has public vectors (ISO 15118-20 WPT and ACDP have none).
const SCHEMAS = {
  'iso-2': schemaSet('iso-2'),
  sap: schemaSet('sap'),
  xmldsig: schemaSet('xmldsig'),
  din: schemaSet('din'),
  'iso-20-common': schemaSet('iso-20-common'),
  'iso-20-ac': schemaSet('iso-20-ac'),
  'iso-20-dc': schemaSet('iso-20-dc'),
} as const;
type SchemaId = keyof typeof SCHEMAS;
type Kind = 'document' | 'fragment';

const iso2 = SCHEMAS['iso-2'];
const sap = SCHEMAS.sap;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const short = (b: Uint8Array): string =>
  b.length <= 64 ? hex(b) : `${hex(b.subarray(0, 64))}… (${b.length} octets)`;

function decode(schema: RtSchema, kind: Kind, bytes: Uint8Array, options?: DecodeOptions): AnyDecoded[] {
  return kind === 'document'
    ? [decodeExiDocument(schema, bytes, options)]
    : decodeExiFragment(schema, bytes, options);
}

function encode(schema: RtSchema, kind: Kind, elements: AnyDecoded[]): Uint8Array {
  return kind === 'document'
    ? encodeExiDocument(schema, elements[0] as EncodeElement)
    : encodeExiFragment(schema, elements as EncodeElement[]);
}

/** Statistics of one fuzz run, reported as test diagnostics. */
class Stats {
  cases = 0;
  decoded = 0;
  readonly reasons = new Map<string, number>();
  /** Decodable streams whose model the encoder refused, by reason (known model limitations). */
  readonly reencodeRefused = new Map<string, number>();
  count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
  summary(): string {
    const fmt = (m: Map<string, number>): string =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
    return `${this.cases} cases, ${this.decoded} decoded; errors: ${fmt(this.reasons)}; re-encode refused: ${fmt(this.reencodeRefused) || 'none'}`;
  }
}

/** The checks every decode of hostile bytes must pass; returns the CodecError, if any. */
function checkError(e: unknown, bytes: Uint8Array, where: string): CodecError {
  if (!isCodecError(e)) {
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new Error(`${where}: decode threw ${what} (not a CodecError) for ${short(bytes)}`, { cause: e });
  }
  assert.ok(
    Number.isInteger(e.bitPosition) && e.bitPosition >= 0 && e.bitPosition <= bytes.length * 8,
    `${where}: bitPosition ${e.bitPosition} outside the input (${bytes.length} octets): ${e.message}`,
  );
  assert.ok(e.message.length > 0, `${where}: empty message`);
  return e;
}

/**
 * Decodes hostile bytes. A CodecError is fine; a stream that decodes must re-encode (the encoder
 * accepts every model the decoder produces) to a stream that
 * decodes to the same model.
 */
function fuzzDecode(schema: RtSchema, kind: Kind, bytes: Uint8Array, stats: Stats, where: string): void {
  stats.cases++;
  let model: AnyDecoded[];
  try {
    model = decode(schema, kind, bytes);
  } catch (e) {
    stats.count(stats.reasons, checkError(e, bytes, where).reason);
    return;
  }
  stats.decoded++;
  let again: Uint8Array;
  try {
    again = encode(schema, kind, model);
  } catch (e) {
    if (!isCodecError(e)) {
      throw new Error(`${where}: re-encoding a decoded model threw ${String(e)}; input ${short(bytes)}`, {
        cause: e,
      });
    }
    assert.fail(`${where}: the encoder refused a decoded model (${e.message}); input ${short(bytes)}`);
  }
  assert.deepStrictEqual(
    decode(schema, kind, again),
    model,
    `${where}: re-encoded model differs; input ${short(bytes)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Mutations

type Mutation =
  | { readonly op: 'flip'; readonly pos: number; readonly bit: number }
  | { readonly op: 'set'; readonly pos: number; readonly value: number }
  | { readonly op: 'insert'; readonly pos: number; readonly octets: Uint8Array }
  | { readonly op: 'delete'; readonly pos: number; readonly len: number }
  | { readonly op: 'truncate'; readonly pos: number }
  | { readonly op: 'ff'; readonly pos: number; readonly len: number }
  | { readonly op: 'dup'; readonly pos: number; readonly len: number };

const pos = fc.nat();
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(pos, fc.integer({ min: 0, max: 7 }))
      .map(([p, bit]) => ({ op: 'flip' as const, pos: p, bit })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(pos, fc.integer({ min: 0, max: 255 }))
      .map(([p, value]) => ({ op: 'set' as const, pos: p, value })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(pos, fc.uint8Array({ minLength: 1, maxLength: 8 }))
      .map(([p, octets]) => ({ op: 'insert' as const, pos: p, octets })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(pos, fc.integer({ min: 1, max: 8 }))
      .map(([p, len]) => ({ op: 'delete' as const, pos: p, len })),
  },
  { weight: 1, arbitrary: pos.map((p) => ({ op: 'truncate' as const, pos: p })) },
  // Runs of 0xff: continuation bits everywhere, i.e. huge (or over-long) Unsigned Integer lengths.
  {
    weight: 2,
    arbitrary: fc
      .tuple(pos, fc.integer({ min: 1, max: 12 }))
      .map(([p, len]) => ({ op: 'ff' as const, pos: p, len })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(pos, fc.integer({ min: 1, max: 32 }))
      .map(([p, len]) => ({ op: 'dup' as const, pos: p, len })),
  },
);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Applies mutations to a copy; positions are taken modulo the length and spare the header octet. */
function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b: Uint8Array = input.slice();
  for (const m of mutations) {
    const at = b.length <= 1 ? b.length : 1 + (m.pos % (b.length - 1));
    switch (m.op) {
      case 'flip':
        if (at < b.length) b[at] ^= 1 << m.bit;
        break;
      case 'set':
        if (at < b.length) b[at] = m.value;
        break;
      case 'insert':
        b = concat(b.subarray(0, at), m.octets, b.subarray(at));
        break;
      case 'delete':
        b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + m.len)));
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'ff':
        b.fill(0xff, at, Math.min(b.length, at + m.len));
        break;
      case 'dup': {
        const end = Math.min(b.length, at + m.len);
        b = concat(b.subarray(0, end), b.subarray(at, end), b.subarray(end));
        break;
      }
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------

const VECTORS: { schema: SchemaId; vectors: ExiVector[] }[] | undefined = (() => {
  const out: { schema: SchemaId; vectors: ExiVector[] }[] = [];
  for (const id of Object.keys(SCHEMAS) as SchemaId[]) {
    const v = loadExiVectors(id);
    if (v === undefined) return undefined;
    out.push({ schema: id, vectors: v });
  }
  return out;
})();

const kindOf = (v: ExiVector): Kind => (v.kind === 'document' ? 'document' : 'fragment');

const MIN_MUTATION_CASES = 30_000;

describe('(a) mutated real streams', { skip: VECTORS === undefined ? SKIP_MESSAGE : false }, () => {
  const all = VECTORS ?? [];
  const total = all.reduce((n, s) => n + s.vectors.length, 0);
  const perVector = Math.max(20, Math.ceil(MIN_MUTATION_CASES / Math.max(1, total)));
  let cases = 0;

  for (const { schema: id, vectors } of all) {
    test(`${id}: ${vectors.length} vectors × ${perVector} mutations`, { timeout: 300_000 }, (t) => {
      const schema = SCHEMAS[id];
      const stats = new Stats();
      for (const v of vectors) {
        // The unmutated stream decodes (lenient facets for the one vector with a placeholder eMAID).
        decode(schema, kindOf(v), v.exi, { facets: { lenient: true } });
        fc.assert(
          fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) =>
            fuzzDecode(schema, kindOf(v), mutate(v.exi, ms), stats, `${v.id} ${JSON.stringify(ms)}`),
          ),
          runParams(`mutate ${v.id}`, perVector),
        );
      }
      cases += stats.cases;
      t.diagnostic(stats.summary());
    });
  }

  test(`at least ${MIN_MUTATION_CASES} mutated streams were decoded`, () => {
    assert.ok(cases >= MIN_MUTATION_CASES, `only ${cases}`);
  });

  test('every proper prefix of a real stream is truncated', (t) => {
    let n = 0;
    for (const { schema: id, vectors } of all) {
      for (const v of vectors) {
        const len = v.exi.length;
        const cuts = new Set([1, 2, 3, len >> 1, len - 2, len - 1].filter((c) => c >= 1 && c < len));
        for (const cut of cuts) {
          const bytes = v.exi.subarray(0, cut);
          let error: CodecError | undefined;
          try {
            decode(SCHEMAS[id], kindOf(v), bytes, { facets: { lenient: true } });
          } catch (e) {
            error = checkError(e, bytes, v.id);
          }
          assert.equal(error?.reason, 'truncated', `${v.id} cut at ${cut}: ${error?.message ?? 'decoded'}`);
          n++;
        }
      }
    }
    t.diagnostic(`${n} prefixes`);
  });
});

describe('(b) random octet strings', () => {
  for (const id of Object.keys(SCHEMAS) as SchemaId[]) {
    for (const kind of ['document', 'fragment'] as const) {
      test(`${id} ${kind}`, { timeout: 120_000 }, (t) => {
        const schema = SCHEMAS[id];
        const stats = new Stats();
        const body = fc.oneof(fc.uint8Array({ maxLength: 16 }), fc.uint8Array({ maxLength: 400 }));
        // With the 0x80 header (reaches the grammars) …
        fc.assert(
          fc.property(body, (b) => {
            const bytes = new Uint8Array(b.length + 1);
            bytes[0] = 0x80;
            bytes.set(b, 1);
            fuzzDecode(schema, kind, bytes, stats, `${id} ${kind} 80${hex(b)}`);
          }),
          runParams(`random ${id} ${kind} with header`, 1500),
        );
        // … and without (any first octet).
        fc.assert(
          fc.property(body, (bytes) => fuzzDecode(schema, kind, bytes, stats, `${id} ${kind} ${hex(bytes)}`)),
          runParams(`random ${id} ${kind}`, 300),
        );
        t.diagnostic(stats.summary());
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// (c) Hostile streams built bit by bit

/** Expects decoding to fail with exactly `reason`; returns the error. */
function expectReason(
  schema: RtSchema,
  kind: Kind,
  bytes: Uint8Array,
  reason: string,
  options?: DecodeOptions,
): CodecError {
  let error: CodecError | undefined;
  try {
    decode(schema, kind, bytes, options);
  } catch (e) {
    error = checkError(e, bytes, reason);
  }
  assert.ok(error, `expected a CodecError '${reason}', but ${short(bytes)} decoded`);
  assert.equal(error.reason, reason, error.message);
  return error;
}

const codeWidth = (n: number): number => Math.ceil(Math.log2(n));

/** Header, then the DocContent event code of a global element (EXI 1.0 §8.5.1). */
function documentStart(schema: RtSchema, local: string): BitWriter {
  const w = new BitWriter(64);
  w.writeHeader();
  const code = schema.table.globalElements.findIndex(([q]) => schema.qnameLocal[q] === local);
  assert.ok(code >= 0, local);
  w.writeBits(code, schema.documentWidth);
  return w;
}

function typeNamed(schema: RtSchema, name: string): RtType {
  const type = schema.types.find((t) => t.name === name);
  assert.ok(type, `no type ${name} in ${schema.table.id}`);
  return type;
}

/** Writes the event code of SE(child) in a state of a type. */
function writeSE(w: BitWriter, schema: RtSchema, typeName: string, state: number, child: string): void {
  const type = typeNamed(schema, typeName);
  const st = type.states[state];
  const arg = type.childIndex.get(child);
  assert.ok(st && arg !== undefined, `${typeName}: no state ${state} or child ${child}`);
  for (let c = 0; c < st.count; c++) {
    if (st.kinds[c] === EV_SE && st.args[c] === arg) {
      w.writeBits(c, st.width);
      return;
    }
  }
  throw new Error(`${typeName} state ${state} has no SE(${child})`);
}

/** supportedAppProtocolReq / AppProtocol / ProtocolNamespace, up to the string value. */
function sapUpToProtocolNamespace(): BitWriter {
  const w = documentStart(sap, 'supportedAppProtocolReq');
  writeSE(w, sap, 'supportedAppProtocolReqType', 0, 'AppProtocol');
  writeSE(w, sap, 'AppProtocolType', 0, 'ProtocolNamespace');
  w.writeBits(0, 1); // simple type grammar: CH
  return w;
}

/** V2G_Message / Header / SessionID, up to the binary value. */
function iso2UpToSessionID(): BitWriter {
  const w = documentStart(iso2, 'V2G_Message');
  writeSE(w, iso2, 'V2G_MessageType', 0, 'Header');
  writeSE(w, iso2, 'MessageHeaderType', 0, 'SessionID');
  w.writeBits(0, 1); // CH
  return w;
}

/**
 * An iso-2 fragment of `levels` (≥ 2) nested SE(*) elements {""}d, then their EEs (EXI 1.0 §8.5.2
 * SE(*), then built-in element grammars, §8.4.3). All the d elements share one built-in grammar
 * (§8.4.1: created once per qname), which learns as it goes:
 * - the first d matches SE(*) (StartTagContent 0.2, nothing learned yet) and learns SE(d);
 * - every deeper start tag then codes SE(d) as 0 of [SE(d), escape]: 1 bit, no qname;
 * - the innermost d ends with the escape (1) and EE 0.0, learning EE;
 * - the others end in ElementContent: EE is 0 of [EE, escape], 1 bit.
 * ISO 15118-2's schema-informed grammars are not recursive (nesting ≤ 9 types deep, checked
 * below), so wildcard content is the only way to nest deeply.
 */
function nestedWildcards(levels: number): Uint8Array {
  const t = iso2.table;
  const w = new BitWriter(1024);
  w.writeHeader();
  const uriWidth = codeWidth(t.uris.length + 1);
  const names = t.localNames[0].length;
  w.writeBits(t.fragmentElements.length, iso2.fragmentWidth); // FragmentContent SE(*)
  w.writeBits(1, uriWidth); // URI '' (hit)
  w.writeUnsignedInteger(2); // local-name miss "d"
  w.writeStringCharacters('d');
  w.writeBits(2, 2); // level 1 StartTagContent: escape (0 bits) + SE(*) 0.2 …
  w.writeBits(1, uriWidth);
  w.writeUnsignedInteger(0); // … local-name hit "d"
  w.writeBits(names, codeWidth(names + 1));
  for (let i = 2; i < levels; i++) w.writeBits(0, 1); // learned SE(d)
  w.writeBits(1, 1); // innermost: escape …
  w.writeBits(0, 2); // … EE 0.0
  for (let i = 1; i < levels; i++) w.writeBits(0, 1); // ElementContent: EE
  w.writeBits(t.fragmentElements.length + 1, iso2.fragmentWidth); // ED
  return w.finish();
}

describe('(c) hostile streams with their exact reasons', () => {
  test('empty input: truncated (or header)', () => {
    for (const schema of Object.values(SCHEMAS)) {
      for (const kind of ['document', 'fragment'] as const) {
        const e = expectReason(schema, kind, new Uint8Array(0), 'truncated');
        assert.equal(e.bitPosition, 0);
      }
    }
  });

  test("header other than the single octet 0x80 (0x81, 0x00, 0xa0, '$EXI'): header", () => {
    const exi = new Uint8Array([0x24, 0x45, 0x58, 0x49, 0x80, 0x00]); // "$EXI" cookie, EXI 1.0 §5.1
    for (const bytes of [[0x81], [0x81, 0x00], [0x00], [0x00, 0x80], [0xa0, 0x00], [0xc0], [...exi]]) {
      for (const kind of ['document', 'fragment'] as const) {
        const e = expectReason(iso2, kind, new Uint8Array(bytes), 'header');
        assert.equal(e.bitPosition, 0);
      }
    }
  });

  test('a string length of 2^40: truncated, before anything is allocated', () => {
    const w = sapUpToProtocolNamespace();
    w.writeUnsignedInteger(2 ** 40 + 2); // string-table miss: length + 2 (EXI 1.0 §7.3.3)
    w.writeStringCharacters('urn:iso:15118:2:2013:MsgDef');
    const bytes = w.finish();
    const before = process.memoryUsage().arrayBuffers;
    expectReason(sap, 'document', bytes, 'truncated');
    expectReason(sap, 'document', bytes, 'truncated', { maxStringLength: Number.MAX_SAFE_INTEGER });
    assert.ok(process.memoryUsage().arrayBuffers - before < 1 << 20, 'no large buffer was allocated');
  });

  test('a string longer than maxStringLength, all of it present: limit', () => {
    const w = sapUpToProtocolNamespace();
    w.writeUnsignedInteger(1002);
    w.writeStringCharacters('a'.repeat(1000));
    const e = expectReason(sap, 'document', w.finish(), 'limit', { maxStringLength: 999 });
    assert.ok(e.bitPosition > 8);
  });

  test('a binary length of 2^40: truncated; one beyond maxBinaryLength: limit', () => {
    const w = iso2UpToSessionID();
    w.writeUnsignedInteger(2 ** 40);
    w.writeBits(0, 32);
    expectReason(iso2, 'document', w.finish(), 'truncated');
    const w2 = iso2UpToSessionID();
    w2.writeBinary(new Uint8Array(100));
    w2.writeBits(0, 8);
    expectReason(iso2, 'document', w2.finish(), 'limit', { maxBinaryLength: 99 });
  });

  test('an Unsigned Integer of 11 octets: malformed; one beyond 2^53: value-out-of-range', () => {
    const w = sapUpToProtocolNamespace();
    for (let i = 0; i < 10; i++) w.writeBits(0x80, 8); // over-long zero with 11 octets
    w.writeBits(0x00, 8);
    expectReason(sap, 'document', w.finish(), 'malformed');
    const w2 = sapUpToProtocolNamespace();
    w2.writeUnsignedInteger(2n ** 60n);
    w2.writeBits(0, 32);
    expectReason(sap, 'document', w2.finish(), 'value-out-of-range');
  });

  test('the schema-informed grammars are not recursive (ISO 15118-2 nests at most 9 types deep)', () => {
    for (const [id, schema] of Object.entries(SCHEMAS)) {
      const state = new Int8Array(schema.types.length);
      const depth = new Int32Array(schema.types.length);
      const visit = (i: number): number => {
        assert.notEqual(state[i], 1, `${id}: ${schema.types[i].name} is recursive`);
        if (state[i] === 2) return depth[i];
        state[i] = 1;
        let d = 0;
        for (const c of schema.types[i].childTypes) if (c >= 0) d = Math.max(d, visit(c));
        state[i] = 2;
        depth[i] = d + 1;
        return d + 1;
      };
      let max = 0;
      for (let i = 0; i < schema.types.length; i++) max = Math.max(max, visit(i));
      assert.ok(max <= 9, `${id}: ${max}`);
    }
  });

  test('10 000 nested wildcard elements: limit at maxDepth (default 48)', () => {
    const bytes = nestedWildcards(10_000);
    const e = expectReason(iso2, 'fragment', bytes, 'limit');
    assert.match(e.message, /nesting deeper than 48/);
    // 48 levels are fine, 49 are not.
    assert.equal(decodeExiFragment(iso2, nestedWildcards(48)).length, 1);
    expectReason(iso2, 'fragment', nestedWildcards(49), 'limit');
    expectReason(iso2, 'fragment', bytes, 'limit', { maxDepth: 1000 });
  });

  test('10 000 nested wildcard elements with a permissive maxDepth: still only a CodecError', () => {
    // Was: RangeError (Maximum call stack size exceeded) — the interpreter recurses once per level
    // and maxDepth was taken as given.
    expectReason(iso2, 'fragment', nestedWildcards(10_000), 'limit', { maxDepth: 100_000 });
  });

  test('maxDepth below the nesting of a real message: limit', () => {
    const [message] = fc.sample(
      arbitraryMessage('iso-2', 'CurrentDemandReq', { depth: 0, signatureRate: 0 }),
      runParams('maxDepth', 1),
    );
    assert.ok(message);
    const bytes = encodeExiDocument(iso2, message);
    // V2G_Message / Body / CurrentDemandReq / DC_EVStatus / EVReady: 5 levels.
    assert.ok(decodeExiDocument(iso2, bytes, { maxDepth: 5 }));
    const e = expectReason(iso2, 'document', bytes, 'limit', { maxDepth: 4 });
    assert.ok(e.bitPosition > 8);
    expectReason(iso2, 'document', bytes, 'limit', { maxDepth: 1 });
    expectReason(iso2, 'document', bytes, 'limit', { maxElements: 3 });
  });

  test('second-level (undeclared) event codes: undeclared', () => {
    // V2G_Message state 0 has one production, SE(Header): code 1 of 1 bit is the escape (EXI 1.0 §8.5.4.4).
    const w = documentStart(iso2, 'V2G_Message');
    w.writeBits(1, 1);
    const e = expectReason(iso2, 'document', w.finish(), 'undeclared');
    assert.equal(e.bitPosition, 8 + iso2.documentWidth);
    // Simple type grammar: CH is 0, 1 is the escape.
    const w2 = documentStart(iso2, 'V2G_Message');
    writeSE(w2, iso2, 'V2G_MessageType', 0, 'Header');
    writeSE(w2, iso2, 'MessageHeaderType', 0, 'SessionID');
    w2.writeBits(1, 1);
    expectReason(iso2, 'document', w2.finish(), 'undeclared');
    // SAP Res, EE after ResponseCode is allowed, escape is not.
    const w3 = documentStart(sap, 'supportedAppProtocolRes');
    writeSE(w3, sap, 'supportedAppProtocolResType', 0, 'ResponseCode');
    w3.writeBits(0, 1);
    w3.writeBits(0, 2);
    w3.writeBits(0, 1);
    w3.writeBits(3, 2); // state 1: SE(SchemaID) 0, EE 1, escape 2; 3 is not even that
    expectReason(sap, 'document', w3.finish(), 'undeclared');
  });

  test('DocContent / FragmentContent event code beyond SE(*) / ED: event-code', () => {
    const w = new BitWriter(8);
    w.writeHeader();
    w.writeBits(sap.table.globalElements.length + 1, sap.documentWidth); // SAP: 2 globals, SE(*) = 2, 3 is invalid
    expectReason(sap, 'document', w.finish(), 'event-code');
    const xmldsig = SCHEMAS.xmldsig;
    const w2 = new BitWriter(8);
    w2.writeHeader();
    w2.writeBits(xmldsig.table.fragmentElements.length + 2, xmldsig.fragmentWidth);
    expectReason(xmldsig, 'fragment', w2.finish(), 'event-code');
  });

  test('enumeration index beyond the values: value-out-of-range', () => {
    // supportedAppProtocolRes/ResponseCode: 3 values in 2 bits; index 3 does not exist.
    const w = documentStart(sap, 'supportedAppProtocolRes');
    writeSE(w, sap, 'supportedAppProtocolResType', 0, 'ResponseCode');
    w.writeBits(0, 1); // CH
    w.writeBits(3, 2);
    const e = expectReason(sap, 'document', w.finish(), 'value-out-of-range');
    assert.equal(e.bitPosition, 8 + sap.documentWidth + 1 + 1);
    // iso-2 ResponseCode: 26 values in 5 bits.
    const w2 = documentStart(iso2, 'V2G_Message');
    writeSE(w2, iso2, 'V2G_MessageType', 0, 'Header');
    writeSE(w2, iso2, 'MessageHeaderType', 0, 'SessionID');
    w2.writeBits(0, 1);
    w2.writeBinary(new Uint8Array([1]));
    w2.writeBits(0, 1);
    const header = typeNamed(iso2, 'MessageHeaderType');
    w2.writeBits(header.states[1].eeCode, header.states[1].width);
    writeSE(w2, iso2, 'V2G_MessageType', 1, 'Body');
    writeSE(w2, iso2, 'BodyType', 0, 'SessionStopRes');
    writeSE(w2, iso2, 'SessionStopResType', 0, 'ResponseCode');
    w2.writeBits(0, 1);
    w2.writeBits(31, 5);
    expectReason(iso2, 'document', w2.finish(), 'value-out-of-range');
  });

  test('n-bit value beyond its facet: value-out-of-range', () => {
    // AppProtocol/Priority: 1..20 in 5 bits; 31 maps to 32.
    const w = sapUpToProtocolNamespace();
    w.writeLiteralString('urn:x');
    w.writeBits(0, 1); // EE
    for (const [child, value] of [
      ['VersionNumberMajor', 1],
      ['VersionNumberMinor', 0],
      ['SchemaID', 1],
    ] as const) {
      const state = ['VersionNumberMajor', 'VersionNumberMinor', 'SchemaID'].indexOf(child) + 1;
      writeSE(w, sap, 'AppProtocolType', state, child);
      w.writeBits(0, 1);
      if (child === 'SchemaID') w.writeBits(value, 8);
      else w.writeUnsignedInteger(value);
      w.writeBits(0, 1);
    }
    writeSE(w, sap, 'AppProtocolType', 4, 'Priority');
    w.writeBits(0, 1);
    w.writeBits(31, 5);
    expectReason(sap, 'document', w.finish(), 'value-out-of-range');
  });

  test('octets after the end of the document: malformed', () => {
    const [message] = fc.sample(
      arbitraryMessage('iso-2', 'SessionStopReq', { signatureRate: 0 }),
      runParams('trailing', 1),
    );
    assert.ok(message);
    const bytes = encodeExiDocument(iso2, message);
    for (const tail of [[0x00], [0xff], [0x00, 0x00, 0x00]]) {
      const e = expectReason(iso2, 'document', new Uint8Array([...bytes, ...tail]), 'malformed');
      // Reported where the document ended: inside (or at the end of) its last octet.
      assert.ok(e.bitPosition > (bytes.length - 1) * 8 && e.bitPosition <= bytes.length * 8, e.message);
    }
    const fragment = encodeExiFragment(iso2, [
      { name: { ns: NS.iso2MsgBody, local: 'SessionStopReq' }, value: { ChargingSession: 'Pause' } },
    ]);
    expectReason(iso2, 'fragment', new Uint8Array([...fragment, 0]), 'malformed');
  });

  test('element fragment grammar: undeclared AT(*) / SE(*) and codes beyond the grammar', () => {
    const t = iso2.table;
    const emaid = t.fragmentElements.findIndex(([, ref]) => ref === ELEMENT_FRAGMENT_GRAMMAR);
    const nA = t.fragmentAttributes.length;
    const nF = t.fragmentElements.length;
    const start = (): BitWriter => {
      const w = new BitWriter(16);
      w.writeHeader();
      w.writeBits(emaid, iso2.fragmentWidth);
      return w;
    };
    const atAny = start();
    atAny.writeBits(nA, iso2.elementFragmentStartWidth);
    expectReason(iso2, 'fragment', atAny.finish(), 'undeclared');
    const seAny = start();
    seAny.writeBits(nA + 1 + nF, iso2.elementFragmentStartWidth);
    expectReason(iso2, 'fragment', seAny.finish(), 'undeclared');
    const beyond = start();
    beyond.writeBits(2 ** iso2.elementFragmentStartWidth - 1, iso2.elementFragmentStartWidth);
    beyond.writeBits(0, 16);
    expectReason(iso2, 'fragment', beyond.finish(), 'event-code');
  });
});

// ---------------------------------------------------------------------------------------------
// Memory

/** global.gc, enabled at run time when the process was not started with --expose-gc. */
const gc: (() => void) | undefined = (() => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();

const settle = async (): Promise<void> => {
  // Off-heap ArrayBuffers are freed by a concurrent sweeper: collect twice, yielding in between.
  for (let i = 0; i < 2; i++) {
    gc?.();
    await new Promise((r) => setImmediate(r));
  }
};

/**
 * Heap and off-heap bytes allocated by fn: `allocated` before collecting (includes the garbage
 * not yet collected, so crude), `retained` after (what the result keeps alive).
 */
async function allocatedBy(fn: () => unknown): Promise<{ allocated: number; retained: number }> {
  await settle();
  const m0 = process.memoryUsage();
  const base = m0.heapUsed + m0.external;
  let keep: unknown = fn();
  const m1 = process.memoryUsage();
  const allocated = m1.heapUsed + m1.external - base;
  await settle();
  const m2 = process.memoryUsage();
  const retained = m2.heapUsed + m2.external - base;
  assert.ok(keep !== null);
  keep = undefined;
  return { allocated, retained };
}

describe('memory is bounded by the input', {
  skip: gc === undefined ? 'no way to run the garbage collector' : false,
}, () => {
  const MB = 1 << 20;
  // Crude bound: a few times the input plus fixed overhead; no timing involved.
  const bound = (input: number): number => 4 * input + 4 * MB;

  test('1 MB of random octets (with and without header)', async (t) => {
    const random = new Uint8Array(MB);
    // Deterministic filler (xorshift32): reproducible without a large fast-check sample.
    let x = 0x15118;
    for (let i = 0; i < random.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      random[i] = x & 0xff;
    }
    random[0] = 0x80;
    for (const [id, schema] of Object.entries(SCHEMAS)) {
      for (const kind of ['document', 'fragment'] as const) {
        const m = await allocatedBy(() => {
          try {
            return decode(schema, kind, random);
          } catch (e) {
            return checkError(e, random, `${id} ${kind}`);
          }
        });
        t.diagnostic(`${id} ${kind}: allocated ${m.allocated} retained ${m.retained}`);
        assert.ok(m.allocated < bound(random.length), `${id} ${kind}: ${m.allocated} bytes for 1 MB`);
      }
    }
  });

  test('1 MB valid streams: one large binary, many long strings', async (t) => {
    const cert = encodeExiFragment(iso2, [
      { name: { ns: NS.xmldsig, local: 'X509Certificate' }, value: new Uint8Array(MB - 64).fill(0x5a) },
    ]);
    const names = encodeExiFragment(
      iso2,
      Array.from({ length: 16 }, (_, i) => ({
        name: { ns: NS.xmldsig, local: 'X509SubjectName' },
        value: `CN=${String(i).padStart(2, '0')}${'x'.repeat(65_000)}`,
      })),
    );
    for (const [what, bytes] of [
      ['binary', cert],
      ['strings', names],
    ] as const) {
      const m = await allocatedBy(() => decodeExiFragment(iso2, bytes));
      t.diagnostic(`${what} (${bytes.length} octets): allocated ${m.allocated} retained ${m.retained}`);
      // The model itself (UTF-16 strings: 2 octets per ASCII character) stays within a few times
      // the input; transient garbage is bounded more loosely (a string decode also takes a UTF-16
      // scratch buffer of 4 octets per code point, not kept above 64 KiB).
      assert.ok(
        m.retained < bound(bytes.length),
        `${what}: ${m.retained} bytes retained for ${bytes.length}`,
      );
      assert.ok(
        m.allocated < 16 * bytes.length,
        `${what}: ${m.allocated} bytes allocated for ${bytes.length}`,
      );
    }
  });
});
