// OCSP responder logic (RFC 6960; nonce RFC 9654): request parsing, CertID matching, signed
// responses, GET path decoding and a pre-signing cache. Storage- and HTTP-free: the server wires
// lookups, clocks and transport. No module here uses @peculiar/x509, so reflect-metadata is not
// needed.

export { type CachedOcspResponse, OcspResponseCache, type OcspResponseCacheOptions } from './cache.ts';
export { decodeOcspGetPath, encodeOcspGetPath, OCSP_MAX_GET_PATH_CHARS } from './get-path.ts';
export {
  type CertId,
  certIdFor,
  certIdKey,
  decodeHexOcspBody,
  encodeCertId,
  matchCertId,
  OCSP_HASH_ALGORITHMS,
  OCSP_MAX_CERT_IDS,
  OCSP_MAX_REQUEST_BYTES,
  OCSP_MAX_SERIAL_BYTES,
  OCSP_NONCE_MAX_BYTES,
  type OcspExtensionInfo,
  type OcspHashAlgorithm,
  type OcspIssuer,
  type OcspRequestInfo,
  parseOcspRequest,
  serialToHex,
} from './request.ts';
export {
  type BuildOcspResponseInput,
  buildOcspResponse,
  buildPreparedOcspResponse,
  CRL_REASON,
  type CrlReasonCode,
  isCrlReasonCode,
  type OcspCertStatus,
  type OcspErrorStatus,
  type OcspResponder,
  type OcspResponseContent,
  type OcspSingleResponseInput,
  ocspErrorResponse,
  ocspErrorStatusFor,
  type PreparedOcspResponder,
  prepareOcspResponder,
} from './response.ts';
export { type CertificateInfo, OID, type PublicKeyAlgorithm, parseCertificate, parseSpki } from './x509.ts';
