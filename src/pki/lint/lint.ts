// lintCertificate: run every lint of the registry against one certificate and one profile.
// Never throws: hostile input becomes an 'x509.parse' violation, a failing lint becomes
// 'lint.internal-error' (docs/pki-profile-decisions.md P-027).

import type { CertificateProfile } from '../profiles/types.ts';
import { keyAlgorithmOf } from './algorithms.ts';
import { type ParsedCertificate, parseCertificate } from './certificate.ts';
import { decodeExtensions } from './extensions.ts';
import { LINTS } from './registry.ts';
import type { LintContext, LintOptions, LintResult, Violation } from './types.ts';

/**
 * Inputs above this size are rejected before any parsing. ISO 15118 certificates are at most
 * 800 (-2) / 1600 (-20) bytes; 64 KiB leaves room for linting ordinary X.509 certificates.
 */
export const MAX_INPUT_BYTES = 65_536;

type Parsed = { readonly cert: ParsedCertificate; readonly derIssues: readonly string[] };

function result(violations: Violation[]): LintResult {
  return { ok: !violations.some((v) => v.severity === 'error'), violations };
}

/** Size-bounded parse; a Violation (with the given code) instead of an exception. */
export function boundedParse(input: unknown, code: 'x509.parse' | 'x509.issuer.parse'): Parsed | Violation {
  const what = code === 'x509.parse' ? 'input' : 'issuer';
  const violation = (message: string): Violation => ({
    code,
    severity: 'error',
    message,
    clause: 'RFC 5280 §4.1; X.690',
  });
  if (!(input instanceof Uint8Array)) return violation(`${what} is not a Uint8Array`);
  // The bound is checked before any decoding so a huge input costs nothing.
  if (input.length > MAX_INPUT_BYTES)
    return violation(`${what} is ${input.length} bytes, above the ${MAX_INPUT_BYTES}-byte bound`);
  if (input.length === 0) return violation(`${what} is empty`);
  const parsed = parseCertificate(input);
  return parsed.ok
    ? { cert: parsed.cert, derIssues: parsed.derIssues }
    : violation(`${what} is not a DER certificate: ${parsed.reason}`);
}

/** Check `der` against `profile`. Works on any DER certificate, including lint-before-sign ones. */
export function lintCertificate(
  der: Uint8Array,
  profile: CertificateProfile,
  options: LintOptions = {},
): LintResult {
  const parsed = boundedParse(der, 'x509.parse');
  if ('code' in parsed) return result([parsed]);
  const violations: Violation[] = [];
  let issuer: ParsedCertificate | null = null;
  if (options.issuer !== undefined) {
    const parsedIssuer = boundedParse(options.issuer, 'x509.issuer.parse');
    if ('code' in parsedIssuer) violations.push(parsedIssuer);
    else issuer = parsedIssuer.cert;
  }
  const ctx: LintContext = {
    cert: parsed.cert,
    profile,
    at: options.at ?? new Date(),
    issuer,
    ext: decodeExtensions(parsed.cert),
    keyAlgorithm: keyAlgorithmOf(parsed.cert.spki),
    derIssues: parsed.derIssues,
  };
  for (const lint of LINTS) {
    try {
      for (const f of lint.check(ctx)) {
        violations.push({
          code: lint.code,
          severity: f.severity ?? lint.severity,
          message: f.message,
          clause: f.clause ?? lint.clause,
        });
      }
    } catch (e) {
      violations.push({
        code: 'lint.internal-error',
        severity: 'error',
        message: `lint ${lint.code} failed: ${e instanceof Error ? e.message : String(e)}`,
        clause: 'none (defect in the linter)',
      });
    }
  }
  return result(violations);
}
