// PKCS#10 CSR parsing, proof of possession and ISO 15118 role checks. Pure and storage-free.

export {
  CSR_MAX_BYTES,
  type CsrPublicKey,
  type CsrSignatureAlgorithm,
  type CsrSubject,
  type ParsedCsr,
  parseCsr,
  type SubjectAttribute,
} from './parse.ts';
export {
  type CommonNameCheck,
  type CsrPolicyOptions,
  type CsrRole,
  type CsrViolation,
  type CsrViolationCode,
  checkCsrForRole,
  csrRoleForEstCa,
  csrViolationsError,
} from './policy.ts';
