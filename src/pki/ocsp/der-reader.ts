// A bounded, hand-written DER reader for the OCSP request path (D-090).
//
// parseOcspRequest used to go through asn1js (./asn1.ts decodeDer), which builds a class instance
// per element and decodes every primitive on the way: ~30 µs for a 90-byte request without nonce,
// ~57 µs with one — more than the HTTP stack costs per request. An OCSP request is a handful of
// TLVs, so this reader walks the bytes once into plain offsets, and the readers below take exactly
// the primitives the request parser needs.
//
// Acceptance is the one the asn1js path had: one element spanning the whole input; definite
// lengths only (indefinite = BER, X.690 §10.1), long-form lengths tolerated even when not minimal;
// every constructed element must consist of complete elements, recursively (also inside parts the
// parser ignores, such as requestorName and optionalSignature); at most 32 levels and 20 000
// elements. Primitive contents are interpreted only where they are read. Errors are DerFormatError
// (./asn1.ts), which the parser turns into ocsp.malformed.

import { DerFormatError } from './asn1.ts';

/** X.690 §8.1.2.2 tag classes, as the top two bits of the identifier octet. */
export const DER_CLASS = { universal: 0, application: 1, context: 2, private: 3 } as const;

export interface DerElement {
  readonly tagClass: number;
  readonly tagNumber: number;
  readonly constructed: boolean;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the last content octet. */
  readonly end: number;
  /** The elements inside a constructed element (empty for primitive ones). */
  readonly children: readonly DerElement[];
}

const MAX_DEPTH = 32;
const MAX_ELEMENTS = 20_000;

/**
 * Reads the one DER element that makes up `bytes` (see the header for what is accepted). The
 * offsets refer to `bytes`; take contents with the readers below.
 */
export function readDerTree(bytes: Uint8Array, what: string): DerElement {
  if (bytes.byteLength === 0) throw new DerFormatError(`${what}: empty input`);
  let count = 0;
  const truncated = () => new DerFormatError(`${what}: truncated element`);
  const read = (offset: number, limit: number, depth: number): DerElement => {
    if (depth > MAX_DEPTH) throw new DerFormatError(`${what}: nested more than ${MAX_DEPTH} levels`);
    if (++count > MAX_ELEMENTS) throw new DerFormatError(`${what}: more than ${MAX_ELEMENTS} elements`);
    if (offset >= limit) throw truncated();
    const identifier = bytes[offset] as number;
    let p = offset + 1;
    let tagNumber = identifier & 0x1f;
    if (tagNumber === 0x1f) {
      // High tag number form (X.690 §8.1.2.4): base-128 octets, the last without bit 8.
      tagNumber = 0;
      for (;;) {
        if (p >= limit) throw truncated();
        const b = bytes[p++] as number;
        if (tagNumber > 0xffffff) throw new DerFormatError(`${what}: tag number too large`);
        tagNumber = tagNumber * 128 + (b & 0x7f);
        if ((b & 0x80) === 0) break;
      }
    }
    if (p >= limit) throw truncated();
    const first = bytes[p++] as number;
    let length: number;
    if (first < 0x80) {
      length = first;
    } else if (first === 0x80) {
      throw new DerFormatError(`${what}: indefinite length (BER) is not DER`);
    } else if (first === 0xff) {
      throw new DerFormatError(`${what}: length octet 0xFF is reserved`);
    } else {
      const octets = first & 0x7f;
      if (octets > 8) throw new DerFormatError(`${what}: length too large`);
      if (p + octets > limit) throw truncated();
      length = 0;
      for (let i = 0; i < octets; i++) length = length * 256 + (bytes[p++] as number);
    }
    const contentStart = p;
    const end = contentStart + length;
    if (end > limit) throw truncated();
    const constructed = (identifier & 0x20) !== 0;
    const universal = identifier < 0x40;
    if (universal && tagNumber >= 37)
      throw new DerFormatError(`${what}: universal tag ${tagNumber} is reserved`);
    if (universal && constructed && PRIMITIVE_ONLY.has(tagNumber)) {
      throw new DerFormatError(`${what}: constructed encoding of a primitive type`);
    }
    if (universal && !constructed) checkUniversalPrimitive(bytes, tagNumber, contentStart, end, what);
    const children: DerElement[] = [];
    if (constructed) {
      let q = contentStart;
      while (q < end) {
        const child = read(q, end, depth + 1);
        children.push(child);
        q = child.end;
      }
      if (universal && (tagNumber === 3 || tagNumber === 4))
        checkConstructedString(bytes, tagNumber, children, what);
    }
    return { tagClass: identifier >> 6, tagNumber, constructed, start: offset, contentStart, end, children };
  };
  const root = read(0, bytes.byteLength, 1);
  if (root.end !== bytes.byteLength) {
    throw new DerFormatError(`${what}: ${bytes.byteLength - root.end} trailing bytes`);
  }
  return root;
}

/** Universal types that have no constructed encoding (X.690 §8; BER strings may be constructed). */
const PRIMITIVE_ONLY = new Set([1, 2, 5, 6, 9, 13, 14, 23, 24, 31, 32, 33, 34]);

/**
 * A constructed (BER) BIT STRING or OCTET STRING consists of segments of its own type only, and only
 * one BIT STRING segment may have unused bits (X.690 §8.6.4, §8.7.3).
 */
function checkConstructedString(
  bytes: Uint8Array,
  tagNumber: number,
  children: readonly DerElement[],
  what: string,
): void {
  let withUnused = false;
  for (const child of children) {
    if (child.tagClass !== DER_CLASS.universal || child.tagNumber !== tagNumber) {
      throw new DerFormatError(`${what}: a constructed string may only consist of strings of its type`);
    }
    if (tagNumber === 3 && !child.constructed && child.end > child.contentStart) {
      const unused = bytes[child.contentStart] as number;
      if (unused > 0 && withUnused) throw new DerFormatError(`${what}: malformed constructed BIT STRING`);
      if (unused > 0) withUnused = true;
    }
  }
}

/**
 * The X.690 well-formedness of the universal primitives whose encoding has rules of its own, checked
 * wherever they occur (also in parts the parser ignores), as asn1js did while building its tree:
 * OBJECT IDENTIFIER and RELATIVE-OID end with a complete subidentifier (§8.19.2, §8.20.2), a BIT
 * STRING starts with 0..7 unused bits (§8.6.2.2), BMPString and UniversalString hold whole
 * characters (2 and 4 octets). Times and character strings are not interpreted.
 */
function checkUniversalPrimitive(
  bytes: Uint8Array,
  tagNumber: number,
  contentStart: number,
  end: number,
  what: string,
): void {
  const length = end - contentStart;
  switch (tagNumber) {
    case 6:
    case 13:
      if (length > 0 && ((bytes[end - 1] as number) & 0x80) !== 0) {
        throw new DerFormatError(`${what}: unterminated object identifier`);
      }
      return;
    case 3: {
      const unused = bytes[contentStart];
      if (unused !== undefined && unused > 7) throw new DerFormatError(`${what}: malformed BIT STRING`);
      return;
    }
    case 30:
      if (length % 2 !== 0) throw new DerFormatError(`${what}: BMPString of odd length`);
      return;
    case 28:
      if (length % 4 !== 0) throw new DerFormatError(`${what}: UniversalString length not a multiple of 4`);
      return;
    default:
  }
}

export function isDerContext(element: DerElement | undefined, tagNumber: number): element is DerElement {
  return element !== undefined && element.tagClass === DER_CLASS.context && element.tagNumber === tagNumber;
}

function isUniversal(element: DerElement | undefined, tagNumber: number): element is DerElement {
  return element !== undefined && element.tagClass === DER_CLASS.universal && element.tagNumber === tagNumber;
}

/** The elements of a SEQUENCE (universal 16, constructed). */
export function derSequence(element: DerElement | undefined, what: string): readonly DerElement[] {
  if (!isUniversal(element, 16) || !element.constructed)
    throw new DerFormatError(`${what}: expected a SEQUENCE`);
  return element.children;
}

/** The single element inside an EXPLICIT context tag. */
export function derExplicitInner(element: DerElement, what: string): DerElement {
  if (!element.constructed) throw new DerFormatError(`${what}: expected a constructed element`);
  const inner = element.children[0];
  if (element.children.length !== 1 || inner === undefined) {
    throw new DerFormatError(`${what}: an explicit tag must wrap exactly one element`);
  }
  return inner;
}

/** Content octets of a primitive universal element (a copy). */
export function derPrimitive(
  bytes: Uint8Array,
  element: DerElement | undefined,
  tagNumber: number,
  what: string,
): Uint8Array {
  if (!isUniversal(element, tagNumber) || element.constructed) {
    throw new DerFormatError(`${what}: expected a primitive universal ${tagNumber}`);
  }
  return bytes.slice(element.contentStart, element.end);
}

/** The whole TLV of an element as it appeared in the input (a copy). */
export function derRaw(bytes: Uint8Array, element: DerElement): Uint8Array {
  return bytes.slice(element.start, element.end);
}

export function derOctetString(bytes: Uint8Array, element: DerElement | undefined, what: string): Uint8Array {
  return derPrimitive(bytes, element, 4, what);
}

/** DER INTEGER (minimal two's complement, X.690 §8.3.2) as bigint and its content octets. */
export function derInteger(
  bytes: Uint8Array,
  element: DerElement | undefined,
  what: string,
): { value: bigint; content: Uint8Array } {
  const content = derPrimitive(bytes, element, 2, what);
  if (content.length === 0) throw new DerFormatError(`${what}: empty INTEGER`);
  const b0 = content[0] as number;
  const b1 = content[1] ?? 0;
  if (content.length > 1 && ((b0 === 0x00 && b1 < 0x80) || (b0 === 0xff && b1 >= 0x80))) {
    throw new DerFormatError(`${what}: INTEGER is not minimally encoded`);
  }
  let value = 0n;
  if (content.length <= 6) {
    // Up to 48 bits fit a double exactly: no BigInt arithmetic per octet.
    let n = 0;
    for (const b of content) n = n * 256 + b;
    value = BigInt(n);
  } else {
    value = BigInt(
      `0x${Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('hex')}`,
    );
  }
  if ((b0 & 0x80) !== 0) value -= 1n << BigInt(content.length * 8);
  return { value, content };
}

export function derNull(bytes: Uint8Array, element: DerElement | undefined, what: string): void {
  if (derPrimitive(bytes, element, 5, what).length !== 0)
    throw new DerFormatError(`${what}: NULL with content`);
}

/** BOOLEAN; any non-zero octet is TRUE (X.690 §8.2.2), as the asn1js path accepted. */
export function derBoolean(bytes: Uint8Array, element: DerElement | undefined, what: string): boolean {
  const content = derPrimitive(bytes, element, 1, what);
  if (content.length !== 1) throw new DerFormatError(`${what}: malformed BOOLEAN`);
  return content[0] !== 0;
}

/** OBJECT IDENTIFIER as dotted text (X.690 §8.19); the first arc split as 0 / 1 / 2. */
export function derOid(bytes: Uint8Array, element: DerElement | undefined, what: string): string {
  if (!isUniversal(element, 6) || element.constructed) {
    throw new DerFormatError(`${what}: expected an OBJECT IDENTIFIER`);
  }
  const { contentStart, end } = element;
  if (contentStart === end) throw new DerFormatError(`${what}: malformed OBJECT IDENTIFIER`);
  const arcs: string[] = [];
  let p = contentStart;
  while (p < end) {
    let small = 0;
    let big: bigint | undefined;
    let octets = 0;
    for (;;) {
      if (p >= end) throw new DerFormatError(`${what}: malformed OBJECT IDENTIFIER`);
      const b = bytes[p++] as number;
      octets++;
      if (octets <= 7) small = small * 128 + (b & 0x7f);
      else big = (big ?? BigInt(small)) * 128n + BigInt(b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
    const value = big ?? BigInt(small);
    if (arcs.length === 0) {
      if (value < 40n) arcs.push('0', String(value));
      else if (value < 80n) arcs.push('1', String(value - 40n));
      else arcs.push('2', String(value - 80n));
    } else {
      arcs.push(String(value));
    }
  }
  return arcs.join('.');
}

export interface DerExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** extnValue content: the DER of the extension's own value. */
  readonly value: Uint8Array;
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension (RFC 5280 §4.1); duplicates are rejected. */
export function derExtensions(
  bytes: Uint8Array,
  element: DerElement | undefined,
  what: string,
): DerExtension[] {
  const out: DerExtension[] = [];
  const seen = new Set<string>();
  for (const ext of derSequence(element, what)) {
    const parts = derSequence(ext, `${what} Extension`);
    if (parts.length < 2 || parts.length > 3) throw new DerFormatError(`${what}: malformed Extension`);
    const oid = derOid(bytes, parts[0], `${what} extnID`);
    let critical = false;
    let valueElement = parts[1];
    if (parts.length === 3) {
      critical = derBoolean(bytes, parts[1], `${what} critical`);
      valueElement = parts[2];
    }
    const value = derOctetString(bytes, valueElement, `${what} extnValue`);
    // RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension".
    if (seen.has(oid)) throw new DerFormatError(`${what}: duplicate extension ${oid}`);
    seen.add(oid);
    out.push({ oid, critical, value });
  }
  return out;
}
