// The per-certificate checks of RFC 5280 §6.1.3 / §6.1.4 / §6.1.5 on a built path, plus OpenSSL's
// `-x509_strict` checks (crypto/x509/x509_vfy.c check_extensions) as an option. The path is
// target first, anchor last; decisions PV-nn are in ./README.md.

import { bytesEqual } from '../lint/der.ts';
import {
  EXTENSION_NAMES,
  OID_BASIC_CONSTRAINTS,
  OID_CERTIFICATE_POLICIES,
  OID_CRL_DISTRIBUTION_POINTS,
  OID_EC_PUBLIC_KEY,
  OID_EXTENDED_KEY_USAGE,
  OID_INHIBIT_ANY_POLICY,
  OID_KEY_USAGE,
  OID_NAME_CONSTRAINTS,
  OID_OCSP_NOCHECK,
  OID_POLICY_CONSTRAINTS,
  OID_SUBJECT_ALT_NAME,
} from '../profiles/oids.ts';
import { akiMatches, isEmptyName, type PathCert } from './certificate.ts';
import { formatName } from './names.ts';
import type { PathErrorCode, RevocationCallback } from './types.ts';

export interface CheckFailure {
  readonly code: PathErrorCode;
  readonly reason: string;
  readonly at: number;
}

const OID_POLICY_MAPPINGS = '2.5.29.33';

/**
 * Critical extensions this validator processes or that cannot change the outcome of §6.1 with
 * user-initial-policy-set = {anyPolicy} and no explicit-policy requirement (PV-06):
 * basicConstraints and keyUsage are checked; extendedKeyUsage, subjectAltName,
 * certificatePolicies, cRLDistributionPoints and ocspNoCheck do not affect path validity.
 * AKI, SKI and AIA are not listed: RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.2.1 say they MUST be
 * non-critical, and OpenSSL treats them as unhandled when critical.
 */
const PROCESSED_CRITICAL = new Set([
  OID_BASIC_CONSTRAINTS,
  OID_KEY_USAGE,
  OID_EXTENDED_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  OID_CERTIFICATE_POLICIES,
  OID_CRL_DISTRIBUTION_POINTS,
  OID_OCSP_NOCHECK,
]);

/**
 * Constraints that §6.1 processes whatever their criticality (name constraints §6.1.4 (g),
 * policy constraints / mappings / inhibitAnyPolicy §6.1.4 (a)-(b), (h)-(j)). Not implemented:
 * ignoring them could accept a path the RFC rejects, so a path carrying one is refused (PV-06).
 */
const UNSUPPORTED_CONSTRAINTS = new Set([
  OID_NAME_CONSTRAINTS,
  OID_POLICY_CONSTRAINTS,
  OID_POLICY_MAPPINGS,
  OID_INHIBIT_ANY_POLICY,
]);

function extName(oid: string): string {
  const name = EXTENSION_NAMES[oid] ?? (oid === OID_POLICY_MAPPINGS ? 'policyMappings' : undefined);
  return name === undefined ? oid : `${name} (${oid})`;
}

function who(c: PathCert): string {
  return formatName(c.cert.subject);
}

function failure(code: PathErrorCode, at: number, c: PathCert, what: string): CheckFailure {
  return { code, at, reason: `certificate ${at} (${who(c)}): ${what}` };
}

/** RFC 5280 §4.2 (duplicates, undecodable values), §6.1.4 (o) / §6.1.5 (f) (critical extensions). */
export function checkExtensions(c: PathCert, i: number): CheckFailure | null {
  const problem = c.extensionProblems[0];
  if (problem !== undefined) return failure('path.extension', i, c, problem);
  for (const e of c.cert.extensions) {
    if (UNSUPPORTED_CONSTRAINTS.has(e.oid))
      return failure(
        'path.unsupported-extension',
        i,
        c,
        `${extName(e.oid)} is not processed by this validator, so the path is refused`,
      );
  }
  for (const e of c.cert.extensions) {
    if (e.critical && !PROCESSED_CRITICAL.has(e.oid))
      return failure('path.critical-extension', i, c, `unhandled critical extension ${extName(e.oid)}`);
  }
  return null;
}

/** RFC 5280 §6.1.3 (a)(2): notBefore ≤ at ≤ notAfter, both inclusive (§4.1.2.5), PV-05. */
export function checkValidity(c: PathCert, i: number, at: Date): CheckFailure | null {
  const t = at.getTime();
  if (t < c.cert.notBefore.date.getTime())
    return failure('path.not-yet-valid', i, c, `not valid before ${c.cert.notBefore.date.toISOString()}`);
  if (t > c.cert.notAfter.date.getTime())
    return failure('path.expired', i, c, `expired at ${c.cert.notAfter.date.toISOString()}`);
  return null;
}

/**
 * A certificate that issues the next one: RFC 5280 §6.1.4 (k) basicConstraints cA, (n) keyUsage
 * keyCertSign. Applied to the trust anchor too, as OpenSSL does (PV-04). For an anchor without
 * basicConstraints the lax mode accepts what OpenSSL's X509_check_ca accepts (a v1 self-issued
 * root, or keyUsage with keyCertSign); intermediates always need cA TRUE.
 */
export function checkIssuing(
  c: PathCert,
  i: number,
  isAnchor: boolean,
  strict: boolean,
): CheckFailure | null {
  const ku = c.keyUsage;
  const bc = c.basicConstraints;
  if (bc !== null && !bc.ca)
    return failure('path.not-ca', i, c, 'basicConstraints cA is FALSE, so it cannot issue certificates');
  if (ku !== null && !ku.has('keyCertSign'))
    return failure('path.key-usage', i, c, 'keyUsage without keyCertSign, so it cannot issue certificates');
  if (bc !== null) return null;
  if (isAnchor && !strict && ((c.cert.version === 1 && c.selfIssued) || ku !== null)) return null;
  return failure('path.not-ca', i, c, 'no basicConstraints cA TRUE, so it cannot issue certificates');
}

/**
 * RFC 5280 §6.1.4 (l), (m): pathLenConstraint bounds the non-self-issued intermediates below.
 * Checked for the anchor too, as OpenSSL does (PV-04). `path[0]` is the target.
 */
export function checkPathLength(path: readonly PathCert[], i: number): CheckFailure | null {
  const c = path[i] as PathCert;
  const limit = c.basicConstraints?.pathLen;
  if (limit === undefined || limit === null || !c.basicConstraints?.ca) return null;
  let below = 0;
  for (let j = 1; j < i; j++) if (!(path[j] as PathCert).selfIssued) below++;
  if (below > limit)
    return failure(
      'path.path-length',
      i,
      c,
      `pathLenConstraint ${limit}, but ${below} non-self-issued CA certificate(s) follow it`,
    );
  return null;
}

/** OpenSSL's EXFLAG_SS: self-issued, AKI consistent with its own SKI, key type fits the signature. */
function selfSigned(c: PathCert): boolean {
  if (!c.selfIssued || !akiMatches(c, c)) return false;
  const ec = c.cert.spki.algorithm.oid === OID_EC_PUBLIC_KEY;
  const ecdsaSig = c.cert.signatureAlgorithm.oid.startsWith('1.2.840.10045.4.');
  return ec === ecdsaSig || c.cert.spki.algorithm.oid === c.cert.signatureAlgorithm.oid;
}

/**
 * OpenSSL 3.0 `-x509_strict` (check_extensions in crypto/x509/x509_vfy.c), applied to every
 * certificate of a path longer than one, anchor included (PV-12). RFC 5280 §4 clauses in messages.
 */
export function checkStrict(path: readonly PathCert[], i: number): CheckFailure | null {
  const c = path[i] as PathCert;
  const n = path.length - 1;
  const bc = c.basicConstraints;
  const ku = c.keyUsage;
  const isCa = bc?.ca === true;
  // X509_check_ca on the target: only "not a CA" (0) or "CA by basicConstraints" (1) are accepted.
  if (i === 0 && bc === null && ((c.cert.version === 1 && selfSigned(c)) || ku?.has('keyCertSign') === true))
    return failure(
      'path.strict-invalid-ca',
      i,
      c,
      'CA by keyUsage or version 1 only, without basicConstraints',
    );
  // RFC 5280 §4.2.1.3: CA certificates carry keyUsage; keyCertSign only in CA certificates.
  if (isCa && ku === null)
    return failure(
      'path.strict-ca-missing-key-usage',
      i,
      c,
      'CA certificate without keyUsage (RFC 5280 §4.2.1.3)',
    );
  if (!isCa && ku?.has('keyCertSign') === true)
    return failure('path.strict-key-cert-sign-non-ca', i, c, 'keyCertSign without basicConstraints cA TRUE');
  // RFC 5280 §4.2.1.9: pathLenConstraint only with cA TRUE and keyCertSign.
  if (bc !== null && bc.pathLen !== null && (!isCa || ku?.has('keyCertSign') !== true))
    return failure(
      'path.strict-path-len-invalid',
      i,
      c,
      'pathLenConstraint without cA TRUE and keyCertSign (RFC 5280 §4.2.1.9)',
    );
  // RFC 5280 §4.1.2.4 / §4.1.2.6 / §4.2.1.6: names.
  if (isEmptyName(c.cert.issuer))
    return failure('path.strict-empty-name', i, c, 'empty issuer name (RFC 5280 §4.1.2.4)');
  const subjectEmpty = isEmptyName(c.cert.subject);
  if (subjectEmpty && (isCa || ku?.has('cRLSign') === true || !c.hasSubjectAltName))
    return failure('path.strict-empty-name', i, c, 'empty subject name (RFC 5280 §4.1.2.6)');
  if (c.hasSubjectAltName && c.subjectAltNameEmpty)
    return failure('path.strict-empty-name', i, c, 'empty subjectAltName (RFC 5280 §4.2.1.6)');
  if (subjectEmpty && c.hasSubjectAltName && !c.subjectAltNameCritical)
    return failure(
      'path.strict-empty-name',
      i,
      c,
      'empty subject with a non-critical subjectAltName (RFC 5280 §4.2.1.6)',
    );
  // RFC 5280 §4.1.1.2 (for the anchor, whose signature is not verified, PV-02).
  if (!bytesEqual(c.cert.signatureAlgorithm.raw, c.cert.tbsSignatureAlgorithm.raw))
    return failure(
      'path.strict-signature-algorithm-mismatch',
      i,
      c,
      'signatureAlgorithm differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)',
    );
  if (c.cert.version >= 3) {
    // RFC 5280 §4.2.1.1: AKI in every certificate but self-signed ones ("not last in chain").
    if (i < n && !selfSigned(c) && c.aki === null)
      return failure('path.strict-missing-aki', i, c, 'no authorityKeyIdentifier (RFC 5280 §4.2.1.1)');
    // RFC 5280 §4.2.1.2: SKI in every CA certificate.
    if (isCa && c.ski === null)
      return failure(
        'path.strict-missing-ski',
        i,
        c,
        'CA certificate without subjectKeyIdentifier (RFC 5280 §4.2.1.2)',
      );
  } else if (c.cert.extensions.length > 0) {
    return failure(
      'path.strict-extensions-v1',
      i,
      c,
      `version ${c.cert.version} certificate with extensions (RFC 5280 §4.1.2.1)`,
    );
  }
  // RFC 5280 §4.2.1.9: basicConstraints MUST be critical in CA certificates.
  if (isCa) {
    const ext = c.cert.extensions.find((e) => e.oid === OID_BASIC_CONSTRAINTS);
    if (ext !== undefined && !ext.critical)
      return failure(
        'path.strict-bc-not-critical',
        i,
        c,
        'basicConstraints of a CA certificate not critical (RFC 5280 §4.2.1.9)',
      );
  }
  return null;
}

const REASONS: Readonly<Record<number, string>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** Reasons that say the key itself is compromised: revoked whatever the revocation time (PV-09). */
const COMPROMISE = new Set([1, 2, 10]);

/**
 * RFC 5280 §6.1.3 (a)(3): revocation status through the caller's callback, from the anchor side
 * down, anchor excluded (PV-09).
 */
export function checkRevocation(
  path: readonly PathCert[],
  callback: RevocationCallback,
  at: Date,
  acceptUnknown: boolean,
): CheckFailure | null {
  for (let i = path.length - 2; i >= 0; i--) {
    const c = path[i] as PathCert;
    let status: unknown;
    try {
      status = callback(c.der, (path[i + 1] as PathCert).der);
    } catch (e) {
      return failure(
        'path.revocation-error',
        i,
        c,
        `revocation check failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (status === 'good') continue;
    if (status === 'unknown') {
      if (acceptUnknown) continue;
      return failure('path.revocation-unknown', i, c, 'revocation status unknown');
    }
    if (status === 'revoked') return failure('path.revoked', i, c, 'revoked');
    const revoked =
      typeof status === 'object' && status !== null && 'revoked' in status
        ? (status as { revoked: unknown }).revoked
        : undefined;
    const when = (revoked as { at?: unknown } | undefined)?.at;
    const reason = (revoked as { reason?: unknown } | undefined)?.reason;
    if (
      !(when instanceof Date) ||
      Number.isNaN(when.getTime()) ||
      (reason !== undefined && typeof reason !== 'number')
    )
      return failure('path.revocation-error', i, c, 'the revocation callback returned an unexpected value');
    const reasonText = reason === undefined ? '' : `, reason ${REASONS[reason] ?? reason}`;
    if (when.getTime() <= at.getTime() || (reason !== undefined && COMPROMISE.has(reason)))
      return failure('path.revoked', i, c, `revoked at ${when.toISOString()}${reasonText}`);
    // Revoked after the validation time: it was not revoked at `at` (RFC 5280 §6.1.3 (a)(3) "at the current time" = `at`).
  }
  return null;
}
