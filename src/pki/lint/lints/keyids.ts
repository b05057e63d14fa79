// Key identifiers (SKI/AKI), OCSP access, and the issuer-relative checks.

import { knownSkiDerivations } from '../../profiles/key-identifier.ts';
import { OID_AD_OCSP, OID_SUBJECT_KEY_IDENTIFIER } from '../../profiles/oids.ts';
import { namesEqual } from '../algorithms.ts';
import { bytesEqual, toHex } from '../der.ts';
import { decodeSubjectKeyIdentifier, extensionState } from '../extensions.ts';
import type { Finding, Lint } from '../types.ts';

export const skiMissing: Lint = {
  code: 'v2g.ski.missing',
  severity: 'error',
  clause:
    'RFC 5280 §4.2.1.2; [V2G20-2492] (the -20 AAD carries the contract SKI); pki-profiles.md §1.1 (P-006)',
  summary: 'subjectKeyIdentifier is absent.',
  check(ctx) {
    return ctx.ext.subjectKeyIdentifier.state === 'absent'
      ? [{ message: 'no subjectKeyIdentifier extension' }]
      : [];
  },
};

export const skiLength: Lint = {
  code: 'v2g.ski.length',
  severity: 'warning',
  clause: 'pki-profiles.md §3 C3 (P-006)',
  summary: 'The SKI length differs from the profile (20 bytes for -2, 8 bytes for -20 contracts).',
  check(ctx) {
    const s = ctx.ext.subjectKeyIdentifier;
    const rule = ctx.profile.keyIdentifiers;
    if (s.state !== 'ok' || rule.skiLengths.includes(s.value.length)) return [];
    return [
      {
        message: `SKI is ${s.value.length} bytes, the profile expects ${rule.skiLengths.join(' or ')}`,
        severity: rule.skiLengthSeverity,
        clause: rule.clause,
      },
    ];
  },
};

export const skiDerivation: Lint = {
  code: 'v2g.ski.derivation',
  severity: 'warning',
  clause: 'RFC 5280 §4.2.1.2; RFC 7093 §2; Hubject method (pki-profiles.md §1.3; P-006)',
  summary:
    'The SKI matches no known derivation from the subject public key (stale or copied key identifier?).',
  check(ctx) {
    const s = ctx.ext.subjectKeyIdentifier;
    if (s.state !== 'ok') return [];
    const known = knownSkiDerivations(ctx.cert.spki.raw);
    if (known.length === 0 || known.some((k) => bytesEqual(k.value, s.value))) return [];
    return [
      { message: `SKI ${toHex(s.value)} is not derived from the subject public key by any known method` },
    ];
  },
};

function selfIssued(ctx: Parameters<Lint['check']>[0]): boolean {
  return namesEqual(ctx.cert.subject, ctx.cert.issuer);
}

export const akiMissing: Lint = {
  code: 'x509.aki.missing',
  severity: 'error',
  clause: 'RFC 5280 §4.2.1.1 (MUST except in self-signed certificates); OpenSSL 3 -x509_strict error 85',
  summary: 'authorityKeyIdentifier is absent from a certificate that is not self-issued.',
  check(ctx) {
    if (selfIssued(ctx) || ctx.ext.authorityKeyIdentifier.state !== 'absent') return [];
    return [{ message: 'no authorityKeyIdentifier extension' }];
  },
};

export const akiKeyIdMissing: Lint = {
  code: 'x509.aki.key-id-missing',
  severity: 'error',
  clause: 'RFC 5280 §4.2.1.1 (keyIdentifier MUST be included); interop.md (chains matched by AKI = SKI)',
  summary: 'authorityKeyIdentifier without keyIdentifier.',
  check(ctx) {
    const s = ctx.ext.authorityKeyIdentifier;
    return s.state === 'ok' && s.value.keyIdentifier === null
      ? [{ message: 'authorityKeyIdentifier has no keyIdentifier' }]
      : [];
  },
};

export const akiIssuerMismatch: Lint = {
  code: 'v2g.aki.issuer-mismatch',
  severity: 'error',
  clause: 'RFC 5280 §4.2.1.1; interop.md (CitrineOS / MaEVe pick the root by AKI = SKI)',
  summary:
    'authorityKeyIdentifier differs from the issuer’s SKI (from options.issuer, or the own SKI for roots).',
  check(ctx) {
    const aki = ctx.ext.authorityKeyIdentifier;
    if (aki.state !== 'ok' || aki.value.keyIdentifier === null) return [];
    let issuerSki: Uint8Array | null = null;
    let whose = '';
    if (ctx.issuer !== null) {
      const s = extensionState(ctx.issuer, OID_SUBJECT_KEY_IDENTIFIER, decodeSubjectKeyIdentifier);
      if (s.state === 'ok') issuerSki = s.value;
      whose = "the issuer's SKI";
    } else if (ctx.profile.kind === 'root' && selfIssued(ctx)) {
      const s = ctx.ext.subjectKeyIdentifier;
      if (s.state === 'ok') issuerSki = s.value;
      whose = 'its own SKI';
    }
    if (issuerSki === null || bytesEqual(issuerSki, aki.value.keyIdentifier)) return [];
    return [
      {
        message: `AKI keyIdentifier ${toHex(aki.value.keyIdentifier)} differs from ${whose} ${toHex(issuerSki)}`,
      },
    ];
  },
};

export const aiaOcspMissing: Lint = {
  code: 'v2g.aia.ocsp-missing',
  severity: 'warning',
  clause: 'interop.md: AIA OCSP on every non-root certificate (P-015)',
  summary: 'No OCSP responder URL although the profile requires one.',
  check(ctx) {
    const rule = ctx.profile.authorityInfoAccessOcsp;
    if (rule.presence !== 'required') return [];
    const s = ctx.ext.authorityInfoAccess;
    if (s.state === 'malformed') return [];
    const has = s.state === 'ok' && s.value.some((ad) => ad.method === OID_AD_OCSP && ad.uri !== null);
    return has
      ? []
      : [{ message: 'no authorityInfoAccess OCSP URL', severity: rule.severity, clause: rule.clause }];
  },
};

export const aiaOcspNotHttp: Lint = {
  code: 'v2g.aia.ocsp-not-http',
  severity: 'warning',
  clause: 'RFC 6960 Appendix A.1 (OCSP over HTTP); Hubject uses http:// (pki-profiles.md §6; P-015)',
  summary: 'An OCSP URL that is not plain http:// (https needs a certificate check of its own).',
  check(ctx) {
    const s = ctx.ext.authorityInfoAccess;
    if (s.state !== 'ok') return [];
    const out: Finding[] = [];
    for (const ad of s.value) {
      if (ad.method !== OID_AD_OCSP) continue;
      if (ad.uri === null) out.push({ message: 'OCSP access location is not a URI' });
      else if (!/^http:\/\/[^\s/]+/i.test(ad.uri))
        out.push({ message: `OCSP URL "${ad.uri}" is not an http:// URL` });
    }
    return out;
  },
};

// --- issuer-relative (options.issuer) ----------------------------------------------------------

export const issuerNameMismatch: Lint = {
  code: 'x509.issuer.name-mismatch',
  severity: 'error',
  clause: 'RFC 5280 §6.1.3 (a)(4): issuer name equals the issuing certificate’s subject',
  summary: 'The issuer name differs from the subject of the given issuer certificate.',
  check(ctx) {
    if (ctx.issuer === null || namesEqual(ctx.cert.issuer, ctx.issuer.subject)) return [];
    return [{ message: 'issuer name differs from the subject of the issuing certificate' }];
  },
};

export const outlivesIssuer: Lint = {
  code: 'v2g.validity.outlives-issuer',
  severity: 'error',
  clause: 'validity shell model: pki-profiles.md §1.3; OPCP PCP checks (P-014)',
  summary: 'The certificate expires after its issuer.',
  check(ctx) {
    if (ctx.issuer === null) return [];
    const mine = ctx.cert.notAfter.date.getTime();
    const theirs = ctx.issuer.notAfter.date.getTime();
    return mine > theirs
      ? [
          {
            message: `notAfter ${ctx.cert.notAfter.date.toISOString()} is after the issuer's ${ctx.issuer.notAfter.date.toISOString()}`,
          },
        ]
      : [];
  },
};

export const startsBeforeIssuer: Lint = {
  code: 'v2g.validity.starts-before-issuer',
  severity: 'warning',
  clause: 'validity shell model: pki-profiles.md §1.3 (P-014)',
  summary: 'The certificate becomes valid before its issuer does.',
  check(ctx) {
    if (ctx.issuer === null) return [];
    return ctx.cert.notBefore.date.getTime() < ctx.issuer.notBefore.date.getTime()
      ? [
          {
            message: `notBefore ${ctx.cert.notBefore.date.toISOString()} is before the issuer's ${ctx.issuer.notBefore.date.toISOString()}`,
          },
        ]
      : [];
  },
};

export const KEY_ID_LINTS: readonly Lint[] = [
  skiMissing,
  skiLength,
  skiDerivation,
  akiMissing,
  akiKeyIdMissing,
  akiIssuerMismatch,
  aiaOcspMissing,
  aiaOcspNotHttp,
  issuerNameMismatch,
  outlivesIssuer,
  startsBeforeIssuer,
];
