// CSR checks per ISO 15118 role and version, before any issuance. The CA builds the certificate
// from its profile and never copies requested extensions (pki-profiles.md §3 C1, the maintainers'
// position), so these checks only refuse requests that are wrong for the role (key type, subject)
// or that ask for powers a leaf must not have.

import type { AppError } from '../../errors/app-error.ts';
import { isAppError } from '../../errors/app-error.ts';
import { appError } from '../../errors/catalogue.ts';
import {
  DerFormatError,
  decodeDer,
  expectSequence,
  isUniversal,
  readBoolean,
  readNamedBits,
  readOid,
  UNIVERSAL,
} from '../ocsp/asn1.ts';
import { KEY_USAGE_BIT, OID } from '../ocsp/x509.ts';
import type { CertificateRole, IsoVersion, KeyAlgorithm } from '../profiles/index.ts';
import { getProfile } from '../profiles/index.ts';
import { CSR_MAX_BYTES, type ParsedCsr, parseCsr } from './parse.ts';

/** Roles that enrol leaf certificates over EST (interop.md §1.6: ca ∈ cpo, mo/emsp, oem, cps, veh). */
export type CsrRole = 'CPO' | 'MO' | 'OEM' | 'CPS' | 'VEH';

/** Certificate profile of the leaf each role enrols (src/pki/profiles). */
const PROFILE_ROLE: Readonly<Record<CsrRole, CertificateRole>> = {
  CPO: 'secc-leaf',
  MO: 'contract-leaf',
  OEM: 'oem-prov-leaf',
  CPS: 'cps-leaf',
  VEH: 'vehicle-leaf',
};

/** The EST CA label of interop.md / OPCP mapped to the CSR role. */
export function csrRoleForEstCa(ca: 'cpo' | 'mo' | 'oem' | 'cps' | 'veh'): CsrRole {
  return ({ cpo: 'CPO', mo: 'MO', oem: 'OEM', cps: 'CPS', veh: 'VEH' } as const)[ca];
}

/** Result shape of the identifier parsers in src/pki/profiles (parseEvseId, parseEmaid, parsePcid…). */
export type CommonNameCheck = (
  cn: string,
) => { readonly ok: true } | { readonly ok: false; readonly reasons: readonly string[] };

export interface CsrPolicyOptions {
  readonly role: CsrRole;
  readonly iso: 2 | 20;
  /**
   * CN identifier rule, e.g. parseEvseId for CPO (OPCP's EVSEID regex for `cpo` CSRs). Optional
   * because clients disagree: MaEVe's script enrols CN `cs001` (interop.md §1.2; matrix row
   * "Compatibility switches": strict vs lenient EVSEID CN) — the server decides.
   */
  readonly commonName?: CommonNameCheck;
  /** Restrict key algorithms further than the profile ([V2G20-2320]: ability to ban one curve). */
  readonly allowedKeyAlgorithms?: readonly KeyAlgorithm[];
}

export type CsrViolationCode = 'csr.malformed' | 'csr.signature' | 'csr.policy';

export interface CsrViolation {
  readonly code: CsrViolationCode;
  /** Stable rule id, e.g. 'key-algorithm', 'dc-mismatch'. */
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** Requested extensions a leaf CSR must not ask for (RFC 5280 §4.2.1.5, §4.2.1.10, §4.2.1.11, §4.2.1.14). */
const FORBIDDEN_EXTENSIONS: Readonly<Record<string, string>> = {
  [OID.nameConstraints]: 'nameConstraints',
  [OID.policyConstraints]: 'policyConstraints',
  [OID.policyMappings]: 'policyMappings',
  [OID.inhibitAnyPolicy]: 'inhibitAnyPolicy',
};

/** Extensions we recognise (the CA sets its own values for all of them). */
const KNOWN_EXTENSIONS = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.authorityInfoAccess,
  OID.crlDistributionPoints,
  OID.certificatePolicies,
  ...Object.keys(FORBIDDEN_EXTENSIONS),
]);

const WEAK_SIGNATURES = new Set(['ecdsa-with-SHA1', 'sha1WithRSAEncryption', 'md5WithRSAEncryption']);

/**
 * Checks a CSR for a role and ISO version. Never throws on hostile input: the size bound comes
 * first, then parse and proof-of-possession failures become one violation each ('csr.malformed'
 * / 'csr.signature'). Policy violations ('csr.policy'):
 *   - the role must have a leaf profile for the ISO version (VEH exists in -20 only);
 *   - key algorithm per profile: -2 P-256; -20 P-521 or Ed448 ([V2G20-2674], [V2G20-2319]);
 *   - no SHA-1 / MD5 signature on the request;
 *   - exactly one CN, without control characters, and — if a rule is given — valid for it;
 *   - DC per profile ([V2G2-925]; pki-profiles.md Summary 4): -2 CPO, -20 CSO, MO, OEM, CPS, VEH
 *     OEM. A wrong DC is an error; a missing DC only a warning, because the CA sets the DC from
 *     the profile and real clients omit it (MaEVe CSRs are `/CN=…/O=Thoughtworks`; Hubject QA
 *     leaves carry none, pki-profiles.md §3 C2);
 *   - C, when present, is two upper-case letters (X.520 / ISO 3166 alpha-2);
 *   - no CA powers requested: basicConstraints cA=TRUE, keyUsage keyCertSign / cRLSign,
 *     extendedKeyUsage OCSPSigning or anyExtendedKeyUsage, name / policy constraints, policy
 *     mappings, inhibitAnyPolicy. Other requested extensions are ignored by issuance; an unknown
 *     critical one is reported as a warning.
 */
export function checkCsrForRole(csr: Uint8Array | ParsedCsr, options: CsrPolicyOptions): CsrViolation[] {
  let parsed: ParsedCsr;
  if (csr instanceof Uint8Array) {
    if (csr.byteLength > CSR_MAX_BYTES) {
      return [violation('csr.malformed', 'size', `CSR larger than ${CSR_MAX_BYTES} bytes`)];
    }
    try {
      parsed = parseCsr(csr);
    } catch (e) {
      if (isAppError(e) && (e.code === 'csr.malformed' || e.code === 'csr.signature')) {
        return [violation(e.code, e.code === 'csr.malformed' ? 'parse' : 'proof-of-possession', e.message)];
      }
      throw e;
    }
  } else {
    parsed = csr;
  }
  const out: CsrViolation[] = [];
  const add = (rule: string, message: string, severity: 'error' | 'warning' = 'error') =>
    out.push(violation('csr.policy', rule, message, severity));

  const isoVersion: IsoVersion = options.iso === 20 ? '20' : '2';
  const profileRole = PROFILE_ROLE[options.role];
  const profile = profileRole === undefined ? undefined : getProfile(isoVersion, profileRole);
  if (profile === undefined) {
    add('role', `no ${String(options.role)} leaf profile for ISO 15118-${isoVersion}`);
    return out;
  }

  // Key algorithm / curve.
  const allowed = profile.keyAlgorithms.filter(
    (a) => options.allowedKeyAlgorithms === undefined || options.allowedKeyAlgorithms.includes(a),
  );
  const keyAlgorithm = parsed.publicKey.algorithm;
  if (!(allowed as readonly string[]).includes(keyAlgorithm)) {
    add(
      'key-algorithm',
      `${keyAlgorithm === 'unknown' ? (parsed.publicKey.curveOid ?? parsed.publicKey.algorithmOid) : keyAlgorithm} key not allowed for ISO 15118-${isoVersion} ${options.role} (allowed: ${allowed.join(', ')}; ${profile.algorithmClause})`,
    );
  }
  if (WEAK_SIGNATURES.has(parsed.signatureAlgorithm.name)) {
    add('signature-algorithm', `the CSR is signed with ${parsed.signatureAlgorithm.name}`);
  }

  // Subject.
  const { commonNames, domainComponents, countries } = parsed.subject;
  const cn = commonNames[0];
  if (cn === undefined) add('common-name-missing', 'the subject has no CN');
  else if (commonNames.length > 1) add('common-name-multiple', 'the subject has more than one CN');
  for (const attribute of parsed.subject.attributes) {
    // C0 / C1 controls and DEL: never part of an ISO 15118 identifier, and a log-injection vector.
    if (hasControlCharacters(attribute.value)) {
      add('subject-characters', `subject ${attribute.name ?? attribute.oid} contains control characters`);
    }
  }
  if (cn !== undefined && commonNames.length === 1 && options.commonName !== undefined) {
    const result = options.commonName(cn);
    if (!result.ok)
      add('common-name', `CN "${cn}" is not valid for ${options.role}: ${result.reasons.join('; ')}`);
  }
  const expectedDc = profile.subject.domainComponent;
  if (expectedDc !== null) {
    if (domainComponents.length === 0) {
      add('dc-missing', `the subject has no DC; the certificate will carry DC=${expectedDc}`, 'warning');
    } else if (domainComponents.some((dc) => dc !== expectedDc)) {
      add(
        'dc-mismatch',
        `DC must be ${expectedDc} for ISO 15118-${isoVersion} ${options.role} (${profile.subject.domainComponentClause})`,
      );
    }
  }
  for (const c of countries) {
    if (!/^[A-Z]{2}$/.test(c)) add('country', `C "${c}" is not an ISO 3166 alpha-2 code`);
  }

  // Requested extensions.
  for (const ext of parsed.requestedExtensions) {
    try {
      checkExtension(ext.oid, ext.value, ext.critical, add);
    } catch (e) {
      if (!(e instanceof DerFormatError)) throw e;
      add('extension-malformed', `requested extension ${ext.oid} is malformed: ${e.message}`);
    }
  }
  return out;
}

function checkExtension(
  oid: string,
  value: Uint8Array,
  critical: boolean,
  add: (rule: string, message: string, severity?: 'error' | 'warning') => void,
): void {
  const forbidden = FORBIDDEN_EXTENSIONS[oid];
  if (forbidden !== undefined) {
    add('extension-forbidden', `a leaf CSR must not request ${forbidden}`);
    return;
  }
  if (oid === OID.basicConstraints) {
    const parts = expectSequence(decodeDer(value, 'basicConstraints'), 'basicConstraints');
    if (isUniversal(parts[0], UNIVERSAL.BOOLEAN) && readBoolean(parts[0], 'cA')) {
      add('extension-forbidden', 'the CSR requests basicConstraints cA=TRUE');
    }
  } else if (oid === OID.keyUsage) {
    const bits = readNamedBits(decodeDer(value, 'keyUsage'), 'keyUsage');
    if (bits.includes(KEY_USAGE_BIT.keyCertSign) || bits.includes(KEY_USAGE_BIT.cRLSign)) {
      add('extension-forbidden', 'the CSR requests keyUsage keyCertSign or cRLSign');
    }
  } else if (oid === OID.extKeyUsage) {
    const purposes = expectSequence(decodeDer(value, 'extKeyUsage'), 'extKeyUsage').map((n) =>
      readOid(n, 'KeyPurposeId'),
    );
    if (purposes.includes(OID.kpOcspSigning))
      add('extension-forbidden', 'the CSR requests id-kp-OCSPSigning');
    if (purposes.includes(OID.anyExtendedKeyUsage))
      add('extension-forbidden', 'the CSR requests anyExtendedKeyUsage');
  } else if (critical && !KNOWN_EXTENSIONS.has(oid)) {
    add(
      'extension-critical-unknown',
      `unknown critical extension ${oid} requested; it will not be issued`,
      'warning',
    );
  }
}

function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

function violation(
  code: CsrViolationCode,
  rule: string,
  message: string,
  severity: 'error' | 'warning' = 'error',
): CsrViolation {
  return { code, rule, severity, message };
}

/**
 * The AppError for a list of violations, or undefined when there is no error-severity one. A
 * malformed or unsigned CSR wins over policy: its code is that of the first such violation.
 */
export function csrViolationsError(violations: readonly CsrViolation[]): AppError | undefined {
  const errors = violations.filter((v) => v.severity === 'error');
  const first = errors.find((v) => v.code !== 'csr.policy') ?? errors[0];
  if (first === undefined) return undefined;
  return appError(first.code, errors.map((v) => v.message).join('; '), {
    details: { violations: errors.map((v) => ({ rule: v.rule, message: v.message })) },
  });
}
