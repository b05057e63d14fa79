// Test support: a minimal exact DER encoder, used to write extension values and to build
// precise mutations (an encoder we control byte for byte, unlike a library's defaults).

import type { KeyUsageBit } from '../../profiles/types.ts';
import { KEY_USAGE_BITS } from '../extensions.ts';

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** One TLV with a single-octet identifier. */
export function tlv(tag: number, content: Uint8Array | readonly number[]): Uint8Array {
  const c = content instanceof Uint8Array ? content : Uint8Array.from(content);
  return concat([Uint8Array.from([tag, ...lengthOctets(c.length)]), c]);
}

export const seq = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, concat(parts));
export const set = (...parts: Uint8Array[]): Uint8Array => tlv(0x31, concat(parts));
export const bool = (v: boolean): Uint8Array => tlv(0x01, [v ? 0xff : 0x00]);
export const nul = (): Uint8Array => Uint8Array.of(0x05, 0x00);
export const octets = (b: Uint8Array): Uint8Array => tlv(0x04, b);
export const utf8 = (s: string): Uint8Array => tlv(0x0c, new TextEncoder().encode(s));
export const printable = (s: string): Uint8Array => tlv(0x13, new TextEncoder().encode(s));
export const ia5 = (s: string): Uint8Array => tlv(0x16, new TextEncoder().encode(s));
/** Context-specific [n], primitive or constructed. */
export const ctx = (n: number, constructed: boolean, content: Uint8Array): Uint8Array =>
  tlv((constructed ? 0xa0 : 0x80) | n, content);

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [];
  const push = (v: number) => {
    const stack = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) stack.unshift((x & 0x7f) | 0x80);
    body.push(...stack);
  };
  push((arcs[0] as number) * 40 + (arcs[1] as number));
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, body);
}

/** Non-negative INTEGER, minimal. */
export function int(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || (bytes[0] as number) >= 0x80) bytes.unshift(0);
  return tlv(0x02, bytes);
}

/** DER named BIT STRING for keyUsage (X.690 §11.2.2: trailing zero bits removed). */
export function keyUsageValue(bits: readonly KeyUsageBit[]): Uint8Array {
  const idx = bits.map((b) => KEY_USAGE_BITS.indexOf(b));
  const last = Math.max(...idx);
  const bytes = new Uint8Array(Math.floor(last / 8) + 1);
  for (const i of idx) bytes[i >> 3] = (bytes[i >> 3] as number) | (0x80 >> (i & 7));
  const unused = 7 - (last % 8);
  return tlv(0x03, concat([Uint8Array.of(unused), bytes]));
}

export function utcTime(d: Date): Uint8Array {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return tlv(0x17, new TextEncoder().encode(`${s}Z`));
}

export function generalizedTime(d: Date): Uint8Array {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return tlv(0x18, new TextEncoder().encode(`${s}Z`));
}

/** Find `needle` in `hay` exactly once and replace it; throws otherwise (keeps mutations honest). */
export function replaceOnce(hay: Uint8Array, needle: Uint8Array, replacement: Uint8Array): Uint8Array {
  const hits: number[] = [];
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    hits.push(i);
  }
  if (hits.length !== 1) throw new Error(`replaceOnce: ${hits.length} matches`);
  const at = hits[0] as number;
  return concat([hay.subarray(0, at), replacement, hay.subarray(at + needle.length)]);
}
