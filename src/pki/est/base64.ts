// Base64 text of EST bodies (RFC 7030 §4.1.3, §4.2.3: "Content-Transfer-Encoding: base64", i.e.
// RFC 2045 §6.8) and decoding of the base64 CSR bodies clients POST (§4.2.1).

import { appError } from '../../errors/catalogue.ts';

/** RFC 2045 §6.8: "encoded lines must be no more than 76 characters long". */
export const EST_BASE64_LINE_LENGTH = 76;

/**
 * Base64 of `der` in lines of 76 characters, each ended by LF (the last one too).
 *
 * Wrapped, because MaEVe's scripts decode with `openssl enc -base64 -d`, which outputs nothing
 * for a single long line (interop.md §1.2; matrix row "EST response": line-wrapped ≤ 76 chars).
 * LF rather than MIME's canonical CRLF: OpenSSL, Go's and Node's decoders accept both, but GNU
 * coreutils `base64 -d` — the other shell tool a script would reach for — rejects CR ("invalid
 * input"); checked with coreutils 9.1 and OpenSSL 3.0 (see base64.test.ts).
 */
export function estBase64(der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += EST_BASE64_LINE_LENGTH) {
    out += `${b64.slice(i, i + EST_BASE64_LINE_LENGTH)}\n`;
  }
  return out;
}

/**
 * Strict standard-alphabet base64 decoding that ignores whitespace (line breaks of any kind,
 * spaces, tabs). Returns undefined when the text is not base64.
 */
export function decodeBase64Lenient(text: string): Uint8Array | undefined {
  const compact = text.replace(/[\s]+/g, '');
  const unpadded = compact.replace(/={1,2}$/, '');
  if (unpadded.length === 0 || !/^[A-Za-z0-9+/]+$/.test(unpadded) || unpadded.length % 4 === 1)
    return undefined;
  if (compact.length !== unpadded.length && compact.length % 4 !== 0) return undefined;
  return new Uint8Array(Buffer.from(unpadded, 'base64'));
}

export function estBadRequest(message: string, details?: Record<string, unknown>): never {
  throw appError('est.bad-request', message, details === undefined ? {} : { details });
}
