// Certificate lint: lintCertificate (profile conformance), detectProfile (guess the profile),
// LINTS / ENGINE_CODES (the list of codes, for `pnc pki lint --list` and the docs).

export { type DetectResult, detectProfile } from './detect.ts';
export { lintCertificate, MAX_INPUT_BYTES } from './lint.ts';
export { ENGINE_CODES, LINTS } from './registry.ts';
export type { Lint, LintOptions, LintResult, Severity, Violation } from './types.ts';
