// What the pool checks before it trusts a root (docs/rcp.md "Adding a root"), and the facts it shows
// about one. Hard requirements, in every mode: one DER X.509 certificate within its edition's size
// limit, self-issued with an AKI (if any) naming its own key and a signature that verifies with its
// own key, cA TRUE with keyCertSign, not expired at the clock, a key of ISO 15118 (P-256 → -2;
// P-521 / Ed448 → -20), no duplicate or undecodable extensions. Then the ISO 15118 profile of its
// type (src/pki/lint): errors refuse it, warnings are reported; in lenient mode (D-041) errors are
// reported too and the root is accepted, because real production roots break the profile (OPCP's
// own OEM root example has digitalSignature and DC=V2G).

import { createHash } from 'node:crypto';
import { appError } from '../errors/catalogue.ts';
import { keyAlgorithmOf } from '../pki/lint/algorithms.ts';
import type { ParsedName } from '../pki/lint/certificate.ts';
import { lintCertificate } from '../pki/lint/index.ts';
import { akiMatches, type PathCert, toPathCert } from '../pki/path/certificate.ts';
import { formatName } from '../pki/path/names.ts';
import { verifySignature } from '../pki/path/signature.ts';
import { getProfile } from '../pki/profiles/index.ts';
import { computeSubjectKeyIdentifier } from '../pki/profiles/key-identifier.ts';
import { OID_CN, OID_O } from '../pki/profiles/oids.ts';
import { MAX_CERTIFICATE_DER } from '../pool-inputs/index.ts';
import type { LintFinding } from './repository.ts';
import type { RootType } from './trust-anchors.ts';

/** The facts of a root certificate shown by both APIs and stored with it. */
export interface RootFacts {
  readonly der: Uint8Array;
  readonly iso: 2 | 20;
  readonly keyAlgorithm: 'P-256' | 'P-521' | 'Ed448';
  readonly fingerprintSha256: string;
  readonly fingerprintSha1: string;
  /** RFC 4514 (`CN=…,O=…,C=…`). */
  readonly subject: string;
  readonly issuer: string;
  /** The subject as Hubject writes distinguishedName: RFC 4514 order with ", " separators. */
  readonly distinguishedName: string;
  readonly commonName: string | null;
  readonly organizationName: string | null;
  /** Lower-case hex without leading zeros. */
  readonly serial: string;
  /** subjectKeyIdentifier, or null. */
  readonly ski: Uint8Array | null;
  /** The SKI, or when absent the RFC 5280 §4.2.1.2 method (1) SHA-1 of the key. */
  readonly keyIdentifier: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface CheckedRoot {
  readonly facts: RootFacts;
  /** Accepted findings: warnings, and in lenient mode also the errors. */
  readonly findings: readonly LintFinding[];
}

export interface RootCheckOptions {
  readonly rootType: RootType;
  /** The clock's time: the root must not be expired. */
  readonly at: Date;
  /** Accept profile-lint errors, reported as findings (D-041). */
  readonly lenient?: boolean;
  /** The edition the caller named (xsdMsgDefNamespace); must agree with the key. */
  readonly iso?: 2 | 20;
}

function firstValue(name: ParsedName, oid: string): string | null {
  for (const rdn of name.rdns) for (const a of rdn) if (a.oid === oid && a.value !== null) return a.value;
  return null;
}

function canonicalSerial(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex').replace(/^0+/, '');
  return hex === '' ? '0' : hex;
}

function editionOf(algorithm: string | null): { iso: 2 | 20; key: RootFacts['keyAlgorithm'] } | null {
  if (algorithm === 'P-256') return { iso: 2, key: 'P-256' };
  if (algorithm === 'P-521') return { iso: 20, key: 'P-521' };
  if (algorithm === 'Ed448') return { iso: 20, key: 'Ed448' };
  return null;
}

function parse(der: Uint8Array): PathCert {
  const parsed = toPathCert(der);
  if (!parsed.ok) {
    throw appError('pool.invalid-certificate', `caCertificate: ${parsed.reason}`, {
      details: { field: 'caCertificate' },
    });
  }
  return parsed.cert;
}

function factsOf(c: PathCert): RootFacts {
  const edition = editionOf(keyAlgorithmOf(c.cert.spki));
  if (edition === null) {
    throw appError(
      'rcp.unsupported-key',
      'the root key is not an ISO 15118 key: P-256 (ISO 15118-2), P-521 or Ed448 (ISO 15118-20)',
    );
  }
  const subjectRfc4514 = formatName(c.cert.subject);
  return {
    der: c.der,
    iso: edition.iso,
    keyAlgorithm: edition.key,
    fingerprintSha256: createHash('sha256').update(c.der).digest('hex'),
    fingerprintSha1: createHash('sha1').update(c.der).digest('hex'),
    subject: subjectRfc4514,
    issuer: formatName(c.cert.issuer),
    distinguishedName: [...c.cert.subject.rdns]
      .reverse()
      .map((rdn) => formatName({ raw: new Uint8Array(0), rdns: [rdn] }))
      .join(', '),
    commonName: firstValue(c.cert.subject, OID_CN),
    organizationName: firstValue(c.cert.subject, OID_O),
    serial: canonicalSerial(c.cert.serial),
    ski: c.ski,
    keyIdentifier: c.ski ?? computeSubjectKeyIdentifier(c.cert.spki.raw, 'rfc5280-sha1'),
    notBefore: c.cert.notBefore.date,
    notAfter: c.cert.notAfter.date,
  };
}

/** The facts of a stored (already checked) root. */
export function rootFacts(der: Uint8Array): RootFacts {
  return factsOf(parse(der));
}

/** Every check of a root to add; throws the first hard failure, returns the accepted findings. */
export function checkRoot(der: Uint8Array, options: RootCheckOptions): CheckedRoot {
  const c = parse(der);
  const facts = factsOf(c);
  const limit = MAX_CERTIFICATE_DER[facts.iso];
  if (der.length > limit) {
    throw appError(
      'pool.invalid-certificate',
      `caCertificate: is ${der.length} DER bytes; ISO 15118-${facts.iso} allows at most ${limit}`,
      { details: { field: 'caCertificate' } },
    );
  }
  if (options.iso !== undefined && options.iso !== facts.iso) {
    throw appError(
      'rcp.invalid-root',
      `xsdMsgDefNamespace names ISO 15118-${options.iso}, but the root has a ${facts.keyAlgorithm} key (ISO 15118-${facts.iso})`,
    );
  }
  if (c.extensionProblems.length > 0) {
    throw appError('rcp.invalid-root', `the root has unusable extensions: ${c.extensionProblems.join('; ')}`);
  }
  if (!c.selfIssued || !akiMatches(c, c)) {
    throw appError(
      'rcp.not-self-signed',
      c.selfIssued
        ? 'the authorityKeyIdentifier names another key: not a self-signed root'
        : `not a root: issued by "${facts.issuer}", not by itself ("${facts.subject}")`,
    );
  }
  const signature = verifySignature(c, c);
  if (!signature.ok) {
    throw appError(
      signature.code === 'path.unsupported-algorithm' ? 'rcp.unsupported-key' : 'rcp.not-self-signed',
      `the root's signature does not verify with its own key: ${signature.reason}`,
    );
  }
  if (c.basicConstraints?.ca !== true) {
    throw appError('rcp.not-ca', 'the root is not a CA certificate (basicConstraints cA is not TRUE)');
  }
  if (c.keyUsage !== null && !c.keyUsage.has('keyCertSign')) {
    throw appError('rcp.not-ca', 'the root keyUsage lacks keyCertSign');
  }
  if (facts.notAfter.getTime() < options.at.getTime()) {
    throw appError('rcp.expired', `the root expired on ${facts.notAfter.toISOString()}`, {
      details: { notAfter: facts.notAfter.toISOString() },
    });
  }
  const role = `${options.rootType.toLowerCase()}-root` as 'v2g-root' | 'mo-root' | 'oem-root' | 'pe-root';
  const profile = getProfile(facts.iso === 2 ? '2' : '20', role);
  if (profile === undefined) {
    // [V2G20-867]: PE roots exist in ISO 15118-20 only.
    throw appError('rcp.invalid-root', `ISO 15118-${facts.iso} has no ${options.rootType} root`);
  }
  // A successor root may be published before it is valid (D-042): the lint reports that as the
  // warning x509.validity.not-yet-valid, and consumers check validity when they validate paths.
  const lint = lintCertificate(der, profile, { at: options.at, issuer: der });
  const findings = lint.violations.map((v) => ({ code: v.code, severity: v.severity, message: v.message }));
  if (!lint.ok && options.lenient !== true) {
    const errors = findings.filter((f) => f.severity === 'error');
    throw appError(
      'rcp.lint-failed',
      `the root does not conform to the ${profile.id} profile: ${errors.map((f) => `${f.code} (${f.message})`).join('; ')}`,
      { details: { profile: profile.id, violations: findings } },
    );
  }
  return { facts, findings };
}
