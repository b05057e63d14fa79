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
  // --- API client of the role CLIs (src/client) ------------------------------------------------------
  'client.unreachable': {
    kind: 'Unavailable',
    description: 'The role CLI could not reach the server (connection refused, DNS, timeout).',
  },
  'client.auth': {
    kind: 'Unauthorized',
    description: 'The server refused the client credentials of the role CLI at POST /oauth/token.',
  },
  'client.http': {
    kind: 'Policy',
    description:
      "The server answered a role CLI request with an error status; the message carries the server's errorMessages and traceId.",
  },
  'client.response': {
    kind: 'Codec',
    description: 'The server answer is not what the role CLI expects: too large, not JSON, missing fields.',
  },
  'client.credentials': {
    kind: 'Malformed',
    description:
      'No usable client credentials: give --credentials FILE (the JSON of `pnc clients add --json`) or PNC_CLIENT_ID and PNC_CLIENT_SECRET.',
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

  // --- Root Certificate Pool (src/rcp, docs/rcp.md) ------------------------------------------------
  'rcp.invalid-root-type': {
    kind: 'Malformed',
    description:
      'rootType / rootTypeList / pkiType is not one of V2G, MO (eMSP), OEM, PE (any case), or a root was given ' +
      'more than one type.',
  },
  'rcp.invalid-id': {
    kind: 'Malformed',
    description: 'A rootCertificateId is not a UUID.',
  },
  'rcp.not-found': {
    kind: 'NotFound',
    description: 'No root with that id in the pool (or it was deleted).',
  },
  'rcp.duplicate': {
    kind: 'Conflict',
    description: 'The root (same SHA-256 fingerprint) is in the pool already; details name the existing id.',
  },
  'rcp.not-self-signed': {
    kind: 'Policy',
    description:
      'The certificate is not a self-signed root: issuer differs from subject, its AKI names another key, or ' +
      'its signature does not verify with its own key.',
  },
  'rcp.not-ca': {
    kind: 'Policy',
    description: 'The root is not a CA: basicConstraints cA is not TRUE, or keyUsage lacks keyCertSign.',
  },
  'rcp.expired': {
    kind: 'Policy',
    description: 'The root is expired at the time of the request (its notAfter has passed).',
  },
  'rcp.unsupported-key': {
    kind: 'Policy',
    description:
      'The root key is none of the ISO 15118 algorithms (P-256 for -2; P-521 or Ed448 for -20), or the signature ' +
      'algorithm cannot be verified.',
  },
  'rcp.invalid-root': {
    kind: 'Policy',
    description:
      'The root is unusable for another reason: duplicate or undecodable extensions, a DER larger than its ' +
      'edition allows, a PE root of ISO 15118-2, or an xsdMsgDefNamespace that contradicts the key.',
  },
  'rcp.lint-failed': {
    kind: 'Policy',
    description:
      'The root fails the ISO 15118 profile of its type (errors of pnc pki lint); details.violations lists ' +
      'the findings. Lenient mode accepts it with the findings reported (D-041).',
  },
  'rcp.ctl-unavailable': {
    kind: 'NotFound',
    description:
      'No Certificate Trust List can be signed: no usable CTL signer certificate with a key in the key store ' +
      '(run pnc pki init).',
  },
  'rcp.ctl-invalid': {
    kind: 'Signature',
    description:
      'A Certificate Trust List fails verification: malformed document, signature that does not verify, signer ' +
      'not chaining to a trusted V2G root, unknown version, or expired.',
  },

  // --- Provisioning Certificate Pool (src/pcp, docs/pcp.md) ----------------------------------------
  'pcp.invalid-request': {
    kind: 'Malformed',
    description:
      'An add / update body cannot be used: not a JSON object, the provisioning or Sub-CA 1 certificate missing, ' +
      'two field names giving different certificates, a malformed previousPcid or key identifier.',
  },
  'pcp.invalid-pcid': {
    kind: 'Malformed',
    description:
      'A PCID in the path, or the CN of the provisioning certificate, does not match ^[a-zA-Z0-9]{17,18}$ ' +
      '(OPCP 05_handling-of-ids.md).',
  },
  'pcp.iso-mismatch': {
    kind: 'Malformed',
    description:
      'xsdMsgDefNamespace names ISO 15118-20 but the provisioning certificate has an ISO 15118-2 key.',
  },
  'pcp.profile': {
    kind: 'Policy',
    description:
      'A delivered certificate fails a blocking ISO 15118 profile check (key or signature algorithm of the ' +
      'edition, a leaf that is a CA, malformed extensions); details list the findings.',
  },
  'pcp.wmi-not-in-scope': {
    kind: 'Forbidden',
    description: 'Control step 1: the WMI of the PCID is not among the WMIs of the OEM client.',
  },
  'pcp.expired': {
    kind: 'Policy',
    description:
      'Control step 2 (validity shell model): a certificate of the chain, root included, has expired.',
  },
  'pcp.not-yet-valid': {
    kind: 'Policy',
    description: 'Control step 2 (validity shell model): a certificate of the chain is not valid yet.',
  },
  'pcp.validity-shell': {
    kind: 'Policy',
    description:
      'Control step 2 (validity shell model): a certificate is valid outside the validity period of its issuer.',
  },
  'pcp.revoked': {
    kind: 'Policy',
    description:
      'Control step 3: a delivered certificate is revoked (this CA, its OCSP responder or its CRL).',
  },
  'pcp.revocation-unknown': {
    kind: 'Policy',
    description:
      'Control step 3: the revocation status of a delivered certificate cannot be determined (the responder ' +
      'does not know it, is unreachable or answers unusably, no OCSP URL and no CRL) and the policy is to reject.',
  },
  'pcp.untrusted-chain': {
    kind: 'Policy',
    description:
      'Control step 4: the chain does not lead to an OEM or V2G root of the Root Certificate Pool, or the ' +
      'delivered certificates do not form one chain.',
  },
  'pcp.unavailable': {
    kind: 'Unavailable',
    description:
      'The PCP has no contract certificate pool connected, so a factory reset cannot remove contracts.',
  },
  'pcp.not-found': {
    kind: 'NotFound',
    description: 'No provisioning certificate is stored under the PCID.',
  },
  'pcp.conflict': {
    kind: 'Conflict',
    description: 'The same PCID was uploaded twice at the same moment; the request can be sent again.',
  },

  // --- Contract Certificate Pool (src/ccp, docs/ccp.md) ---------------------------------------------
  'ccp.invalid-emaid': {
    kind: 'Malformed',
    description:
      'An EMAID in a CCP path or body is no EMAID (2 letters, 3 provider characters, an instance of 9 to 31 ' +
      'characters, hyphens allowed), or a 15-character EMAID whose last character is not its check digit.',
  },
  'ccp.invalid-pcid': {
    kind: 'Malformed',
    description: 'A PCID in a CCP path or body is not 17 or 18 letters and digits.',
  },
  'ccp.invalid-session-id': {
    kind: 'Malformed',
    description:
      'The sessionID query parameter is not hexadecimal of 1 to 8 bytes (exactly 8 bytes for ISO 15118-20).',
  },
  'ccp.invalid-request': {
    kind: 'Malformed',
    description:
      'A CertificateInstallationReq cannot be used: not base64, larger than the limit, not an EXI stream of ' +
      'an ISO 15118-2 V2G_Message or ISO 15118-20 CertificateInstallationReq, or a required field is missing.',
  },
  'ccp.unsupported-message': {
    kind: 'Malformed',
    description:
      'The EXI stream is a valid V2G message, but not a CertificateInstallationReq (e.g. a CertificateUpdateReq, ' +
      'which the CCP does not serve: spec-gaps.md item 22).',
  },
  'ccp.oem-signature': {
    kind: 'Signature',
    description:
      'The signature of a CertificateInstallationReq does not verify with the OEM provisioning certificate it ' +
      'carries, or does not cover the signed elements ISO 15118 requires.',
  },
  'ccp.oem-chain': {
    kind: 'Policy',
    description:
      'The OEM provisioning certificate of a CertificateInstallationReq does not validate up to a root trusted ' +
      'by the Root Certificate Pool at the current time (expired, revoked, unknown issuer, bad signature).',
  },
  'ccp.no-contract': {
    kind: 'NotFound',
    description:
      'The pool holds no contract for the vehicle (PCID) of a CertificateInstallationReq in its edition.',
  },
  'ccp.contract-not-found': {
    kind: 'NotFound',
    description: 'No contract with this EMAID (for this vehicle) is stored in the pool.',
  },
  'ccp.invalid-contract': {
    kind: 'Malformed',
    description:
      'Signed contract data cannot be stored: not base64 XML or EXI of a CertificateInstallationRes of its ' +
      'edition, fields missing, or EMAID / PCID / edition disagree with the request or the contract certificate.',
  },
  'ccp.contract-signature': {
    kind: 'Signature',
    description:
      'The CPS signature of signed contract data does not verify with the CPS certificate it carries, or does ' +
      'not cover the elements ISO 15118 requires.',
  },
  'ccp.contract-chain': {
    kind: 'Policy',
    description:
      'The CPS signing chain or the contract certificate chain of signed contract data does not validate up to a ' +
      'trusted root at the current time.',
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

  // --- V2G link, vehicle and charger simulators (src/v2g, docs/v2g-link.md) -------------------------
  'v2g.framing': {
    kind: 'Malformed',
    description:
      'A V2GTP header is invalid (version bytes not 01 FE, fewer than 8 bytes) or the stream ' +
      'failed earlier; the connection is closed ([V2G2-065..067]).',
  },
  'v2g.payload-type': {
    kind: 'Malformed',
    description:
      'A V2GTP payload type that is unknown or not accepted on this connection (e.g. an ISO ' +
      '15118-20 type on an ISO 15118-2 session).',
  },
  'v2g.too-large': {
    kind: 'Malformed',
    description:
      "A V2GTP payload length exceeds the connection's bound (default 64 KiB, " +
      'docs/spec-decisions.md D-120).',
  },
  'v2g.timeout': {
    kind: 'Unavailable',
    description:
      'No V2GTP message arrived within the bounded wait (EV message timeout or SECC sequence ' + 'timeout).',
  },
  'v2g.closed': {
    kind: 'Unavailable',
    description: 'The V2G connection was closed, reset or failed before the expected message arrived.',
  },
  'v2g.tls': {
    kind: 'Unauthorized',
    description:
      "The V2G TLS handshake failed: the peer's chain does not lead to a trusted V2G root, " +
      'wrong TLS version or cipher suite, no client certificate where ISO 15118-20 requires ' +
      'one.',
  },
  'v2g.protocol': {
    kind: 'Malformed',
    description:
      'A V2G message is not what the sequence expects: undecodable EXI, another message type, a ' +
      'wrong SessionID, or a negotiation without a common protocol.',
  },
  'v2g.invalid-config': {
    kind: 'Malformed',
    description:
      'A V2G link setting is unusable: key and certificate do not match, wrong curve for the ' +
      'TLS profile, no roots, a payload bound out of range, an unknown protocol.',
  },
  'ev.identity': {
    kind: 'Malformed',
    description:
      'The vehicle identity (OEM provisioning key and certificate chain, V2G roots) is missing, ' +
      'unreadable or inconsistent.',
  },
  'ev.no-contract': {
    kind: 'NotFound',
    description: 'The vehicle holds no contract with that EMAID, or no active contract for Plug & Charge.',
  },
  'ev.install-rejected': {
    kind: 'Signature',
    description:
      'The vehicle refused a CertificateInstallationRes: CPS signature invalid, CPS or contract ' +
      'chain not valid against its V2G roots, contract key not decryptable or not matching the ' +
      'contract certificate, eMAID mismatch.',
  },
  'ev.session-failed': {
    kind: 'Policy',
    description: 'The SECC answered a V2G request with a FAILED response code; the session ended.',
  },
  'ev.request-refused': {
    kind: 'Policy',
    description:
      'ISO 15118-20: the SECC answered a request with a WARNING response code (e.g. ' +
      'WARNING_ChallengeInvalid, WARNING_CertificateRevoked, WARNING_NoCertificateAvailable); the ' +
      'request was refused, the vehicle ends the session with SessionStopReq.',
  },
  'secc.backend': {
    kind: 'Unavailable',
    description:
      'The certificate installation backend (CCP over OCPP-style HTTP) failed or returned an ' +
      'unusable EXI response.',
  },

  // --- Webhook events (src/events, docs/events.md) ------------------------------------------------------
  'events.invalid-event': {
    kind: 'Internal',
    description:
      'A component raised an event that cannot be delivered (unknown type, missing or malformed PCID, ' +
      'EMAID, fingerprint or root data, or a worker-only type raised by a pool): a programming error; ' +
      'the change that raised it is rolled back.',
  },
  'events.invalid-endpoint': {
    kind: 'Malformed',
    description:
      'A webhook endpoint request is invalid: URL not https (http only with PNC_WEBHOOK_ALLOW_HTTP=1), ' +
      'naming a private or local address (only with PNC_WEBHOOK_ALLOW_PRIVATE=1), with credentials or a fragment, or too long; unknown or no events; malformed WMI / provider ID ' +
      'filter; bad status, description, metadata, apiVersion or secret; enabledEvents and events (or ' +
      'wmi and wmis) given with different values.',
  },
  'events.event-not-allowed': {
    kind: 'Forbidden',
    description:
      "The caller's role cannot receive an event it subscribed to (CPO and CPS: root.cert.* only; OEM: " +
      'also oem.contract.*; MO: also mo.* / emsp.*).',
  },
  'events.endpoint-not-found': {
    kind: 'NotFound',
    description:
      "No webhook endpoint with that id exists for this client (other tenants' endpoints are not revealed).",
  },
  'events.delivery-not-found': {
    kind: 'NotFound',
    description: 'No webhook delivery with that id (pnc events retry).',
  },
  'events.delivery-not-retryable': {
    kind: 'Conflict',
    description: 'The delivery cannot be retried: its endpoint was deleted.',
  },

  // --- Certificate Provisioning Service (src/cps, docs/cps.md) --------------------------------------
  'cps.unsupported-edition': {
    kind: 'Policy',
    description:
      'Reserved: the request names an ISO 15118 edition this CPS does not sign. Not raised since ISO 15118-20 is ' +
      'supported (D-060, D-140); kept for clients that map it.',
  },
  'cps.invalid-emaid': {
    kind: 'Malformed',
    description:
      'emaid is no ISO 15118-2 Annex H / DIN SPEC 91286 EMAID, or its 15th character is not the eMI3 check digit ' +
      '(D-061).',
  },
  'cps.invalid-pcid': {
    kind: 'Malformed',
    description: 'pcid is missing where required or not 17 or 18 letters and digits.',
  },
  'cps.invalid-contract-data': {
    kind: 'Malformed',
    description:
      'contractSignatureEncryptedPrivateKey / dHpublickey is not base64 or has the wrong size (-2: 48 / 65 bytes; ' +
      '-20: 94 / 133 bytes for SECP521, 84-85 / 56 for X448), the DH key is not a point of its curve, or the ' +
      'contract chain has more than two sub-CA certificates (-20: none; D-145).',
  },
  'cps.contract-mismatch': {
    kind: 'Malformed',
    description:
      "The contract data does not fit together: the contract certificate's CN is not the EMAID, its key is not " +
      "the edition's (-2 secp256r1; -20 P-521 for SECP521, Ed448 for X448 transport, D-142), or dHpublickey is " +
      'the contract key itself (D-065).',
  },
  'cps.contract-chain-invalid': {
    kind: 'Policy',
    description:
      'The contract certificate chain does not validate now to a trusted MO or V2G root, is revoked, or fails the ' +
      "edition's contract profile (D-065); details.pathCode names the path validation result.",
  },
  'cps.invalid-fingerprint': {
    kind: 'Malformed',
    description:
      'cpsV2GRootCertificateFingerprint / moRootCertificateFingerprint is not a SHA-256 fingerprint (64 hex ' +
      'digits, optionally colon-separated; spec-gaps.md item 7).',
  },
  'cps.unknown-signer': {
    kind: 'Malformed',
    description:
      'No usable CPS signer of the edition chains to a V2G root with the given fingerprint (D-064).',
  },
  'cps.no-signer': {
    kind: 'Unavailable',
    description:
      'No usable CPS certificate of the edition with its key in the key store (run pnc pki init), or the chosen ' +
      "signer's key cannot be opened; the client sees 503.",
  },
  'cps.unknown-contract-issuer': {
    kind: 'Malformed',
    description:
      'No usable MO Sub-CA 2 of the edition chains to a root with the given moRootCertificateFingerprint.',
  },
  'cps.no-contract-issuer': {
    kind: 'Unavailable',
    description:
      'Generate-and-sign: no usable MO Sub-CA 2 of the edition with its key in the key store (run pnc pki init).',
  },
  'cps.pcid-unknown': {
    kind: 'Malformed',
    description:
      'Generate-and-sign: the Provisioning Certificate Pool has no provisioning certificate for the PCID (400 as ' +
      'the OPCP example "PCID not Available").',
  },
  'cps.vehicle-unusable': {
    kind: 'Policy',
    description:
      "Generate-and-sign: the vehicle's provisioning certificate is of another edition, has a key the edition's " +
      'key transport cannot use (-2 secp256r1; -20 secp521r1 or Ed448), or its chain does not validate now to a ' +
      'trusted OEM or V2G root.',
  },
  'cps.invalid-contract-period': {
    kind: 'Malformed',
    description:
      'contractBegins / contractEnds is not an RFC 3339 date-time, contractEnds is in the past or not after the ' +
      'begin (D-067).',
  },
  'cps.invalid-request': {
    kind: 'Malformed',
    description: 'A CPS request field is unusable (metaData longer than 4096 characters or not text).',
  },
  'cps.invalid-signed-data': {
    kind: 'Malformed',
    description:
      'Signed contract data cannot be read or built: not XML / EXI of a CertificateInstallationRes of the edition, ' +
      'over the size limit, a field outside the schema, or a -20 SessionID that is not exactly 8 bytes ' +
      '(src/cps/contract-data.ts, contract-data-20.ts).',
  },
  'cps.internal': {
    kind: 'Internal',
    description:
      'A CPS consistency check failed (the issued contract certificate does not carry the generated key, a CPS ' +
      'key of the wrong type, no usable random scalar).',
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
