// Types of the lint engine. A lint checks one concern, has one stable code and returns zero or
// more findings; the engine stamps code, severity and clause onto each finding.

import type { CertificateProfile, KeyAlgorithm, Severity } from '../profiles/types.ts';
import type { ParsedCertificate } from './certificate.ts';
import type { DecodedExtensions } from './extensions.ts';

export type { Severity };

export interface Violation {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly clause: string;
}

export interface LintResult {
  /** True when no violation has severity 'error'. */
  readonly ok: boolean;
  readonly violations: readonly Violation[];
}

export interface LintOptions {
  /** Time for the expiry checks; defaults to the current time. */
  readonly at?: Date;
  /**
   * DER of the issuing certificate, when known. Enables the issuer-relative lints (name
   * chaining, AKI = issuer SKI, validity inside the issuer's). The issuer's signature is not
   * verified: lint-before-sign certificates carry a throw-away signature.
   */
  readonly issuer?: Uint8Array;
}

export interface LintContext {
  readonly cert: ParsedCertificate;
  readonly profile: CertificateProfile;
  readonly at: Date;
  readonly issuer: ParsedCertificate | null;
  readonly ext: DecodedExtensions;
  /** Subject key type, or null when it is none of the known ones. */
  readonly keyAlgorithm: KeyAlgorithm | null;
  /** DER-level issues collected while parsing (X.690 §10-11). */
  readonly derIssues: readonly string[];
}

export interface Finding {
  readonly message: string;
  /** Overrides the lint's default severity (profile-dependent checks). */
  readonly severity?: Severity;
  /** Overrides the lint's default clause (e.g. the profile's own evidence). */
  readonly clause?: string;
}

export interface Lint {
  /** Stable identifier, e.g. 'v2g.key-usage.not-critical'. Never reused for another meaning. */
  readonly code: string;
  readonly severity: Severity;
  readonly clause: string;
  /** One line for `pnc pki lint --list` and the docs. */
  readonly summary: string;
  check(ctx: LintContext): readonly Finding[];
}
