// EST response bodies (RFC 7030 §4.1.3 cacerts, §4.2.3 simpleenroll): a certs-only, "degenerate"
// CMS SignedData (RFC 5652 §5; no content, no signers), base64-encoded.

import { appError } from '../../errors/catalogue.ts';
import { bytesEqual, DerFormatError, explicit, integer, oid, sequence, set, tlv } from '../ocsp/asn1.ts';
import { type CertificateInfo, OID, parseCertificate } from '../ocsp/x509.ts';

function chainError(message: string, details?: Record<string, unknown>): never {
  throw appError('est.chain', message, details === undefined ? {} : { details });
}

function parseAll(certsDer: readonly Uint8Array[]): CertificateInfo[] {
  if (!Array.isArray(certsDer) || certsDer.length === 0) chainError('at least one certificate is required');
  return certsDer.map((der, index) => {
    if (!(der instanceof Uint8Array)) chainError(`certificate ${index} is not bytes`, { index });
    try {
      return parseCertificate(der);
    } catch (e) {
      if (e instanceof DerFormatError) chainError(`certificate ${index}: ${e.message}`, { index });
      throw e;
    }
  });
}

/**
 * ContentInfo { id-signedData, SignedData { version 1, digestAlgorithms {}, encapContentInfo
 * { id-data } (no eContent), certificates [0] IMPLICIT, signerInfos {} } } (RFC 5652 §5.1;
 * version 1 because there are no attribute certificates, no v2 crls and eContentType is id-data).
 *
 * The certificates keep the caller's order, deliberately not the DER SET OF sort order: clients
 * read positions — CitrineOS takes the first certificate of simpleenroll as the leaf and the
 * last of cacerts as the root, MaEVe takes Certificates[0] as the leaf (interop.md §1.1, §1.2,
 * matrix row "EST response": enroll leaf first, cacerts root last). OpenSSL's crl2pkcs7 and
 * libest keep the order too. Use orderChainLeafFirst when the order is not known.
 */
export function certsOnlyPkcs7(certsDer: readonly Uint8Array[]): Uint8Array {
  const certs = parseAll(certsDer);
  const signedData = sequence(
    integer(1n),
    set(), // digestAlgorithms: none
    sequence(oid(OID.data)), // encapContentInfo without eContent
    tlv(0xa0, ...certs.map((c) => c.der)), // certificates [0] IMPLICIT CertificateSet
    set(), // signerInfos: none
  );
  return sequence(oid(OID.signedData), explicit(0, signedData));
}

/**
 * Orders certificates of one chain from the leaf (or lowest CA) to the root by following
 * issuer → subject names (byte-exact DER, RFC 5280 §4.1.2.4), with the AuthorityKeyIdentifier /
 * SubjectKeyIdentifier pair breaking ties between CAs of the same name. Throws 'est.chain' when
 * the certificates do not form exactly one path (a fork, a gap, a duplicate).
 */
export function orderChainLeafFirst(certsDer: readonly Uint8Array[]): Uint8Array[] {
  const certs = parseAll(certsDer);
  const selfIssued = (c: CertificateInfo) => bytesEqual(c.issuerDer, c.subjectDer);
  const issuerOf = (child: CertificateInfo): CertificateInfo | undefined => {
    if (selfIssued(child)) return undefined;
    const candidates = certs.filter((c) => c !== child && bytesEqual(c.subjectDer, child.issuerDer));
    if (candidates.length <= 1) return candidates[0];
    const aki = authorityKeyId(child);
    const matching = candidates.filter(
      (c) =>
        aki !== undefined && c.subjectKeyIdentifier !== undefined && bytesEqual(c.subjectKeyIdentifier, aki),
    );
    if (matching.length !== 1) chainError('ambiguous issuer in the certificate chain');
    return matching[0];
  };
  const issued = new Set<CertificateInfo>();
  for (const c of certs) {
    const parent = issuerOf(c);
    if (parent !== undefined) {
      if (issued.has(parent)) chainError('the certificates fork: one CA issued two of them');
      issued.add(parent);
    }
  }
  const starts = certs.filter((c) => !issued.has(c));
  if (starts.length !== 1 || starts[0] === undefined)
    chainError('the certificates do not form a single chain');
  const ordered: CertificateInfo[] = [];
  for (let c: CertificateInfo | undefined = starts[0]; c !== undefined; c = issuerOf(c)) {
    if (ordered.includes(c)) chainError('the certificate chain has a cycle');
    ordered.push(c);
  }
  if (ordered.length !== certs.length) chainError('the certificates do not form a single chain');
  return ordered.map((c) => c.der.slice());
}

function authorityKeyId(cert: CertificateInfo): Uint8Array | undefined {
  const ext = cert.extensions.find((e) => e.oid === OID.authorityKeyIdentifier);
  if (ext === undefined) return undefined;
  // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, ... }
  const v = ext.value;
  if (v[0] !== 0x30 || v.length < 4 || v[2] !== 0x80) return undefined;
  const length = v[3] ?? 0;
  return length < 0x80 && v.length >= 4 + length ? v.slice(4, 4 + length) : undefined;
}
