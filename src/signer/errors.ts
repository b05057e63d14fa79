// Error codes of the signer component. Every failure the signer expects is an AppError with one of
// these codes; `details` carries only non-secret context (backend, PKCS#11 function and return value,
// file name), never key bytes, passphrases or PINs, so errors can be logged as they are.
//
// HSM failures carry `details.backend = 'pkcs11'` so that metrics can count them apart from software
// failures (practice taken from boulder `ca/ca.go`, which counts PKCS#11 signing errors separately).

import { AppError, type AppErrorKind, type AppErrorOptions } from '../errors/app-error.ts';

export const SIGNER_ERROR_CATALOGUE = {
  'signer.invalid-argument': {
    kind: 'Malformed',
    description:
      'A key store was configured or called with an invalid value (unknown algorithm, bad label, ' +
      'malformed key id, missing passphrase or PIN).',
  },
  'signer.key-not-found': {
    kind: 'NotFound',
    description: 'No key with the given id exists in the key store.',
  },
  'signer.algorithm-unsupported': {
    kind: 'Policy',
    description:
      'The backend cannot generate or use keys of the requested algorithm (e.g. a PKCS#11 token ' +
      'without CKM_EC_EDWARDS_KEY_PAIR_GEN / CKM_EDDSA for Ed448).',
  },
  'signer.bad-passphrase': {
    kind: 'Internal',
    description:
      'A software key could not be decrypted: wrong passphrase (PNC_KEY_PASSPHRASE) or a damaged key file.',
  },
  'signer.key-corrupt': {
    kind: 'Internal',
    description: 'A stored key is malformed or inconsistent (file header, algorithm, PKCS#11 attributes).',
  },
  'signer.storage': {
    kind: 'Internal',
    description:
      'The software key directory cannot be used: I/O error, or permissions that let other users ' +
      'read it (the directory must be 0700, key files 0600).',
  },
  'signer.crypto': {
    kind: 'Internal',
    description: 'node:crypto failed unexpectedly while generating a software key or signing with it.',
  },
  'signer.closed': {
    kind: 'Internal',
    description: 'The key store was used after close().',
  },
  'signer.hsm-unavailable': {
    kind: 'Unavailable',
    description:
      'The PKCS#11 module cannot be loaded (library or the pkcs11js package missing), the token is not ' +
      'present, or the device was removed.',
  },
  'signer.hsm-login': {
    kind: 'Internal',
    description: 'Login to the PKCS#11 token failed (wrong or locked user PIN).',
  },
  'signer.hsm-error': {
    kind: 'Internal',
    description: 'A PKCS#11 call failed; details name the function and the CKR_ return value.',
  },
  'signer.self-check': {
    kind: 'Internal',
    description:
      'A signature produced by the backend did not verify against the key\u2019s public key, or a ' +
      'generated key does not have the required protection attributes; nothing was returned.',
  },
} as const satisfies Record<string, { readonly kind: AppErrorKind; readonly description: string }>;

export type SignerErrorCode = keyof typeof SIGNER_ERROR_CATALOGUE;

export function signerError(code: SignerErrorCode, message: string, options: AppErrorOptions = {}): AppError {
  return new AppError(SIGNER_ERROR_CATALOGUE[code].kind, code, message, options);
}
