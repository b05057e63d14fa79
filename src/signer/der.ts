// Minimal strict DER (ITU-T X.690 §10) reader and writer for the few structures the signer handles:
// ECDSA-Sig-Value (RFC 3279 §2.2.3), SubjectPublicKeyInfo (RFC 5480, RFC 8410), the CKA_EC_POINT /
// CKA_EC_PARAMS attributes of PKCS#11 and PBES2 EncryptedPrivateKeyInfo (RFC 8018, RFC 5958).
//
// Only low tag numbers and definite minimal lengths are accepted: everything we parse either came from
// our own files or from a token, and a strict parser gives one canonical form per value. Errors are
// plain `DerError`s without any input bytes in the message, so callers can wrap them without leaking
// key material.

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OID = 0x06;
export const TAG_PRINTABLE_STRING = 0x13;
export const TAG_SEQUENCE = 0x30;

export interface DerElement {
  readonly tag: number;
  /** The value octets (a view into the input, not a copy). */
  readonly value: Uint8Array;
  /** Offset just past this element in the input. */
  readonly end: number;
}

/** Reads one TLV at `offset`. Rejects high tag numbers, indefinite and non-minimal lengths. */
export function readElement(input: Uint8Array, offset = 0): DerElement {
  if (offset + 2 > input.length) throw new DerError('DER: truncated header');
  const tag = input[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError('DER: high tag numbers are not supported');
  let length = input[offset + 1] as number;
  let pos = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) throw new DerError('DER: indefinite length is not allowed');
    if (count > 4) throw new DerError('DER: length too large');
    if (pos + count > input.length) throw new DerError('DER: truncated length');
    if (input[pos] === 0) throw new DerError('DER: non-minimal length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (input[pos + i] as number);
    if (length < 0x80) throw new DerError('DER: non-minimal length');
    pos += count;
  }
  if (pos + length > input.length) throw new DerError('DER: value extends past the end of the input');
  return { tag, value: input.subarray(pos, pos + length), end: pos + length };
}

/** Reads exactly one element spanning the whole input, with the expected tag. */
export function readSingle(input: Uint8Array, tag: number): Uint8Array {
  const element = readElement(input, 0);
  if (element.tag !== tag) throw new DerError(`DER: expected tag 0x${hex2(tag)}, got 0x${hex2(element.tag)}`);
  if (element.end !== input.length) throw new DerError('DER: trailing data after element');
  return element.value;
}

/** Splits the value of a constructed element into its children. */
export function readChildren(value: Uint8Array): DerElement[] {
  const children: DerElement[] = [];
  let offset = 0;
  while (offset < value.length) {
    const child = readElement(value, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The magnitude of a DER INTEGER that must be positive, without leading zero octets. */
export function readUnsignedInteger(value: Uint8Array): Uint8Array {
  if (value.length === 0) throw new DerError('DER: empty INTEGER');
  const first = value[0] as number;
  if (first & 0x80) throw new DerError('DER: negative INTEGER where a positive one is required');
  if (value.length > 1 && first === 0 && ((value[1] as number) & 0x80) === 0) {
    throw new DerError('DER: non-minimal INTEGER encoding');
  }
  return first === 0 ? value.subarray(1) : value;
}

/** A small non-negative INTEGER (parameters such as scrypt N, r, p) as a JS number. */
export function readSmallInteger(value: Uint8Array): number {
  const magnitude = readUnsignedInteger(value);
  if (magnitude.length > 6) throw new DerError('DER: INTEGER too large');
  let n = 0;
  for (const b of magnitude) n = n * 256 + b;
  return n;
}

export function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n & 0xff);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

export function encodeElement(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  const header = encodeLength(length);
  const out = new Uint8Array(1 + header.length + length);
  out[0] = tag;
  out.set(header, 1);
  let pos = 1 + header.length;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

export function encodeSequence(...children: Uint8Array[]): Uint8Array {
  return encodeElement(TAG_SEQUENCE, ...children);
}

export function encodeOctetString(value: Uint8Array): Uint8Array {
  return encodeElement(TAG_OCTET_STRING, value);
}

/** BIT STRING with zero unused bits (keys and signatures are whole octets). */
export function encodeBitString(value: Uint8Array): Uint8Array {
  return encodeElement(TAG_BIT_STRING, Uint8Array.of(0), value);
}

/** Minimal DER INTEGER for an unsigned big-endian magnitude (leading zeros stripped, 0x00 added if the high bit is set). */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.length === 0 ? Uint8Array.of(0) : magnitude.subarray(start);
  const needsPad = ((trimmed[0] as number) & 0x80) !== 0;
  return needsPad
    ? encodeElement(TAG_INTEGER, Uint8Array.of(0), trimmed)
    : encodeElement(TAG_INTEGER, trimmed);
}

export function encodeSmallInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new DerError('DER: integer out of range');
  const octets: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v & 0xff);
  return encodeUnsignedInteger(Uint8Array.from(octets.length === 0 ? [0] : octets));
}

/** OBJECT IDENTIFIER from dotted notation (X.690 §8.19). */
export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^(0|[1-9][0-9]*)$/.test(a)) throw new DerError('DER: bad OID arc');
    return Number(a);
  });
  if (arcs.length < 2) throw new DerError('DER: OID needs at least two arcs');
  const [first, second, ...rest] = arcs as [number, number, ...number[]];
  const octets: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    octets.push(...chunk);
  }
  return encodeElement(TAG_OID, Uint8Array.from(octets));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
