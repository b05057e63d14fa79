// Object identifiers used by the profiles and the lints. Plain constants, no side effects.

import type { DnAttribute, KeyAlgorithm, SignatureAlgorithm } from './types.ts';

// RFC 5480 §2.1.1 / RFC 8410 §3: subject public key algorithms and named curves.
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_ED25519 = '1.3.101.112';
export const OID_ED448 = '1.3.101.113';
export const OID_X448 = '1.3.101.111';

export const CURVE_OIDS: Readonly<Record<string, KeyAlgorithm>> = {
  '1.2.840.10045.3.1.7': 'P-256', // prime256v1 / secp256r1
  '1.3.132.0.34': 'P-384', // secp384r1
  '1.3.132.0.35': 'P-521', // secp521r1
};

export const KEY_ALGORITHM_CURVE_OID: Readonly<Partial<Record<KeyAlgorithm, string>>> = {
  'P-256': '1.2.840.10045.3.1.7',
  'P-384': '1.3.132.0.34',
  'P-521': '1.3.132.0.35',
};

// RFC 5758 §3.2 (ECDSA) and RFC 8410 §3 (EdDSA); RFC 3279 §2.2.3 for SHA-1.
export const SIGNATURE_OIDS: Readonly<Record<string, SignatureAlgorithm>> = {
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  [OID_ED25519]: 'Ed25519',
  [OID_ED448]: 'Ed448',
};

export const SIGNATURE_ALGORITHM_OID: Readonly<Record<SignatureAlgorithm, string>> = {
  'ecdsa-with-SHA1': '1.2.840.10045.4.1',
  'ecdsa-with-SHA256': '1.2.840.10045.4.3.2',
  'ecdsa-with-SHA384': '1.2.840.10045.4.3.3',
  'ecdsa-with-SHA512': '1.2.840.10045.4.3.4',
  Ed25519: OID_ED25519,
  Ed448: OID_ED448,
};

// Attribute types (RFC 5280 Appendix A, RFC 4519 §2.4 for domainComponent).
export const OID_CN = '2.5.4.3';
export const OID_C = '2.5.4.6';
export const OID_L = '2.5.4.7';
export const OID_ST = '2.5.4.8';
export const OID_O = '2.5.4.10';
export const OID_OU = '2.5.4.11';
export const OID_DC = '0.9.2342.19200300.100.1.25';
export const OID_EMAIL = '1.2.840.113549.1.9.1';

export const DN_ATTRIBUTE_OID: Readonly<Record<DnAttribute, string>> = {
  CN: OID_CN,
  O: OID_O,
  C: OID_C,
  DC: OID_DC,
  OU: OID_OU,
  L: OID_L,
  ST: OID_ST,
};

export const DN_SHORT_NAMES: Readonly<Record<string, string>> = {
  [OID_CN]: 'CN',
  [OID_C]: 'C',
  [OID_L]: 'L',
  [OID_ST]: 'ST',
  [OID_O]: 'O',
  [OID_OU]: 'OU',
  [OID_DC]: 'DC',
  [OID_EMAIL]: 'emailAddress',
  '2.5.4.5': 'serialNumber',
};

// Certificate extensions (RFC 5280 §4.2, RFC 6960 §4.2.2.2.1, X.509 (2019) §9.8).
export const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_NAME_CONSTRAINTS = '2.5.29.30';
export const OID_CRL_DISTRIBUTION_POINTS = '2.5.29.31';
export const OID_CERTIFICATE_POLICIES = '2.5.29.32';
export const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
export const OID_POLICY_CONSTRAINTS = '2.5.29.36';
export const OID_EXTENDED_KEY_USAGE = '2.5.29.37';
export const OID_INHIBIT_ANY_POLICY = '2.5.29.54';
export const OID_SUBJECT_ALT_PUBLIC_KEY_INFO = '2.5.29.72';
export const OID_AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';
export const OID_OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';

export const EXTENSION_NAMES: Readonly<Record<string, string>> = {
  [OID_SUBJECT_KEY_IDENTIFIER]: 'subjectKeyIdentifier',
  [OID_KEY_USAGE]: 'keyUsage',
  [OID_SUBJECT_ALT_NAME]: 'subjectAltName',
  [OID_BASIC_CONSTRAINTS]: 'basicConstraints',
  [OID_NAME_CONSTRAINTS]: 'nameConstraints',
  [OID_CRL_DISTRIBUTION_POINTS]: 'cRLDistributionPoints',
  [OID_CERTIFICATE_POLICIES]: 'certificatePolicies',
  [OID_AUTHORITY_KEY_IDENTIFIER]: 'authorityKeyIdentifier',
  [OID_POLICY_CONSTRAINTS]: 'policyConstraints',
  [OID_EXTENDED_KEY_USAGE]: 'extKeyUsage',
  [OID_INHIBIT_ANY_POLICY]: 'inhibitAnyPolicy',
  [OID_SUBJECT_ALT_PUBLIC_KEY_INFO]: 'subjectAltPublicKeyInfo',
  [OID_AUTHORITY_INFO_ACCESS]: 'authorityInfoAccess',
  [OID_OCSP_NOCHECK]: 'ocspNoCheck',
};

// Access methods (RFC 5280 §4.2.2.1) and extended key usages (RFC 5280 §4.2.1.12).
export const OID_AD_OCSP = '1.3.6.1.5.5.7.48.1';
export const OID_AD_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';
export const OID_KP_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_KP_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const OID_KP_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

export const EKU_NAMES: Readonly<Record<string, string>> = {
  [OID_KP_SERVER_AUTH]: 'serverAuth',
  [OID_KP_CLIENT_AUTH]: 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  [OID_KP_OCSP_SIGNING]: 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};
