// Bounded DER reader on top of asn1js. asn1js decodes BER leniently; a certificate linter must
// also see what DER forbids (X.690 §10-11): non-minimal lengths, BOOLEAN values other than
// 00/FF, non-minimal INTEGERs, non-zero BIT STRING padding, constructed strings. This module
// turns the asn1js tree into plain nodes with raw bytes and collects those DER issues.

import * as asn1js from 'asn1js';

export const TAG_CLASS_UNIVERSAL = 1;
export const TAG_CLASS_APPLICATION = 2;
export const TAG_CLASS_CONTEXT = 3;
export const TAG_CLASS_PRIVATE = 4;

// Universal tag numbers (X.680 §8.6).
export const TAG_BOOLEAN = 1;
export const TAG_INTEGER = 2;
export const TAG_BIT_STRING = 3;
export const TAG_OCTET_STRING = 4;
export const TAG_NULL = 5;
export const TAG_OID = 6;
export const TAG_ENUMERATED = 10;
export const TAG_UTF8_STRING = 12;
export const TAG_SEQUENCE = 16;
export const TAG_SET = 17;
export const TAG_PRINTABLE_STRING = 19;
export const TAG_TELETEX_STRING = 20;
export const TAG_IA5_STRING = 22;
export const TAG_UTC_TIME = 23;
export const TAG_GENERALIZED_TIME = 24;
export const TAG_UNIVERSAL_STRING = 28;
export const TAG_BMP_STRING = 30;

export interface DerNode {
  /** asn1js tag class: 1 universal, 2 application, 3 context-specific, 4 private. */
  readonly cls: number;
  readonly tag: number;
  readonly constructed: boolean;
  /** The complete TLV. */
  readonly raw: Uint8Array;
  /** The value octets. */
  readonly content: Uint8Array;
  readonly children: readonly DerNode[];
}

export type DerDecodeResult =
  | { readonly ok: true; readonly node: DerNode; readonly issues: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** Certificates nest about 8 levels deep; anything far deeper is not a certificate. */
const MAX_DEPTH = 24;
const MAX_NODES = 4096;

// The subset of the asn1js block shape this module reads. asn1js 4 exposes these fields on
// every block; typing them locally keeps the rest of the module independent of its classes.
interface AsnBlock {
  readonly idBlock: {
    readonly tagClass: number;
    readonly tagNumber: number;
    readonly isConstructed: boolean;
    readonly blockLength: number;
  };
  readonly lenBlock: {
    readonly isIndefiniteForm: boolean;
    readonly longFormUsed: boolean;
    readonly length: number;
    readonly blockLength: number;
  };
  readonly valueBeforeDecodeView: Uint8Array;
  readonly valueBlock: { readonly value?: unknown };
  readonly error?: string;
}

const PRIMITIVE_ONLY_TAGS = new Set([
  TAG_BOOLEAN,
  TAG_INTEGER,
  TAG_BIT_STRING,
  TAG_OCTET_STRING,
  TAG_NULL,
  TAG_OID,
  TAG_ENUMERATED,
  TAG_UTF8_STRING,
  TAG_PRINTABLE_STRING,
  TAG_TELETEX_STRING,
  TAG_IA5_STRING,
  TAG_UTC_TIME,
  TAG_GENERALIZED_TIME,
  TAG_UNIVERSAL_STRING,
  TAG_BMP_STRING,
]);

function minimalLengthOctets(length: number): number {
  if (length < 0x80) return 1;
  let n = 0;
  for (let v = length; v > 0; v = Math.floor(v / 256)) n++;
  return 1 + n;
}

/**
 * Decode exactly one DER element filling `bytes`. Never throws: asn1js errors, depth and node
 * limits, indefinite lengths and trailing bytes all yield `{ ok: false }`.
 */
export function decodeDer(bytes: Uint8Array): DerDecodeResult {
  let parsed: { offset: number; result: unknown };
  try {
    parsed = asn1js.fromBER(bytes, {
      parseEmbedded: false,
      maxDepth: MAX_DEPTH,
      maxNodes: MAX_NODES,
    });
  } catch (e) {
    // asn1js is not documented to throw, but hostile input must never escape the linter.
    return { ok: false, reason: `ASN.1 decoder failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const root = parsed.result as AsnBlock;
  if (parsed.offset === -1 || (root.error !== undefined && root.error !== '')) {
    return { ok: false, reason: `not valid BER: ${root.error || 'decoding failed'}` };
  }
  if (parsed.offset !== bytes.length) {
    return { ok: false, reason: `${bytes.length - parsed.offset} trailing byte(s) after the DER element` };
  }
  const issues: string[] = [];
  try {
    const node = convert(root, issues, 0);
    if (typeof node === 'string') return { ok: false, reason: node };
    return { ok: true, node, issues };
  } catch (e) {
    return { ok: false, reason: `ASN.1 structure unusable: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function convert(block: AsnBlock, issues: string[], depth: number): DerNode | string {
  if (depth > MAX_DEPTH) return 'nesting too deep';
  const { idBlock, lenBlock } = block;
  // X.690 §10.1: DER uses the definite form only. Content slicing below depends on it.
  if (lenBlock.isIndefiniteForm) return 'indefinite-length encoding (BER, not DER)';
  const raw = block.valueBeforeDecodeView;
  const headerLength = idBlock.blockLength + lenBlock.blockLength;
  if (!(raw instanceof Uint8Array) || headerLength > raw.length) return 'inconsistent ASN.1 header';
  const content = raw.subarray(headerLength);
  if (content.length !== lenBlock.length) return 'inconsistent ASN.1 length';
  // X.690 §10.1: the length is encoded in the minimum number of octets.
  if (lenBlock.blockLength !== minimalLengthOctets(lenBlock.length)) {
    issues.push(`non-minimal length encoding (${lenBlock.blockLength} octets for length ${lenBlock.length})`);
  }
  const cls = idBlock.tagClass;
  const tag = idBlock.tagNumber;
  const constructed = idBlock.isConstructed;
  const children: DerNode[] = [];
  if (constructed) {
    if (cls === TAG_CLASS_UNIVERSAL && PRIMITIVE_ONLY_TAGS.has(tag)) {
      // X.690 §10.2: DER encodes strings in primitive form.
      issues.push(`constructed encoding of universal tag ${tag}`);
    }
    const value = block.valueBlock.value;
    if (Array.isArray(value)) {
      for (const child of value) {
        const c = convert(child as AsnBlock, issues, depth + 1);
        if (typeof c === 'string') return c;
        children.push(c);
      }
    }
  } else if (cls === TAG_CLASS_UNIVERSAL) {
    checkPrimitive(tag, content, issues);
  }
  return { cls, tag, constructed, raw, content, children };
}

function checkPrimitive(tag: number, c: Uint8Array, issues: string[]): void {
  switch (tag) {
    case TAG_BOOLEAN:
      // X.690 §11.1: TRUE is FF.
      if (c.length !== 1 || (c[0] !== 0x00 && c[0] !== 0xff)) issues.push('BOOLEAN not encoded as 00 or FF');
      break;
    case TAG_INTEGER:
    case TAG_ENUMERATED:
      // X.690 §8.3.2: no redundant leading 00 / FF octet.
      if (c.length === 0) issues.push('empty INTEGER');
      else if (
        c.length > 1 &&
        ((c[0] === 0x00 && (c[1] as number) < 0x80) || (c[0] === 0xff && (c[1] as number) >= 0x80))
      ) {
        issues.push('INTEGER not minimally encoded');
      }
      break;
    case TAG_BIT_STRING: {
      // X.690 §8.6.2.2-3, §11.2.1: unused-bits octet 0..7, 0 for an empty string, padding zero.
      const unused = c[0];
      if (unused === undefined || unused > 7 || (c.length === 1 && unused !== 0)) {
        issues.push('BIT STRING with invalid unused-bits octet');
      } else if (c.length > 1 && unused > 0 && ((c[c.length - 1] as number) & ((1 << unused) - 1)) !== 0) {
        issues.push('BIT STRING padding bits not zero');
      }
      break;
    }
    case TAG_NULL:
      if (c.length !== 0) issues.push('NULL with content');
      break;
    default:
      break;
  }
}

// --- small helpers for walking DerNode trees -------------------------------------------------

export function isUniversal(n: DerNode | undefined, tag: number): n is DerNode {
  return n !== undefined && n.cls === TAG_CLASS_UNIVERSAL && n.tag === tag;
}

export function isContext(n: DerNode | undefined, tag: number): n is DerNode {
  return n !== undefined && n.cls === TAG_CLASS_CONTEXT && n.tag === tag;
}

/** Dotted OID from the content octets of an OBJECT IDENTIFIER (X.690 §8.19); null if malformed. */
export function decodeOid(content: Uint8Array): string | null {
  if (content.length === 0 || content.length > 64) return null;
  const arcs: number[] = [];
  let value = 0;
  let started = false;
  for (let i = 0; i < content.length; i++) {
    const b = content[i] as number;
    if (!started && b === 0x80) return null; // X.690 §8.19.2: no leading 0x80 padding
    started = true;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) return null;
    if ((b & 0x80) === 0) {
      arcs.push(value);
      value = 0;
      started = false;
    }
  }
  if (started) return null; // last octet had the continuation bit set
  const first = arcs[0] as number;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

export function oidOf(n: DerNode | undefined): string | null {
  return isUniversal(n, TAG_OID) ? decodeOid(n.content) : null;
}

/** String value of a DirectoryString-like node; null for non-string tags or bad encodings. */
export function decodeString(n: DerNode): string | null {
  if (n.cls !== TAG_CLASS_UNIVERSAL || n.constructed) return null;
  const c = n.content;
  try {
    switch (n.tag) {
      case TAG_UTF8_STRING:
        return new TextDecoder('utf-8', { fatal: true }).decode(c);
      case TAG_PRINTABLE_STRING:
      case TAG_IA5_STRING:
      case TAG_TELETEX_STRING:
      case TAG_UTC_TIME:
      case TAG_GENERALIZED_TIME:
        return latin1(c);
      case TAG_BMP_STRING:
        return new TextDecoder('utf-16be', { fatal: true }).decode(c);
      case TAG_UNIVERSAL_STRING: {
        if (c.length % 4 !== 0) return null;
        let s = '';
        for (let i = 0; i < c.length; i += 4) {
          const cp =
            (((c[i] as number) << 24) |
              ((c[i + 1] as number) << 16) |
              ((c[i + 2] as number) << 8) |
              (c[i + 3] as number)) >>>
            0;
          if (cp > 0x10ffff) return null;
          s += String.fromCodePoint(cp);
        }
        return s;
      }
      default:
        return null;
    }
  } catch {
    return null;
  }
}

export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
