// X.509 v2 CRL issuance (RFC 5280 §5), signed through the Signer port.

import { appError } from '../../errors/catalogue.ts';
import type { Signer } from '../../signer/index.ts';
import {
  DerFormatError,
  enumerated,
  explicit,
  hash,
  implicitPrimitive,
  integer,
  octetString,
  oid,
  sequence,
  x509Time,
} from '../ocsp/asn1.ts';
import { isCrlReasonCode } from '../ocsp/response.ts';
import {
  type CertificateInfo,
  KEY_USAGE_BIT,
  OID,
  parseCertificate,
  signatureAlgorithmFor,
  signerMatchesSpki,
  signStructure,
} from '../ocsp/x509.ts';

export interface CrlEntryInput {
  readonly serial: bigint;
  readonly revokedAt: Date;
  /** CRLReason (RFC 5280 §5.3.1); 0 (unspecified) and absent both produce no reasonCode extension. */
  readonly reason?: number;
}

export interface BuildCrlInput {
  readonly issuer: { readonly signer: Signer; readonly certificateDer: Uint8Array };
  readonly thisUpdate: Date;
  /** Required: RFC 5280 §5.1.2.5 "Conforming CRL issuers MUST include nextUpdate". */
  readonly nextUpdate: Date;
  /** Monotonically increasing per issuer (§5.2.3); 0 ≤ crlNumber < 2^159 (at most 20 octets). */
  readonly crlNumber: bigint;
  readonly revoked: readonly CrlEntryInput[];
}

/** §5.2.3: "CRL issuers MUST NOT use CRLNumber values longer than 20 octets". */
const CRL_NUMBER_LIMIT = 1n << 159n;
/** §4.1.2.2: serials are positive and at most 20 octets. */
const SERIAL_LIMIT = 1n << 159n;

function invalid(message: string, details?: Record<string, unknown>): never {
  throw appError('crl.invalid', message, details === undefined ? {} : { details });
}

function checkDate(value: unknown, what: string): Date {
  if (!(value instanceof Date) || !Number.isFinite(value.getTime())) invalid(`${what} is not a valid Date`);
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) invalid(`${what} is outside the years 0001-9999`);
  return value;
}

function extension(id: string, value: Uint8Array): Uint8Array {
  // Every extension we put into a CRL is non-critical (§5.2.1, §5.2.3, §5.3.1): DEFAULT FALSE is omitted.
  return sequence(oid(id), octetString(value));
}

/**
 * Builds and signs a complete (not delta) v2 CRL for the issuer: version v2, issuer = the issuer
 * certificate's subject byte for byte (§5.1.2.3), AuthorityKeyIdentifier with the issuer's SKI
 * (§5.2.1; SHA-1 of its key, method 1 of §4.2.1.2, when the issuer has no SKI) and CRLNumber
 * (§5.2.3). Entries are sorted by serial so equal inputs give equal CRLs; each carries a
 * reasonCode extension unless the reason is absent or unspecified (§5.3.1: "SHOULD be absent
 * instead of using the unspecified (0) reasonCode value"). removeFromCRL (8) belongs to delta CRLs
 * only and is refused. With no revoked certificates the revokedCertificates field is omitted
 * (§5.1.2.6). Throws AppError 'crl.invalid'; Signer errors pass through.
 */
export async function buildCrl(input: BuildCrlInput): Promise<Uint8Array> {
  const { issuer } = input;
  if (!(issuer?.certificateDer instanceof Uint8Array)) invalid('issuer.certificateDer must be DER bytes');
  let cert: CertificateInfo;
  try {
    cert = parseCertificate(issuer.certificateDer);
  } catch (e) {
    if (e instanceof DerFormatError) invalid(`issuer certificate: ${e.message}`);
    throw e;
  }
  if (!(await signerMatchesSpki(issuer.signer, cert.spki.der))) {
    invalid('the issuer certificate does not belong to the signing key');
  }
  // §4.2.1.3: a CRL signer's key usage, when present, must assert cRLSign.
  if (cert.keyUsageBits !== undefined && !cert.keyUsageBits.includes(KEY_USAGE_BIT.cRLSign)) {
    invalid('the issuer certificate has a keyUsage without cRLSign');
  }
  const thisUpdate = checkDate(input.thisUpdate, 'thisUpdate');
  const nextUpdate = checkDate(input.nextUpdate, 'nextUpdate');
  if (nextUpdate.getTime() <= thisUpdate.getTime()) invalid('nextUpdate must be after thisUpdate');
  if (typeof input.crlNumber !== 'bigint' || input.crlNumber < 0n || input.crlNumber >= CRL_NUMBER_LIMIT) {
    invalid('crlNumber must be a bigint in 0 .. 2^159-1 (RFC 5280 §5.2.3)');
  }
  if (!Array.isArray(input.revoked)) invalid('revoked must be an array');

  const seen = new Set<bigint>();
  const entries = input.revoked.map((entry, index) => {
    const what = `revoked[${index}]`;
    if (typeof entry?.serial !== 'bigint' || entry.serial <= 0n || entry.serial >= SERIAL_LIMIT) {
      invalid(`${what}.serial must be a positive bigint of at most 20 octets`, { index });
    }
    if (seen.has(entry.serial))
      invalid(`${what}: serial ${entry.serial.toString(16)} listed twice`, { index });
    seen.add(entry.serial);
    const revokedAt = checkDate(entry.revokedAt, `${what}.revokedAt`);
    if (entry.reason !== undefined && (!isCrlReasonCode(entry.reason) || entry.reason === 8)) {
      invalid(`${what}: reason ${String(entry.reason)} is not allowed in a complete CRL`, { index });
    }
    return { serial: entry.serial, revokedAt, reason: entry.reason };
  });
  entries.sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));

  const algorithm = signatureAlgorithmFor(issuer.signer);
  const keyIdentifier = cert.subjectKeyIdentifier ?? hash('sha1', cert.spki.publicKey);
  const tbsParts = [
    integer(1n), // version v2 (§5.1.2.1: required when extensions are present)
    algorithm.der,
    cert.subjectDer,
    x509Time(thisUpdate),
    x509Time(nextUpdate),
  ];
  if (entries.length > 0) {
    tbsParts.push(
      sequence(
        ...entries.map((e) => {
          const parts = [integer(e.serial), x509Time(e.revokedAt)];
          if (e.reason !== undefined && e.reason !== 0) {
            parts.push(sequence(extension(OID.crlReason, enumerated(e.reason))));
          }
          return sequence(...parts);
        }),
      ),
    );
  }
  tbsParts.push(
    explicit(
      0,
      sequence(
        // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING }
        extension(OID.authorityKeyIdentifier, sequence(implicitPrimitive(0, keyIdentifier))),
        extension(OID.crlNumber, integer(input.crlNumber)),
      ),
    ),
  );
  return signStructure(issuer.signer, sequence(...tbsParts), algorithm);
}
