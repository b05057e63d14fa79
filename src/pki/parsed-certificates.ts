// A bounded cache of certificates parsed by node:crypto, for hot paths that see the same certificates
// again and again (the CCP installation call verifies every request's OEM signature with the
// provisioning certificate it carries; a vehicle retries; docs/ccp.md "Performance", D-170).
//
// Parsing a DER certificate (`new X509Certificate`), extracting its public key and reading the key's
// type and curve cost more than the ECDSA verification they serve. The cache maps the SHA-256 of the
// DER to the parsed facts; a hit is confirmed by comparing the full DER bytes, so a hash collision can
// never hand out another certificate's key. Values are immutable (X509Certificate, KeyObject, strings),
// so sharing them between requests changes nothing. Least recently used entries are dropped beyond
// MAX_ENTRIES; DER that does not parse is not cached (the caller's error path stays as it was).

import { hash, type KeyObject, X509Certificate } from 'node:crypto';

/**
 * Entries kept. A parsed certificate with its key holds about 8 KB of OpenSSL memory, so the cache
 * is small (~8 MB): it serves the several parses of one request (signature, PCID, chain) and
 * retries within about a second, not a whole fleet.
 */
export const MAX_PARSED_CERTIFICATES = 1024;

export interface ParsedCertificate {
  readonly der: Uint8Array;
  readonly x509: X509Certificate;
  readonly publicKey: KeyObject;
  /** node:crypto's subject: `CN=…` lines separated by newlines. */
  readonly subject: string;
  /** `asymmetricKeyType` of the public key ('ec', 'ed448', ...). */
  readonly keyType: string | undefined;
  /** `asymmetricKeyDetails.namedCurve` of an EC key (e.g. 'prime256v1'). */
  readonly namedCurve: string | undefined;
}

const cache = new Map<string, ParsedCertificate>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * The certificate parsed, from the cache when the same DER was parsed before. Throws what
 * `new X509Certificate(der)` throws for DER that does not parse.
 */
export function parseCertificateCached(der: Uint8Array): ParsedCertificate {
  const key = hash('sha256', der, 'base64');
  const hit = cache.get(key);
  if (hit !== undefined && sameBytes(hit.der, der)) {
    // Most recently used last: re-insert.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const x509 = new X509Certificate(der);
  const publicKey = x509.publicKey;
  const parsed: ParsedCertificate = {
    der: new Uint8Array(der),
    x509,
    publicKey,
    subject: x509.subject,
    keyType: publicKey.asymmetricKeyType,
    namedCurve: publicKey.asymmetricKeyDetails?.namedCurve,
  };
  if (cache.size >= MAX_PARSED_CERTIFICATES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, parsed);
  return parsed;
}

/** Entries held (for tests). */
export function parsedCertificateCount(): number {
  return cache.size;
}
