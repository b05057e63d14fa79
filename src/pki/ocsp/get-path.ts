// OCSP over HTTP GET (RFC 6960 Appendix A.1): `GET {url}/{url-encoding of base-64 encoding of the
// DER OCSPRequest}`.
//
// Real clients are sloppier than the RFC, so this decoder accepts (Boulder's responder repairs the
// same cases, pki-profiles.md §7.2):
//   - percent-encoding of any character (%2B, %2F, %3D, lower- or upper-case hex);
//   - raw '+' and '/' (base64 not URL-encoded at all: the request then spans several path
//     segments, so pass everything after the responder's base path, not one segment);
//   - ' ' (or %20) where a '+' was form-decoded by a proxy or framework;
//   - the base64url alphabet ('-', '_') and missing '=' padding;
//   - a leading '/' from a base URL joined with a double slash;
//   - CR / LF (percent-encoded or not) from encoders that wrap base64 lines.
// The result is the DER request; hand it to parseOcspRequest.

import { appError } from '../../errors/catalogue.ts';
import { OCSP_MAX_REQUEST_BYTES } from './request.ts';

/** Longest path accepted: base64 of the largest request, every character percent-encoded. */
export const OCSP_MAX_GET_PATH_CHARS = Math.ceil(OCSP_MAX_REQUEST_BYTES / 3) * 4 * 3 + 16;

function malformed(message: string, details?: Record<string, unknown>): never {
  throw appError('ocsp.malformed', message, details === undefined ? {} : { details });
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

/**
 * Decodes the path part of an OCSP GET request to the DER OCSPRequest. `path` is everything after
 * the responder's base path, without the query string. Throws AppError 'ocsp.malformed'.
 */
export function decodeOcspGetPath(path: string): Uint8Array {
  if (typeof path !== 'string') malformed('OCSP GET path must be a string');
  if (path.length > OCSP_MAX_GET_PATH_CHARS) {
    malformed('OCSP GET path too long', { length: path.length, limit: OCSP_MAX_GET_PATH_CHARS });
  }
  // 1. Percent-decoding (RFC 3986 §2.1); only ASCII can be part of base64.
  let text = '';
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x25 /* % */) {
      const hi = hexValue(path.charCodeAt(i + 1));
      const lo = hexValue(path.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) malformed('invalid percent-encoding in OCSP GET path', { offset: i });
      text += String.fromCharCode(hi * 16 + lo);
      i += 2;
    } else {
      text += path[i];
    }
  }
  // 2. Normalise to the standard base64 alphabet.
  text = text
    .replace(/^\/+/, '') // a DER OCSPRequest starts with 0x30, i.e. base64 'M': never a leading '/'
    .replace(/[\r\n]/g, '')
    .replace(/ /g, '+')
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  const unpadded = text.replace(/={1,2}$/, '');
  if (unpadded.length === 0) malformed('empty OCSP GET request');
  if (!/^[A-Za-z0-9+/]+$/.test(unpadded)) malformed('OCSP GET path is not base64');
  if (unpadded.length % 4 === 1) malformed('OCSP GET path has an impossible base64 length');
  if (text.length !== unpadded.length && text.length % 4 !== 0) malformed('wrong base64 padding');
  const der = new Uint8Array(Buffer.from(unpadded, 'base64'));
  if (der.byteLength > OCSP_MAX_REQUEST_BYTES) {
    malformed('OCSP request too large', { size: der.byteLength, limit: OCSP_MAX_REQUEST_BYTES });
  }
  return der;
}

/** The canonical GET path of a DER request: base64, then percent-encoded (RFC 6960 A.1). */
export function encodeOcspGetPath(der: Uint8Array): string {
  return encodeURIComponent(Buffer.from(der).toString('base64'));
}
