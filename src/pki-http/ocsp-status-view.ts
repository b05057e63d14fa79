// The OCSP responder's in-memory view of certificate statuses (D-091; docs/pki-http.md).
//
// Before, every OCSP request read the status of its serial from the database (one indexed query,
// ~15-20 µs of a ~100 µs request on the embedded SQLite). The view keeps what it read and answers
// from memory while it is provably or boundedly current:
//   - revocations made through this process (the CA service's onRevoked, the revocation API) drop
//     the certificate's entry at once;
//   - where the database offers a cheap change marker (embedded SQLite: PRAGMA data_version, which
//     changes with every commit of any other connection or process, e.g. `pnc pki revoke`), it is
//     read before answering, and every entry read before a change is dropped. One read serves the
//     requests of one millisecond (MARKER_REUSE_MS; ~3 µs per read, a tenth of what a pre-signed
//     answer costs otherwise): another process's revocation is answered by every request that starts
//     more than a millisecond after its commit;
//   - no entry is used longer than `maxAgeMs` after it was read (`ocspStatusMaxAgeMs`, default
//     1000 ms). On PostgreSQL, which has no such marker, this is the bound within which another
//     instance's or process's revocation becomes visible. 0 turns the view off (one query per
//     CertID per request, the behaviour before D-091).
// Entries are bounded (oldest dropped first). The clock is injected.

import type { CertificateAuthorityService, RevocationStatus } from '../ca/index.ts';
import type { OcspCertStatus } from '../pki/ocsp/index.ts';
import { CommitWatch } from '../storage/change-marker.ts';

/** A certificate's status as the responder states it. */
export interface StatusEntry {
  readonly status: OcspCertStatus;
  /**
   * The status as text ('good', 'unknown', 'revoked:<ms>:<reason>'), compared with what a
   * pre-signed response states.
   */
  readonly fingerprint: string;
}

interface Slot extends StatusEntry {
  /** When the status was read (epoch ms, the clock before the read). */
  readonly readAt: number;
}

export interface OcspStatusViewDeps {
  readonly ca: Pick<CertificateAuthorityService, 'revocationStatus' | 'statusChangeMarker'>;
  readonly clock: { now(): Date };
  /** Longest use of a status read from the database, in ms; 0 = never reuse. */
  readonly maxAgeMs: number;
  /** Bound on remembered statuses. */
  readonly maxEntries: number;
}

/** How long one read of the change marker serves later requests (see the header). */
export { MARKER_REUSE_MS } from '../storage/change-marker.ts';

const UNKNOWN: StatusEntry = Object.freeze({ status: 'unknown', fingerprint: 'unknown' });
const GOOD: StatusEntry = Object.freeze({ status: 'good', fingerprint: 'good' });

export function statusEntryOf(status: RevocationStatus): StatusEntry {
  if (status.status === 'good') return GOOD;
  if (status.status === 'revoked') {
    // RFC 5280 §5.3.1 (referenced by RFC 6960 §4.2.1): unspecified SHOULD be absent rather than 0.
    const reason = status.reason === 0 ? undefined : status.reason;
    return {
      status: { revoked: { time: status.revokedAt, ...(reason === undefined ? {} : { reason }) } },
      fingerprint: `revoked:${status.revokedAt.getTime()}:${reason ?? ''}`,
    };
  }
  return UNKNOWN;
}

/** The view's key of a certificate: CA id and serial (lower-case hex without leading zeros). */
export function statusKeyOf(caId: string, serial: bigint | string): string {
  return keyOf(caId, serial);
}

function keyOf(caId: string, serial: bigint | string): string {
  return `${caId}/${typeof serial === 'bigint' ? serial.toString(16) : serial}`;
}

export class OcspStatusView {
  readonly #ca: OcspStatusViewDeps['ca'];
  readonly #clock: { now(): Date };
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Slot>();
  /** The CA's change marker, read at most once per MARKER_REUSE_MS. */
  readonly #commits: CommitWatch;
  /**
   * Counts marker changes and invalidations: a status read that started before one of them may
   * predate the change, so it is returned to its request but not remembered.
   */
  #generation = 0;

  constructor(deps: OcspStatusViewDeps) {
    const { maxAgeMs, maxEntries } = deps;
    if (!Number.isInteger(maxAgeMs) || maxAgeMs < 0) throw new RangeError('maxAgeMs must be an integer ≥ 0');
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError('maxEntries must be an integer ≥ 1');
    this.#ca = deps.ca;
    const ca = deps.ca;
    this.#commits = new CommitWatch(() => ca.statusChangeMarker());
    this.#clock = deps.clock;
    this.#maxAgeMs = maxAgeMs;
    this.#maxEntries = maxEntries;
  }

  /** Number of remembered statuses (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The remembered status under a statusKeyOf key if it may be used at `now` (clock ms) without
   * any database read — the change marker was read within MARKER_REUSE_MS and the status within
   * maxAgeMs — else undefined (then ask statuses()). For the responder's synchronous fast path.
   */
  current(key: string, now: number): StatusEntry | undefined {
    if (this.#maxAgeMs === 0 || !this.#commits.fresh(now)) return undefined;
    const slot = this.#entries.get(key);
    return slot !== undefined && now - slot.readAt < this.#maxAgeMs && now >= slot.readAt ? slot : undefined;
  }

  /**
   * The statuses of serials of one CA, in order. Serials ≤ 0 are 'unknown' without a lookup
   * (RFC 5280 §4.1.2.2: serials are positive, so none was issued here).
   */
  async statuses(caId: string, serials: readonly bigint[]): Promise<StatusEntry[]> {
    const now = this.#clock.now().getTime();
    // Read before any status, so that a status read below is never older than the marker.
    if (this.#maxAgeMs > 0 && (await this.#commits.changed(now))) {
      this.#entries.clear();
      this.#generation++;
    }
    const generation = this.#generation;
    const out: StatusEntry[] = [];
    for (const serial of serials) {
      if (serial <= 0n) {
        out.push(UNKNOWN);
        continue;
      }
      const key = keyOf(caId, serial);
      const slot = this.#entries.get(key);
      if (slot !== undefined && now - slot.readAt < this.#maxAgeMs && now >= slot.readAt) {
        out.push(slot);
        continue;
      }
      const entry = statusEntryOf(await this.#ca.revocationStatus(caId, serial));
      if (this.#maxAgeMs > 0 && generation === this.#generation)
        this.#remember(key, { ...entry, readAt: now });
      out.push(entry);
    }
    return out;
  }

  /** Drops what is known of one certificate (serial as bigint or lower-case hex without leading zeros). */
  invalidate(caId: string, serial: bigint | string): void {
    this.#entries.delete(keyOf(caId, serial));
    this.#generation++;
  }

  #remember(key: string, slot: Slot): void {
    this.#entries.delete(key); // re-insert at the end: eviction drops the oldest read first
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, slot);
  }
}
