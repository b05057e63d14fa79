// detectProfile: guess ISO version and certificate type from the certificate alone, for
// `pnc pki lint` without --role. A heuristic (docs/pki-profile-decisions.md P-028): key type
// gives the ISO version; basicConstraints, self-issuance, DC, CN words, the issuer's CN,
// identifier syntax and key usage give the type. The basis is returned so users can see why.

import { parseEmaid, parseEvseId, parsePcid, parseSeccId } from '../profiles/identifiers.ts';
import { getProfile } from '../profiles/index.ts';
import { OID_CN, OID_DC, OID_KP_OCSP_SIGNING } from '../profiles/oids.ts';
import type { CertificateProfile, CertificateRole, IsoVersion } from '../profiles/types.ts';
import { keyAlgorithmOf, namesEqual, signatureAlgorithmOf } from './algorithms.ts';
import { nameValues } from './certificate.ts';
import { decodeExtensions } from './extensions.ts';
import { boundedParse } from './lint.ts';

export type DetectResult =
  | {
      readonly ok: true;
      readonly iso: IsoVersion;
      readonly role: CertificateRole;
      readonly profile: CertificateProfile;
      /** Human-readable facts the guess rests on. */
      readonly basis: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

type Domain = 'V2G' | 'CPO' | 'MO' | 'OEM' | 'CPS' | 'VEH';

/** Domain named by words in a CN ('MO Sub2 CA', 'OEMProvCert', 'ProvSubCA1', 'VehicleSubCA1'). */
export function domainFromText(s: string | null): Domain | null {
  if (s === null) return null;
  if (/vehicle|(?:^|[^a-z])veh(?:[^a-z]|$)/i.test(s)) return 'VEH';
  if (/oem/i.test(s)) return 'OEM';
  if (/prov|cps/i.test(s)) return 'CPS';
  if (/(?:^|[^a-z])mo(?:[^a-z]|sub|root|$)/i.test(s)) return 'MO';
  if (/cpo|secc|evse|cso/i.test(s)) return 'CPO';
  if (/v2g/i.test(s)) return 'V2G';
  return null;
}

function domainFromDc(dc: string | null): Domain | null {
  switch (dc?.toUpperCase()) {
    case 'V2G':
      return 'V2G';
    case 'CPO':
    case 'CSO':
      return 'CPO';
    case 'MO':
      return 'MO';
    case 'OEM':
      return 'OEM';
    case 'CPS':
      return 'CPS';
    default:
      return null;
  }
}

/** Sub-CA level from the CN: 'CPO Sub CA 2', 'OEM Sub 2 CA', 'MOSubCA1', 'PKI-Ext_CRT_MO_SUB1_VALID'. */
export function subCaLevelFromText(s: string | null): 1 | 2 | null {
  if (s === null) return null;
  const afterCa = /ca[\s_-]*([12])(?![0-9.])/i.exec(s);
  if (afterCa !== null) return afterCa[1] === '1' ? 1 : 2;
  const afterSub = /sub[\s_-]*(?:ca)?[\s_-]*([12])(?![0-9.])/i.exec(s);
  if (afterSub !== null) return afterSub[1] === '1' ? 1 : 2;
  return null;
}

export function detectProfile(der: Uint8Array): DetectResult {
  const parsed = boundedParse(der, 'x509.parse');
  if ('code' in parsed) return { ok: false, reason: parsed.message };
  const { cert } = parsed;
  const basis: string[] = [];
  const ext = decodeExtensions(cert);

  // ISO version from the key type ([V2G20-2674], [V2G20-2319]); the signature as a fallback.
  const key = keyAlgorithmOf(cert.spki);
  let iso: IsoVersion;
  if (key === 'P-256') iso = '2';
  else if (key === 'P-521' || key === 'Ed448') iso = '20';
  else {
    const sig = signatureAlgorithmOf(cert.tbsSignatureAlgorithm);
    iso = sig === 'ecdsa-with-SHA512' || sig === 'Ed448' ? '20' : '2';
  }
  basis.push(`key ${key ?? 'unknown'} → ISO 15118-${iso}`);

  const bc = ext.basicConstraints.state === 'ok' ? ext.basicConstraints.value : null;
  const ku = ext.keyUsage.state === 'ok' ? ext.keyUsage.value.bits : null;
  const eku = ext.extendedKeyUsage.state === 'ok' ? ext.extendedKeyUsage.value : [];
  const isCa = bc !== null ? bc.ca : ku?.has('keyCertSign') === true;
  basis.push(
    bc !== null
      ? `basicConstraints cA=${bc.ca}`
      : `no basicConstraints, ${isCa ? 'keyCertSign' : 'no keyCertSign'}`,
  );
  const dc = nameValues(cert.subject, OID_DC)[0]?.value ?? null;
  const cn = nameValues(cert.subject, OID_CN)[0]?.value ?? null;
  const issuerCn = nameValues(cert.issuer, OID_CN)[0]?.value ?? null;
  if (dc !== null) basis.push(`DC=${dc}`);

  const pick = (role: CertificateRole, why: string): DetectResult => {
    // Types that exist only in -20 fall back to their -2 relative.
    const fallback: Partial<Record<CertificateRole, CertificateRole>> = {
      'vehicle-sub1': 'oem-sub1',
      'vehicle-sub2': 'oem-sub2',
      'vehicle-leaf': 'oem-prov-leaf',
      'pe-root': 'v2g-root',
      'pe-leaf': 'secc-leaf',
    };
    const profile = getProfile(iso, role) ?? getProfile(iso, fallback[role] ?? role);
    if (profile === undefined) return { ok: false, reason: `no profile for ISO 15118-${iso} ${role}` };
    basis.push(why);
    return { ok: true, iso, role: profile.role, profile, basis };
  };

  if (!isCa && eku.includes(OID_KP_OCSP_SIGNING))
    return pick('ocsp-signer', 'end entity with EKU OCSPSigning');

  if (isCa) {
    if (namesEqual(cert.subject, cert.issuer)) {
      const d = domainFromDc(dc) ?? domainFromText(cn);
      if (d === 'MO') return pick('mo-root', 'self-issued CA, MO domain');
      if (d === 'OEM') return pick('oem-root', 'self-issued CA, OEM domain');
      return pick('v2g-root', 'self-issued CA');
    }
    // DC=V2G on a sub-CA usually means CPO, but Hubject's TEST OEM Sub-CA 1 also carries it.
    const textDomain = domainFromText(cn);
    let d = domainFromDc(dc);
    if (d === null || (d === 'V2G' && textDomain !== null && textDomain !== 'V2G')) d = textDomain;
    if (d === null || d === 'V2G') d = domainFromText(issuerCn) === 'VEH' ? 'VEH' : (d ?? 'CPO');
    if (d === 'V2G') d = 'CPO';
    if (d === 'OEM' && (domainFromText(cn) === 'VEH' || domainFromText(issuerCn) === 'VEH')) d = 'VEH';
    let level = subCaLevelFromText(cn);
    if (level !== null) basis.push(`CN names Sub-CA ${level}`);
    else if (bc?.pathLen === 0 || bc?.pathLen === 1) {
      level = bc.pathLen === 1 ? 1 : 2;
      basis.push(`pathLenConstraint ${bc.pathLen}`);
    } else level = /root/i.test(issuerCn ?? '') ? 1 : 2;
    const prefix = { CPO: 'cpo', MO: 'mo', OEM: 'oem', CPS: 'cps', VEH: iso === '20' ? 'vehicle' : 'oem' }[d];
    return pick(`${prefix}-sub${level}` as CertificateRole, `sub-CA in the ${d} domain`);
  }

  // Leaf.
  const leafByDomain = (d: Domain, why: string): DetectResult => {
    switch (d) {
      case 'MO':
        return pick('contract-leaf', why);
      case 'OEM':
        return pick(
          iso === '20' && domainFromText(issuerCn) === 'VEH' ? 'vehicle-leaf' : 'oem-prov-leaf',
          why,
        );
      case 'VEH':
        return pick(iso === '20' ? 'vehicle-leaf' : 'oem-prov-leaf', why);
      case 'CPS':
        return pick('cps-leaf', why);
      default:
        return pick('secc-leaf', why);
    }
  };
  const byDc = domainFromDc(dc);
  if (byDc !== null) return leafByDomain(byDc, `leaf with DC=${dc}`);
  if (cn !== null && parseEmaid(cn, { verifyCheckDigit: false }).ok)
    return pick('contract-leaf', `CN ${cn} is an EMAID`);
  const byIssuer = domainFromText(issuerCn);
  if (byIssuer !== null && byIssuer !== 'V2G') return leafByDomain(byIssuer, `issued by "${issuerCn}"`);
  const byCn = domainFromText(cn);
  if (byCn !== null) return leafByDomain(byCn, `CN "${cn}"`);
  if (cn !== null && parsePcid(cn).ok) return pick('oem-prov-leaf', `CN ${cn} is PCID-shaped`);
  if (cn !== null && (parseEvseId(cn).ok || parseSeccId(cn).ok))
    return pick('secc-leaf', `CN ${cn} is an EVSEID/SECCID`);
  if (ku?.has('nonRepudiation') && ku.has('keyAgreement')) return pick('contract-leaf', 'contract key usage');
  if (ku !== null && ku.size === 1 && ku.has('digitalSignature'))
    return pick('cps-leaf', 'keyUsage digitalSignature only');
  return pick('secc-leaf', 'no stronger hint: TLS leaf');
}
