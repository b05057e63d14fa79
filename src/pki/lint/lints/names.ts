// Subject name: attributes, Domain Component, CN identifier rules, self-issuance.

import { parseEmaid, parseEvseId, parsePcid, parseSeccId } from '../../profiles/identifiers.ts';
import { DN_ATTRIBUTE_OID, OID_CN, OID_DC } from '../../profiles/oids.ts';
import type { DnAttribute } from '../../profiles/types.ts';
import { namesEqual } from '../algorithms.ts';
import { nameValues } from '../certificate.ts';
import { TAG_IA5_STRING } from '../der.ts';
import type { Finding, Lint, LintContext } from '../types.ts';

function firstCn(ctx: LintContext): string | null {
  return nameValues(ctx.cert.subject, OID_CN)[0]?.value ?? null;
}

export const dcNotIa5: Lint = {
  code: 'x509.name.dc-not-ia5',
  severity: 'error',
  clause: 'RFC 4519 §2.4 / RFC 2247: domainComponent is an IA5String',
  summary: 'A subject DC attribute is not encoded as IA5String.',
  check(ctx) {
    return nameValues(ctx.cert.subject, OID_DC)
      .filter((a) => a.tag !== TAG_IA5_STRING)
      .map((a) => ({
        message: `DC=${a.value ?? '?'} is encoded with universal tag ${a.tag}, not IA5String`,
      }));
  },
};

export const cnMissing: Lint = {
  code: 'v2g.subject.cn-missing',
  severity: 'error',
  clause: 'pki-profiles.md §1.1: every type has a CN (identifier for leaves; P-021)',
  summary: 'The subject has no common name.',
  check(ctx) {
    return nameValues(ctx.cert.subject, OID_CN).length === 0 ? [{ message: 'subject has no CN' }] : [];
  },
};

export const attributeMissing: Lint = {
  code: 'v2g.subject.attribute-missing',
  severity: 'warning',
  clause: 'pki-profiles.md §1.1: subject CN, O, C, DC (P-021)',
  summary: 'A subject attribute the profile requires (error) or our issuance sets (warning) is absent.',
  check(ctx) {
    const rule = ctx.profile.subject;
    const out: Finding[] = [];
    const has = (a: DnAttribute) => nameValues(ctx.cert.subject, DN_ATTRIBUTE_OID[a]).length > 0;
    // CN and DC have lints of their own.
    for (const a of rule.required) {
      if (a !== 'CN' && a !== 'DC' && !has(a))
        out.push({ message: `subject has no ${a}`, severity: 'error', clause: rule.clause });
    }
    for (const a of rule.recommended) {
      if (a !== 'CN' && a !== 'DC' && !has(a))
        out.push({ message: `subject has no ${a}`, clause: rule.clause });
    }
    return out;
  },
};

export const dcMissing: Lint = {
  code: 'v2g.subject.dc-missing',
  severity: 'error',
  clause: '[V2G2-925] (P-004)',
  summary: 'The subject lacks the Domain Component the certificate type requires.',
  check(ctx) {
    const rule = ctx.profile.subject;
    if (rule.domainComponent === null || nameValues(ctx.cert.subject, OID_DC).length > 0) return [];
    return [
      {
        message: `subject has no DC, expected DC=${rule.domainComponent}`,
        severity: rule.domainComponentSeverity,
        clause: rule.domainComponentClause,
      },
    ];
  },
};

export const dcMismatch: Lint = {
  code: 'v2g.subject.dc-mismatch',
  severity: 'error',
  clause: '[V2G2-925]; ISO 15118-20 Table B.5 (P-004, P-005)',
  summary: 'The subject carries a Domain Component other than the one the certificate type requires.',
  check(ctx) {
    const rule = ctx.profile.subject;
    const dcs = nameValues(ctx.cert.subject, OID_DC).map((a) => a.value ?? '');
    if (rule.domainComponent === null || dcs.length === 0) return [];
    // RFC 4519 §2.4: caseIgnoreIA5Match.
    if (dcs.some((v) => v.toUpperCase() === rule.domainComponent)) return [];
    return [
      {
        message: `subject has DC=${dcs.join(',')}, expected DC=${rule.domainComponent}`,
        severity: rule.domainComponentSeverity,
        clause: rule.domainComponentClause,
      },
    ];
  },
};

export const cnIdentifier: Lint = {
  code: 'v2g.subject.cn-identifier',
  severity: 'error',
  clause: 'ISO 15118-2 Annex H; OPCP 05_handling-of-ids.md (P-018, P-019, P-020)',
  summary: 'The CN is not the identifier the certificate type carries (EMAID, PCID, EVSEID/SECCID).',
  check(ctx) {
    const spec = ctx.profile.commonName;
    const cn = firstCn(ctx);
    if (spec.rule === 'none' || cn === null) return [];
    const finding = (what: string, reasons: readonly string[]): Finding[] => [
      {
        message: `CN "${cn}" is not ${what}: ${reasons.join('; ')}`,
        severity: spec.severity,
        clause: spec.clause,
      },
    ];
    switch (spec.rule) {
      case 'emaid': {
        const r = parseEmaid(cn, { verifyCheckDigit: false });
        return r.ok ? [] : finding('an EMAID', r.reasons);
      }
      case 'pcid': {
        const r = parsePcid(cn);
        return r.ok ? [] : finding('a PCID', r.reasons);
      }
      case 'evse-or-secc-id': {
        const a = parseEvseId(cn);
        const b = parseSeccId(cn);
        return a.ok || b.ok
          ? []
          : finding('an EVSEID or SECCID', [...(a.ok ? [] : a.reasons), ...(b.ok ? [] : b.reasons)]);
      }
    }
  },
};

export const cnCheckDigit: Lint = {
  code: 'v2g.subject.cn-check-digit',
  severity: 'warning',
  clause: 'eMI3 check digit (ISO 15118-2 Annex H; pki-profiles.md §5; P-018)',
  summary: 'The EMAID in the CN ends in a character that is not its check digit.',
  check(ctx) {
    if (ctx.profile.commonName.rule !== 'emaid') return [];
    const cn = firstCn(ctx);
    if (cn === null) return [];
    const r = parseEmaid(cn, { verifyCheckDigit: false });
    if (!r.ok) return [];
    if (r.value.checkDigitValid === false) {
      return [
        {
          message: `EMAID ${cn} ends in '${r.value.givenCheckDigit}', the check digit is '${r.value.checkDigit}'`,
        },
      ];
    }
    if (r.value.din !== null && !r.value.din.checkDigitMatches) {
      return [
        {
          message: `DIN SPEC 91286 EMAID ${cn}: DIN check digit '${r.value.din.checkDigit}' does not verify`,
        },
      ];
    }
    return [];
  },
};

export const rootNotSelfIssued: Lint = {
  code: 'v2g.root.not-self-issued',
  severity: 'error',
  clause: 'RFC 5280 §3.2, §6.1 (trust anchors are self-issued); pki-profiles.md Summary 3',
  summary: 'A root profile certificate whose issuer differs from its subject.',
  check(ctx) {
    if (ctx.profile.kind !== 'root' || namesEqual(ctx.cert.subject, ctx.cert.issuer)) return [];
    return [{ message: 'issuer and subject differ, so this is not a root certificate' }];
  },
};

export const nonRootSelfIssued: Lint = {
  code: 'v2g.non-root.self-issued',
  severity: 'error',
  clause: 'pki-profiles.md Summary 3 (only roots are self-issued; [V2G20-867])',
  summary: 'A sub-CA or leaf whose issuer equals its subject.',
  check(ctx) {
    if (ctx.profile.kind === 'root' || !namesEqual(ctx.cert.subject, ctx.cert.issuer)) return [];
    return [{ message: `a ${ctx.profile.title} must not be self-issued` }];
  },
};

export const NAME_LINTS: readonly Lint[] = [
  dcNotIa5,
  cnMissing,
  attributeMissing,
  dcMissing,
  dcMismatch,
  cnIdentifier,
  cnCheckDigit,
  rootNotSelfIssued,
  nonRootSelfIssued,
];
