// A cheap "has anyone else committed?" for caches that must see other processes' changes.
//
// SQLite: `PRAGMA data_version` of the read connection changes whenever another connection (this
// process's writer, or another process such as `pnc pki revoke` or `pnc clients revoke`) has
// committed since this connection last looked (sqlite.org/pragma.html#pragma_data_version); one read
// of the WAL index, no table access. PostgreSQL has no equivalent cheaper than the queries it would
// save: undefined, and the caller bounds the age of what it keeps instead (D-091, D-175).

import type { Database } from './types.ts';

/** The commit marker of the database, or undefined where there is none (PostgreSQL). */
export async function commitMarker(db: Pick<Database, 'query' | 'dialect'>): Promise<number | undefined> {
  if (db.dialect !== 'sqlite') return undefined;
  const rows = await db.query<{ data_version: number | bigint }>('PRAGMA data_version');
  const value = rows[0]?.data_version;
  return value === undefined ? undefined : Number(value);
}

/** How long one read of the marker serves later questions, in ms (one read per millisecond). */
export const MARKER_REUSE_MS = 1;

/**
 * Watches a commit marker for a cache: `changed(now)` reads it at most once per MARKER_REUSE_MS and
 * says whether it moved since the last read, so a cache drops what it holds when another process
 * committed; `fresh(now)` says whether the last read is recent enough to answer without any await.
 * A marker that is always undefined (PostgreSQL) never changes.
 */
export class CommitWatch {
  readonly #read: () => Promise<number | undefined>;
  #marker: number | undefined;
  /** When the marker was read last (clock ms); never yet: −∞. */
  #readAt = Number.NEGATIVE_INFINITY;

  constructor(read: () => Promise<number | undefined>) {
    this.#read = read;
  }

  /** The marker was read within MARKER_REUSE_MS before `now` (clock ms). */
  fresh(now: number): boolean {
    return now >= this.#readAt && now - this.#readAt < MARKER_REUSE_MS;
  }

  /**
   * Reads the marker unless fresh; true when it differs from the one read before. The read time is
   * taken before the read, so that what the caller reads afterwards is never older than the marker.
   */
  async changed(now: number): Promise<boolean> {
    if (this.fresh(now)) return false;
    this.#readAt = now;
    const marker = await this.#read();
    if (marker === this.#marker) return false;
    this.#marker = marker;
    return true;
  }
}
