// Catalogue of stable error codes.
//
// A code is part of the public contract (CLI output, HTTP problem documents, logs): once released it
// keeps its meaning; a retired code stays listed as retired instead of being reused. Every code here
// must be documented in docs/errors.md (checked by catalogue.test.ts, in both directions).
// Codes are `<component>.<reason>` in kebab-case.

import { AppError, type AppErrorKind, type AppErrorOptions } from './app-error.ts';

export interface CatalogueEntry {
  readonly kind: AppErrorKind;
  readonly description: string;
}

export const ERROR_CATALOGUE = {
  // --- CLI -------------------------------------------------------------------------------------------
  'cli.usage': {
    kind: 'Malformed',
    description: 'Unknown command or option, missing or invalid argument. The CLI exits with code 2.',
  },
  'cli.input': {
    kind: 'Malformed',
    description: 'The CLI could not read or interpret its input (file, stdin, hex text).',
  },

  // --- EXI codec (EXI 1.0, ISO 15118-2 §7.9) ---------------------------------------------------------
  'exi.truncated': {
    kind: 'Codec',
    description: 'The EXI stream ended before the grammar reached EndDocument (or the end of a value).',
  },
  'exi.header': {
    kind: 'Codec',
    description:
      'The EXI header is not exactly 0x80 (no cookie, no options, version 1) as required by ' +
      'ISO 15118-2 §7.9.1.3; see docs/spec-decisions.md D-002.',
  },
  'exi.event-code': {
    kind: 'Codec',
    description: 'An event code does not select any production of the current grammar state.',
  },
  'exi.value-out-of-range': {
    kind: 'Codec',
    description:
      'A value is outside its schema type (facet, n-bit range, enumeration index, invalid code point) ' +
      'on decode or encode.',
  },
  'exi.limit': {
    kind: 'Codec',
    description:
      'A configured safety limit was exceeded (nesting depth, string or binary length, array length, ' +
      'total size).',
  },
  'exi.undeclared': {
    kind: 'Codec',
    description:
      'The stream uses a second-level (undeclared / schema-deviation) production such as xsi:type, ' +
      'xsi:nil or an undeclared element; refused on decode (docs/spec-decisions.md D-004).',
  },
  'exi.malformed': {
    kind: 'Codec',
    description:
      'Structurally invalid encoding: over-long unsigned integer, invalid code point, string-table hit ' +
      'beyond its partition, bytes after the end of the document.',
  },
  'exi.schema-mismatch': {
    kind: 'Codec',
    description:
      'The value model given to the encoder does not match the schema (missing required element, ' +
      'unknown field, wrong type, too many occurrences).',
  },

  // --- XML text (for the XML <-> EXI conversion of the CLI) ------------------------------------------
  'xml.parse': {
    kind: 'Malformed',
    description: 'The input is not well-formed XML.',
  },
  'xml.serialize': {
    kind: 'Malformed',
    description:
      'Content cannot be written as XML 1.0 (a character outside the XML Char production, a name that is ' +
      'not an NCName, a duplicate attribute).',
  },
  'xml.schema': {
    kind: 'Malformed',
    description: 'Well-formed XML that does not follow the schema of the selected message set.',
  },

  // --- XML signatures over EXI fragments (ISO 15118-2 §7.9.2.4, W3C XMLDSig) -------------------------
  'sig.reference-missing': {
    kind: 'Signature',
    description:
      'A signed element has no Reference in SignedInfo, or a Reference points to an element that does ' +
      'not exist.',
  },
  'sig.digest-mismatch': {
    kind: 'Signature',
    description: 'The digest of a referenced EXI fragment differs from its DigestValue.',
  },
  'sig.invalid': {
    kind: 'Signature',
    description: 'The signature value does not verify over the EXI-encoded SignedInfo with the given key.',
  },
  'sig.unsupported': {
    kind: 'Signature',
    description:
      'The signature uses an algorithm, transform or structure outside the ISO 15118 profile ' +
      '(e.g. KeyInfo, Object, a non-EXI canonicalization).',
  },

  // Signer (src/signer): key stores, software keys and PKCS#11.
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
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** Builds an AppError whose kind comes from the catalogue, so code and kind never disagree. */
export function appError(code: ErrorCode, message: string, options: AppErrorOptions = {}): AppError {
  return new AppError(ERROR_CATALOGUE[code].kind, code, message, options);
}
