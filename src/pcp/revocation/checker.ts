// Revocation status of the certificates of a provisioning chain (OPCP docs/components/02 control
// step 3: "the certificate status of each delivered certificate (leaf and chain) from its OCSP
// responder or CRL").
//
// Sources, in this order (docs/pcp.md "Revocation"; docs/spec-decisions.md D-053):
//   1. this server's CA: when the issuer is one of our CAs, the stored certificate (same DER) and its
//      status are read directly — no HTTP call to ourselves;
//   2. OCSP at the AIA id-ad-ocsp URL(s) (RFC 6960), the answer verified (./ocsp-client.ts);
//   3. the CRL distribution point(s) (RFC 5280), when OCSP gave no usable answer (./crl-client.ts).
// Anything that does not end in a signed, current answer is `unknown` with the reasons; the caller
// applies the unknown-status policy. Definite network answers are cached until their nextUpdate (at
// most `maxCacheMs`), so repeated reads of a pool entry do not query the responder each time.

import { createHash } from 'node:crypto';
import type { CaView, CertificateAuthorityService, CertificateView } from '../../ca/index.ts';
import { decodeAuthorityInfoAccess } from '../../pki/lint/extensions.ts';
import { bytesEqual } from '../../pki/ocsp/asn1.ts';
import { parseCertificate } from '../../pki/ocsp/index.ts';
import { CRL_MAX_BYTES, crlDistributionPointUrls, evaluateCrl } from './crl-client.ts';
import type { RevocationHttpClient } from './http-client.ts';
import {
  buildOcspRequest,
  evaluateOcspResponse,
  OCSP_MAX_RESPONSE_BYTES,
  ocspCertId,
} from './ocsp-client.ts';

const OID_AD_OCSP = '1.3.6.1.5.5.7.48.1';
const OID_AIA = '1.3.6.1.5.5.7.1.1';
/** At most this many URLs of each kind are tried per certificate. */
const MAX_URLS = 2;

export type RevocationSource = 'ca' | 'ocsp' | 'crl';

export type CertificateRevocation =
  | { readonly status: 'good'; readonly source: RevocationSource }
  | {
      readonly status: 'revoked';
      readonly source: RevocationSource;
      readonly revokedAt: Date;
      /** RFC 5280 §5.3.1 CRLReason, when given. */
      readonly reason: number | null;
    }
  | { readonly status: 'unknown'; readonly source: RevocationSource | null; readonly reason: string };

export interface ChainLink {
  readonly certificate: Uint8Array;
  readonly issuer: Uint8Array;
}

export interface RevocationCheckerOptions {
  /** Per HTTP exchange (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Longest time a definite network answer is reused (default 1 h). */
  readonly maxCacheMs?: number;
  /** Bound on cached answers (default 10 000). */
  readonly maxCacheEntries?: number;
}

export interface RevocationCheckerDeps {
  /** This server's CA; absent = every certificate is treated as foreign (tests of the HTTP path). */
  readonly ca?: Pick<CertificateAuthorityService, 'listCas' | 'findCertificate'>;
  readonly http: RevocationHttpClient;
  readonly clock: { now(): Date };
  readonly options?: RevocationCheckerOptions;
}

interface CacheEntry<T> {
  readonly value: T;
  readonly until: number;
}

/** A Map bounded by insertion order, entries expiring on the injected clock. */
class ExpiringCache<T> {
  readonly #entries = new Map<string, CacheEntry<T>>();
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  get(key: string, now: number): T | undefined {
    const hit = this.#entries.get(key);
    if (hit === undefined) return undefined;
    if (hit.until <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return hit.value;
  }
  set(key: string, value: T, until: number): void {
    this.#entries.delete(key);
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, until });
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function ocspUrls(certificate: Uint8Array): string[] {
  const ext = parseCertificate(certificate).extensions.find((e) => e.oid === OID_AIA);
  if (ext === undefined) return [];
  const decoded = decodeAuthorityInfoAccess(ext.value);
  if (!decoded.ok) return [];
  return decoded.value
    .filter((d) => d.method === OID_AD_OCSP && d.uri !== null && /^https?:\/\//i.test(d.uri))
    .map((d) => d.uri as string);
}

export class RevocationChecker {
  readonly #deps: RevocationCheckerDeps;
  readonly #timeoutMs: number;
  readonly #maxCacheMs: number;
  readonly #answers: ExpiringCache<CertificateRevocation>;
  readonly #crls: ExpiringCache<Uint8Array>;

  constructor(deps: RevocationCheckerDeps) {
    this.#deps = deps;
    this.#timeoutMs = deps.options?.timeoutMs ?? 5000;
    this.#maxCacheMs = deps.options?.maxCacheMs ?? 3_600_000;
    this.#answers = new ExpiringCache(deps.options?.maxCacheEntries ?? 10_000);
    // Each CRL may be up to 1 MiB: keep few.
    this.#crls = new ExpiringCache(16);
  }

  /**
   * Status of each link's certificate, in order. `network: false` answers from this server's CA
   * only: certificates of foreign issuers are then `unknown` without any HTTP call.
   */
  async check(
    links: readonly ChainLink[],
    options: { readonly network: boolean },
  ): Promise<CertificateRevocation[]> {
    const cas = this.#deps.ca === undefined ? [] : await this.#deps.ca.listCas();
    // The links are independent: queried in parallel, so a slow responder costs one timeout, not three.
    return Promise.all(
      links.map(async (link): Promise<CertificateRevocation> => {
        const local = await this.#fromCa(cas, link);
        if (local !== undefined) return local;
        if (!options.network) {
          return { status: 'unknown', source: null, reason: 'not queried: the chain is not trusted' };
        }
        return this.#fromNetwork(link);
      }),
    );
  }

  async #fromCa(cas: readonly CaView[], link: ChainLink): Promise<CertificateRevocation | undefined> {
    const ca = cas.find((c) => c.certificate !== null && bytesEqual(c.certificate, link.issuer));
    if (ca === undefined || this.#deps.ca === undefined) return undefined;
    const serial = parseCertificate(link.certificate).serialNumber;
    const stored: CertificateView | undefined = await this.#deps.ca.findCertificate(ca.id, serial);
    if (
      stored === undefined ||
      stored.certificate === null ||
      !bytesEqual(stored.certificate, link.certificate)
    ) {
      return { status: 'unknown', source: 'ca', reason: `${ca.name} has not issued this certificate` };
    }
    if (stored.status === 'revoked' && stored.revokedAt !== null) {
      return {
        status: 'revoked',
        source: 'ca',
        revokedAt: stored.revokedAt,
        reason: stored.revocationReason,
      };
    }
    if (stored.status === 'issued') return { status: 'good', source: 'ca' };
    return { status: 'unknown', source: 'ca', reason: `the certificate is ${stored.status} at ${ca.name}` };
  }

  async #fromNetwork(link: ChainLink): Promise<CertificateRevocation> {
    const now = this.#deps.clock.now();
    const key = sha256(link.certificate);
    const cached = this.#answers.get(key, now.getTime());
    if (cached !== undefined) return cached;
    const reasons: string[] = [];
    let answer = await this.#fromOcsp(link, now, reasons);
    if (answer === undefined || answer.status === 'unknown') {
      const fromCrl = await this.#fromCrl(link, now, reasons);
      if (fromCrl !== undefined) answer = fromCrl;
    }
    if (answer === undefined) {
      return {
        status: 'unknown',
        source: null,
        reason:
          reasons.length === 0 ? 'the certificate names no OCSP responder and no CRL' : reasons.join('; '),
      };
    }
    return answer;
  }

  #remember(key: string, answer: CertificateRevocation, nextUpdate: Date | null, now: Date): void {
    const cap = now.getTime() + this.#maxCacheMs;
    const until = nextUpdate === null ? now.getTime() + 5 * 60_000 : Math.min(nextUpdate.getTime(), cap);
    if (until > now.getTime()) this.#answers.set(key, answer, until);
  }

  async #fromOcsp(link: ChainLink, now: Date, reasons: string[]): Promise<CertificateRevocation | undefined> {
    const urls = ocspUrls(link.certificate).slice(0, MAX_URLS);
    if (urls.length === 0) return undefined;
    const certId = ocspCertId(link);
    const request = buildOcspRequest(certId);
    for (const url of urls) {
      const result = await this.#deps.http.exchange({
        url,
        method: 'POST',
        body: request,
        contentType: 'application/ocsp-request',
        accept: 'application/ocsp-response',
        maxBytes: OCSP_MAX_RESPONSE_BYTES,
        timeoutMs: this.#timeoutMs,
      });
      if (!result.ok) {
        reasons.push(`OCSP ${url}: ${result.reason}`);
        continue;
      }
      if (result.status !== 200) {
        reasons.push(`OCSP ${url}: HTTP ${result.status}`);
        continue;
      }
      const verdict = evaluateOcspResponse(result.body, certId, link.issuer, now);
      if (verdict.status === 'invalid') {
        reasons.push(`OCSP ${url}: ${verdict.reason}`);
        continue;
      }
      const key = sha256(link.certificate);
      if (verdict.status === 'good') {
        const answer: CertificateRevocation = { status: 'good', source: 'ocsp' };
        this.#remember(key, answer, verdict.nextUpdate, now);
        return answer;
      }
      if (verdict.status === 'revoked') {
        const answer: CertificateRevocation = {
          status: 'revoked',
          source: 'ocsp',
          revokedAt: verdict.revokedAt,
          reason: verdict.reason,
        };
        this.#remember(key, answer, verdict.nextUpdate, now);
        return answer;
      }
      reasons.push(`OCSP ${url}: the responder does not know the certificate`);
      return { status: 'unknown', source: 'ocsp', reason: reasons.join('; ') };
    }
    return undefined;
  }

  async #fromCrl(link: ChainLink, now: Date, reasons: string[]): Promise<CertificateRevocation | undefined> {
    for (const url of crlDistributionPointUrls(link.certificate).slice(0, MAX_URLS)) {
      let der = this.#crls.get(url, now.getTime());
      if (der === undefined) {
        const result = await this.#deps.http.exchange({
          url,
          method: 'GET',
          accept: 'application/pkix-crl',
          maxBytes: CRL_MAX_BYTES,
          timeoutMs: this.#timeoutMs,
        });
        if (!result.ok || result.status !== 200) {
          reasons.push(`CRL ${url}: ${result.ok ? `HTTP ${result.status}` : result.reason}`);
          continue;
        }
        der = result.body;
      }
      const verdict = evaluateCrl(der, link.certificate, link.issuer, now);
      if (verdict.status === 'invalid') {
        reasons.push(`CRL ${url}: ${verdict.reason}`);
        continue;
      }
      const until = Math.min(
        verdict.nextUpdate?.getTime() ?? now.getTime() + 5 * 60_000,
        now.getTime() + this.#maxCacheMs,
      );
      if (until > now.getTime()) this.#crls.set(url, der, until);
      const answer: CertificateRevocation =
        verdict.status === 'good'
          ? { status: 'good', source: 'crl' }
          : { status: 'revoked', source: 'crl', revokedAt: verdict.revokedAt, reason: verdict.reason };
      this.#remember(sha256(link.certificate), answer, verdict.nextUpdate, now);
      return answer;
    }
    return undefined;
  }
}
