// Validity period: encoding, order, length per profile, and the check time.

import type { ParsedTime } from '../certificate.ts';
import type { Finding, Lint, LintContext } from '../types.ts';

const DAY_MS = 86_400_000;
// RFC 5280 §4.1.2.5: notAfter is inclusive, so "N days" may be written as N days + 1 s.
const TOLERANCE_MS = 1000;

function inverted(ctx: LintContext): boolean {
  return ctx.cert.notAfter.date.getTime() <= ctx.cert.notBefore.date.getTime();
}

function periodDays(ctx: LintContext): number {
  return (ctx.cert.notAfter.date.getTime() - ctx.cert.notBefore.date.getTime()) / DAY_MS;
}

function timeProblem(t: ParsedTime, field: string): Finding | null {
  const year = t.date.getUTCFullYear();
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  if (year < 2050 && t.type !== 'UTCTime')
    return { message: `${field} ${t.text} (year ${year}) must be UTCTime` };
  if (year >= 2050 && t.type !== 'GeneralizedTime')
    return { message: `${field} (year ${year}) must be GeneralizedTime` };
  if (!t.strictForm)
    return { message: `${field} "${t.text}" is not in the YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ form` };
  return null;
}

export const timeEncoding: Lint = {
  code: 'x509.validity.time-encoding',
  severity: 'error',
  clause: 'RFC 5280 §4.1.2.5, §4.1.2.5.1, §4.1.2.5.2',
  summary: 'Validity times must use UTCTime before 2050, GeneralizedTime from 2050, in Zulu with seconds.',
  check(ctx) {
    const out: Finding[] = [];
    const a = timeProblem(ctx.cert.notBefore, 'notBefore');
    if (a !== null) out.push(a);
    const b = timeProblem(ctx.cert.notAfter, 'notAfter');
    if (b !== null) out.push(b);
    return out;
  },
};

export const validityInverted: Lint = {
  code: 'x509.validity.inverted',
  severity: 'error',
  clause: 'RFC 5280 §4.1.2.5',
  summary: 'notAfter is not after notBefore.',
  check(ctx) {
    return inverted(ctx)
      ? [
          {
            message: `notBefore ${ctx.cert.notBefore.date.toISOString()} is not before notAfter ${ctx.cert.notAfter.date.toISOString()}`,
          },
        ]
      : [];
  },
};

export const validityTooLong: Lint = {
  code: 'v2g.validity.too-long',
  severity: 'warning',
  clause: 'pki-profiles.md §1.1, §1.3 (P-013)',
  summary: 'The validity period is longer than the profile allows.',
  check(ctx) {
    const days = periodDays(ctx);
    const max = ctx.profile.validity.maxDays;
    if (days * DAY_MS <= max * DAY_MS + TOLERANCE_MS) return [];
    return [
      {
        message: `validity is ${days.toFixed(1)} days, the profile allows at most ${max}`,
        clause: ctx.profile.validity.clause,
      },
    ];
  },
};

export const validityTooShort: Lint = {
  code: 'v2g.validity.too-short',
  severity: 'warning',
  clause: 'pki-profiles.md §1.1 (P-013)',
  summary: 'The validity period is shorter than the profile expects.',
  check(ctx) {
    if (inverted(ctx)) return [];
    const days = periodDays(ctx);
    const min = ctx.profile.validity.minDays;
    if (days * DAY_MS + TOLERANCE_MS >= min * DAY_MS) return [];
    return [
      {
        message: `validity is ${days.toFixed(1)} days, the profile expects at least ${min}`,
        clause: ctx.profile.validity.clause,
      },
    ];
  },
};

export const validityExpired: Lint = {
  code: 'x509.validity.expired',
  severity: 'warning',
  clause: 'RFC 5280 §4.1.2.5',
  summary: 'The certificate has expired at the check time.',
  check(ctx) {
    if (inverted(ctx)) return [];
    return ctx.at.getTime() > ctx.cert.notAfter.date.getTime()
      ? [{ message: `expired ${ctx.cert.notAfter.date.toISOString()} (checked at ${ctx.at.toISOString()})` }]
      : [];
  },
};

export const validityNotYetValid: Lint = {
  code: 'x509.validity.not-yet-valid',
  severity: 'warning',
  clause: 'RFC 5280 §4.1.2.5',
  summary: 'The certificate is not yet valid at the check time.',
  check(ctx) {
    if (inverted(ctx)) return [];
    return ctx.at.getTime() < ctx.cert.notBefore.date.getTime()
      ? [
          {
            message: `valid from ${ctx.cert.notBefore.date.toISOString()} (checked at ${ctx.at.toISOString()})`,
          },
        ]
      : [];
  },
};

export const VALIDITY_LINTS: readonly Lint[] = [
  timeEncoding,
  validityInverted,
  validityTooLong,
  validityTooShort,
  validityExpired,
  validityNotYetValid,
];
