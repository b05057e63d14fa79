// ISO 15118-20 certificate profiles (Annex B). No public generator makes -20 chains and the
// Annex B tables are not public (../shared/docs/pki-profiles.md §1.2). Known: P-521 + ECDSA
// with SHA-512 or Ed448 ([V2G20-2673], [V2G20-2674], [V2G20-2318], [V2G20-2319]), certificates
// ≤ 1600 bytes (XSD), SECC leaves with DC=CSO (Table B.5 per EVerest/EVerest#2683), 8-byte
// contract SKIs ([V2G20-2492]), vehicle certificates (EVerest), Private Environment roots
// ([V2G20-867]). Everything else mirrors the -2 profile and is marked as such; see
// docs/pki-profile-decisions.md (P-022, P-023, P-030).

import {
  CONTRACT_LEAF_2,
  CPO_SUB1_2,
  CPO_SUB2_2,
  CPS_LEAF_2,
  CPS_SUB1_2,
  CPS_SUB2_2,
  MO_ROOT_2,
  MO_SUB1_2,
  MO_SUB2_2,
  OCSP_SIGNER_2,
  OEM_PROV_LEAF_2,
  OEM_ROOT_2,
  OEM_SUB1_2,
  OEM_SUB2_2,
  SECC_LEAF_2,
  V2G_ROOT_2,
  years,
} from './iso15118-2.ts';
import { OID_SUBJECT_ALT_NAME, OID_SUBJECT_ALT_PUBLIC_KEY_INFO } from './oids.ts';
import type { CertificateProfile, KeyIdentifierRule, KeyUsageRule } from './types.ts';

const ALGORITHM_CLAUSE_20 =
  '[V2G20-2673] SHA-512, [V2G20-2674] secp521r1 + ECDSA, [V2G20-2318] SHAKE256, [V2G20-2319] Ed448 (pki-profiles.md §1.2; P-002)';

const KU_CLAUSE_20 =
  'ISO 15118-20 Annex B not public: -2 bits where the function needs them (pki-profiles.md §1.2; P-030)';

const SKI_20: KeyIdentifierRule = {
  skiLengths: [8, 20],
  skiLengthSeverity: 'warning',
  skiMethod: 'hubject-64',
  clause: 'pki-profiles.md §3 C3: 8-byte (Hubject) SKIs for -20 chains (P-006)',
  basis: 'project',
};

const SKI_20_CONTRACT: KeyIdentifierRule = {
  skiLengths: [8],
  skiLengthSeverity: 'error',
  skiMethod: 'hubject-64',
  clause: '[V2G20-2492]: the AAD carries the contract SKI as 16 hex chars, so it must be 8 bytes (P-006)',
  basis: 'standard',
};

/** -20 variant of a -2 profile: algorithms, size, SKI and extension set change. */
function to20(
  p: CertificateProfile,
  overrides: Partial<CertificateProfile> & { keyUsage?: KeyUsageRule },
): CertificateProfile {
  return {
    ...p,
    id: `iso15118-20/${p.role}`,
    iso: '20',
    keyAlgorithms: ['P-521', 'Ed448'],
    signatureAlgorithms: ['ecdsa-with-SHA512', 'Ed448'],
    algorithmClause: ALGORITHM_CLAUSE_20,
    keyIdentifiers: SKI_20,
    // -20 Table 2 lists subjectAltPublicKeyInfo among extension examples (pki-profiles.md §1.2).
    extraExtensions: [...p.extraExtensions, OID_SUBJECT_ALT_PUBLIC_KEY_INFO],
    maxDerBytes: 1600, // -20 XSD certificateType maxLength 1600 (P-017)
    ...overrides,
  };
}

const CA_KU_20: KeyUsageRule = {
  required: ['keyCertSign', 'cRLSign'],
  recommended: [],
  optional: [],
  clause: KU_CLAUSE_20,
  basis: 'observed',
};

export const V2G_ROOT_20 = to20(V2G_ROOT_2, { keyUsage: CA_KU_20 });
export const CPO_SUB1_20 = to20(CPO_SUB1_2, { keyUsage: CA_KU_20 });
export const CPO_SUB2_20 = to20(CPO_SUB2_2, { keyUsage: CA_KU_20 });

export const SECC_LEAF_20 = to20(SECC_LEAF_2, {
  keyUsage: {
    required: ['digitalSignature'],
    recommended: [],
    // TLS 1.3 uses ephemeral key exchange only; tolerated because -2 habits carry over.
    optional: ['keyAgreement'],
    clause: KU_CLAUSE_20,
    basis: 'project',
  },
  subject: {
    ...SECC_LEAF_2.subject,
    domainComponent: 'CSO',
    domainComponentClause: 'ISO 15118-20 Table B.5: SECC leaf DC=CSO (EVerest/EVerest#2683; P-005)',
  },
  notes: ['A SECC needs a -2 (P-256) and a -20 (P-521/Ed448) leaf (EVerest/EVerest#2683).'],
});

export const MO_ROOT_20 = to20(MO_ROOT_2, { keyUsage: CA_KU_20 });
export const MO_SUB1_20 = to20(MO_SUB1_2, { keyUsage: CA_KU_20 });
export const MO_SUB2_20 = to20(MO_SUB2_2, {
  keyUsage: { ...MO_SUB2_2.keyUsage, clause: KU_CLAUSE_20 },
});

export const CONTRACT_LEAF_20 = to20(CONTRACT_LEAF_2, {
  keyUsage: {
    required: ['digitalSignature'],
    recommended: ['nonRepudiation'],
    optional: ['keyEncipherment', 'keyAgreement'],
    clause: KU_CLAUSE_20,
    basis: 'project',
  },
  keyIdentifiers: SKI_20_CONTRACT,
  notes: ['Expiry warning 14 days before notAfter ([V2G20-2218]).'],
});

export const OEM_ROOT_20 = to20(OEM_ROOT_2, { keyUsage: CA_KU_20 });
export const OEM_SUB1_20 = to20(OEM_SUB1_2, { keyUsage: CA_KU_20 });
export const OEM_SUB2_20 = to20(OEM_SUB2_2, { keyUsage: CA_KU_20 });

export const OEM_PROV_LEAF_20 = to20(OEM_PROV_LEAF_2, {
  keyUsage: {
    required: ['digitalSignature'],
    // ECDHE with the OEM provisioning key ([V2G20-2491]); an Ed448 key cannot do that itself.
    recommended: ['keyAgreement'],
    optional: [],
    ecOnly: ['keyAgreement'],
    clause: `${KU_CLAUSE_20}; [V2G20-2491]`,
    basis: 'project',
  },
  notes: [
    '[V2G20-2492] builds the AAD from an 18-char PCID; 17-char PCIDs are open (spec-gaps.md #34, P-019).',
  ],
});

// Vehicle certificates for -20 mutual TLS: only EVerest generates them, under Vehicle Sub-CAs
// issued by the V2G root with DC=OEM (pki-profiles.md §1.1 last rows, §1.2; P-022).
export const VEHICLE_SUB1_20: CertificateProfile = to20(OEM_SUB1_2, {
  role: 'vehicle-sub1',
  id: 'iso15118-20/vehicle-sub1',
  title: 'Vehicle Sub-CA 1',
  keyUsage: CA_KU_20,
  commonName: { ...OEM_SUB1_2.commonName, example: 'Vehicle Sub-CA 1' },
  validity: {
    minDays: 365,
    maxDays: years(20),
    defaultDays: years(4),
    clause: 'EVerest vehicle chain 1460 d (pki-profiles.md §1.1; P-013, P-022)',
    basis: 'observed',
  },
  notes: ['Issued by the V2G root (EVerest vehicleSubCA1.cnf); OPCP EST `veh` CA.'],
});

export const VEHICLE_SUB2_20: CertificateProfile = to20(OEM_SUB2_2, {
  role: 'vehicle-sub2',
  id: 'iso15118-20/vehicle-sub2',
  title: 'Vehicle Sub-CA 2',
  keyUsage: CA_KU_20,
  commonName: { ...OEM_SUB2_2.commonName, example: 'Vehicle Sub-CA 2' },
  validity: {
    minDays: 365,
    maxDays: years(10),
    defaultDays: years(4),
    clause: 'EVerest vehicle chain 3650 d / 365 d variant (pki-profiles.md §1.1; P-013, P-022)',
    basis: 'observed',
  },
  notes: [],
});

export const VEHICLE_LEAF_20: CertificateProfile = to20(OEM_PROV_LEAF_2, {
  role: 'vehicle-leaf',
  id: 'iso15118-20/vehicle-leaf',
  title: 'Vehicle certificate (EVCC TLS client)',
  keyUsage: {
    required: ['digitalSignature'],
    recommended: [],
    optional: ['keyAgreement'],
    clause: `${KU_CLAUSE_20}; EVerest vehicle.cnf sets digitalSignature, keyAgreement`,
    basis: 'observed',
  },
  commonName: {
    rule: 'none',
    severity: 'warning',
    example: 'WMIV1234567890ABCDEX',
    clause: 'no public CN rule; EVerest uses a WMI-prefixed id (P-022)',
    basis: 'observed',
  },
  validity: {
    minDays: 28,
    maxDays: years(4),
    defaultDays: years(4),
    clause: 'EVerest vehicle leaf 1460 d (pki-profiles.md §1.1; P-013, P-022)',
    basis: 'observed',
  },
  extraExtensions: [OID_SUBJECT_ALT_NAME, OID_SUBJECT_ALT_PUBLIC_KEY_INFO],
  notes: ['ISO 15118-20 §3.62 vehicle certificate; DC=OEM per EVerest configs.'],
});

export const CPS_SUB1_20 = to20(CPS_SUB1_2, { keyUsage: CA_KU_20 });
export const CPS_SUB2_20 = to20(CPS_SUB2_2, { keyUsage: CA_KU_20 });
export const CPS_LEAF_20 = to20(CPS_LEAF_2, {
  keyUsage: { ...CPS_LEAF_2.keyUsage, clause: KU_CLAUSE_20 },
});

export const OCSP_SIGNER_20 = to20(OCSP_SIGNER_2, {});

// Private Environment ([V2G20-867]: only a PE root may issue leaves directly; [V2G20-2355]).
// Josev models a PE chain as leaf + root. DC, CN and validity are unknown: provisional (P-023).
export const PE_ROOT_20: CertificateProfile = to20(V2G_ROOT_2, {
  role: 'pe-root',
  id: 'iso15118-20/pe-root',
  title: 'Private Environment root CA',
  keyUsage: CA_KU_20,
  subject: {
    ...V2G_ROOT_2.subject,
    domainComponent: null,
    domainComponentClause: 'no DC known for Private Environment roots (P-023)',
  },
  commonName: { ...V2G_ROOT_2.commonName, example: 'PE Root CA' },
  notes: ['Provisional: [V2G20-867] allows a PE root to issue leaves directly.'],
});

export const PE_LEAF_20: CertificateProfile = to20(SECC_LEAF_2, {
  role: 'pe-leaf',
  id: 'iso15118-20/pe-leaf',
  title: 'Private Environment leaf (TLS, issued by the PE root)',
  keyUsage: {
    required: ['digitalSignature'],
    recommended: [],
    optional: ['keyAgreement'],
    clause: `${KU_CLAUSE_20} (P-023)`,
    basis: 'project',
  },
  subject: {
    ...SECC_LEAF_2.subject,
    domainComponent: null,
    domainComponentClause: 'no DC known for Private Environment leaves (P-023)',
  },
  commonName: {
    rule: 'none',
    severity: 'warning',
    example: 'PE Leaf',
    clause: 'no CN rule known for PE leaves (P-023)',
    basis: 'project',
  },
  validity: {
    minDays: 1,
    maxDays: years(4),
    defaultDays: 365,
    clause: 'no source; bounded like other leaves (P-013, P-023)',
    basis: 'project',
  },
  authorityInfoAccessOcsp: {
    presence: 'optional',
    severity: 'warning',
    clause: 'a PE need not run OCSP (P-023)',
    basis: 'project',
  },
  notes: ['Provisional profile.'],
});

export const ISO15118_20_PROFILES: readonly CertificateProfile[] = [
  V2G_ROOT_20,
  CPO_SUB1_20,
  CPO_SUB2_20,
  SECC_LEAF_20,
  MO_ROOT_20,
  MO_SUB1_20,
  MO_SUB2_20,
  CONTRACT_LEAF_20,
  OEM_ROOT_20,
  OEM_SUB1_20,
  OEM_SUB2_20,
  OEM_PROV_LEAF_20,
  VEHICLE_SUB1_20,
  VEHICLE_SUB2_20,
  VEHICLE_LEAF_20,
  CPS_SUB1_20,
  CPS_SUB2_20,
  CPS_LEAF_20,
  OCSP_SIGNER_20,
  PE_ROOT_20,
  PE_LEAF_20,
];
