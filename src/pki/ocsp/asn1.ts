// DER helpers shared by the OCSP, CRL, EST and CSR modules (src/pki/{ocsp,crl,est,csr}).
//
// Parsing goes through asn1js with resource limits and a strictness pass on top (definite lengths
// only, whole input consumed), so hostile input ends in one DerFormatError that each module turns
// into its own AppError code. Encoding uses asn1js for the primitive values (INTEGER, OID, times)
// and a tiny TLV writer for the constructed ones: asn1js cannot embed pre-encoded bytes (its
// RawData is dropped inside a SEQUENCE), and certificates, names and TBS structures must be
// copied byte for byte, never re-encoded (X.690 §10 DER; RFC 5280 §4.1.1.2).

import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';

/** Structural problem in DER input. Internal: every public entry point maps it to an AppError. */
export class DerFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerFormatError';
  }
}

// --- Parsing -----------------------------------------------------------------------------------

export const TAG_CLASS_UNIVERSAL = 1;
export const TAG_CLASS_CONTEXT = 3;

export const UNIVERSAL = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  PRINTABLE_STRING: 19,
  TELETEX_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  VISIBLE_STRING: 26,
  UNIVERSAL_STRING: 28,
  BMP_STRING: 30,
} as const;

export type Node = asn1js.AsnType;

/** Options passed to asn1js: no speculative parsing inside OCTET / BIT STRINGs, bounded trees. */
const FROM_BER_OPTIONS = { parseEmbedded: false, maxDepth: 32, maxNodes: 20_000 };

/**
 * Decodes exactly one DER element that spans the whole input. Rejects indefinite lengths (BER
 * only, X.690 §10.1) anywhere in the tree.
 */
export function decodeDer(bytes: Uint8Array, what: string): Node {
  if (bytes.byteLength === 0) throw new DerFormatError(`${what}: empty input`);
  let parsed: asn1js.FromBerResult;
  try {
    parsed = asn1js.fromBER(bytes, FROM_BER_OPTIONS);
  } catch (e) {
    // asn1js reports most errors in the result; anything thrown (e.g. a RangeError) is input
    // it could not handle, never a bug of ours worth a 500.
    throw new DerFormatError(`${what}: ${e instanceof Error ? e.message : 'undecodable'}`);
  }
  if (parsed.offset === -1 || parsed.result.error) {
    throw new DerFormatError(`${what}: ${parsed.result.error || 'undecodable'}`);
  }
  if (parsed.offset !== bytes.byteLength) {
    throw new DerFormatError(`${what}: ${bytes.byteLength - parsed.offset} trailing bytes`);
  }
  rejectIndefinite(parsed.result, what);
  return parsed.result;
}

function rejectIndefinite(node: Node, what: string): void {
  if ((node as asn1js.BaseBlock).lenBlock.isIndefiniteForm) {
    throw new DerFormatError(`${what}: indefinite length (BER) is not DER`);
  }
  if (node.idBlock.isConstructed) {
    for (const child of childrenRaw(node)) rejectIndefinite(child, what);
  }
}

function childrenRaw(node: Node): Node[] {
  const value = (node.valueBlock as { value?: unknown }).value;
  return Array.isArray(value) ? (value as Node[]) : [];
}

export function isTag(node: Node | undefined, tagClass: number, tagNumber: number): node is Node {
  return node !== undefined && node.idBlock.tagClass === tagClass && node.idBlock.tagNumber === tagNumber;
}

export function isUniversal(node: Node | undefined, tagNumber: number): node is Node {
  return isTag(node, TAG_CLASS_UNIVERSAL, tagNumber);
}

export function isContext(node: Node | undefined, tagNumber: number): node is Node {
  return isTag(node, TAG_CLASS_CONTEXT, tagNumber);
}

/** Children of a constructed node (SEQUENCE, SET, explicit context tag). */
export function children(node: Node | undefined, what: string): Node[] {
  if (node === undefined || !node.idBlock.isConstructed) {
    throw new DerFormatError(`${what}: expected a constructed element`);
  }
  return childrenRaw(node);
}

export function expectSequence(node: Node | undefined, what: string): Node[] {
  if (!isUniversal(node, UNIVERSAL.SEQUENCE) || !node.idBlock.isConstructed) {
    throw new DerFormatError(`${what}: expected a SEQUENCE`);
  }
  return childrenRaw(node);
}

export function expectSet(node: Node | undefined, what: string): Node[] {
  if (!isUniversal(node, UNIVERSAL.SET) || !node.idBlock.isConstructed) {
    throw new DerFormatError(`${what}: expected a SET`);
  }
  return childrenRaw(node);
}

/** The single element inside an EXPLICIT context tag [n]. */
export function explicitInner(node: Node, what: string): Node {
  const inner = children(node, what);
  if (inner.length !== 1 || inner[0] === undefined) {
    throw new DerFormatError(`${what}: an explicit tag must wrap exactly one element`);
  }
  return inner[0];
}

/** Content octets of a primitive element. */
export function primitiveContent(node: Node | undefined, tagNumber: number, what: string): Uint8Array {
  if (!isUniversal(node, tagNumber) || node.idBlock.isConstructed) {
    throw new DerFormatError(`${what}: expected a primitive universal ${tagNumber}`);
  }
  return contentOf(node);
}

/** Content octets of any primitive node (copy). */
export function contentOf(node: Node): Uint8Array {
  const view = (node.valueBlock as { valueHexView?: Uint8Array }).valueHexView;
  if (view !== undefined) return view.slice();
  // Some asn1js value blocks (NULL, BOOLEAN) keep no octet view: take the content from the TLV.
  const raw = (node as asn1js.BaseBlock).valueBeforeDecodeView;
  const length = (node as asn1js.BaseBlock).lenBlock.length;
  if (!Number.isInteger(length) || length < 0 || length > raw.byteLength) {
    throw new DerFormatError('element has no primitive content');
  }
  return raw.slice(raw.byteLength - length);
}

/** The complete TLV encoding of a node as it appeared in the input (copy). */
export function rawOf(node: Node): Uint8Array {
  return (node as asn1js.BaseBlock).valueBeforeDecodeView.slice();
}

export function readOid(node: Node | undefined, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier) || node.idBlock.isConstructed) {
    throw new DerFormatError(`${what}: expected an OBJECT IDENTIFIER`);
  }
  const value = node.getValue();
  if (!/^\d+(\.\d+)+$/.test(value)) throw new DerFormatError(`${what}: malformed OBJECT IDENTIFIER`);
  return value;
}

/** DER INTEGER (minimal two's complement, X.690 §8.3.2) as bigint and raw content octets. */
export function readInteger(node: Node | undefined, what: string): { value: bigint; content: Uint8Array } {
  const content = primitiveContent(node, UNIVERSAL.INTEGER, what);
  if (content.length === 0) throw new DerFormatError(`${what}: empty INTEGER`);
  const [b0, b1] = content;
  if (content.length > 1 && ((b0 === 0x00 && (b1 ?? 0) < 0x80) || (b0 === 0xff && (b1 ?? 0) >= 0x80))) {
    throw new DerFormatError(`${what}: INTEGER is not minimally encoded`);
  }
  return { value: bigintFromTwosComplement(content), content };
}

export function readOctetString(node: Node | undefined, what: string): Uint8Array {
  return primitiveContent(node, UNIVERSAL.OCTET_STRING, what);
}

/** asn1js keeps the unused-bits octet apart from the value octets of a BIT STRING. */
function bitStringParts(node: Node | undefined, what: string): { unused: number; bytes: Uint8Array } {
  const bytes = primitiveContent(node, UNIVERSAL.BIT_STRING, what);
  const unused = (node as asn1js.BitString).valueBlock.unusedBits;
  if (!Number.isInteger(unused) || unused < 0 || unused > 7 || (bytes.length === 0 && unused !== 0)) {
    throw new DerFormatError(`${what}: malformed BIT STRING`);
  }
  return { unused, bytes };
}

/** BIT STRING value without the unused-bits octet; only whole octets are accepted. */
export function readBitStringOctets(node: Node | undefined, what: string): Uint8Array {
  const { unused, bytes } = bitStringParts(node, what);
  if (unused !== 0) throw new DerFormatError(`${what}: BIT STRING must have 0 unused bits`);
  return bytes;
}

/** BIT STRING as named bits (bit 0 = most significant bit of the first octet, X.690 §8.6.2). */
export function readNamedBits(node: Node | undefined, what: string): number[] {
  const { bytes } = bitStringParts(node, what);
  const bits: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) bits.push(i * 8 + b);
  }
  return bits;
}

export function readBoolean(node: Node | undefined, what: string): boolean {
  const content = primitiveContent(node, UNIVERSAL.BOOLEAN, what);
  if (content.length !== 1) throw new DerFormatError(`${what}: malformed BOOLEAN`);
  // BER allows any non-zero octet for TRUE (X.690 §8.2.2); DER demands 0xFF. Accepting both costs
  // nothing and keeps us tolerant of sloppy encoders of the critical flag.
  return content[0] !== 0;
}

export function readNull(node: Node | undefined, what: string): void {
  const content = primitiveContent(node, UNIVERSAL.NULL, what);
  if (content.length !== 0) throw new DerFormatError(`${what}: NULL with content`);
}

/** AlgorithmIdentifier (RFC 5280 §4.1.1.2): OID and the raw parameters, if any. */
export function readAlgorithmIdentifier(
  node: Node | undefined,
  what: string,
): { oid: string; parameters?: Node } {
  const parts = expectSequence(node, what);
  if (parts.length < 1 || parts.length > 2)
    throw new DerFormatError(`${what}: malformed AlgorithmIdentifier`);
  const oid = readOid(parts[0], what);
  return parts[1] === undefined ? { oid } : { oid, parameters: parts[1] };
}

export interface ExtensionEntry {
  readonly oid: string;
  readonly critical: boolean;
  /** extnValue content: the DER of the extension's own value. */
  readonly value: Uint8Array;
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension (RFC 5280 §4.1); duplicates are rejected. */
export function readExtensions(node: Node | undefined, what: string): ExtensionEntry[] {
  const out: ExtensionEntry[] = [];
  const seen = new Set<string>();
  for (const ext of expectSequence(node, what)) {
    const parts = expectSequence(ext, `${what} Extension`);
    if (parts.length < 2 || parts.length > 3) throw new DerFormatError(`${what}: malformed Extension`);
    const oid = readOid(parts[0], `${what} extnID`);
    let critical = false;
    let valueNode = parts[1];
    if (parts.length === 3) {
      critical = readBoolean(parts[1], `${what} critical`);
      valueNode = parts[2];
    }
    const value = readOctetString(valueNode, `${what} extnValue`);
    // RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension".
    if (seen.has(oid)) throw new DerFormatError(`${what}: duplicate extension ${oid}`);
    seen.add(oid);
    out.push({ oid, critical, value });
  }
  return out;
}

// --- Encoding ----------------------------------------------------------------------------------

/** Octets of a DER length (X.690 §8.1.3: short form below 128, else the minimal long form). */
function lengthOctets(length: number): number {
  if (length < 0x80) return 1;
  let octets = 1;
  for (let n = length; n > 0xff; n = Math.floor(n / 256)) octets++;
  return 1 + octets;
}

/** Writes the DER length at `offset`; returns the offset after it. */
function writeLength(out: Uint8Array, offset: number, length: number): number {
  if (length < 0x80) {
    out[offset] = length;
    return offset + 1;
  }
  const octets = lengthOctets(length) - 1;
  out[offset] = 0x80 | octets;
  for (let i = octets, n = length; i >= 1; i--, n = Math.floor(n / 256)) out[offset + i] = n & 0xff;
  return offset + 1 + octets;
}

/** One TLV with a single-octet identifier (tag numbers < 31) and a definite DER length. */
export function tlv(identifier: number, ...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (let i = 0; i < parts.length; i++) length += (parts[i] as Uint8Array).byteLength;
  const out = new Uint8Array(1 + lengthOctets(length) + length);
  out[0] = identifier;
  let offset = writeLength(out, 1, length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as Uint8Array;
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

export const sequence = (...parts: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...parts);
export const set = (...parts: readonly Uint8Array[]): Uint8Array => tlv(0x31, ...parts);
/** [n] EXPLICIT (constructed, context-specific). */
export const explicit = (n: number, ...parts: readonly Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...parts);
/** [n] IMPLICIT over a primitive type. */
export const implicitPrimitive = (n: number, content: Uint8Array): Uint8Array => tlv(0x80 | n, content);

export function encodeAsn1(node: { toBER(sizeOnly?: boolean): ArrayBuffer }): Uint8Array {
  return new Uint8Array(node.toBER(false));
}

export const DER_NULL: Uint8Array = Uint8Array.of(0x05, 0x00);
export const DER_TRUE: Uint8Array = Uint8Array.of(0x01, 0x01, 0xff);

/** Encoded OIDs by dotted text: a handful of constants, encoded once (asn1js costs ~15 µs per call). */
const OID_CACHE = new Map<string, Uint8Array>();

export function oid(dotted: string): Uint8Array {
  let der = OID_CACHE.get(dotted);
  if (der === undefined) {
    der = encodeAsn1(new asn1js.ObjectIdentifier({ value: dotted }));
    if (OID_CACHE.size < 1024) OID_CACHE.set(dotted, der);
  }
  return der.slice();
}

export function integer(value: bigint): Uint8Array {
  return tlv(0x02, twosComplement(value));
}

export function enumerated(value: number): Uint8Array {
  return tlv(0x0a, twosComplement(BigInt(value)));
}

export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(0x04, bytes);
}

/** BIT STRING of whole octets (0 unused bits): signatures and public keys. */
export function bitString(bytes: Uint8Array): Uint8Array {
  return tlv(0x03, Uint8Array.of(0), bytes);
}

/** BIT STRING of named bits with trailing zero bits removed (X.690 §11.2.2). */
export function namedBits(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return tlv(0x03, Uint8Array.of(0));
  const max = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(max / 8) + 1);
  for (const b of bits) bytes[Math.floor(b / 8)] = (bytes[Math.floor(b / 8)] ?? 0) | (0x80 >> (b % 8));
  const unused = 7 - (max % 8);
  return tlv(0x03, Uint8Array.of(unused), bytes);
}

function wholeSeconds(date: Date, what: string): Date {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** Writes `value` as `width` decimal digits (ASCII) at `offset`. */
function writeDigits(out: Uint8Array, offset: number, value: number, width: number): void {
  for (let i = width - 1, n = value; i >= 0; i--, n = Math.floor(n / 10)) out[offset + i] = 0x30 + (n % 10);
}

/** The TLV of a time whose text is digits of the UTC fields followed by 'Z'. */
function timeTlv(tag: 0x17 | 0x18, d: Date, yearDigits: 2 | 4): Uint8Array {
  const out = new Uint8Array(2 + yearDigits + 11);
  out[0] = tag;
  out[1] = yearDigits + 11;
  writeDigits(out, 2, yearDigits === 4 ? d.getUTCFullYear() : d.getUTCFullYear() % 100, yearDigits);
  let p = 2 + yearDigits;
  for (const field of [
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ]) {
    writeDigits(out, p, field, 2);
    p += 2;
  }
  out[p] = 0x5a; // 'Z'
  return out;
}

/**
 * GeneralizedTime YYYYMMDDHHMMSSZ: UTC, whole seconds (fractions are truncated), as RFC 5280
 * §4.1.2.5.2 demands for certificates and CRLs and RFC 6960 uses for OCSP.
 */
export function generalizedTime(date: Date, what = 'time'): Uint8Array {
  const d = wholeSeconds(date, what);
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) throw new RangeError(`${what} is outside the years 0001-9999`);
  return timeTlv(0x18, d, 4);
}

/** RFC 5280 Time: UTCTime for 1950-2049, GeneralizedTime otherwise (§4.1.2.5, §5.1.2.4). */
export function x509Time(date: Date, what = 'time'): Uint8Array {
  const d = wholeSeconds(date, what);
  const year = d.getUTCFullYear();
  if (year < 1950 || year > 2049) return generalizedTime(d, what);
  return timeTlv(0x17, d, 2);
}

// --- Integers and bytes --------------------------------------------------------------------------

/** Minimal two's-complement content octets of an INTEGER (X.690 §8.3). */
export function twosComplement(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0xffn);
    bytes.unshift(byte);
    v >>= 8n;
    // Stop once the remaining value is pure sign extension of the byte just written.
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(bytes);
}

export function bigintFromTwosComplement(content: Uint8Array): bigint {
  let v = 0n;
  for (const b of content) v = (v << 8n) | BigInt(b);
  if (content.length > 0 && ((content[0] ?? 0) & 0x80) !== 0) v -= 1n << BigInt(content.length * 8);
  return v;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export function hash(algorithm: HashName, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest());
}
