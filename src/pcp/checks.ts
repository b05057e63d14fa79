// The control steps of the Provisioning Certificate Pool (OPCP docs/components/02 "Publish a
// Provisioning Certificate"; same text in OPNC docs/components/02), as pure functions on the decoded
// chain. The service runs them in the specification's order and reports the first failure:
//
//   (input) every certificate decodes, fits its edition's DER limit and passes the blocking profile
//           checks; the leaf's CN is a PCID (D-055);
//   (a)     the PCID's WMI is in the OEM client's scope;
//   (b)     validity shell model: every certificate from leaf to root valid now ("validUntil ... in
//           the future"), each within its issuer's validity (D-056);
//   (c)     revocation status of each delivered certificate (./revocation/checker.ts);
//   (d)     the chain leads to a trusted OEM or V2G root of the Root Certificate Pool.

import { createHash } from 'node:crypto';
import { appError } from '../errors/catalogue.ts';
import { nameValues, parseCertificate as parseForLint } from '../pki/lint/certificate.ts';
import { lintCertificate, type Violation } from '../pki/lint/index.ts';
import type { CertificateInfo } from '../pki/ocsp/index.ts';
import { type PathValidationResult, validatePath } from '../pki/path/index.ts';
import { getProfile, parsePcid } from '../pki/profiles/index.ts';
import { DN_SHORT_NAMES, OID_CN } from '../pki/profiles/oids.ts';
import type { CertificateRole } from '../pki/profiles/types.ts';
import { type CertificateField, MAX_CERTIFICATE_DER } from '../pool-inputs/index.ts';
import type { TrustedRoot } from '../rcp/trust-anchors.ts';
import type { StoredRoot } from './repository.ts';
import { type ChainPosition, POSITION_LABEL } from './upload.ts';

/** One delivered certificate with its place in the chain. */
export interface ChainEntry {
  readonly position: ChainPosition;
  readonly der: Uint8Array;
  readonly info: CertificateInfo;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** ISO 15118 edition of a key: P-256 → -2; P-521 or Ed448 → -20 ([V2G20-2674], [V2G20-2319]). */
export function editionOfKey(info: CertificateInfo): 2 | 20 | undefined {
  switch (info.spki.algorithm) {
    case 'P-256':
      return 2;
    case 'P-521':
    case 'Ed448':
      return 20;
    default:
      return undefined;
  }
}

/** The leaf's CN as a PCID; a CN that is none is a 400 (the WMI check needs it). */
export function pcidOfLeaf(vehicle: CertificateField): { pcid: string; wmi: string } {
  const parsed = parseForLint(vehicle.der);
  const names = parsed.ok ? nameValues(parsed.cert.subject, OID_CN) : [];
  const cn = names.length === 1 ? names[0]?.value : null;
  if (typeof cn !== 'string') {
    throw appError(
      'pcp.invalid-pcid',
      'the provisioning certificate must carry exactly one subject CN, its PCID (OPCP 05_handling-of-ids.md)',
    );
  }
  const result = parsePcid(cn);
  if (!result.ok) {
    throw appError(
      'pcp.invalid-pcid',
      `the CN of the provisioning certificate is no PCID (${result.reasons.join(', ')}): must match ^[a-zA-Z0-9]{17,18}$`,
      { details: { reasons: result.reasons } },
    );
  }
  return { pcid: cn, wmi: result.value.wmi };
}

/** Size limit of the edition on every delivered certificate (spec-gaps.md item 16). */
export function checkSizes(entries: readonly ChainEntry[], iso: 2 | 20): void {
  for (const entry of entries) {
    if (entry.der.byteLength > MAX_CERTIFICATE_DER[iso]) {
      throw appError(
        'pool.invalid-certificate',
        `${POSITION_LABEL[entry.position]} is ${entry.der.byteLength} DER bytes; ISO 15118-${iso} allows at most ${MAX_CERTIFICATE_DER[iso]}`,
        { details: { certificate: entry.position } },
      );
    }
  }
}

/**
 * Profile findings that refuse a chain whatever its origin (D-055): the key and signature
 * algorithms of the edition, a leaf that is a CA, a leaf CN that is no PCID, broken extensions.
 * Everything else the ISO 15118 profile lints find (missing keyUsage or DC, as in Hubject's own QA
 * certificates) is reported as a warning and stored in the audit record: strict issuance for our
 * PKI, lenient validation of foreign chains (spec-gaps.md item 41).
 */
export const BLOCKING_LINTS: ReadonlySet<string> = new Set([
  'v2g.key.algorithm',
  'v2g.signature.algorithm',
  'v2g.signature.key-family-mismatch',
  'x509.public-key.invalid',
  'v2g.basic-constraints.ca',
  'v2g.subject.cn-identifier',
  'v2g.size.max',
  'x509.extension.duplicate',
  'x509.extension.malformed',
  'x509.extension.unknown-critical',
  'x509.parse',
]);

export interface ProfileFinding extends Violation {
  readonly certificate: ChainPosition;
}

const ROLE: Readonly<Record<Exclude<ChainPosition, 'root'>, CertificateRole>> = {
  vehicle: 'oem-prov-leaf',
  subCa2: 'oem-sub2',
  subCa1: 'oem-sub1',
};

/** Lints every delivered certificate against its OEM profile; returns blocking and other findings. */
export function profileFindings(
  entries: readonly ChainEntry[],
  iso: 2 | 20,
  at: Date,
): { readonly blocking: ProfileFinding[]; readonly warnings: ProfileFinding[] } {
  const blocking: ProfileFinding[] = [];
  const warnings: ProfileFinding[] = [];
  for (const [i, entry] of entries.entries()) {
    if (entry.position === 'root') continue;
    const profile = getProfile(iso === 20 ? '20' : '2', ROLE[entry.position]);
    if (profile === undefined) continue;
    const issuer = entries[i + 1];
    const result = lintCertificate(entry.der, profile, {
      at,
      ...(issuer === undefined ? {} : { issuer: issuer.der }),
    });
    for (const v of result.violations) {
      const finding = { ...v, certificate: entry.position };
      if (v.severity === 'error' && BLOCKING_LINTS.has(v.code)) blocking.push(finding);
      else warnings.push(finding);
    }
  }
  return { blocking, warnings };
}

export interface ValidityFailure {
  readonly code: 'pcp.expired' | 'pcp.not-yet-valid' | 'pcp.validity-shell';
  readonly message: string;
  readonly certificate: ChainPosition;
}

/**
 * (b) The validity shell model, from the leaf to the root: each certificate valid at `now`
 * (notBefore ≤ now ≤ notAfter, RFC 5280 §4.1.2.5) and inside the validity of its issuer
 * (notBefore and notAfter within the issuer's). The first failure from the leaf upwards.
 */
export function checkValidityShell(entries: readonly ChainEntry[], now: Date): ValidityFailure | undefined {
  const t = now.getTime();
  for (const [i, entry] of entries.entries()) {
    const label = POSITION_LABEL[entry.position];
    const { notBefore, notAfter } = entry.info;
    if (notAfter.getTime() < t) {
      return {
        code: 'pcp.expired',
        certificate: entry.position,
        message: `${label} expired on ${notAfter.toISOString()}`,
      };
    }
    if (notBefore.getTime() > t) {
      return {
        code: 'pcp.not-yet-valid',
        certificate: entry.position,
        message: `${label} is not valid before ${notBefore.toISOString()}`,
      };
    }
    const issuer = entries[i + 1];
    if (issuer === undefined) continue;
    if (
      notAfter.getTime() > issuer.info.notAfter.getTime() ||
      notBefore.getTime() < issuer.info.notBefore.getTime()
    ) {
      return {
        code: 'pcp.validity-shell',
        certificate: entry.position,
        message:
          `${label} (valid ${notBefore.toISOString()} to ${notAfter.toISOString()}) is not inside the validity ` +
          `of ${POSITION_LABEL[issuer.position]} (${issuer.info.notBefore.toISOString()} to ${issuer.info.notAfter.toISOString()})`,
      };
    }
  }
  return undefined;
}

export type TrustResult =
  | { readonly ok: true; readonly root: TrustedRoot }
  | {
      readonly ok: false;
      readonly message: string;
      readonly details: Record<string, unknown>;
      /** The trusted root the failed path ended in, if it got that far (for the shell check). */
      readonly root: TrustedRoot | undefined;
    };

/**
 * (d) Path validation (RFC 5280 §6.1, src/pki/path) from the leaf through the delivered sub-CAs to
 * one of `anchors` (the pool's OEM and V2G roots of the edition). The path must use exactly the
 * delivered certificates, in order: a chain with a stray or missing certificate is refused.
 * Validity is part of path validation; (b) runs first, so a failure here is about trust.
 */
export function evaluateTrust(
  entries: readonly ChainEntry[],
  anchors: readonly TrustedRoot[],
  now: Date,
): TrustResult {
  const delivered = entries.filter((e) => e.position !== 'root');
  const [leaf, ...intermediates] = delivered;
  if (leaf === undefined) throw new Error('evaluateTrust: empty chain');
  if (anchors.length === 0) {
    return {
      ok: false,
      message: 'the Root Certificate Pool holds no OEM or V2G root of this ISO 15118 edition',
      details: { path: 'path.no-issuer' },
      root: undefined,
    };
  }
  const result: PathValidationResult = validatePath({
    target: leaf.der,
    intermediates: intermediates.map((e) => e.der),
    anchors: anchors.map((a) => a.der),
    at: now,
    maxLength: delivered.length + 1,
  });
  const rootOf = (chain: readonly Uint8Array[] | undefined): TrustedRoot | undefined => {
    const last = chain?.[chain.length - 1];
    if (last === undefined) return undefined;
    const fingerprint = sha256Hex(last);
    return anchors.find((a) => a.fingerprintSha256 === fingerprint);
  };
  if (!result.valid) {
    return {
      ok: false,
      message: `the chain does not lead to a trusted OEM or V2G root: ${result.reason}`,
      details: { path: result.code, ...(result.at === undefined ? {} : { index: result.at }) },
      root: rootOf(result.chain),
    };
  }
  const sameChain =
    result.chain.length === delivered.length + 1 &&
    delivered.every((e, i) => Buffer.from(e.der).equals(Buffer.from(result.chain[i] as Uint8Array)));
  const root = anchors[result.anchorIndex];
  if (!sameChain || root === undefined) {
    return {
      ok: false,
      message:
        'the delivered certificates do not form one chain (provisioning certificate, Sub-CA 2, Sub-CA 1) to a trusted root',
      details: { path: 'chain-mismatch' },
      root: undefined,
    };
  }
  return { ok: true, root };
}

function escapeValue(v: string): string {
  // RFC 4514 §2.4.
  return v
    .replace(/[,+"\\<>;]/g, (c) => `\\${c}`)
    .replace(/^([# ])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** `CN=V2G Root CA QA G1, DC=V2G, O=Hubject GmbH, C=DE`: RFC 4514 order, the separator of OPCP's examples. */
export function distinguishedName(der: Uint8Array): string {
  const parsed = parseForLint(der);
  if (!parsed.ok) return '';
  return [...parsed.cert.subject.rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${DN_SHORT_NAMES[a.oid] ?? a.oid}=${escapeValue(a.value ?? '')}`).join('+'))
    .join(', ');
}

function colonHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The facts of the root the responses carry (OPCP ProvisioningCertificateData extras). */
export function storedRootOf(root: TrustedRoot, info: CertificateInfo): StoredRoot {
  return {
    fingerprintSha256: root.fingerprintSha256,
    distinguishedName: distinguishedName(root.der),
    serialHex: info.serialNumber.toString(16),
    keyIdentifier: info.subjectKeyIdentifier === undefined ? null : colonHex(info.subjectKeyIdentifier),
  };
}
