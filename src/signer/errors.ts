// Error codes of the signer component. Every failure the signer expects is an AppError with one of
// these codes; `details` carries only non-secret context (backend, PKCS#11 function and return value,
// file name), never key bytes, passphrases or PINs, so errors can be logged as they are.
//
// HSM failures carry `details.backend = 'pkcs11'` so that metrics can count them apart from software
// failures (practice taken from boulder `ca/ca.go`, which counts PKCS#11 signing errors separately).

import { AppError, type AppErrorKind, type AppErrorOptions } from '../errors/app-error.ts';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors/catalogue.ts';

// The codes live in the one error catalogue (src/errors/catalogue.ts, documented in docs/errors.md).
export type SignerErrorCode = Extract<ErrorCode, `signer.${string}`>;

export const SIGNER_ERROR_CATALOGUE: Readonly<
  Record<SignerErrorCode, { readonly kind: AppErrorKind; readonly description: string }>
> = Object.fromEntries(
  Object.entries(ERROR_CATALOGUE).filter(([code]) => code.startsWith('signer.')),
) as Record<SignerErrorCode, { readonly kind: AppErrorKind; readonly description: string }>;

export function signerError(code: SignerErrorCode, message: string, options: AppErrorOptions = {}): AppError {
  return new AppError(SIGNER_ERROR_CATALOGUE[code].kind, code, message, options);
}
