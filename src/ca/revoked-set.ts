// "Did a CA of this server revoke this certificate?" without a database query per question (D-175).
//
// The CCP asks it for every installation request (the vehicle's provisioning chain must not hold a
// certificate revoked here, D-077); one indexed query per request was a third of the database work of
// the request on PostgreSQL. Two facts of this CA make a remembered set exact and cheap to keep:
//   - revocation is final (certificateHold / removeFromCRL are refused, src/ca/types.ts) and
//     certificate rows are never deleted, so the set of revoked certificates only grows;
//   - hence the number of revoked rows changes exactly when the set does.
// The set is read once; afterwards one COUNT over the partial index `ca_certificates_revoked` per
// `maxAgeMs` tells whether to read it again. Revocations committed through this process are added at
// once (the CA service calls `add`); those of another process or instance are seen within `maxAgeMs`
// (`trustCacheMaxAgeMs`, default 1000 ms). Beyond `maxEntries` revoked certificates the set is not
// kept (memory stays bounded) and every question is one query, as with `maxAgeMs` 0.
//
// A set read from the database is merged with what is known (never replaced): a revocation added
// here while a read was in flight cannot be lost, and an entry is never wrong once true.

/** What the set reads (SqlCaRepository). Serials are lower-case hex without leading zeros. */
export interface RevokedSource {
  revokedCount(): Promise<number>;
  revokedSerials(): Promise<readonly { readonly issuerCaId: string; readonly serialHex: string }[]>;
  /** One certificate, for the modes without a set. */
  isRevoked(issuerCaId: string, serialHex: string): Promise<boolean>;
}

export interface RevokedSetOptions {
  readonly source: RevokedSource;
  readonly clock: { now(): Date };
  /** How long a check of the count serves, in ms; 0 = a query per question. */
  readonly maxAgeMs: number;
  /** Largest set kept in memory. */
  readonly maxEntries?: number;
}

export const DEFAULT_MAX_REVOKED_ENTRIES = 100_000;

const keyOf = (issuerCaId: string, serialHex: string) => `${issuerCaId}/${serialHex}`;

export class RevokedCertificateSet {
  readonly #source: RevokedSource;
  readonly #clock: { now(): Date };
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;
  readonly #revoked = new Set<string>();
  /** The revoked count the set was last read at; -1: never read. */
  #count = -1;
  /** Clock ms of the last count check (taken before the query). */
  #checkedAt = Number.NEGATIVE_INFINITY;
  /** Too many revoked certificates to keep: every question is a query. */
  #tooMany = false;
  /** The refresh in flight: concurrent questions share one COUNT (and one read). */
  #refreshing: Promise<void> | undefined;

  constructor(options: RevokedSetOptions) {
    const { maxAgeMs } = options;
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_REVOKED_ENTRIES;
    if (!Number.isInteger(maxAgeMs) || maxAgeMs < 0) throw new RangeError('maxAgeMs must be an integer ≥ 0');
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError('maxEntries must be an integer ≥ 1');
    this.#source = options.source;
    this.#clock = options.clock;
    this.#maxAgeMs = maxAgeMs;
    this.#maxEntries = maxEntries;
  }

  /** Whether the certificate `serialHex` of the CA `issuerCaId` is revoked (serial canonical hex). */
  async isRevoked(issuerCaId: string, serialHex: string): Promise<boolean> {
    const key = keyOf(issuerCaId, serialHex);
    // Once revoked, always revoked: no freshness needed for a hit.
    if (this.#revoked.has(key)) return true;
    if (this.#maxAgeMs === 0 || this.#tooMany) return this.#source.isRevoked(issuerCaId, serialHex);
    const now = this.#clock.now().getTime();
    if (!(now >= this.#checkedAt && now - this.#checkedAt < this.#maxAgeMs)) {
      this.#refreshing ??= this.#refresh(now).finally(() => {
        this.#refreshing = undefined;
      });
      await this.#refreshing;
      if (this.#tooMany) return this.#source.isRevoked(issuerCaId, serialHex);
    }
    return this.#revoked.has(key);
  }

  /** A revocation committed through this process (CertificateAuthorityService). */
  add(issuerCaId: string, serialHex: string): void {
    if (this.#tooMany) return;
    this.#revoked.add(keyOf(issuerCaId, serialHex));
  }

  /** Certificates known revoked (for tests). */
  get size(): number {
    return this.#revoked.size;
  }

  async #refresh(now: number): Promise<void> {
    const count = await this.#source.revokedCount();
    if (count !== this.#count) {
      if (count > this.#maxEntries) {
        this.#tooMany = true;
        this.#revoked.clear();
        this.#count = count;
        return;
      }
      for (const { issuerCaId, serialHex } of await this.#source.revokedSerials()) {
        this.#revoked.add(keyOf(issuerCaId, serialHex));
      }
      this.#count = count;
    }
    this.#checkedAt = now;
  }
}
