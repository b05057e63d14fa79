// Cache of pre-signed OCSP responses (RFC 6960 §2.5 pre-production; RFC 5019 §6): one DER response
// per CertID = (hash algorithm, issuer name hash, issuer key hash, serial).
//
// No timers and no clock of its own: the caller passes `now` to every time-dependent call (fake
// clocks in tests, one refresh loop in the server). `get` never returns a response at or past its
// nextUpdate (Boulder serves 500 rather than a stale answer, pki-profiles.md §7.2); `needsRefresh`
// lists what to re-sign `refreshMarginMs` before nextUpdate. Responses that echo a nonce must not
// be cached (they answer one request only); the server signs those live.

import { type CertId, certIdFor, certIdKey, OCSP_HASH_ALGORITHMS, type OcspIssuer } from './request.ts';

export interface CachedOcspResponse {
  readonly certId: CertId;
  readonly der: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** What the caller stored with the response (the responder: the status it states). */
  readonly tag?: string;
}

export interface OcspResponseCacheOptions {
  /** Re-sign this long before nextUpdate. Must be ≥ 0. */
  readonly refreshMarginMs: number;
  /** Bound on entries; the oldest insertion is evicted first. Default 100 000. */
  readonly maxEntries?: number;
}

export class OcspResponseCache {
  readonly #entries = new Map<string, CachedOcspResponse>();
  readonly #refreshMarginMs: number;
  readonly #maxEntries: number;

  constructor(options: OcspResponseCacheOptions) {
    const margin = options.refreshMarginMs;
    const max = options.maxEntries ?? 100_000;
    if (!Number.isFinite(margin) || margin < 0) throw new RangeError('refreshMarginMs must be a number ≥ 0');
    if (!Number.isInteger(max) || max < 1) throw new RangeError('maxEntries must be an integer ≥ 1');
    this.#refreshMarginMs = margin;
    this.#maxEntries = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Stores (or replaces) the response for its CertID. */
  put(certId: CertId, response: { der: Uint8Array; thisUpdate: Date; nextUpdate: Date; tag?: string }): void {
    const { der, thisUpdate, nextUpdate, tag } = response;
    if (!(der instanceof Uint8Array) || der.byteLength === 0)
      throw new RangeError('der must be non-empty bytes');
    if (!Number.isFinite(thisUpdate.getTime()) || !Number.isFinite(nextUpdate.getTime())) {
      throw new RangeError('thisUpdate and nextUpdate must be valid dates');
    }
    if (nextUpdate.getTime() <= thisUpdate.getTime())
      throw new RangeError('nextUpdate must be after thisUpdate');
    const key = certIdKey(certId);
    this.#entries.delete(key); // re-insert at the end: eviction order follows the last put
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, {
      certId,
      der: der.slice(),
      thisUpdate,
      nextUpdate,
      ...(tag === undefined ? {} : { tag }),
    });
  }

  /** The cached DER if present and still valid at `now` (now < nextUpdate); expired entries are dropped. */
  get(certId: CertId, now: Date): Uint8Array | undefined {
    const key = certIdKey(certId);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now.getTime() >= entry.nextUpdate.getTime()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.der.slice();
  }

  /**
   * The entry under a certIdKey if still valid at `now` (epoch ms), without copying: for a caller
   * that sends the bytes as they are (the responder's hot path). The bytes must not be modified.
   */
  peek(key: string, now: number): CachedOcspResponse | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.nextUpdate.getTime()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  delete(certId: CertId): boolean {
    return this.#entries.delete(certIdKey(certId));
  }

  /**
   * Drops the responses of one certificate under every CertID hash algorithm. Call it when the
   * certificate's status changes (revocation), before the next request can be answered.
   */
  invalidate(issuer: OcspIssuer, serialNumber: bigint): number {
    let removed = 0;
    for (const algorithm of OCSP_HASH_ALGORITHMS) {
      if (this.#entries.delete(certIdKey(certIdFor(issuer, serialNumber, algorithm)))) removed++;
    }
    return removed;
  }

  /**
   * Entries to re-sign at `now`: nextUpdate − refreshMargin ≤ now (expired ones included), the
   * most urgent first.
   */
  needsRefresh(now: Date): CachedOcspResponse[] {
    const limit = now.getTime() + this.#refreshMarginMs;
    return [...this.#entries.values()]
      .filter((e) => e.nextUpdate.getTime() <= limit)
      .sort((a, b) => a.nextUpdate.getTime() - b.nextUpdate.getTime());
  }
}
