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
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** Builds an AppError whose kind comes from the catalogue, so code and kind never disagree. */
export function appError(code: ErrorCode, message: string, options: AppErrorOptions = {}): AppError {
  return new AppError(ERROR_CATALOGUE[code].kind, code, message, options);
}
