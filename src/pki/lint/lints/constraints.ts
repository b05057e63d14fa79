// basicConstraints, keyUsage, extendedKeyUsage.

import { EKU_NAMES, OID_KP_OCSP_SIGNING } from '../../profiles/oids.ts';
import type { KeyUsageBit } from '../../profiles/types.ts';
import { isEdwards } from '../algorithms.ts';
import type { Lint } from '../types.ts';

// --- basicConstraints ----------------------------------------------------------------------

export const bcMissing: Lint = {
  code: 'v2g.basic-constraints.missing',
  severity: 'error',
  clause: 'RFC 5280 §4.2.1.9; pki-profiles.md §1.1 (every type carries critical basicConstraints; P-009)',
  summary: 'basicConstraints is absent.',
  check(ctx) {
    return ctx.ext.basicConstraints.state === 'absent'
      ? [{ message: 'no basicConstraints extension', clause: ctx.profile.basicConstraints.clause }]
      : [];
  },
};

export const bcNotCritical: Lint = {
  code: 'v2g.basic-constraints.not-critical',
  severity: 'error',
  clause: 'RFC 5280 §4.2.1.9 (MUST be critical in CA certificates); pki-profiles.md §1.1 (P-009)',
  summary: 'basicConstraints is not marked critical.',
  check(ctx) {
    const s = ctx.ext.basicConstraints;
    return s.state === 'ok' && !s.ext.critical ? [{ message: 'basicConstraints is not critical' }] : [];
  },
};

export const bcCa: Lint = {
  code: 'v2g.basic-constraints.ca',
  severity: 'error',
  clause: 'pki-profiles.md §1.1 (P-009)',
  summary: 'basicConstraints cA does not match the certificate type (CA vs leaf).',
  check(ctx) {
    const s = ctx.ext.basicConstraints;
    if (s.state !== 'ok' || s.value.ca === ctx.profile.basicConstraints.ca) return [];
    return [
      {
        message: `cA is ${s.value.ca ? 'TRUE' : 'FALSE'}, a ${ctx.profile.title} must have cA ${ctx.profile.basicConstraints.ca ? 'TRUE' : 'FALSE'}`,
        clause: ctx.profile.basicConstraints.clause,
      },
    ];
  },
};

export const bcPathLen: Lint = {
  code: 'v2g.basic-constraints.path-len',
  severity: 'error',
  clause: 'pki-profiles.md Summary 3 (P-010)',
  summary: 'pathLenConstraint differs from the profile (Sub-CA 1: 1, Sub-CA 2: 0, root: absent).',
  check(ctx) {
    const s = ctx.ext.basicConstraints;
    const rule = ctx.profile.basicConstraints;
    if (s.state !== 'ok' || !s.value.ca || !rule.ca || s.value.pathLen === rule.pathLen) return [];
    const actual = s.value.pathLen === null ? 'absent' : String(s.value.pathLen);
    const expected = rule.pathLen === null ? 'absent' : String(rule.pathLen);
    return [
      {
        message: `pathLenConstraint is ${actual}, expected ${expected}`,
        severity: rule.pathLenSeverity,
        clause: rule.clause,
      },
    ];
  },
};

export const bcExplicitDefault: Lint = {
  code: 'x509.basic-constraints.explicit-default',
  severity: 'error',
  clause: 'X.690 §11.5 (DER omits DEFAULT values); ../shared/vectors/pki/README.md "Worth knowing" (P-008)',
  summary:
    'basicConstraints encodes cA FALSE explicitly; DER forbids it and strict parsers (Python cryptography) reject it.',
  check(ctx) {
    const s = ctx.ext.basicConstraints;
    return s.state === 'ok' && s.value.caFalseExplicit
      ? [{ message: 'basicConstraints contains an explicit cA FALSE' }]
      : [];
  },
};

export const bcPathLenWithoutCa: Lint = {
  code: 'x509.basic-constraints.path-len-without-ca',
  severity: 'error',
  clause: 'RFC 5280 §4.2.1.9',
  summary: 'pathLenConstraint present although cA is FALSE.',
  check(ctx) {
    const s = ctx.ext.basicConstraints;
    return s.state === 'ok' && !s.value.ca && s.value.pathLen !== null
      ? [{ message: `pathLenConstraint ${s.value.pathLen} without cA` }]
      : [];
  },
};

// --- keyUsage --------------------------------------------------------------------------------

export const kuMissing: Lint = {
  code: 'v2g.key-usage.missing',
  severity: 'error',
  clause: 'ISO 15118-2 Annex F; pki-profiles.md §1.1 (P-011)',
  summary: 'keyUsage is absent.',
  check(ctx) {
    return ctx.ext.keyUsage.state === 'absent'
      ? [{ message: 'no keyUsage extension', clause: ctx.profile.keyUsage.clause }]
      : [];
  },
};

export const kuNotCritical: Lint = {
  code: 'v2g.key-usage.not-critical',
  severity: 'error',
  clause: 'ISO 15118-2 Table F.2: keyUsage critical (EVerest/EVerest#2096; pki-profiles.md §1.4; P-011)',
  summary: 'keyUsage is not marked critical.',
  check(ctx) {
    const s = ctx.ext.keyUsage;
    return s.state === 'ok' && !s.ext.critical ? [{ message: 'keyUsage is not critical' }] : [];
  },
};

function bitsMissing(have: ReadonlySet<KeyUsageBit>, want: readonly KeyUsageBit[]): KeyUsageBit[] {
  return want.filter((b) => !have.has(b));
}

export const kuBitMissing: Lint = {
  code: 'v2g.key-usage.bit-missing',
  severity: 'error',
  clause: 'ISO 15118-2 Annex F (P-011, P-012)',
  summary: 'A keyUsage bit the profile requires is not set.',
  check(ctx) {
    const s = ctx.ext.keyUsage;
    if (s.state !== 'ok') return [];
    const missing = bitsMissing(s.value.bits, ctx.profile.keyUsage.required);
    return missing.length === 0
      ? []
      : [{ message: `keyUsage lacks ${missing.join(', ')}`, clause: ctx.profile.keyUsage.clause }];
  },
};

export const kuRecommendedBitMissing: Lint = {
  code: 'v2g.key-usage.recommended-bit-missing',
  severity: 'warning',
  clause: 'pki-profiles.md §1.1, §3 C1 (P-003, P-011)',
  summary: 'A keyUsage bit that the public generators and Hubject set (and our issuance sets) is missing.',
  check(ctx) {
    const s = ctx.ext.keyUsage;
    if (s.state !== 'ok') return [];
    const ku = ctx.profile.keyUsage;
    const ecOnly = new Set(ku.ecOnly ?? []);
    const want = ku.recommended.filter((b) => !(isEdwards(ctx.keyAlgorithm) && ecOnly.has(b)));
    const missing = bitsMissing(s.value.bits, want);
    return missing.length === 0
      ? []
      : [{ message: `keyUsage lacks ${missing.join(', ')}`, clause: ku.clause }];
  },
};

export const kuUnexpectedBit: Lint = {
  code: 'v2g.key-usage.unexpected-bit',
  severity: 'error',
  clause: 'ISO 15118-2 Annex F (P-011); RFC 5280 §4.2.1.3',
  summary: 'A keyUsage bit the profile does not allow is set.',
  check(ctx) {
    const s = ctx.ext.keyUsage;
    if (s.state !== 'ok') return [];
    const ku = ctx.profile.keyUsage;
    const allowed = new Set<KeyUsageBit>([...ku.required, ...ku.recommended, ...ku.optional]);
    const extra = [...s.value.bits].filter((b) => !allowed.has(b));
    return extra.length === 0
      ? []
      : [
          {
            message: `keyUsage has ${extra.join(', ')}, not allowed for a ${ctx.profile.title}`,
            clause: ku.clause,
          },
        ];
  },
};

// --- extendedKeyUsage ------------------------------------------------------------------------

function ekuName(oid: string): string {
  return EKU_NAMES[oid] ?? oid;
}

export const ekuUnexpected: Lint = {
  code: 'v2g.eku.unexpected',
  severity: 'warning',
  clause:
    'pki-profiles.md Summary 8, §3 C8: EKU on a CA breaks OpenSSL purpose checks (ecog-io/iso15118#430; P-007)',
  summary: 'extendedKeyUsage carries purposes the profile does not use (e.g. OCSPSigning on Hubject roots).',
  check(ctx) {
    const s = ctx.ext.extendedKeyUsage;
    if (s.state !== 'ok') return [];
    const extra = s.value.filter((oid) => !ctx.profile.extendedKeyUsage.required.includes(oid));
    return extra.length === 0
      ? []
      : [{ message: `extendedKeyUsage ${extra.map(ekuName).join(', ')} on a ${ctx.profile.title}` }];
  },
};

export const ekuMissing: Lint = {
  code: 'v2g.eku.missing',
  severity: 'error',
  clause: 'RFC 6960 §4.2.2.2 (P-024)',
  summary: 'An extendedKeyUsage purpose the profile requires is missing.',
  check(ctx) {
    const required = ctx.profile.extendedKeyUsage.required;
    if (required.length === 0) return [];
    const s = ctx.ext.extendedKeyUsage;
    if (s.state === 'malformed') return [];
    const have = s.state === 'ok' ? s.value : [];
    const missing = required.filter((oid) => !have.includes(oid));
    return missing.length === 0
      ? []
      : [
          {
            message: `extendedKeyUsage lacks ${missing.map(ekuName).join(', ')}`,
            clause: ctx.profile.extendedKeyUsage.clause,
          },
        ];
  },
};

export const ocspNoCheckMissing: Lint = {
  code: 'v2g.ocsp-signer.no-check-missing',
  severity: 'warning',
  clause: 'RFC 6960 §4.2.2.2.1 (P-024)',
  summary:
    'A delegated OCSP responder certificate without id-pkix-ocsp-nocheck: clients would need its revocation status.',
  check(ctx) {
    if (!ctx.profile.extendedKeyUsage.required.includes(OID_KP_OCSP_SIGNING)) return [];
    return ctx.ext.ocspNoCheck.state === 'absent' ? [{ message: 'no id-pkix-ocsp-nocheck extension' }] : [];
  },
};

export const CONSTRAINT_LINTS: readonly Lint[] = [
  bcMissing,
  bcNotCritical,
  bcCa,
  bcPathLen,
  bcExplicitDefault,
  bcPathLenWithoutCa,
  kuMissing,
  kuNotCritical,
  kuBitMissing,
  kuRecommendedBitMissing,
  kuUnexpectedBit,
  ekuUnexpected,
  ekuMissing,
  ocspNoCheckMissing,
];
