// The body of an EST simpleenroll request (RFC 7030 §4.2.1): "application/pkcs10", a base64 DER
// PKCS#10 CSR.

import { decodeBase64Lenient, estBadRequest } from './base64.ts';

/** Largest request body we look at (a P-521 CSR is ~0.7 KiB of base64). */
export const EST_MAX_BODY_BYTES = 64 * 1024;
/** Largest decoded CSR; parseCsr applies the same bound (src/pki/csr). */
export const EST_MAX_CSR_BYTES = 16 * 1024;

const ACCEPTED_MEDIA_TYPES = new Set(['application/pkcs10', 'application/x-pkcs10']);

/**
 * Extracts the DER CSR from an EST enroll body. Accepts, per interop.md §1.1, §1.2 and the matrix
 * row "EST body":
 *   - base64 on one line (CitrineOS: PEM with header, footer and newlines removed) or wrapped
 *     with LF / CRLF (MaEVe: `openssl base64` output, 64-character lines);
 *   - a full PEM block (`-----BEGIN CERTIFICATE REQUEST-----`): not RFC 7030, but what a `curl
 *     --data-binary @csr.pem` sends; accepting it costs nothing;
 *   - Content-Type `application/pkcs10` (RFC 7030 §4.2.1), the legacy `application/x-pkcs10`,
 *     parameters ignored, or no Content-Type at all. Content-Transfer-Encoding is not looked at.
 * Refused with 'est.bad-request': other media types, bodies over 64 KiB, binary bodies (no client
 * in interop.md sends raw DER, and RFC 7030 requires base64), invalid base64, a decoded CSR over
 * 16 KiB or not starting with a SEQUENCE. The CSR itself is checked by parseCsr.
 */
export function parseEstCsrBody(body: string | Uint8Array, contentType: string | undefined): Uint8Array {
  if (contentType !== undefined && contentType.trim() !== '') {
    const media = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!ACCEPTED_MEDIA_TYPES.has(media)) {
      estBadRequest('EST enroll requests must be application/pkcs10 (RFC 7030 §4.2.1)', {
        contentType: media,
      });
    }
  }
  let text: string;
  if (typeof body === 'string') {
    if (body.length > EST_MAX_BODY_BYTES)
      estBadRequest('EST request body too large', { limit: EST_MAX_BODY_BYTES });
    text = body;
  } else if (body instanceof Uint8Array) {
    if (body.byteLength > EST_MAX_BODY_BYTES) {
      estBadRequest('EST request body too large', { size: body.byteLength, limit: EST_MAX_BODY_BYTES });
    }
    if (body.some((b) => b >= 0x80 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d))) {
      estBadRequest('EST request body is binary; RFC 7030 §4.2.1 requires base64');
    }
    text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  } else {
    estBadRequest('EST request body must be text or bytes');
  }
  const pem =
    /^\s*-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (?:NEW )?CERTIFICATE REQUEST-----\s*$/.exec(
      text,
    );
  const der = decodeBase64Lenient(pem?.[1] ?? text);
  if (der === undefined) estBadRequest('EST request body is not base64');
  if (der.byteLength > EST_MAX_CSR_BYTES) {
    estBadRequest('CSR too large', { size: der.byteLength, limit: EST_MAX_CSR_BYTES });
  }
  if (der[0] !== 0x30) estBadRequest('the decoded body is not a DER CSR');
  return der;
}
