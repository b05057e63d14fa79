// How a root looks in each API tree (spec-gaps.md items 5, 6, 35). OPCP RootCertV2 (rcp.v1.json) as
// Hubject answers it (CitrineOS and MaEVe parse `RootCertificateCollection.rootCertificates[]`,
// interop.md §1.1, §1.2): `rootAuthorityKeyIdentifier` base64 (`RbhAnuE4+L8=`), the serial in
// lower-case hex without leading zeros (`bbbbbc1ac45ad2dfe5b1d873c35c84`), times without fractions,
// distinguishedName as `CN=…, DC=…, O=…, C=…`. OPNC RootCertificateV1 (rootCertificate.v1.json): the
// same fields plus `rootTypeList` (eMSP for MO); `rootType` is kept as well because the OPNC schema
// requires it without defining it (D-043).

import { msgDefNamespaceFor } from '../pool-inputs/index.ts';
import type { LintFinding, RootRecord } from './repository.ts';
import { type RootFacts, rootFacts } from './root-certificate.ts';
import type { RootType } from './trust-anchors.ts';

export interface OpcpRootCert {
  readonly rootCertificateId: string;
  readonly distinguishedName: string;
  readonly rootType: RootType;
  readonly caCertificate: string;
  readonly commonName?: string;
  readonly rootAuthorityKeyIdentifier: string;
  readonly rootAuthorityKeyIdentifierHex: string;
  readonly rootIssuerSerialNumber: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly organizationName?: string;
  readonly fingerprint: string;
  readonly fingerprintSha1: string;
  readonly xsdMsgDefNamespace: string;
  readonly signatureAlgorithm: 'secp256r1' | 'secp521r1' | 'ed448';
}

export interface OpncRootCertificate {
  readonly rootCertificateId: string;
  readonly distinguishedName: string;
  readonly rootType: RootType;
  readonly rootTypeList: readonly string[];
  readonly caCertificate: string;
  readonly commonName?: string;
  readonly rootAuthorityKeyIdentifier: string;
  readonly rootIssuerSerialNumber: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly organizationName?: string;
  readonly fingerprint: string;
  readonly xsdMsgDefNamespace: string;
}

/** `2019-01-10T12:54:26Z`: RFC 3339 without fractions, as the spec examples. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const SIGNATURE_ALGORITHM = { 'P-256': 'secp256r1', 'P-521': 'secp521r1', Ed448: 'ed448' } as const;

/** The OPCP / webhook `signatureAlgorithm` name of a root key (`secp256r1`, `secp521r1`, `ed448`). */
export function signatureAlgorithmName(keyAlgorithm: string): string {
  return (SIGNATURE_ALGORITHM as Readonly<Record<string, string>>)[keyAlgorithm] ?? keyAlgorithm;
}

/** OPNC pkiType / rootTypeList vocabulary. */
export function opncTypeName(type: RootType): string {
  return type === 'MO' ? 'eMSP' : type;
}

function optional(name: 'commonName' | 'organizationName', value: string | null): Record<string, string> {
  return value === null ? {} : { [name]: value };
}

function common(root: RootRecord, facts: RootFacts) {
  return {
    rootCertificateId: root.id,
    distinguishedName: facts.distinguishedName,
    rootType: root.rootType,
    caCertificate: Buffer.from(root.der).toString('base64'),
    ...optional('commonName', facts.commonName),
    rootAuthorityKeyIdentifier: Buffer.from(facts.keyIdentifier).toString('base64'),
  };
}

export function opcpRootCert(root: RootRecord): OpcpRootCert {
  const facts = rootFacts(root.der);
  return {
    ...common(root, facts),
    rootAuthorityKeyIdentifierHex: Buffer.from(facts.keyIdentifier).toString('hex'),
    rootIssuerSerialNumber: root.serial,
    validFrom: isoSeconds(root.notBefore),
    validTo: isoSeconds(root.notAfter),
    ...optional('organizationName', facts.organizationName),
    fingerprint: root.fingerprintSha256,
    fingerprintSha1: facts.fingerprintSha1,
    xsdMsgDefNamespace: msgDefNamespaceFor(root.iso, 'opcp'),
    signatureAlgorithm: SIGNATURE_ALGORITHM[facts.keyAlgorithm],
  };
}

export function opncRootCertificate(root: RootRecord): OpncRootCertificate {
  const facts = rootFacts(root.der);
  return {
    ...common(root, facts),
    rootTypeList: [opncTypeName(root.rootType)],
    rootIssuerSerialNumber: root.serial,
    validFrom: isoSeconds(root.notBefore),
    validTo: isoSeconds(root.notAfter),
    ...optional('organizationName', facts.organizationName),
    fingerprint: root.fingerprintSha256,
    xsdMsgDefNamespace: msgDefNamespaceFor(root.iso, 'opnc'),
  };
}

/** Findings as the PUT response and the CLI report them. */
export function findingsView(findings: readonly LintFinding[]) {
  return findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message }));
}
