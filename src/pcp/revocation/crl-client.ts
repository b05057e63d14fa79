// CRL client side (RFC 5280 §5, §6.3): where a certificate's CRLs are (cRLDistributionPoints, §4.2.1.13),
// and what a downloaded CRL says about one serial. A CRL is used only when it is complete for the
// certificate: signed by the certificate's issuer (same name, signature verifies with its key), no
// delta / indirect / partitioned CRL (deltaCRLIndicator, issuingDistributionPoint with scope or
// reasons, cRLIssuer), no unknown critical extension, current (thisUpdate not in the future,
// nextUpdate not passed). Anything else is "cannot tell", never "good".

import * as asn1js from 'asn1js';
import {
  bytesEqual,
  children,
  contentOf,
  decodeDer,
  expectSequence,
  explicitInner,
  isContext,
  isUniversal,
  type Node,
  rawOf,
  readAlgorithmIdentifier,
  readBitStringOctets,
  readExtensions,
  readInteger,
  UNIVERSAL,
} from '../../pki/ocsp/asn1.ts';
import { OID, parseCertificate } from '../../pki/ocsp/index.ts';
import { OCSP_CLOCK_SKEW_MS } from './ocsp-client.ts';
import { signatureVerifies } from './signed.ts';

/** Largest CRL read (a sub-CA CRL with thousands of entries stays far below). */
export const CRL_MAX_BYTES = 1024 * 1024;

const OID_DELTA_CRL_INDICATOR = '2.5.29.27';
const OID_ISSUING_DISTRIBUTION_POINT = '2.5.29.28';
const OID_INVALIDITY_DATE = '2.5.29.24';
const OID_CERTIFICATE_ISSUER = '2.5.29.29';
const KNOWN_CRL_EXTENSIONS = new Set<string>([OID.crlNumber, OID.authorityKeyIdentifier]);

export type CrlVerdict =
  | { readonly status: 'good'; readonly nextUpdate: Date | null }
  | {
      readonly status: 'revoked';
      readonly revokedAt: Date;
      readonly reason: number | null;
      readonly nextUpdate: Date | null;
    }
  | { readonly status: 'invalid'; readonly reason: string };

/** http(s) URIs of the full-CRL distribution points of a certificate (none when absent / unusable). */
export function crlDistributionPointUrls(certificateDer: Uint8Array): string[] {
  const ext = parseCertificate(certificateDer).extensions.find((e) => e.oid === OID.crlDistributionPoints);
  if (ext === undefined) return [];
  const urls: string[] = [];
  try {
    for (const dp of expectSequence(decodeDer(ext.value, 'cRLDistributionPoints'), 'cRLDistributionPoints')) {
      const parts = expectSequence(dp, 'DistributionPoint');
      // reasons [1] / cRLIssuer [2]: a partitioned or indirect CRL is not a complete CRL for us.
      if (parts.some((p) => isContext(p, 1) || isContext(p, 2))) continue;
      const name = parts.find((p) => isContext(p, 0));
      if (name === undefined) continue;
      const choice = explicitInner(name, 'distributionPoint');
      if (!isContext(choice, 0)) continue; // nameRelativeToCRLIssuer: no URL
      for (const general of children(choice, 'fullName')) {
        // GeneralName uniformResourceIdentifier [6] IMPLICIT IA5String
        if (isContext(general, 6) && !general.idBlock.isConstructed) {
          const uri = Buffer.from(contentOf(general)).toString('latin1');
          if (/^https?:\/\//i.test(uri)) urls.push(uri);
        }
      }
    }
  } catch {
    return [];
  }
  return urls;
}

function readTime(node: Node | undefined, what: string): Date {
  if (!(node instanceof asn1js.UTCTime) && !(node instanceof asn1js.GeneralizedTime)) {
    throw new Error(`${what}: expected UTCTime or GeneralizedTime`);
  }
  const date = node.toDate();
  if (!Number.isFinite(date.getTime())) throw new Error(`${what}: malformed time`);
  return date;
}

function hasUnusableIdp(value: Uint8Array): boolean {
  // IssuingDistributionPoint: distributionPoint [0] is fine; onlyContainsUserCerts [1],
  // onlyContainsCACerts [2], onlySomeReasons [3], indirectCRL [4], onlyContainsAttributeCerts [5]
  // make the CRL partial or indirect.
  const parts = expectSequence(decodeDer(value, 'issuingDistributionPoint'), 'issuingDistributionPoint');
  return parts.some((p) => !isContext(p, 0));
}

/** What a DER CRL says about `certificateDer` (issued by `issuerDer`) at `now`. Never throws. */
export function evaluateCrl(
  crlDer: Uint8Array,
  certificateDer: Uint8Array,
  issuerDer: Uint8Array,
  now: Date,
): CrlVerdict {
  try {
    const certificate = parseCertificate(certificateDer);
    const issuer = parseCertificate(issuerDer);
    const top = expectSequence(decodeDer(crlDer, 'CertificateList'), 'CertificateList');
    if (top.length !== 3) return { status: 'invalid', reason: 'not a CertificateList' };
    const tbsNode = top[0] as Node;
    const signatureAlgorithm = readAlgorithmIdentifier(top[1], 'signatureAlgorithm').oid;
    const signature = readBitStringOctets(top[2], 'signatureValue');
    const tbs = expectSequence(tbsNode, 'TBSCertList');
    let i = 0;
    if (isUniversal(tbs[i], UNIVERSAL.INTEGER)) i++; // version v2
    readAlgorithmIdentifier(tbs[i++], 'signature');
    const issuerName = rawOf(tbs[i++] as Node);
    const thisUpdate = readTime(tbs[i++], 'thisUpdate');
    let nextUpdate: Date | null = null;
    if (tbs[i] instanceof asn1js.UTCTime || tbs[i] instanceof asn1js.GeneralizedTime) {
      nextUpdate = readTime(tbs[i++], 'nextUpdate');
    }
    let entries: Node[] = [];
    if (isUniversal(tbs[i], UNIVERSAL.SEQUENCE)) entries = expectSequence(tbs[i++], 'revokedCertificates');
    if (tbs[i] !== undefined && isContext(tbs[i], 0)) {
      for (const ext of readExtensions(explicitInner(tbs[i] as Node, 'crlExtensions'), 'crlExtensions')) {
        if (ext.oid === OID_DELTA_CRL_INDICATOR) return { status: 'invalid', reason: 'a delta CRL' };
        if (ext.oid === OID_ISSUING_DISTRIBUTION_POINT) {
          if (hasUnusableIdp(ext.value))
            return { status: 'invalid', reason: 'a partitioned or indirect CRL' };
          continue;
        }
        if (ext.critical && !KNOWN_CRL_EXTENSIONS.has(ext.oid)) {
          return { status: 'invalid', reason: `unknown critical CRL extension ${ext.oid}` };
        }
      }
    }
    if (!bytesEqual(issuerName, certificate.issuerDer) || !bytesEqual(issuerName, issuer.subjectDer)) {
      return { status: 'invalid', reason: 'the CRL is not issued by the certificate issuer' };
    }
    if (!signatureVerifies(rawOf(tbsNode), signatureAlgorithm, signature, issuer.spki.der)) {
      return { status: 'invalid', reason: 'the CRL signature does not verify with the issuer key' };
    }
    const t = now.getTime();
    if (thisUpdate.getTime() > t + OCSP_CLOCK_SKEW_MS) {
      return { status: 'invalid', reason: 'the CRL thisUpdate lies in the future' };
    }
    if (nextUpdate !== null && nextUpdate.getTime() < t - OCSP_CLOCK_SKEW_MS) {
      return { status: 'invalid', reason: 'the CRL is stale (nextUpdate has passed)' };
    }
    for (const entry of entries) {
      const parts = expectSequence(entry, 'revokedCertificate');
      if (readInteger(parts[0], 'userCertificate').value !== certificate.serialNumber) continue;
      let reason: number | null = null;
      if (parts[2] !== undefined) {
        for (const ext of readExtensions(parts[2], 'crlEntryExtensions')) {
          if (ext.oid === OID.crlReason) {
            const node = decodeDer(ext.value, 'reasonCode');
            if (isUniversal(node, UNIVERSAL.ENUMERATED)) reason = contentOf(node)[0] ?? null;
          } else if (ext.oid === OID_CERTIFICATE_ISSUER) {
            return { status: 'invalid', reason: 'an indirect CRL entry' };
          } else if (ext.critical && ext.oid !== OID_INVALIDITY_DATE) {
            return { status: 'invalid', reason: `unknown critical CRL entry extension ${ext.oid}` };
          }
        }
      }
      return { status: 'revoked', revokedAt: readTime(parts[1], 'revocationDate'), reason, nextUpdate };
    }
    return { status: 'good', nextUpdate };
  } catch (error) {
    return { status: 'invalid', reason: `malformed CRL (${(error as Error).message})` };
  }
}
