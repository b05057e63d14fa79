// Extension hygiene: duplicates, malformed values, criticality, the per-profile extension set.

import {
  EXTENSION_NAMES,
  OID_AUTHORITY_INFO_ACCESS,
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_BASIC_CONSTRAINTS,
  OID_CERTIFICATE_POLICIES,
  OID_CRL_DISTRIBUTION_POINTS,
  OID_EXTENDED_KEY_USAGE,
  OID_KEY_USAGE,
  OID_SUBJECT_KEY_IDENTIFIER,
} from '../../profiles/oids.ts';
import { decodeDer } from '../der.ts';
import { EXTENSION_DECODERS } from '../extensions.ts';
import type { Finding, Lint } from '../types.ts';

function extName(oid: string): string {
  return EXTENSION_NAMES[oid] ?? oid;
}

export const extensionDuplicate: Lint = {
  code: 'x509.extension.duplicate',
  severity: 'error',
  clause: 'RFC 5280 §4.2',
  summary: 'An extension appears more than once.',
  check(ctx) {
    const seen = new Set<string>();
    const out: Finding[] = [];
    for (const e of ctx.cert.extensions) {
      if (seen.has(e.oid)) out.push({ message: `${extName(e.oid)} appears more than once` });
      seen.add(e.oid);
    }
    return out;
  },
};

export const extensionMalformed: Lint = {
  code: 'x509.extension.malformed',
  severity: 'error',
  clause: 'RFC 5280 §4.2 (extnValue holds the DER of the extension value)',
  summary: 'An extension value cannot be decoded.',
  check(ctx) {
    const out: Finding[] = [];
    for (const e of ctx.cert.extensions) {
      const decoder = EXTENSION_DECODERS[e.oid];
      if (decoder !== undefined) {
        const d = decoder(e.value);
        if (!d.ok) out.push({ message: `${extName(e.oid)}: ${d.reason}` });
      } else {
        const d = decodeDer(e.value);
        if (!d.ok) out.push({ message: `${extName(e.oid)}: extnValue is not DER (${d.reason})` });
      }
    }
    return out;
  },
};

function isRecognised(oid: string): boolean {
  return EXTENSION_DECODERS[oid] !== undefined;
}

export const extensionUnknownCritical: Lint = {
  code: 'x509.extension.unknown-critical',
  severity: 'error',
  clause: 'RFC 5280 §4.2 (a critical extension that is not recognised must cause rejection)',
  summary: 'A critical extension that ISO 15118 relying parties cannot be expected to process.',
  check(ctx) {
    return ctx.cert.extensions
      .filter((e) => e.critical && !isRecognised(e.oid))
      .map((e) => ({ message: `unrecognised critical extension ${e.oid}` }));
  },
};

const MUST_BE_NON_CRITICAL: Readonly<Record<string, string>> = {
  [OID_AUTHORITY_KEY_IDENTIFIER]: 'RFC 5280 §4.2.1.1',
  [OID_SUBJECT_KEY_IDENTIFIER]: 'RFC 5280 §4.2.1.2',
  [OID_AUTHORITY_INFO_ACCESS]: 'RFC 5280 §4.2.2.1',
  [OID_CRL_DISTRIBUTION_POINTS]: 'RFC 5280 §4.2.1.13 (SHOULD)',
};

export const extensionMustBeNonCritical: Lint = {
  code: 'x509.extension.must-be-non-critical',
  severity: 'error',
  clause: 'RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.2.1, §4.2.1.13',
  summary: 'AKI, SKI, AIA or CRL DP marked critical.',
  check(ctx) {
    return ctx.cert.extensions
      .filter((e) => e.critical && MUST_BE_NON_CRITICAL[e.oid] !== undefined)
      .map((e) => ({ message: `${extName(e.oid)} is marked critical`, clause: MUST_BE_NON_CRITICAL[e.oid] }));
  },
};

// Extensions every profile tolerates; EKU has its own lints.
const COMMON_EXTENSIONS = new Set([
  OID_BASIC_CONSTRAINTS,
  OID_KEY_USAGE,
  OID_EXTENDED_KEY_USAGE,
  OID_SUBJECT_KEY_IDENTIFIER,
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_AUTHORITY_INFO_ACCESS,
  OID_CERTIFICATE_POLICIES,
]);

export const extensionUnexpected: Lint = {
  code: 'v2g.extension.unexpected',
  severity: 'warning',
  clause: 'pki-profiles.md §1.1, §1.3: the extensions seen in ISO 15118 certificates (P-026)',
  summary:
    'An extension outside the profile’s set (costs bytes under the 800/1600-byte cap, may confuse EVCC stacks).',
  check(ctx) {
    const allowed = new Set([...COMMON_EXTENSIONS, ...ctx.profile.extraExtensions]);
    if (ctx.profile.crlDistributionPoints !== 'forbidden') allowed.add(OID_CRL_DISTRIBUTION_POINTS);
    return (
      ctx.cert.extensions
        // Unrecognised critical extensions are already an error of their own.
        .filter((e) => !allowed.has(e.oid) && !(e.critical && !isRecognised(e.oid)))
        .map((e) => ({ message: `${extName(e.oid)} is not part of the ${ctx.profile.id} profile` }))
    );
  },
};

export const EXTENSION_LINTS: readonly Lint[] = [
  extensionDuplicate,
  extensionMalformed,
  extensionUnknownCritical,
  extensionMustBeNonCritical,
  extensionUnexpected,
];
