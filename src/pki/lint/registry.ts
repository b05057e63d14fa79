// All lints in run order. Codes are stable: a code is never reused for another meaning, and a
// retired lint keeps its code reserved (docs/pki-profile-decisions.md P-027).

import { CONSTRAINT_LINTS } from './lints/constraints.ts';
import { EXTENSION_LINTS } from './lints/extensions.ts';
import { KEY_ID_LINTS } from './lints/keyids.ts';
import { KEY_LINTS } from './lints/keys.ts';
import { NAME_LINTS } from './lints/names.ts';
import { STRUCTURE_LINTS } from './lints/structure.ts';
import { VALIDITY_LINTS } from './lints/validity.ts';
import type { Lint, Severity } from './types.ts';

export const LINTS: readonly Lint[] = [
  ...STRUCTURE_LINTS,
  ...KEY_LINTS,
  ...VALIDITY_LINTS,
  ...EXTENSION_LINTS,
  ...CONSTRAINT_LINTS,
  ...NAME_LINTS,
  ...KEY_ID_LINTS,
];

/** Codes the engine itself emits (not lint functions). */
export const ENGINE_CODES: readonly {
  readonly code: string;
  readonly severity: Severity;
  readonly clause: string;
  readonly summary: string;
}[] = [
  {
    code: 'x509.parse',
    severity: 'error',
    clause: 'RFC 5280 §4.1; X.690',
    summary:
      'The input is not a DER X.509 certificate (or exceeds the input size bound); no other lint runs.',
  },
  {
    code: 'x509.issuer.parse',
    severity: 'error',
    clause: 'RFC 5280 §4.1',
    summary: 'options.issuer is not a DER X.509 certificate; the issuer-relative lints are skipped.',
  },
  {
    code: 'lint.internal-error',
    severity: 'error',
    clause: 'none (defect in the linter)',
    summary: 'A lint function threw; reported instead of propagating. Never expected.',
  },
];
