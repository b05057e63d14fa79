// The OCSP responder (RFC 6960) behind `<publicUrl>/ocsp`, the URL every certificate of this PKI
// carries in its AIA (src/ca CA-06). Transport-free: bytes in, an OCSPResponse out; the HTTP adapter
// is ./ocsp-routes.ts. docs/pki-http.md describes the behaviour and the decisions.
//
// Per request:
//   1. parse (src/pki/ocsp parseOcspRequest, a bounded DER walk, D-090); garbage → malformedRequest
//      (§2.3); small requests without nonce are parsed once and remembered by their bytes;
//   2. find the issuer of every CertID among our CAs (CertID hashes under SHA-1/256/384/512);
//      a CertID of a foreign issuer, or CertIDs of two different CAs in one request → unauthorized
//      (§2.3 "the server is not capable of responding authoritatively"; RFC 5019 §2.2.3);
//   3. the status of every serial from the status view (./ocsp-status-view.ts, D-091): kept in
//      memory, dropped at once by revocations in this process and, on SQLite, by any commit of
//      another process (`pnc pki revoke`); never older than `ocspStatusMaxAgeMs` (the bound for
//      other instances and processes on PostgreSQL);
//   4. a request with one CertID and no nonce is answered from the pre-signed cache when the cached
//      response says the same status and is less than half its validity old; otherwise it is signed
//      now and cached (§2.5 pre-production; RFC 5019 §6). Requests with a nonce (RFC 9654) are signed
//      fresh and never cached, with a responder prepared once (D-092).
// Responses are signed by the issuing CA through the key store (default), or by a delegated
// responder certificate (profile ocsp-signer, §4.2.2.2) that the CA issues for itself on first use.

import type { CertificateAuthorityService } from '../ca/index.ts';
import { isAppError } from '../errors/app-error.ts';
import {
  buildPreparedOcspResponse,
  type CertId,
  certIdKey,
  type OcspErrorStatus,
  type OcspIssuer,
  type OcspRequestInfo,
  OcspResponseCache,
  ocspErrorResponse,
  ocspErrorStatusFor,
  type PreparedOcspResponder,
  parseOcspRequest,
  prepareOcspResponder,
} from '../pki/ocsp/index.ts';
import { getProfileById } from '../pki/profiles/index.ts';
import type { KeyStore } from '../signer/types.ts';
import type { CaDirectory, DirectoryCa } from './ca-directory.ts';
import { OcspStatusView, type StatusEntry, statusKeyOf } from './ocsp-status-view.ts';

export type OcspResponderMode = 'issuer' | 'delegated';

export interface OcspResponderOptions {
  readonly mode: OcspResponderMode;
  /** nextUpdate − thisUpdate of every response, in seconds. */
  readonly validitySeconds: number;
  /**
   * Bound on pre-signed responses, remembered parsed requests and remembered statuses kept in
   * memory. Default 100 000.
   */
  readonly maxCacheEntries?: number;
  /**
   * Longest use of a certificate status read from the database, in ms (`ocspStatusMaxAgeMs`,
   * ./ocsp-status-view.ts); 0 reads it for every request. Default 1000.
   */
  readonly statusMaxAgeMs?: number;
}

export interface OcspResponderDeps {
  readonly ca: Pick<
    CertificateAuthorityService,
    'revocationStatus' | 'statusChangeMarker' | 'listCertificates' | 'issueWithGeneratedKey'
  >;
  readonly keyStore: Pick<KeyStore, 'open'>;
  readonly directory: CaDirectory;
  readonly clock: { now(): Date };
  readonly logger: {
    warn(object: Record<string, unknown>, message: string): void;
    info(object: Record<string, unknown>, message: string): void;
  };
  readonly options: OcspResponderOptions;
}

export interface OcspAnswer {
  /** DER OCSPResponse; shared with the pre-signed cache, so it must not be modified. */
  readonly der: Uint8Array;
  /** responseStatus (RFC 6960 §4.2.1). */
  readonly status: 'successful' | OcspErrorStatus;
  /** For successful answers without a nonce: what HTTP caching headers may say (RFC 5019 §6.2). */
  readonly validity?: { readonly thisUpdate: Date; readonly nextUpdate: Date };
  /** True when the signed response came from the pre-signed cache. */
  readonly cached: boolean;
  /** Why an error status was chosen (for the log; never sent to the client). */
  readonly reason?: string;
  /** The failure behind internalError / tryLater, for the log. */
  readonly error?: unknown;
}

/** Requests up to this size without a nonce have their parse result remembered (see #parse). */
const MEMO_MAX_REQUEST_BYTES = 512;

/** A delegated responder certificate is renewed when this much of its validity is left. */
export const DELEGATED_RENEW_BEFORE_MS = 10 * 86_400_000;
const SYSTEM_ACTOR = 'system:ocsp-responder';
/** After a failure to open the signing key, requests get tryLater / internalError this long. */
export const RESPONDER_RETRY_MS = 10_000;

interface ResponderState {
  readonly identity: PreparedOcspResponder;
  /** When to build the responder again (delegated certificates are renewed), epoch ms. */
  readonly renewAt: number;
}

/** A parsed request as remembered by its bytes, with what the pre-signed path needs of it. */
interface ParsedRequest {
  readonly request: OcspRequestInfo;
  /**
   * certIdKey of the CertID of a request the pre-signed cache may answer (one CertID, no nonce,
   * canonical CertID encoding), else undefined.
   */
  readonly cacheKey: string | undefined;
  /**
   * For such a request, once answered: its CA and the status view's key of its certificate. The
   * CA a CertID names never changes (the directory maps issuer hashes to the oldest CA with them,
   * and a CA's id, certificate and key are fixed).
   */
  resolved?: { readonly ca: DirectoryCa; readonly statusKey: string };
}

/**
 * True when a (strict DER) CertID carries NULL hash parameters, as encodeCertId writes it and
 * OpenSSL sends it: under DER the parameters are the only encoding choice of a CertID (RFC 5754 §2
 * allows them absent). The AlgorithmIdentifier's length tells: OID (7 octets for SHA-1, 11 for
 * SHA-2) plus 2 for the NULL.
 */
function hasCanonicalEncoding(der: Uint8Array): boolean {
  const first = der[1] ?? 0;
  const header = first < 0x80 ? 2 : 2 + (first & 0x7f);
  if (der[header] !== 0x30) return false;
  const algorithmLength = der[header + 1];
  const oidLength = der[header + 3];
  return oidLength !== undefined && algorithmLength === oidLength + 4;
}

function withoutDer(certId: CertId): CertId {
  const { der: _der, ...fields } = certId;
  return fields;
}

function parsedRequest(request: OcspRequestInfo): ParsedRequest {
  const certId = request.certIds[0];
  const cacheable =
    certId !== undefined &&
    request.certIds.length === 1 &&
    request.nonce === undefined &&
    // Only a CertID in the canonical encoding is shared through the cache: the response echoes the
    // request's CertID bytes, and a client that compares them byte for byte must get its own back.
    (certId.der === undefined || hasCanonicalEncoding(certId.der));
  return { request, cacheKey: cacheable ? certIdKey(certId) : undefined };
}

export class OcspResponderService {
  readonly #deps: OcspResponderDeps;
  readonly #validityMs: number;
  readonly #cache: OcspResponseCache;
  readonly #view: OcspStatusView;
  readonly #maxEntries: number;
  readonly #responders = new Map<string, { state: Promise<ResponderState>; renewAt: number }>();
  /** Parsed nonce-less requests by their bytes: a repeated request (the common case) is not parsed again. */
  readonly #parsed = new Map<string, ParsedRequest>();

  constructor(deps: OcspResponderDeps) {
    const { validitySeconds, mode } = deps.options;
    if (!Number.isInteger(validitySeconds) || validitySeconds < 1)
      throw new RangeError('validitySeconds must be a positive integer');
    if (mode !== 'issuer' && mode !== 'delegated')
      throw new RangeError(`unknown OCSP responder mode ${String(mode)}`);
    this.#deps = deps;
    this.#validityMs = validitySeconds * 1000;
    this.#maxEntries = deps.options.maxCacheEntries ?? 100_000;
    this.#cache = new OcspResponseCache({
      refreshMarginMs: this.#validityMs / 2,
      maxEntries: this.#maxEntries,
    });
    this.#view = new OcspStatusView({
      ca: deps.ca,
      clock: deps.clock,
      maxAgeMs: deps.options.statusMaxAgeMs ?? 1000,
      maxEntries: this.#maxEntries,
    });
  }

  /** Number of pre-signed responses held (for tests and metrics). */
  get cachedResponses(): number {
    return this.#cache.size;
  }

  /** Answers one DER OCSPRequest. Never throws: every failure is an OCSP error response. */
  async answer(requestDer: Uint8Array): Promise<OcspAnswer> {
    let parsed: ParsedRequest;
    try {
      parsed = this.#parse(requestDer);
    } catch (error) {
      return this.#error(ocspErrorStatusFor(error), isAppError(error) ? error.message : 'unparsable', error);
    }
    const presigned = this.#presigned(parsed);
    if (presigned !== undefined) return presigned;
    try {
      return await this.#answerParsed(parsed);
    } catch (error) {
      const status = ocspErrorStatusFor(error);
      return this.#error(status, isAppError(error) ? error.code : 'unexpected failure', error);
    }
  }

  /**
   * The pre-signed answer to a request answered before, when nothing has to be read or awaited:
   * the same decision as #answerParsed (the cached response states the current status and is
   * less than half its validity old), without its awaits. Undefined sends the request the long way.
   */
  #presigned(parsed: ParsedRequest): OcspAnswer | undefined {
    const { cacheKey, resolved } = parsed;
    if (cacheKey === undefined || resolved === undefined) return undefined;
    const t = this.#deps.clock.now().getTime();
    const status = this.#view.current(resolved.statusKey, t);
    if (status === undefined) return undefined;
    return this.#fromCache(cacheKey, status, t);
  }

  #fromCache(cacheKey: string, status: StatusEntry, t: number): OcspAnswer | undefined {
    const cached = this.#cache.peek(cacheKey, t);
    if (
      cached === undefined ||
      cached.tag !== status.fingerprint ||
      // Re-signed once half the validity has passed (RFC 5019 §6: refresh before nextUpdate).
      t >= cached.thisUpdate.getTime() + this.#validityMs / 2
    ) {
      return undefined;
    }
    return {
      der: cached.der,
      status: 'successful',
      validity: { thisUpdate: cached.thisUpdate, nextUpdate: cached.nextUpdate },
      cached: true,
    };
  }

  /**
   * Drops the pre-signed responses of one certificate under every CertID hash algorithm. The revoke
   * path calls it; the status check of every request makes a missed call harmless (see the header).
   */
  invalidate(issuer: OcspIssuer, serialNumber: bigint): void {
    this.#cache.invalidate(issuer, serialNumber);
  }

  /**
   * A certificate's status changed in this process (the CA service's onRevoked): its next request
   * reads the status from the database. Serial as bigint or in the CA's form (lower-case hex).
   */
  statusChanged(caId: string, serial: bigint | string): void {
    this.#view.invalidate(caId, serial);
  }

  /**
   * parseOcspRequest, remembered for small requests without a nonce: the same bytes always parse to
   * the same result, and clients repeat the same request until nextUpdate (RFC 5019 §2.1.1), so
   * the pre-signed path skips the DER parse too. Bounded like the response cache.
   */
  #parse(der: Uint8Array): ParsedRequest {
    if (der.byteLength > MEMO_MAX_REQUEST_BYTES) return parsedRequest(parseOcspRequest(der));
    const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
    const hit = this.#parsed.get(key);
    if (hit !== undefined) return hit;
    const parsed = parsedRequest(parseOcspRequest(der));
    if (parsed.request.nonce === undefined) {
      if (this.#parsed.size >= this.#maxEntries) {
        const oldest = this.#parsed.keys().next();
        if (oldest.done !== true) this.#parsed.delete(oldest.value);
      }
      this.#parsed.set(key, parsed);
    }
    return parsed;
  }

  async #answerParsed(parsed: ParsedRequest): Promise<OcspAnswer> {
    const { request, cacheKey } = parsed;
    let ca: DirectoryCa | undefined;
    for (const certId of request.certIds) {
      const found = await this.#deps.directory.findIssuer(certId);
      if (found === undefined) return this.#error('unauthorized', 'CertID of an issuer unknown here');
      if (ca !== undefined && found.view.id !== ca.view.id) {
        return this.#error('unauthorized', 'CertIDs of more than one CA in one request');
      }
      ca = found;
    }
    if (ca === undefined) return this.#error('malformedRequest', 'no CertID');
    const statuses = await this.#view.statuses(
      ca.view.id,
      request.certIds.map((id) => id.serialNumber),
    );
    const now = this.#deps.clock.now();
    const t = now.getTime();
    if (cacheKey !== undefined) {
      parsed.resolved ??= {
        ca,
        statusKey: statusKeyOf(ca.view.id, (request.certIds[0] as CertId).serialNumber),
      };
      const hit = this.#fromCache(cacheKey, statuses[0] as StatusEntry, t);
      if (hit !== undefined) return hit;
    }
    const responder = await this.#responderFor(ca, now);
    if (responder === undefined) return this.#error('unauthorized', `CA ${ca.view.id} has no key here`);
    const thisUpdate = new Date(Math.floor(t / 1000) * 1000);
    const nextUpdate = new Date(thisUpdate.getTime() + this.#validityMs);
    const der = await buildPreparedOcspResponse(responder.identity, {
      producedAt: now,
      // A CertID in the canonical encoding is encoded again to the same bytes: dropping the echo
      // spares the builder re-reading it (the echo matters for the other encodings only).
      responses: request.certIds.map((id, i) => ({
        certId: id.der !== undefined && hasCanonicalEncoding(id.der) ? withoutDer(id) : id,
        status: (statuses[i] as StatusEntry).status,
        thisUpdate,
        nextUpdate,
      })),
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    });
    if (cacheKey !== undefined) {
      this.#cache.put(request.certIds[0] as CertId, {
        der,
        thisUpdate,
        nextUpdate,
        tag: (statuses[0] as StatusEntry).fingerprint,
      });
    }
    return {
      der,
      status: 'successful',
      ...(request.nonce === undefined ? { validity: { thisUpdate, nextUpdate } } : {}),
      cached: false,
    };
  }

  #error(status: OcspErrorStatus, reason: string, error?: unknown): OcspAnswer {
    return {
      der: ocspErrorResponse(status),
      status,
      cached: false,
      reason,
      ...(error === undefined ? {} : { error }),
    };
  }

  /** The signing identity for a CA's certificates; undefined when the CA has no key here. */
  async #responderFor(ca: DirectoryCa, now: Date): Promise<ResponderState | undefined> {
    if (ca.view.keyId === null) return undefined;
    const entry = this.#responders.get(ca.view.id);
    if (entry !== undefined && now.getTime() < entry.renewAt) return entry.state;
    const state = this.#buildResponder(ca, now);
    state.catch(() => undefined); // awaited below; also kept for later requests
    const record = { state, renewAt: Number.POSITIVE_INFINITY };
    this.#responders.set(ca.view.id, record);
    try {
      const built = await state;
      record.renewAt = built.renewAt;
      return built;
    } catch (error) {
      // Kept for a while: opening a software key with a wrong passphrase costs a scrypt derivation,
      // which public, unauthenticated OCSP requests must not be able to trigger at will.
      record.renewAt = now.getTime() + RESPONDER_RETRY_MS;
      throw error;
    }
  }

  async #buildResponder(ca: DirectoryCa, now: Date): Promise<ResponderState> {
    const profileId = `iso15118-${ca.view.iso}/ocsp-signer`;
    // Both editions have a responder profile (src/pki/profiles ocsp-signer); without one the CA signs.
    if (this.#deps.options.mode === 'delegated' && getProfileById(profileId) !== undefined) {
      try {
        return await this.#delegatedResponder(ca, profileId, now);
      } catch (error) {
        if (!isAppError(error) || error.kind === 'Internal') throw error;
        this.#deps.logger.warn(
          { caId: ca.view.id, code: error.code },
          'no delegated OCSP responder certificate: the CA signs its responses itself',
        );
      }
    }
    const signer = await this.#deps.keyStore.open(ca.view.keyId as string);
    return {
      // ResponderID byKey: 22 octets instead of the whole Name (OCPP ocspResult is capped at 5500
      // characters).
      identity: await prepareOcspResponder(
        { signer, certificate: ca.certificate, includeCertificates: false },
        'byKey',
      ),
      renewAt: Number.POSITIVE_INFINITY,
    };
  }

  async #delegatedResponder(ca: DirectoryCa, profileId: string, now: Date): Promise<ResponderState> {
    const t = now.getTime();
    const caNotAfter = ca.view.notAfter?.getTime() ?? t;
    // Near the end of the CA's own validity the responder certificate is clipped to it: renew at
    // half of what is left rather than on every request.
    const renewBefore = Math.min(DELEGATED_RENEW_BEFORE_MS, Math.max(0, (caNotAfter - t) / 2));
    const candidates = (
      await this.#deps.ca.listCertificates({ issuerCaId: ca.view.id, status: 'issued', leavesOnly: true })
    )
      .filter(
        (c) =>
          c.profileId === profileId &&
          c.keyId !== null &&
          c.certificate !== null &&
          c.notBefore.getTime() <= t &&
          c.notAfter.getTime() - t > renewBefore,
      )
      .sort((a, b) => b.notAfter.getTime() - a.notAfter.getTime());
    let chosen = candidates[0];
    if (chosen === undefined) {
      chosen = await this.#deps.ca.issueWithGeneratedKey({
        caId: ca.view.id,
        role: 'ocsp-signer',
        subject: { commonName: `OCSP Responder ${ca.view.name}`.slice(0, 64).trim() },
        actor: SYSTEM_ACTOR,
      });
      this.#deps.logger.info(
        { caId: ca.view.id, certificateId: chosen.id, serial: chosen.serial },
        'delegated OCSP responder certificate issued',
      );
    }
    const signer = await this.#deps.keyStore.open(chosen.keyId as string);
    return {
      identity: await prepareOcspResponder(
        { signer, certificate: chosen.certificate as Uint8Array, includeCertificates: true },
        'byKey',
      ),
      renewAt: chosen.notAfter.getTime() - renewBefore,
    };
  }
}
