// Certificate bundles as files hold them: PEM (RFC 7468 §5, any number of CERTIFICATE blocks, text
// around them ignored) or DER (one certificate, or several concatenated). Bounded and never throws.

/** Larger inputs are refused before looking at them. */
export const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;
/** At most this many certificates per bundle. */
export const MAX_BUNDLE_CERTIFICATES = 1024;

export type BundleResult =
  | { readonly ok: true; readonly certificates: readonly Uint8Array[] }
  | { readonly ok: false; readonly reason: string };

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/=\s]*$/;

function latin1(bytes: Uint8Array): string {
  // TextDecoder('latin1') is windows-1252 in WHATWG terms; byte-for-byte is what the regex needs.
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

export function splitCertificates(data: Uint8Array): BundleResult {
  if (!(data instanceof Uint8Array)) return { ok: false, reason: 'not bytes' };
  if (data.length === 0) return { ok: false, reason: 'empty' };
  if (data.length > MAX_BUNDLE_BYTES)
    return { ok: false, reason: `${data.length} bytes, above the bound of ${MAX_BUNDLE_BYTES}` };
  const text = latin1(data);
  if (text.includes('-----BEGIN')) {
    const certificates: Uint8Array[] = [];
    for (const m of text.matchAll(PEM_BLOCK)) {
      const body = m[1] ?? '';
      if (!BASE64_BODY.test(body))
        return {
          ok: false,
          reason: `PEM block ${certificates.length + 1} has PEM headers or non-base64 text`,
        };
      if (certificates.length >= MAX_BUNDLE_CERTIFICATES)
        return { ok: false, reason: `more than ${MAX_BUNDLE_CERTIFICATES} certificates` };
      const der = new Uint8Array(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
      if (der.length === 0) return { ok: false, reason: `PEM block ${certificates.length + 1} is empty` };
      certificates.push(der);
    }
    if (certificates.length === 0) return { ok: false, reason: 'PEM without a CERTIFICATE block' };
    return { ok: true, certificates };
  }
  // DER: consecutive SEQUENCE TLVs with definite lengths (X.690 §8.1.3).
  const certificates: Uint8Array[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (data[offset] !== 0x30)
      return { ok: false, reason: `neither PEM nor DER (byte ${offset} is not a SEQUENCE tag)` };
    const first = data[offset + 1];
    if (first === undefined) return { ok: false, reason: 'truncated DER' };
    let length: number;
    let header: number;
    if (first < 0x80) {
      length = first;
      header = 2;
    } else {
      const octets = first & 0x7f;
      if (octets === 0 || octets > 4)
        return { ok: false, reason: 'DER with an indefinite or oversized length' };
      if (offset + 2 + octets > data.length) return { ok: false, reason: 'truncated DER' };
      length = 0;
      for (let k = 0; k < octets; k++) length = length * 256 + (data[offset + 2 + k] as number);
      header = 2 + octets;
    }
    const end = offset + header + length;
    if (end > data.length) return { ok: false, reason: 'truncated DER' };
    if (certificates.length >= MAX_BUNDLE_CERTIFICATES)
      return { ok: false, reason: `more than ${MAX_BUNDLE_CERTIFICATES} certificates` };
    certificates.push(data.subarray(offset, end));
    offset = end;
  }
  return { ok: true, certificates };
}

/** PEM text of one DER certificate (RFC 7468 §5, 64-character lines). */
export function toPem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
