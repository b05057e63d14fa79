// ISO 15118-2 certificate profiles (Annex F). The standard's tables are not public; the values
// below are what every public generator (RISE-V2G, Josev, EVerest: one shared lineage) and
// Hubject's issued certificates agree on, plus the Annex F requirements quoted in public threads
// (../shared/docs/pki-profiles.md §1.1, §1.3, §1.4). Decision ids (P-0xx) refer to
// docs/pki-profile-decisions.md.

import { OID_KP_OCSP_SIGNING, OID_OCSP_NOCHECK, OID_SUBJECT_ALT_NAME } from './oids.ts';
import type {
  AiaOcspRule,
  BasicConstraintsRule,
  CertificateProfile,
  CommonNameSpec,
  DomainComponent,
  ExtendedKeyUsageRule,
  KeyIdentifierRule,
  KeyUsageRule,
  SubjectRule,
  ValidityRule,
} from './types.ts';

/** Calendar years as an upper bound in days (leap days included). */
export function years(n: number): number {
  return Math.ceil(n * 365.25);
}

// --- shared building blocks (plain data) -------------------------------------------------

const ALGORITHM_CLAUSE_2 =
  'ISO 15118-2: secp256r1 keys, ecdsa-with-SHA256 signatures (pki-profiles.md Summary 2; P-002)';

const KU_CLAUSE_2 =
  'ISO 15118-2 Annex F (Table F.2: keyUsage critical, EVerest/EVerest#2096); bits per public generators and Hubject (pki-profiles.md §1.1, §1.3; P-011)';

const ROOT_BC: BasicConstraintsRule = {
  ca: true,
  pathLen: null,
  pathLenSeverity: 'warning',
  clause: 'pki-profiles.md §1.1: roots critical CA:true without pathLen (P-010)',
  basis: 'observed',
};

const SUB1_BC: BasicConstraintsRule = {
  ca: true,
  pathLen: 1,
  pathLenSeverity: 'error',
  clause: 'pki-profiles.md Summary 3: Sub-CA 1 pathLen 1 (P-010)',
  basis: 'observed',
};

const SUB2_BC: BasicConstraintsRule = {
  ca: true,
  pathLen: 0,
  pathLenSeverity: 'error',
  clause: 'pki-profiles.md Summary 3: Sub-CA 2 pathLen 0 (P-010)',
  basis: 'observed',
};

const LEAF_BC: BasicConstraintsRule = {
  ca: false,
  pathLen: null,
  pathLenSeverity: 'error',
  clause: 'pki-profiles.md §1.1: leaves critical CA:false (P-009)',
  basis: 'observed',
};

const CA_KU: KeyUsageRule = {
  required: ['keyCertSign', 'cRLSign'],
  recommended: [],
  optional: [],
  clause: KU_CLAUSE_2,
  basis: 'observed',
};

const NO_EKU: ExtendedKeyUsageRule = {
  required: [],
  clause: 'pki-profiles.md Summary 8 / §3 C8: no EKU in the public profiles (P-007)',
  basis: 'observed',
};

function subjectRule(dc: DomainComponent | null, kind: 'root' | 'sub-ca' | 'leaf'): SubjectRule {
  return {
    required: ['CN'],
    recommended: ['O', 'C'],
    domainComponent: dc,
    // [V2G2-925] makes a missing DC fatal for leaves; Hubject's QA sub-CAs carry none (C2).
    domainComponentSeverity: kind === 'sub-ca' ? 'warning' : 'error',
    domainComponentClause:
      kind === 'leaf'
        ? '[V2G2-925] required Domain Component (pki-profiles.md §1.4; P-004)'
        : 'pki-profiles.md Summary 4 / §3 C2 (P-004)',
    clause: 'pki-profiles.md §1.1: subject CN, O, C, DC (P-021)',
    basis: 'observed',
  };
}

const FREE_CN = (example: string): CommonNameSpec => ({
  rule: 'none',
  severity: 'warning',
  example,
  clause: 'no CN rule for this type',
  basis: 'observed',
});

const SKI_2: KeyIdentifierRule = {
  skiLengths: [20],
  skiLengthSeverity: 'warning',
  skiMethod: 'rfc5280-sha1',
  clause:
    'RFC 5280 §4.2.1.2 method (1) as all public -2 generators use; Hubject uses 8 bytes (pki-profiles.md §3 C3; P-006)',
  basis: 'project',
};

const AIA_NOT_EXPECTED: AiaOcspRule = {
  presence: 'optional',
  severity: 'warning',
  clause: 'roots carry no AIA (pki-profiles.md §1.1, §1.3; P-015)',
  basis: 'observed',
};

const AIA_EXPECTED: AiaOcspRule = {
  presence: 'required',
  severity: 'warning',
  clause:
    'interop.md: AIA OCSP on every non-root certificate (CitrineOS); Hubject sets it (pki-profiles.md §1.3; P-015)',
  basis: 'observed',
};

const AIA_CONTRACT: AiaOcspRule = {
  presence: 'required',
  severity: 'error',
  clause:
    'contract chains are checked by OCSP (OCPP OCSPRequestData; EVerest/libocpp#652); pki-profiles.md §7.2 (P-015)',
  basis: 'observed',
};

function validity(minDays: number, maxDays: number, defaultDays: number, clause: string): ValidityRule {
  return { minDays, maxDays, defaultDays, clause: `${clause} (P-013)`, basis: 'observed' };
}

const MAX_DER_2 = 800; // -2 XSD certificateType maxLength 800 (pki-profiles.md Summary 1; P-017)

function base2(
  role: CertificateProfile['role'],
  kind: CertificateProfile['kind'],
  title: string,
): Pick<
  CertificateProfile,
  | 'id'
  | 'iso'
  | 'role'
  | 'kind'
  | 'title'
  | 'keyAlgorithms'
  | 'signatureAlgorithms'
  | 'algorithmClause'
  | 'maxDerBytes'
> {
  return {
    id: `iso15118-2/${role}`,
    iso: '2',
    role,
    kind,
    title,
    keyAlgorithms: ['P-256'],
    signatureAlgorithms: ['ecdsa-with-SHA256'],
    algorithmClause: ALGORITHM_CLAUSE_2,
    maxDerBytes: MAX_DER_2,
  };
}

// --- V2G (CPO) domain -------------------------------------------------------------------

export const V2G_ROOT_2: CertificateProfile = {
  ...base2('v2g-root', 'root', 'V2G Root CA'),
  basicConstraints: ROOT_BC,
  keyUsage: CA_KU,
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('V2G', 'root'),
  commonName: FREE_CN('V2G Root CA'),
  validity: validity(
    365,
    years(40),
    years(40),
    'RISE-V2G comment "40 years"; Hubject roots 40 y (pki-profiles.md §1.1, §1.3)',
  ),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_NOT_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: ['Hubject roots also carry certificatePolicies 1.3.6.1.4.1.41525.1.2.1.0 and EKU OCSPSigning (C8).'],
};

export const CPO_SUB1_2: CertificateProfile = {
  ...base2('cpo-sub1', 'sub-ca', 'CPO Sub-CA 1'),
  basicConstraints: SUB1_BC,
  keyUsage: CA_KU,
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('V2G', 'sub-ca'),
  commonName: FREE_CN('CPO Sub-CA 1'),
  validity: validity(
    365,
    years(5),
    years(4),
    'generators 1460 d; Hubject 4-5 y (pki-profiles.md §1.1, §1.3)',
  ),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: ['All public scripts put DC=V2G on CPO sub-CAs; dSPACE uses DC=CPO, Hubject QA none (C2).'],
};

export const CPO_SUB2_2: CertificateProfile = {
  ...base2('cpo-sub2', 'sub-ca', 'CPO Sub-CA 2'),
  basicConstraints: SUB2_BC,
  keyUsage: CA_KU,
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('V2G', 'sub-ca'),
  commonName: FREE_CN('CPO Sub-CA 2'),
  validity: validity(365, years(2), 365, 'RISE-V2G comment "1-2 years allowed" (pki-profiles.md §1.1)'),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: [],
};

export const SECC_LEAF_2: CertificateProfile = {
  ...base2('secc-leaf', 'leaf', 'SECC (EVSE) certificate'),
  basicConstraints: LEAF_BC,
  keyUsage: {
    required: ['digitalSignature'],
    // CONFLICT C1: keyAgreement set by every generator and by Hubject's QA SECC leaf, needed
    // for TLS_ECDH_ECDSA; EVerest maintainers read Table F.2 as forbidding it (P-003).
    recommended: ['keyAgreement'],
    optional: [],
    clause: `${KU_CLAUSE_2}; keyAgreement: §3 C1 (P-003)`,
    basis: 'observed',
  },
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('CPO', 'leaf'),
  commonName: {
    rule: 'evse-or-secc-id',
    severity: 'warning',
    example: 'DE*ICE*E45B*78C',
    clause: 'OPCP EST: CPO CSR CN must match the EVSEID regex (pki-profiles.md §2; P-020)',
    basis: 'observed',
  },
  validity: validity(
    56,
    92,
    90,
    'RISE-V2G comment "2-3 months allowed"; Hubject QA 3 months (pki-profiles.md §1.1, §1.3)',
  ),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  // Hubject's QA SECC leaf carries SAN DNS:example.com (P-026).
  extraExtensions: [OID_SUBJECT_ALT_NAME],
  notes: ['-2 TLS 1.2 server certificate; DC=CPO checked by the EVCC ([V2G2-875]).'],
};

// --- MO (eMSP) domain -------------------------------------------------------------------

export const MO_ROOT_2: CertificateProfile = {
  ...base2('mo-root', 'root', 'MO Root CA'),
  basicConstraints: ROOT_BC,
  keyUsage: CA_KU,
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('MO', 'root'),
  commonName: FREE_CN('MO Root CA'),
  validity: validity(365, years(40), years(40), 'same bounds as the V2G root (pki-profiles.md §1.1)'),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_NOT_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: ['Hubject has no MO root: its MO Sub-CA 1 is issued by the V2G root (C7).'],
};

export const MO_SUB1_2: CertificateProfile = {
  ...base2('mo-sub1', 'sub-ca', 'MO Sub-CA 1'),
  basicConstraints: SUB1_BC,
  keyUsage: CA_KU,
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('MO', 'sub-ca'),
  commonName: FREE_CN('MO Sub-CA 1'),
  validity: validity(
    365,
    years(20),
    years(4),
    'generators 1460 d; Hubject QA 20 y (pki-profiles.md §1.1, §1.3)',
  ),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: [],
};

export const MO_SUB2_2: CertificateProfile = {
  ...base2('mo-sub2', 'sub-ca', 'MO Sub-CA 2'),
  basicConstraints: SUB2_BC,
  keyUsage: {
    required: ['keyCertSign', 'cRLSign'],
    // Every generator and Hubject add digitalSignature + nonRepudiation to MO Sub-CA 2 only.
    recommended: ['digitalSignature', 'nonRepudiation'],
    optional: [],
    clause: KU_CLAUSE_2,
    basis: 'observed',
  },
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('MO', 'sub-ca'),
  commonName: FREE_CN('MO Sub-CA 2'),
  validity: validity(
    365,
    years(10),
    years(4),
    'generators 1460 d; Hubject QA 10 y (pki-profiles.md §1.1, §1.3)',
  ),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: [],
};

export const CONTRACT_LEAF_2: CertificateProfile = {
  ...base2('contract-leaf', 'leaf', 'Contract certificate'),
  basicConstraints: LEAF_BC,
  keyUsage: {
    required: ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'keyAgreement'],
    recommended: [],
    optional: [],
    clause: `${KU_CLAUSE_2} (P-012)`,
    basis: 'observed',
  },
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('MO', 'leaf'),
  commonName: {
    rule: 'emaid',
    severity: 'error',
    example: 'DEABCC123ABC56',
    clause: 'ISO 15118-2 Annex H EMAID; -2 XSD eMAIDType 14-15 chars (pki-profiles.md §5; P-018)',
    basis: 'standard',
  },
  validity: validity(
    28,
    years(2),
    730,
    'RISE-V2G comment "between 4 weeks and 2 years" (pki-profiles.md §1.1)',
  ),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_CONTRACT,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: ['Lifetime is also limited by the contract (shell model, P-014).'],
};

// --- OEM domain ---------------------------------------------------------------------------

export const OEM_ROOT_2: CertificateProfile = {
  ...base2('oem-root', 'root', 'OEM Root CA'),
  basicConstraints: ROOT_BC,
  keyUsage: CA_KU,
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('OEM', 'root'),
  commonName: FREE_CN('OEM Root CA'),
  validity: validity(365, years(40), years(40), 'same bounds as the V2G root (pki-profiles.md §1.1)'),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_NOT_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: [],
};

export const OEM_SUB1_2: CertificateProfile = {
  ...base2('oem-sub1', 'sub-ca', 'OEM Sub-CA 1'),
  basicConstraints: SUB1_BC,
  keyUsage: CA_KU,
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('OEM', 'sub-ca'),
  commonName: FREE_CN('OEM Sub-CA 1'),
  validity: validity(
    365,
    years(20),
    years(4),
    'generators 1460 d; Hubject QA 20 y (pki-profiles.md §1.1, §1.3)',
  ),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: ["Hubject's TEST OEM Sub-CA 1 carries DC=V2G (reported as dc-mismatch)."],
};

export const OEM_SUB2_2: CertificateProfile = {
  ...base2('oem-sub2', 'sub-ca', 'OEM Sub-CA 2'),
  basicConstraints: SUB2_BC,
  keyUsage: CA_KU,
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('OEM', 'sub-ca'),
  commonName: FREE_CN('OEM Sub-CA 2'),
  validity: validity(
    365,
    years(10),
    years(4),
    'generators 1460 d; Hubject QA 10 y (pki-profiles.md §1.1, §1.3)',
  ),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: [],
};

export const OEM_PROV_LEAF_2: CertificateProfile = {
  ...base2('oem-prov-leaf', 'leaf', 'OEM provisioning certificate'),
  basicConstraints: LEAF_BC,
  keyUsage: {
    // keyAgreement: the contract key is encrypted by ECDH to this key ([V2G2-818] and neighbours).
    required: ['digitalSignature', 'keyAgreement'],
    recommended: [],
    optional: [],
    clause: `${KU_CLAUSE_2}; ECDH for contract-key encryption (pki-profiles.md §4.1)`,
    basis: 'observed',
  },
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('OEM', 'leaf'),
  commonName: {
    rule: 'pcid',
    severity: 'error',
    example: 'WMI1234567ABCDEFG',
    clause: 'PCID as CN (pki-profiles.md §1.1 "should be the PCID", §5; OPCP 05_handling-of-ids.md; P-019)',
    basis: 'observed',
  },
  validity: validity(28, years(4), years(4), 'generators 1460 d; Hubject 4 y (pki-profiles.md §1.1, §1.3)'),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  // Hubject 2024 QA OEM leaf carries SAN DNS:<PCID> (P-026).
  extraExtensions: [OID_SUBJECT_ALT_NAME],
  notes: ['Also the -2 EVCC TLS client identity where mutual TLS is used.'],
};

// --- CPS (certificate provisioning service) domain -------------------------------------------

export const CPS_SUB1_2: CertificateProfile = {
  ...base2('cps-sub1', 'sub-ca', 'CPS (Provisioning) Sub-CA 1'),
  basicConstraints: SUB1_BC,
  keyUsage: CA_KU,
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('CPS', 'sub-ca'),
  commonName: FREE_CN('Prov Sub-CA 1'),
  validity: validity(365, years(20), years(4), 'generators 1460 d; Hubject QA 16 y (pki-profiles.md §1.1)'),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: ['Issued by the V2G root.'],
};

export const CPS_SUB2_2: CertificateProfile = {
  ...base2('cps-sub2', 'sub-ca', 'CPS (Provisioning) Sub-CA 2'),
  basicConstraints: SUB2_BC,
  keyUsage: CA_KU,
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('CPS', 'sub-ca'),
  commonName: FREE_CN('Prov Sub-CA 2'),
  validity: validity(365, years(10), 730, 'generators 730 d; Hubject QA 8 y (pki-profiles.md §1.1)'),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: [],
};

export const CPS_LEAF_2: CertificateProfile = {
  ...base2('cps-leaf', 'leaf', 'CPS leaf (signs CertificateInstallationRes)'),
  basicConstraints: LEAF_BC,
  keyUsage: {
    required: ['digitalSignature'],
    recommended: [],
    optional: [],
    clause: KU_CLAUSE_2,
    basis: 'observed',
  },
  extendedKeyUsage: NO_EKU,
  subject: subjectRule('CPS', 'leaf'),
  commonName: FREE_CN('CPS Leaf'),
  validity: validity(1, years(4), 90, 'generators 90 d; Hubject QA 4 y (pki-profiles.md §1.1)'),
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: AIA_EXPECTED,
  crlDistributionPoints: 'optional',
  extraExtensions: [],
  notes: [],
};

// --- OCSP responder ------------------------------------------------------------------------

export const OCSP_SIGNER_2: CertificateProfile = {
  ...base2('ocsp-signer', 'leaf', 'Delegated OCSP responder'),
  basicConstraints: {
    ...LEAF_BC,
    clause: 'RFC 6960 §4.2.2.2: responder certificate issued directly by the CA (P-024)',
    basis: 'project',
  },
  keyUsage: {
    required: ['digitalSignature'],
    recommended: [],
    optional: ['nonRepudiation'],
    clause: 'RFC 6960 §4.2.2.2 (P-024)',
    basis: 'project',
  },
  extendedKeyUsage: {
    required: [OID_KP_OCSP_SIGNING],
    clause: 'RFC 6960 §4.2.2.2: id-kp-OCSPSigning (P-024)',
    basis: 'standard',
  },
  subject: {
    required: ['CN'],
    recommended: ['O', 'C'],
    domainComponent: null,
    domainComponentSeverity: 'warning',
    domainComponentClause: 'no DC known for OCSP responders (P-024)',
    clause: 'pki-profiles.md §1.1 naming (P-021)',
    basis: 'project',
  },
  commonName: FREE_CN('OCSP Responder'),
  validity: {
    minDays: 1,
    maxDays: 365,
    defaultDays: 30,
    clause:
      'no ISO 15118 source; short-lived because RFC 6960 §4.2.2.2.1 id-pkix-ocsp-nocheck disables its own revocation check (P-024)',
    basis: 'project',
  },
  keyIdentifiers: SKI_2,
  authorityInfoAccessOcsp: {
    presence: 'optional',
    severity: 'warning',
    clause: 'RFC 6960 §4.2.2.2.1 (nocheck) makes an OCSP URL pointless (P-024)',
    basis: 'standard',
  },
  crlDistributionPoints: 'optional',
  extraExtensions: [OID_OCSP_NOCHECK],
  notes: ['Hubject V2G roots carry EKU OCSPSigning, suggesting CA-signed responses (pki-profiles.md §7.2).'],
};

export const ISO15118_2_PROFILES: readonly CertificateProfile[] = [
  V2G_ROOT_2,
  CPO_SUB1_2,
  CPO_SUB2_2,
  SECC_LEAF_2,
  MO_ROOT_2,
  MO_SUB1_2,
  MO_SUB2_2,
  CONTRACT_LEAF_2,
  OEM_ROOT_2,
  OEM_SUB1_2,
  OEM_SUB2_2,
  OEM_PROV_LEAF_2,
  CPS_SUB1_2,
  CPS_SUB2_2,
  CPS_LEAF_2,
  OCSP_SIGNER_2,
];
