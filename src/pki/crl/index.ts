// CRL issuance (RFC 5280 §5): pure, storage-free; the server decides when to publish.

export { CRL_REASON, type CrlReasonCode, isCrlReasonCode } from '../ocsp/response.ts';
export { type BuildCrlInput, buildCrl, type CrlEntryInput } from './crl.ts';
