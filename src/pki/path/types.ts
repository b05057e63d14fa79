// Types of certificate path validation (RFC 5280 §6.1) and the ISO 15118 usage checks on top.
// Decisions are listed in ./README.md (PV-nn); codes are stable, like lint codes.

import type { CertificateRole, IsoVersion, Severity } from '../profiles/types.ts';

/**
 * Revocation status of one certificate, as the caller's OCSP / CRL logic reports it.
 * `{ revoked: { at } }` carries the revocation time (and the RFC 5280 §5.3.1 reason code).
 */
export type RevocationStatus =
  | 'good'
  | 'revoked'
  | 'unknown'
  | { readonly revoked: { readonly at: Date; readonly reason?: number } };

/** Asked once per certificate of a path that passed every other check (anchor excluded). */
export type RevocationCallback = (cert: Uint8Array, issuer: Uint8Array) => RevocationStatus;

/** ISO 15118 usage checks ([V2G2-925]): the leaf's role and the roles of the trust anchors. */
export interface ProfileCheckOptions {
  /** Role of the target; default: detectProfile. */
  readonly role?: CertificateRole;
  /** ISO 15118 edition of the chain; default: detected from the target's key. */
  readonly iso?: IsoVersion;
  /**
   * Role of each trust anchor (same order as `anchors`), e.g. from the trust-store
   * configuration; missing entries are detected (DC, CN). Needed for Private Environment roots,
   * which nothing in the certificate identifies.
   */
  readonly anchorRoles?: readonly (CertificateRole | null | undefined)[];
}

export interface ValidatePathOptions {
  /** DER of the certificate to validate. */
  readonly target: Uint8Array;
  /** Untrusted certificates that may be used to build the path (DER). */
  readonly intermediates?: readonly Uint8Array[];
  /**
   * Trust anchors (DER): any certificate configured as anchor, self-signed root or sub-CA
   * (OpenSSL `-partial_chain` semantics, PV-03).
   */
  readonly anchors: readonly Uint8Array[];
  /** Validation time. */
  readonly at: Date;
  readonly revocation?: RevocationCallback;
  /** What 'unknown' from the revocation callback means; default 'reject' (fail closed, PV-09). */
  readonly unknownRevocation?: 'reject' | 'accept';
  /** Most certificates in a path, target and anchor included; default DEFAULT_MAX_LENGTH. */
  readonly maxLength?: number;
  /**
   * Also apply OpenSSL's `-x509_strict` checks (RFC 5280 §4 "conforming CA" rules such as a
   * present AKI), PV-12. Default false: RFC 5280 §6.1 plus OpenSSL's default behaviour.
   */
  readonly strict?: boolean;
  /** ISO 15118 usage checks on a path that is valid by RFC 5280 (PV-13). */
  readonly profile?: boolean | ProfileCheckOptions;
}

/** A profile finding about one certificate of the path. */
export interface PathViolation {
  /** Index in the chain (0 = target). */
  readonly index: number;
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly clause: string;
}

export type PathErrorCode =
  | 'path.input'
  | 'path.parse'
  | 'path.no-issuer'
  | 'path.signature'
  | 'path.unsupported-algorithm'
  | 'path.expired'
  | 'path.not-yet-valid'
  | 'path.not-ca'
  | 'path.key-usage'
  | 'path.path-length'
  | 'path.critical-extension'
  | 'path.unsupported-extension'
  | 'path.extension'
  | 'path.too-long'
  | 'path.search-limit'
  | 'path.revoked'
  | 'path.revocation-unknown'
  | 'path.revocation-error'
  | 'path.strict-missing-aki'
  | 'path.strict-missing-ski'
  | 'path.strict-bc-not-critical'
  | 'path.strict-ca-missing-key-usage'
  | 'path.strict-key-cert-sign-non-ca'
  | 'path.strict-path-len-invalid'
  | 'path.strict-invalid-ca'
  | 'path.strict-empty-name'
  | 'path.strict-signature-algorithm-mismatch'
  | 'path.strict-extensions-v1'
  | 'path.wrong-root'
  | 'path.profile-shape'
  | 'path.profile';

export interface ValidPath {
  readonly valid: true;
  /** Target first, anchor last. */
  readonly chain: readonly Uint8Array[];
  /** The trust anchor that ends the chain (also its last element). */
  readonly anchor: Uint8Array;
  /** Index of that anchor in `options.anchors`. */
  readonly anchorIndex: number;
  /** Profile role per chain element (profile checks only). */
  readonly roles?: readonly CertificateRole[];
  /** Profile id per chain element (profile checks only). */
  readonly profiles?: readonly string[];
  /** Warning-level profile findings (profile checks only; empty otherwise). */
  readonly violations: readonly PathViolation[];
}

export interface InvalidPath {
  readonly valid: false;
  readonly code: PathErrorCode;
  readonly reason: string;
  /** Index in `chain` (0 = target) of the certificate the failure is about, when there is one. */
  readonly at?: number;
  /** The candidate path the failure belongs to (target first), when a path was built. */
  readonly chain?: readonly Uint8Array[];
  /** Profile findings (profile checks only). */
  readonly violations?: readonly PathViolation[];
}

export type PathValidationResult = ValidPath | InvalidPath;
