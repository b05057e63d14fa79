// ISO 15118 usage checks on a path that RFC 5280 accepts (PV-13):
// - [V2G2-925]: the trust anchor must be a root of the domain the leaf is used in
//   (SECC → V2G root; contract → MO or V2G root; OEM provisioning → OEM or V2G root; CPS → V2G
//   root; pki-profiles.md Summary 3-4, §3 C7);
// - chain shape: at most Sub-CA 2 and Sub-CA 1 between leaf and root, and in -20 no
//   root-issued leaf outside a Private Environment ([V2G20-867]);
// - every certificate linted against the profile of its position (lintCertificate with its
//   issuer); error-level findings make the path invalid.

import { detectProfile, lintCertificate } from '../lint/index.ts';
import { getProfile } from '../profiles/index.ts';
import type { CertificateProfile, CertificateRole, IsoVersion } from '../profiles/types.ts';
import type { PathCert } from './certificate.ts';
import type { CheckFailure } from './checks.ts';
import { formatName } from './names.ts';
import type { PathViolation, ProfileCheckOptions } from './types.ts';

type Family = 'cpo' | 'mo' | 'oem' | 'vehicle' | 'cps' | 'pe' | 'ocsp' | 'root';

const FAMILY: Readonly<Record<CertificateRole, Family>> = {
  'v2g-root': 'root',
  'mo-root': 'root',
  'oem-root': 'root',
  'pe-root': 'root',
  'cpo-sub1': 'cpo',
  'cpo-sub2': 'cpo',
  'secc-leaf': 'cpo',
  'mo-sub1': 'mo',
  'mo-sub2': 'mo',
  'contract-leaf': 'mo',
  'oem-sub1': 'oem',
  'oem-sub2': 'oem',
  'oem-prov-leaf': 'oem',
  'vehicle-sub1': 'vehicle',
  'vehicle-sub2': 'vehicle',
  'vehicle-leaf': 'vehicle',
  'cps-sub1': 'cps',
  'cps-sub2': 'cps',
  'cps-leaf': 'cps',
  'ocsp-signer': 'ocsp',
  'pe-leaf': 'pe',
};

/** Distance above the leaf level: leaf 0, Sub-CA 2 1, Sub-CA 1 2. */
function level(role: CertificateRole): number {
  if (role.endsWith('-sub2')) return 1;
  if (role.endsWith('-sub1')) return 2;
  return 0;
}

/**
 * Roots a chain of each domain may end at ([V2G2-925]; C7: Hubject hosts MO and OEM sub-CAs under
 * its V2G root; EVerest's -20 vehicle sub-CAs are issued by the V2G root, pki-profiles.md §1.2).
 */
const ALLOWED_ROOTS: Readonly<Record<Family, readonly CertificateRole[] | null>> = {
  cpo: ['v2g-root'],
  mo: ['mo-root', 'v2g-root'],
  oem: ['oem-root', 'v2g-root'],
  vehicle: ['v2g-root', 'oem-root'],
  cps: ['v2g-root'],
  pe: ['pe-root'],
  ocsp: null,
  root: null,
};

const ROOT_ROLES: ReadonlySet<CertificateRole> = new Set(['v2g-root', 'mo-root', 'oem-root', 'pe-root']);

// Types that exist only in -20 fall back to their -2 relative (as detectProfile does).
const FALLBACK: Partial<Record<CertificateRole, CertificateRole>> = {
  'vehicle-sub1': 'oem-sub1',
  'vehicle-sub2': 'oem-sub2',
  'vehicle-leaf': 'oem-prov-leaf',
  'pe-root': 'v2g-root',
  'pe-leaf': 'secc-leaf',
};

function profileFor(iso: IsoVersion, role: CertificateRole): CertificateProfile | undefined {
  return getProfile(iso, role) ?? getProfile(iso, FALLBACK[role] ?? role);
}

function sameDomain(a: Family, b: Family): boolean {
  return a === b || (a === 'oem' && b === 'vehicle') || (a === 'vehicle' && b === 'oem');
}

export interface IsoUsageResult {
  readonly roles: readonly CertificateRole[];
  readonly profiles: readonly string[];
  readonly violations: readonly PathViolation[];
  readonly failure?: CheckFailure;
}

export function checkIsoUsage(
  path: readonly PathCert[],
  options: ProfileCheckOptions & { readonly at: Date; readonly anchorIndex: number },
): IsoUsageResult {
  const n = path.length - 1;
  const target = path[0] as PathCert;
  const anchor = path[n] as PathCert;
  const name = (i: number) => formatName((path[i] as PathCert).cert.subject);
  const detected = detectProfile(target.der);
  const role = options.role ?? (detected.ok ? detected.role : undefined);
  if (role === undefined) {
    const reason = detected.ok ? 'no role' : detected.reason;
    return {
      roles: [],
      profiles: [],
      violations: [],
      failure: {
        code: 'path.profile',
        at: 0,
        reason: `cannot tell the ISO 15118 role of the target: ${reason}`,
      },
    };
  }
  const iso: IsoVersion = options.iso ?? (detected.ok ? detected.iso : '2');
  const family = FAMILY[role];
  const violations: PathViolation[] = [];
  const shape = (index: number, message: string, clause: string, severity: 'error' | 'warning' = 'error') =>
    violations.push({ index, code: 'path.profile-shape', severity, message, clause });

  const detectRole = (c: PathCert): CertificateRole | null => {
    const d = detectProfile(c.der);
    return d.ok ? d.role : null;
  };
  const configured = options.anchorRoles?.[options.anchorIndex] ?? undefined;
  const anchorIsRoot = anchor.selfIssued;
  const anchorRole: CertificateRole =
    configured ??
    (() => {
      const d = detectRole(anchor);
      if (anchorIsRoot) return d !== null && ROOT_ROLES.has(d) ? d : 'v2g-root';
      return d ?? role;
    })();

  // Roles by position: Sub-CA 2 above the leaf, Sub-CA 1 above that, then the root
  // (pki-profiles.md Summary 3).
  const roles: CertificateRole[] = [role];
  const chained = family !== 'ocsp' && family !== 'root' && family !== 'pe';
  for (let i = 1; i <= n; i++) {
    const c = path[i] as PathCert;
    if (i === n && (anchorIsRoot || configured !== undefined)) {
      roles.push(anchorRole);
      continue;
    }
    if (chained && !c.selfIssued) {
      const lvl = level(role) + i;
      const prefix = family === 'vehicle' && iso === '2' ? 'oem' : family;
      if (lvl <= 2) {
        roles.push(`${prefix}-sub${lvl === 1 ? 2 : 1}` as CertificateRole);
        continue;
      }
      shape(
        i,
        `more than two sub-CAs between the ${role} and its root`,
        'pki-profiles.md Summary 3 (Root → Sub-CA 1 → Sub-CA 2 → leaf)',
      );
    }
    roles.push(detectRole(c) ?? (i === n ? anchorRole : role));
  }

  // [V2G2-925]: the trust anchor must be the root this use requires.
  const allowed = ALLOWED_ROOTS[family];
  if (allowed !== null && n >= 1) {
    let wrong: string | null = null;
    if (anchorIsRoot || ROOT_ROLES.has(anchorRole)) {
      if (!allowed.includes(anchorRole))
        wrong = `a ${role} must chain to ${allowed.join(' or ')}, but the trust anchor ${name(n)} is a ${anchorRole}`;
    } else if (!sameDomain(FAMILY[anchorRole], family)) {
      wrong = `a ${role} must chain to the ${family.toUpperCase()} domain, but the trust anchor ${name(n)} is a ${anchorRole}`;
    }
    if (wrong !== null) {
      violations.push({
        index: n,
        code: 'path.wrong-root',
        severity: 'error',
        message: wrong,
        clause: '[V2G2-925] (pki-profiles.md §1.4, Summary 3-4, §3 C7)',
      });
    }
  }

  // Chain shape.
  if (family === 'pe' && !(n === 1 && anchorIsRoot))
    shape(0, 'a Private Environment leaf is issued directly by its PE root', '[V2G20-867]');
  if (chained && level(role) === 0 && n === 1 && anchorIsRoot) {
    if (iso === '20')
      shape(
        0,
        `a ${role} issued directly by a root (only a Private Environment root may do that)`,
        '[V2G20-867]',
      );
    else
      shape(
        0,
        `a ${role} issued directly by a root; the public PKIs put at least Sub-CA 2 in between`,
        'pki-profiles.md Summary 3',
        'warning',
      );
  }

  // Profile lints per certificate, with the issuer for the relative checks.
  const profiles: string[] = [];
  for (let i = 0; i <= n; i++) {
    const c = path[i] as PathCert;
    const r = roles[i] as CertificateRole;
    const profile = profileFor(iso, r);
    if (profile === undefined) {
      profiles.push('');
      violations.push({
        index: i,
        code: 'path.profile',
        severity: 'error',
        message: `no ISO 15118-${iso} profile for ${r}`,
        clause: 'src/pki/profiles',
      });
      continue;
    }
    profiles.push(profile.id);
    const issuer = i < n ? (path[i + 1] as PathCert).der : c.selfIssued ? c.der : undefined;
    const lint = lintCertificate(c.der, profile, {
      at: options.at,
      ...(issuer === undefined ? {} : { issuer }),
    });
    for (const v of lint.violations)
      violations.push({ index: i, code: v.code, severity: v.severity, message: v.message, clause: v.clause });
  }

  const firstError = (code?: string) =>
    violations.find((v) => v.severity === 'error' && (code === undefined || v.code === code));
  const decisive = firstError('path.wrong-root') ?? firstError('path.profile-shape') ?? firstError();
  if (decisive === undefined) return { roles, profiles, violations };
  const code =
    decisive.code === 'path.wrong-root' || decisive.code === 'path.profile-shape'
      ? decisive.code
      : 'path.profile';
  const as = profiles[decisive.index] ? ` as ${profiles[decisive.index]}` : '';
  return {
    roles,
    profiles,
    violations,
    failure: {
      code,
      at: decisive.index,
      reason: `certificate ${decisive.index} (${name(decisive.index)})${as}: ${decisive.code === code ? '' : `${decisive.code}: `}${decisive.message} [${decisive.clause}]`,
    },
  };
}
