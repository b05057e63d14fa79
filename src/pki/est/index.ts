// EST encodings (RFC 7030) for the V2G PKI: certs-only PKCS#7 bodies, their base64 text, CSR
// request bodies and the path forms real clients use. Storage- and HTTP-free.

export { decodeBase64Lenient, EST_BASE64_LINE_LENGTH, estBase64 } from './base64.ts';
export { EST_MAX_BODY_BYTES, EST_MAX_CSR_BYTES, parseEstCsrBody } from './csr-body.ts';
export {
  type EstAlgorithm,
  type EstCa,
  type EstIso,
  type EstOperation,
  type EstPathForm,
  type EstPathMatrixRow,
  type EstRoute,
  estPathMatrix,
  estPathNonMatches,
  type ResolveEstPathOptions,
  resolveEstPath,
} from './paths.ts';
export { certsOnlyPkcs7, orderChainLeafFirst } from './pkcs7.ts';

/**
 * Response headers of EST certificate responses (RFC 7030 §4.1.3, §4.2.3; interop.md §1.6 row
 * "EST response"). The status must be 200, not 201 (CitrineOS fails on anything else).
 */
export const EST_CERTS_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/pkcs7-mime; smime-type=certs-only',
  'content-transfer-encoding': 'base64',
};
