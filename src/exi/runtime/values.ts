// Typed values (EXI 1.0 §7.1) with the facet checks of their schema type, and the string table
// (EXI 1.0 §7.3) that string values and qnames go through.
import type { BitReader } from './bit-reader.ts';
import { type BitWriter, codePointCount } from './bit-writer.ts';
import { CodecError } from './codec-error.ts';
import { codeWidth } from './grammar.ts';
import type { SimpleTypeSpec } from './table.ts';

export type SimpleValue = string | boolean | number | bigint | Uint8Array;

/**
 * Decoder-side string table. V2G encoders write every string as a miss (ISO 15118-2 [V2G2-099],
 * RISE-V2G value-partition capacity 0), but an EXIficient stream with default options may contain
 * hits, so the decoder keeps the partitions (EXI 1.0 §7.3.3): every miss is added to the global
 * partition and to the local partition of its qname; a global hit is not added to the local one.
 */
export class StringTable {
  private readonly global: string[] = [];
  private readonly local = new Map<number, string[]>();
  readonly uris: string[];
  readonly localNames: string[][];

  constructor(uris: readonly string[], localNames: readonly (readonly string[])[]) {
    this.uris = [...uris];
    this.localNames = localNames.map((l) => [...l]);
  }

  readValue(reader: BitReader, qname: number): string {
    const start = reader.bitPosition;
    const n = reader.readUnsignedInteger();
    if (n === 0) {
      const part = this.local.get(qname);
      if (!part || part.length === 0)
        throw new CodecError('malformed', 'local value hit with an empty local partition', start);
      const i = reader.readBits(codeWidth(part.length));
      if (i >= part.length)
        throw new CodecError('malformed', `local value hit ${i} beyond partition size ${part.length}`, start);
      return part[i]!;
    }
    if (n === 1) {
      if (this.global.length === 0)
        throw new CodecError('malformed', 'global value hit with an empty global partition', start);
      const i = reader.readBits(codeWidth(this.global.length));
      if (i >= this.global.length)
        throw new CodecError(
          'malformed',
          `global value hit ${i} beyond partition size ${this.global.length}`,
          start,
        );
      return this.global[i]!;
    }
    const value = reader.readStringCharacters(n - 2);
    if (value.length > 0) {
      this.global.push(value);
      const part = this.local.get(qname);
      if (part) part.push(value);
      else this.local.set(qname, [value]);
    }
    return value;
  }

  /** URI of a qname (EXI 1.0 §7.1.7): n-bit index+1, or 0 then a string miss. */
  readUri(reader: BitReader): number {
    const start = reader.bitPosition;
    const code = reader.readBits(codeWidth(this.uris.length + 1));
    if (code === 0) {
      const uri = reader.readStringCharacters(reader.readUnsignedInteger());
      this.uris.push(uri);
      this.localNames.push([]);
      return this.uris.length - 1;
    }
    if (code - 1 >= this.uris.length)
      throw new CodecError('malformed', `URI hit ${code - 1} beyond partition size`, start);
    return code - 1;
  }

  /** Local name of a qname (EXI 1.0 §7.1.7): 0 then an n-bit hit, or length+1 then characters. */
  readLocalName(reader: BitReader, uri: number): string {
    const start = reader.bitPosition;
    const part = this.localNames[uri]!;
    const n = reader.readUnsignedInteger();
    if (n === 0) {
      const i = reader.readBits(codeWidth(part.length));
      if (i >= part.length)
        throw new CodecError('malformed', `local-name hit ${i} beyond partition size`, start);
      return part[i]!;
    }
    const name = reader.readStringCharacters(n - 1);
    part.push(name);
    return name;
  }
}

/** Encoder-side counterpart for qnames (URIs and local names are still indexed on encode). */
export class EncoderNames {
  readonly uris: string[];
  readonly localNames: string[][];
  /** Undo log of additions, so an encoder can rewind to an earlier point (see encoder.ts). */
  readonly journal: (() => void)[] = [];
  constructor(uris: readonly string[], localNames: readonly (readonly string[])[]) {
    this.uris = [...uris];
    this.localNames = localNames.map((l) => [...l]);
  }

  writeQName(writer: BitWriter, ns: string, local: string): void {
    const uri = this.uris.indexOf(ns);
    const width = codeWidth(this.uris.length + 1);
    let part: string[];
    if (uri < 0) {
      writer.writeBits(0, width);
      writer.writeUnsignedInteger(codePointCount(ns));
      writer.writeStringCharacters(ns);
      this.uris.push(ns);
      this.journal.push(() => this.uris.pop());
      part = [];
      this.localNames.push(part);
      this.journal.push(() => this.localNames.pop());
    } else {
      writer.writeBits(uri + 1, width);
      part = this.localNames[uri]!;
    }
    const hit = part.indexOf(local);
    if (hit >= 0) {
      writer.writeUnsignedInteger(0);
      writer.writeBits(hit, codeWidth(part.length));
    } else {
      writer.writeUnsignedInteger(codePointCount(local) + 1);
      writer.writeStringCharacters(local);
      part.push(local);
      const learnedPart = part;
      this.journal.push(() => learnedPart.pop());
    }
  }
}

function lengthOf(spec: SimpleTypeSpec, value: string | Uint8Array): number {
  return typeof value === 'string' ? codePointCount(value) : value.length;
}

/** Length facets (XML Schema length/minLength/maxLength). */
export function checkLength(spec: SimpleTypeSpec, value: string | Uint8Array): string | undefined {
  const n = lengthOf(spec, value);
  if (spec.length !== undefined && n !== spec.length)
    return `length ${n}, ${spec.name} requires exactly ${spec.length}`;
  if (spec.maxLength !== undefined && n > spec.maxLength)
    return `length ${n} exceeds maxLength ${spec.maxLength} of ${spec.name}`;
  if (spec.minLength !== undefined && n < spec.minLength)
    return `length ${n} is below minLength ${spec.minLength} of ${spec.name}`;
  return undefined;
}

function checkRange(spec: SimpleTypeSpec, value: number | bigint): string | undefined {
  const v = BigInt(value);
  if (spec.min !== undefined && v < BigInt(spec.min)) return `value ${v} is below ${spec.min} (${spec.name})`;
  if (spec.max !== undefined && v > BigInt(spec.max)) return `value ${v} exceeds ${spec.max} (${spec.name})`;
  return undefined;
}

/**
 * How facets that the EXI representation does not itself enforce (string and binary lengths,
 * integer bounds of unbounded representations) are treated. 'strict' (the default everywhere)
 * refuses the value; 'lenient' accepts it and reports it through `warn` — for tools that inspect
 * real-world streams such as Hubject's FAILED example whose placeholder eMAID "0" is shorter than
 * eMAIDType's minLength 14 (docs/spec-decisions.md).
 */
export interface FacetPolicy {
  readonly lenient: boolean;
  readonly warn?: (message: string) => void;
}

export const STRICT_FACETS: FacetPolicy = { lenient: false };

function facetViolation(policy: FacetPolicy, message: string, bitPosition: number): void {
  if (!policy.lenient) throw new CodecError('value-out-of-range', message, bitPosition);
  policy.warn?.(bitPosition >= 0 ? `${message} (at bit ${bitPosition})` : message);
}

export function decodeValue(
  reader: BitReader,
  spec: SimpleTypeSpec,
  strings: StringTable,
  qname: number,
  policy: FacetPolicy = STRICT_FACETS,
): SimpleValue {
  const start = reader.bitPosition;
  switch (spec.kind) {
    case 'string': {
      const s = strings.readValue(reader, qname);
      const bad = checkLength(spec, s);
      if (bad) facetViolation(policy, bad, start);
      return s;
    }
    case 'boolean':
      return reader.readBoolean();
    case 'binary': {
      const b = reader.readBinary();
      const bad = checkLength(spec, b);
      if (bad) facetViolation(policy, bad, start);
      return b;
    }
    case 'nbit': {
      const offset = reader.readBits(spec.width!);
      const v = spec.big ? BigInt(spec.min!) + BigInt(offset) : Number(spec.min!) + offset;
      const bad = checkRange(spec, v);
      if (bad) throw new CodecError('value-out-of-range', bad, start);
      return v;
    }
    case 'unsigned': {
      const v = spec.big ? reader.readUnsignedBigInt() : reader.readUnsignedInteger();
      const bad = checkRange(spec, v);
      if (bad) facetViolation(policy, bad, start);
      return v;
    }
    case 'integer': {
      const v = spec.big ? reader.readBigInteger() : reader.readInteger();
      const bad = checkRange(spec, v);
      if (bad) facetViolation(policy, bad, start);
      return v;
    }
    case 'enum': {
      const i = reader.readBits(spec.width!);
      const values = spec.values!;
      if (i >= values.length)
        throw new CodecError(
          'value-out-of-range',
          `enumeration index ${i} beyond the ${values.length} values of ${spec.name}`,
          start,
        );
      return values[i]!;
    }
  }
}

function mismatch(spec: SimpleTypeSpec, value: unknown, path: string): CodecError {
  const shown =
    typeof value === 'bigint'
      ? `${value}n`
      : typeof value === 'string'
        ? JSON.stringify(value.slice(0, 40))
        : String(value);
  return new CodecError(
    'schema-mismatch',
    `${path}: ${shown} is not a valid ${spec.name} (${spec.kind})`,
    -1,
  );
}

export function encodeValue(
  writer: BitWriter,
  spec: SimpleTypeSpec,
  value: unknown,
  path: string,
  policy: FacetPolicy = STRICT_FACETS,
): void {
  switch (spec.kind) {
    case 'string': {
      if (typeof value !== 'string') throw mismatch(spec, value, path);
      const bad = checkLength(spec, value);
      if (bad) facetViolation(policy, `${path}: ${bad}`, -1);
      // Always a miss: length + 2, then the code points (EXI 1.0 §7.3.3; V2G encoders never emit hits).
      writer.writeLiteralString(value);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(spec, value, path);
      writer.writeBoolean(value);
      return;
    case 'binary': {
      if (!(value instanceof Uint8Array)) throw mismatch(spec, value, path);
      const bad = checkLength(spec, value);
      if (bad) facetViolation(policy, `${path}: ${bad}`, -1);
      writer.writeBinary(value);
      return;
    }
    case 'nbit':
    case 'unsigned':
    case 'integer': {
      const ok = spec.big
        ? typeof value === 'bigint'
        : typeof value === 'number' && Number.isSafeInteger(value);
      if (!ok) throw mismatch(spec, value, path);
      const bad = checkRange(spec, value as number | bigint);
      // n-bit values outside the range cannot be represented at all: always an error.
      if (bad && spec.kind === 'nbit') throw new CodecError('value-out-of-range', `${path}: ${bad}`, -1);
      if (bad) facetViolation(policy, `${path}: ${bad}`, -1);
      if (spec.kind === 'nbit')
        writer.writeBits(Number(BigInt(value as number | bigint) - BigInt(spec.min!)), spec.width!);
      else if (spec.kind === 'unsigned') writer.writeUnsignedInteger(value as number | bigint);
      else writer.writeInteger(value as number | bigint);
      return;
    }
    case 'enum': {
      const i = typeof value === 'string' ? spec.values!.indexOf(value) : -1;
      if (i < 0) throw mismatch(spec, value, path);
      writer.writeBits(i, spec.width!);
      return;
    }
  }
}

/** Lexical (XML) form of a typed value. */
export function formatValue(spec: SimpleTypeSpec, value: SimpleValue): string {
  if (value instanceof Uint8Array) {
    return spec.encoding === 'hex'
      ? Buffer.from(value).toString('hex').toUpperCase()
      : Buffer.from(value).toString('base64');
  }
  return String(value);
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const INTEGER = /^[+-]?\d+$/;

/** Typed value from its XML lexical form (XML Schema Part 2 lexical spaces, whitespace collapsed). */
export function parseValue(spec: SimpleTypeSpec, text: string, path: string): SimpleValue {
  switch (spec.kind) {
    case 'string':
      return text;
    case 'boolean': {
      const t = text.trim();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      throw mismatch(spec, text, path);
    }
    case 'binary': {
      const t = text.replace(/\s+/g, '');
      if (spec.encoding === 'hex') {
        if (!HEX.test(t)) throw mismatch(spec, text, path);
        return new Uint8Array(Buffer.from(t, 'hex'));
      }
      if (!BASE64.test(t) || t.length % 4 !== 0) throw mismatch(spec, text, path);
      return new Uint8Array(Buffer.from(t, 'base64'));
    }
    case 'nbit':
    case 'unsigned':
    case 'integer': {
      const t = text.trim();
      if (!INTEGER.test(t)) throw mismatch(spec, text, path);
      const v = BigInt(t);
      if (spec.big) return v;
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
        throw mismatch(spec, text, path);
      return Number(v);
    }
    case 'enum': {
      const t = text.trim();
      if (!spec.values!.includes(t)) throw mismatch(spec, text, path);
      return t;
    }
  }
}
