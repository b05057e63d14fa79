// Catalogue of stable error codes.
//
// A code is part of the public contract (CLI output, HTTP problem documents, logs): once released it
// keeps its meaning; a retired code stays listed as retired instead of being reused. Every code here
// must be documented in docs/errors.md (checked by catalogue.test.ts, in both directions).
// Codes are `<component>.<reason>` in kebab-case.

import { AppError, type AppErrorKind, type AppErrorOptions } from './app-error.ts';

export interface CatalogueEntry {
  readonly kind: AppErrorKind;
  readonly description: string;
}

export const ERROR_CATALOGUE = {
  // --- CLI -------------------------------------------------------------------------------------------
  'cli.usage': {
    kind: 'Malformed',
    description: 'Unknown command or option, missing or invalid argument. The CLI exits with code 2.',
  },
  'cli.input': {
    kind: 'Malformed',
    description: 'The CLI could not read or interpret its input (file, stdin, hex text).',
  },

  // --- EXI codec (EXI 1.0, ISO 15118-2 §7.9) ---------------------------------------------------------
  'exi.truncated': {
    kind: 'Codec',
    description: 'The EXI stream ended before the grammar reached EndDocument (or the end of a value).',
  },
  'exi.header': {
    kind: 'Codec',
    description:
      'The EXI header is not exactly 0x80 (no cookie, no options, version 1) as required by ' +
      'ISO 15118-2 §7.9.1.3; see docs/spec-decisions.md D-002.',
  },
  'exi.event-code': {
    kind: 'Codec',
    description: 'An event code does not select any production of the current grammar state.',
  },
  'exi.value-out-of-range': {
    kind: 'Codec',
    description:
      'A value is outside its schema type (facet, n-bit range, enumeration index, invalid code point) ' +
      'on decode or encode.',
  },
  'exi.limit': {
    kind: 'Codec',
    description:
      'A configured safety limit was exceeded (nesting depth, string or binary length, array length, ' +
      'total size).',
  },
  'exi.undeclared': {
    kind: 'Codec',
    description:
      'The stream uses a second-level (undeclared / schema-deviation) production such as xsi:type, ' +
      'xsi:nil or an undeclared element; refused on decode (docs/spec-decisions.md D-004).',
  },
  'exi.malformed': {
    kind: 'Codec',
    description:
      'Structurally invalid encoding: over-long unsigned integer, invalid code point, string-table hit ' +
      'beyond its partition, bytes after the end of the document.',
  },
  'exi.schema-mismatch': {
    kind: 'Codec',
    description:
      'The value model given to the encoder does not match the schema (missing required element, ' +
      'unknown field, wrong type, too many occurrences).',
  },

  // --- XML text (for the XML <-> EXI conversion of the CLI) ------------------------------------------
  'xml.parse': {
    kind: 'Malformed',
    description: 'The input is not well-formed XML.',
  },
  'xml.serialize': {
    kind: 'Malformed',
    description:
      'Content cannot be written as XML 1.0 (a character outside the XML Char production, a name that is ' +
      'not an NCName, a duplicate attribute).',
  },
  'xml.schema': {
    kind: 'Malformed',
    description: 'Well-formed XML that does not follow the schema of the selected message set.',
  },

  // --- XML signatures over EXI fragments (ISO 15118-2 §7.9.2.4, W3C XMLDSig) -------------------------
  'sig.reference-missing': {
    kind: 'Signature',
    description:
      'A signed element has no Reference in SignedInfo, or a Reference points to an element that does ' +
      'not exist.',
  },
  'sig.digest-mismatch': {
    kind: 'Signature',
    description: 'The digest of a referenced EXI fragment differs from its DigestValue.',
  },
  'sig.invalid': {
    kind: 'Signature',
    description: 'The signature value does not verify over the EXI-encoded SignedInfo with the given key.',
  },
  'sig.unsupported': {
    kind: 'Signature',
    description:
      'The signature uses an algorithm, transform or structure outside the ISO 15118 profile ' +
      '(e.g. KeyInfo, Object, a non-EXI canonicalization).',
  },

  'contractkey.invalid': {
    kind: 'Malformed',
    description:
      'Contract private-key transport input is unusable: wrong length of the encrypted key or DH public key, ' +
      'a point off the curve, or a key of the wrong type (ISO 15118-2 [V2G2-818]).',
  },

  // Signer (src/signer): key stores, software keys and PKCS#11.
  'signer.invalid-argument': {
    kind: 'Malformed',
    description:
      'A key store was configured or called with an invalid value (unknown algorithm, bad label, ' +
      'malformed key id, missing passphrase or PIN).',
  },
  'signer.key-not-found': {
    kind: 'NotFound',
    description: 'No key with the given id exists in the key store.',
  },
  'signer.algorithm-unsupported': {
    kind: 'Policy',
    description:
      'The backend cannot generate or use keys of the requested algorithm (e.g. a PKCS#11 token ' +
      'without CKM_EC_EDWARDS_KEY_PAIR_GEN / CKM_EDDSA for Ed448).',
  },
  'signer.bad-passphrase': {
    kind: 'Internal',
    description:
      'A software key could not be decrypted: wrong passphrase (PNC_KEY_PASSPHRASE) or a damaged key file.',
  },
  'signer.key-corrupt': {
    kind: 'Internal',
    description: 'A stored key is malformed or inconsistent (file header, algorithm, PKCS#11 attributes).',
  },
  'signer.storage': {
    kind: 'Internal',
    description:
      'The software key directory cannot be used: I/O error, or permissions that let other users ' +
      'read it (the directory must be 0700, key files 0600).',
  },
  'signer.crypto': {
    kind: 'Internal',
    description: 'node:crypto failed unexpectedly while generating a software key or signing with it.',
  },
  'signer.closed': {
    kind: 'Internal',
    description: 'The key store was used after close().',
  },
  'signer.hsm-unavailable': {
    kind: 'Unavailable',
    description:
      'The PKCS#11 module cannot be loaded (library or the pkcs11js package missing), the token is not ' +
      'present, or the device was removed.',
  },
  'signer.hsm-login': {
    kind: 'Internal',
    description: 'Login to the PKCS#11 token failed (wrong or locked user PIN).',
  },
  'signer.hsm-error': {
    kind: 'Internal',
    description: 'A PKCS#11 call failed; details name the function and the CKR_ return value.',
  },
  'signer.self-check': {
    kind: 'Internal',
    description:
      'A signature produced by the backend did not verify against the key\u2019s public key, or a ' +
      'generated key does not have the required protection attributes; nothing was returned.',
  },

  // --- OCSP responder logic (src/pki/ocsp; RFC 6960) ------------------------------------------------
  'ocsp.malformed': {
    kind: 'Malformed',
    description:
      'An OCSP request (POST body or GET path) is not a well-formed DER OCSPRequest: garbage, truncated, ' +
      'trailing bytes, larger than 64 KiB, an empty or too long request list, hash lengths that do not ' +
      'match the algorithm, a bad nonce. Answered with the OCSP status malformedRequest.',
  },
  'ocsp.unsupported': {
    kind: 'Malformed',
    description:
      'A well-formed OCSP request that uses something the responder does not support: a version other ' +
      'than v1, a CertID hash other than SHA-1/256/384/512, an unknown critical extension. Answered with ' +
      'malformedRequest.',
  },
  'ocsp.responder': {
    kind: 'Internal',
    description:
      'The responder refused to sign: its certificate does not match the signing key, it is not ' +
      'authorised for a CertID (neither the issuer nor a delegated responder with id-kp-OCSPSigning and ' +
      'id-pkix-ocsp-nocheck issued by it), or the response parameters are invalid (dates, reason code).',
  },

  // --- CRL issuance (src/pki/crl; RFC 5280 §5) --------------------------------------------------------
  'crl.invalid': {
    kind: 'Internal',
    description:
      'A CRL could not be built from the given parameters: issuer certificate and signing key differ, the ' +
      'issuer lacks cRLSign, invalid dates, CRL number or serial out of range, duplicate serials, a reason ' +
      'code not allowed in a full CRL.',
  },

  // --- EST encodings (src/pki/est; RFC 7030) ----------------------------------------------------------
  'est.bad-request': {
    kind: 'Malformed',
    description:
      'An EST request body cannot be used: wrong Content-Type, too large, binary instead of base64, ' +
      'invalid base64, or a decoded CSR outside the size bounds.',
  },
  'est.chain': {
    kind: 'Internal',
    description:
      'Certificates handed to the EST encoder are malformed, missing, or do not form a single chain.',
  },

  // --- V2G PKI protocols over HTTP (src/pki-http, docs/pki-http.md) ----------------------------------
  'pki.est-no-ca': {
    kind: 'NotFound',
    description:
      'No usable CA serves this EST path: no active Sub-CA 2 of the requested domain, ISO 15118 version ' +
      'and algorithm with a key in the key store (run pnc pki init; src/pki-http, ' +
      'docs/pki-http.md).',
  },
  'pki.crl-not-available': {
    kind: 'NotFound',
    description:
      'The CA exists but publishes no CRL here: it was imported without its key, or has no certificate ' +
      '(pending or failed).',
  },
  // --- Pool inputs (src/pool-inputs) -----------------------------------------------------------------
  'pool.invalid-certificate': {
    kind: 'Malformed',
    description:
      'A certificate field of a pool request is not base64 DER, PEM or base64 of PEM of one X.509 certificate, ' +
      'or its DER is larger than its ISO 15118 edition allows (800 bytes -2, 1600 bytes -20).',
  },
  'pool.invalid-namespace': {
    kind: 'Malformed',
    description:
      'xsdMsgDefNamespace is missing where required or names no ISO 15118 edition this server knows.',
  },
  'pki.invalid-certificate': {
    kind: 'Malformed',
    description:
      'The certificate of a revokeCertificate request is not base64 DER, PEM or base64 of PEM of one X.509 ' +
      'certificate.',
  },

  // --- Certificate signing requests (src/pki/csr; RFC 2986) --------------------------------------------
  'csr.malformed': {
    kind: 'Malformed',
    description:
      'A CSR is not a well-formed DER PKCS#10 CertificationRequest (garbage, truncated, trailing bytes, ' +
      'larger than 16 KiB, unsupported version, malformed attributes or requested extensions).',
  },
  'csr.signature': {
    kind: 'Signature',
    description:
      'The CSR signature does not verify with the public key it carries (no proof of possession) or uses ' +
      'an algorithm that cannot be verified.',
  },
  'csr.policy': {
    kind: 'Policy',
    description:
      'A valid CSR that the requested role and ISO 15118 version refuse: key algorithm or curve, subject ' +
      '(CN rule, DC value, country), forbidden requested extensions. Details list every violation.',
  },

  // --- Certificate path validation (src/pki/path; RFC 5280 §6.1, ISO 15118 [V2G2-925]) --------------
  'path.invalid': {
    kind: 'Policy',
    description:
      'A certificate chain failed path validation (RFC 5280 §6.1) or the ISO 15118 usage checks ' +
      '([V2G2-925], profiles). Details give the path code (src/pki/path/README.md), the index of the ' +
      'certificate and the profile violations.',
  },

  // --- Certificate authority (src/ca, docs/ca.md) --------------------------------------------------
  'ca.invalid-request': {
    kind: 'Malformed',
    description:
      'A CA operation got unusable parameters: unknown root kind, domain, level or role, a key ' +
      'algorithm the profile does not allow, a subject field that is empty, too long or has control ' +
      'characters, a validity that is not a period, an unknown revocation reason or a future revocation time.',
  },
  'ca.not-found': {
    kind: 'NotFound',
    description: 'No CA or certificate with the given id or serial (or it was never issued).',
  },
  'ca.lint-failed': {
    kind: 'Policy',
    description:
      'Lint before sign refused the certificate: it does not conform to its ISO 15118 profile. Nothing ' +
      'was signed or stored; details.violations lists every finding (codes of pnc pki lint).',
  },
  'ca.issuer-unusable': {
    kind: 'Policy',
    description:
      'The chosen CA cannot issue this certificate: wrong domain or level for the requested role, ' +
      'not active (pending, failed, revoked), expired or not yet valid, imported without a key, or ' +
      'its key is not in the configured key store.',
  },
  'ca.key-mismatch': {
    kind: 'Policy',
    description:
      'A key store key does not belong to the CA certificate it is meant for, or has another algorithm ' +
      'or backend than recorded.',
  },
  'ca.import-invalid': {
    kind: 'Policy',
    description:
      'CA certificates to import are not DER certificates, not CA certificates, do not form one chain, ' +
      'do not validate (RFC 5280 §6.1), or their ISO 15118 role cannot be told.',
  },
  'ca.exists': {
    kind: 'Conflict',
    description:
      'A CA with that name exists already (names are unique among CAs that did not fail), or pnc pki ' +
      'init found an existing CA of its hierarchy that it cannot reuse.',
  },
  'ca.ambiguous': {
    kind: 'Conflict',
    description: 'A serial number was issued by more than one CA: give the certificate id instead.',
  },
  'ca.already-revoked': {
    kind: 'Conflict',
    description: 'The certificate is revoked already; revocation is final and not repeated.',
  },
  'ca.not-revocable': {
    kind: 'Policy',
    description:
      'The certificate cannot be revoked here: a root certificate, a CA imported from elsewhere, or a ' +
      'serial that was reserved but never issued.',
  },
  'ca.token-invalid': {
    kind: 'Conflict',
    description:
      'An issuance token (lint-before-sign) is unknown, was redeemed already or expired: each prepared ' +
      'certificate is signed at most once.',
  },
  'ca.issuance-failed': {
    kind: 'Internal',
    description:
      'Signing failed after the serial was reserved (key store error, signature or final lint check ' +
      'failed). The serial is marked failed and the failure is in the audit log; nothing was issued.',
  },
  'ca.key-store-unavailable': {
    kind: 'Unavailable',
    description:
      'No key store is configured for an operation that needs a key: set PNC_KEY_PASSPHRASE for the ' +
      'software key store, or PNC_KEY_STORE=pkcs11 with PNC_PKCS11_TOKEN and PNC_PKCS11_PIN.',
  },

  // --- Configuration (src/config, docs/configuration.md) -------------------------------------------
  'config.invalid': {
    kind: 'Malformed',
    description:
      'One or more configuration values (config file, environment, command-line flags) are invalid or ' +
      'unknown; the message lists every problem. Secret values are never repeated in it.',
  },
  'config.file': {
    kind: 'Malformed',
    description: 'The configuration file (--config / PNC_CONFIG) cannot be read or is not a JSON object.',
  },

  // --- Storage (src/storage, docs/storage.md) -------------------------------------------------------
  'storage.unavailable': {
    kind: 'Unavailable',
    description:
      'The database cannot be opened or reached (data directory not writable, PostgreSQL down or ' +
      'refusing the connection), or it was used after close().',
  },
  'storage.busy': {
    kind: 'Unavailable',
    description:
      'A transaction kept conflicting with concurrent ones (PostgreSQL serialization failure or ' +
      'deadlock after every retry, SQLite lock wait timed out); nothing was written. Retry later.',
  },
  'storage.schema-too-new': {
    kind: 'Internal',
    description:
      'The database holds migrations this version of pnc does not know: it was used by a newer ' +
      'version. Refused so that old code never writes to a newer schema.',
  },
  'storage.migration-mismatch': {
    kind: 'Internal',
    description:
      'An applied migration differs from the code (changed SQL, so another checksum), or a migration ' +
      'is pending although a later one of the same component is applied.',
  },
  'storage.migration-failed': {
    kind: 'Internal',
    description:
      'The SQL of a migration failed; its transaction was rolled back and later ones were not run.',
  },

  // --- Authentication and tenant authorization (src/auth, docs/auth.md) ------------------------------
  'auth.invalid-request': {
    kind: 'Malformed',
    description:
      'A token request (POST /oauth/token) is malformed: unsupported content type, body that is not a ' +
      'JSON object or a form, a repeated or non-string parameter, missing grant_type, two client ' +
      'authentication methods at once. OAuth error invalid_request (RFC 6749 §5.2).',
  },
  'auth.unsupported-grant-type': {
    kind: 'Malformed',
    description:
      'The token request asks for a grant_type other than client_credentials. OAuth error ' +
      'unsupported_grant_type (RFC 6749 §5.2).',
  },
  'auth.invalid-client': {
    kind: 'Unauthorized',
    description:
      'Client authentication failed at POST /oauth/token: no credentials, unknown client, wrong secret, ' +
      'revoked or expired client (deliberately not distinguished). OAuth error invalid_client ' +
      '(RFC 6749 §5.2).',
  },
  'auth.missing-credentials': {
    kind: 'Unauthorized',
    description:
      'A protected endpoint was called without an access token (neither Authorization: Bearer nor ' +
      'x-api-key).',
  },
  'auth.invalid-token': {
    kind: 'Unauthorized',
    description:
      'The access token is malformed, not signed by this server, issued for another issuer, expired or ' +
      'not yet valid, or its client is unknown, revoked or expired.',
  },
  'auth.forbidden-role': {
    kind: 'Forbidden',
    description: 'The access token is valid, but its role may not use this endpoint.',
  },
  'auth.forbidden-tenant': {
    kind: 'Forbidden',
    description:
      'The access token is valid, but the request names a WMI, provider ID or operator ID outside the ' +
      "client's tenant scope.",
  },
  'auth.invalid-registration': {
    kind: 'Malformed',
    description:
      'A client cannot be registered: unknown role, a scope entry that is not a WMI / provider ID / ' +
      'operator ID of the role, a scope missing or given for ADMIN, an invalid name or expiry. The ' +
      'message lists every problem.',
  },
  'auth.client-not-found': {
    kind: 'NotFound',
    description: 'No client with the given client id exists (pnc clients revoke).',
  },
  'auth.corrupt-record': {
    kind: 'Internal',
    description:
      'A stored client record or token signing key is malformed (secret hash format, scope list, role, ' +
      'key bytes); the database was changed outside pnc.',
  },

  // --- HTTP server (src/http, pnc serve) ------------------------------------------------------------
  'server.listen': {
    kind: 'Unavailable',
    description:
      'The HTTP server cannot listen on the configured host and port (address in use, permission ' +
      'denied, host not found).',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** Builds an AppError whose kind comes from the catalogue, so code and kind never disagree. */
export function appError(code: ErrorCode, message: string, options: AppErrorOptions = {}): AppError {
  return new AppError(ERROR_CATALOGUE[code].kind, code, message, options);
}
