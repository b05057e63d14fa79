// Embedded adapter: node:sqlite (SQLite bundled with Node.js 24), one file in the data directory.
//
// node:sqlite is synchronous and a connection has one transaction at a time, so:
// - write transactions run one after the other behind a FIFO mutex, each `BEGIN IMMEDIATE` (takes the
//   write lock at once, so two read-modify-write transactions can never interleave: serializable);
// - Database.query uses a second, read-only connection, which in WAL mode reads the last committed
//   state without waiting for a running write transaction (same visibility as PostgreSQL).
// Another process (a `pnc` CLI command next to `pnc serve`) waits up to BUSY_TIMEOUT_MS for the write
// lock, then fails with `storage.busy`.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { appError } from '../errors/catalogue.ts';
import { mapDriverError } from './driver-errors.ts';
import { Mutex } from './mutex.ts';
import {
  checkParamCount,
  normalizeInteger,
  normalizeParams,
  type TranslatedSql,
  translateForSqlite,
} from './sql.ts';
import type { Database, Row, ScriptTx, SqlResultValue, SqlValue, Tx } from './types.ts';

/** How long a connection waits for another process's write lock (PRAGMA busy_timeout). */
export const BUSY_TIMEOUT_MS = 5000;
const STATEMENT_CACHE_SIZE = 256;

interface CachedStatement {
  readonly statement: StatementSync;
  readonly translated: TranslatedSql;
}

/** Prepared statements by SQL text, least recently used dropped first. */
class StatementCache {
  readonly #db: DatabaseSync;
  readonly #entries = new Map<string, CachedStatement>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(sql: string): CachedStatement {
    const hit = this.#entries.get(sql);
    if (hit !== undefined) {
      this.#entries.delete(sql);
      this.#entries.set(sql, hit);
      return hit;
    }
    const translated = translateForSqlite(sql);
    let statement: StatementSync;
    try {
      statement = this.#db.prepare(translated.text);
    } catch (error) {
      throw mapDriverError(error);
    }
    statement.setReadBigInts(true);
    const entry = { statement, translated };
    this.#entries.set(sql, entry);
    if (this.#entries.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return entry;
  }
}

function normalizeRow(row: Record<string, unknown>): Row {
  // node:sqlite rows have a null prototype; integers are bigint (setReadBigInts) and become numbers
  // when safe, so that both backends return the same values.
  const out: Row = {};
  for (const key of Object.keys(row)) {
    const value = row[key];
    out[key] = typeof value === 'bigint' ? normalizeInteger(value) : (value as SqlResultValue);
  }
  return out;
}

function run<T>(
  cache: StatementCache,
  sql: string,
  params: readonly SqlValue[],
  use: (s: StatementSync, v: never[]) => T,
): T {
  const { statement, translated } = cache.get(sql);
  checkParamCount(translated, params.length);
  const values = normalizeParams(params);
  try {
    return use(statement, values as never[]);
  } catch (error) {
    throw mapDriverError(error);
  }
}

function queryRows<R>(cache: StatementCache, sql: string, params: readonly SqlValue[]): R[] {
  const rows = run(cache, sql, params, (s, v) => s.all(...v));
  return rows.map((row) => normalizeRow(row as Record<string, unknown>) as R);
}

interface TxState {
  active: boolean;
}

class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  readonly #writer: DatabaseSync;
  readonly #reader: DatabaseSync;
  readonly #writes: StatementCache;
  readonly #reads: StatementCache;
  readonly #mutex = new Mutex();
  readonly #current = new AsyncLocalStorage<TxState>();
  #closed = false;

  constructor(writer: DatabaseSync, reader: DatabaseSync) {
    this.#writer = writer;
    this.#reader = reader;
    this.#writes = new StatementCache(writer);
    this.#reads = new StatementCache(reader);
  }

  #assertOpen(): void {
    if (this.#closed) throw appError('storage.unavailable', 'the database is closed');
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.#assertOpen();
    if (this.#current.getStore() !== undefined) {
      throw new Error('transactions do not nest: transaction() was called inside a transaction callback');
    }
    return this.#mutex.run(async () => {
      this.#assertOpen();
      const writer = this.#writer;
      try {
        writer.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw mapDriverError(error);
      }
      const state: TxState = { active: true };
      const assertActive = () => {
        if (!state.active)
          throw new Error('the transaction has already ended; use tx only inside its callback');
      };
      const tx: ScriptTx = {
        query: async <R>(sql: string, params: readonly SqlValue[] = []) => {
          assertActive();
          return queryRows<R>(this.#writes, sql, params);
        },
        execute: async (sql, params = []) => {
          assertActive();
          const result = run(this.#writes, sql, params, (s, v) => s.run(...v));
          return { changes: Number(result.changes) };
        },
        executeScript: async (sql) => {
          assertActive();
          try {
            writer.exec(sql);
          } catch (error) {
            throw mapDriverError(error);
          }
        },
      };
      try {
        const result = await this.#current.run(state, () => fn(tx));
        state.active = false;
        writer.exec('COMMIT');
        return result;
      } catch (error) {
        state.active = false;
        // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL); only roll back what
        // is still open.
        if (writer.isTransaction) writer.exec('ROLLBACK');
        throw mapDriverError(error);
      }
    });
  }

  async query<R extends object = Row>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    this.#assertOpen();
    return queryRows<R>(this.#reads, sql, params);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // Let queued and running transactions finish first.
    await this.#mutex.run(async () => {
      if (this.#closed) return;
      this.#closed = true;
      this.#reader.close();
      this.#writer.close();
    });
  }
}

/**
 * Opens (creating if needed) the SQLite database file. The directory must exist. Throws
 * `storage.unavailable` when the file cannot be opened or configured.
 */
export async function openSqliteDatabase(path: string): Promise<Database> {
  // Imported here, not at module load: nothing happens at import (architecture-practices §3.15), and a
  // PostgreSQL deployment never loads node:sqlite.
  const { DatabaseSync } = await import('node:sqlite');
  let writer: DatabaseSync | undefined;
  let reader: DatabaseSync | undefined;
  try {
    writer = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
    // WAL: readers never block the writer and see only committed data. synchronous=FULL: a commit is
    // on disk when COMMIT returns (WAL + NORMAL could lose the last transactions on power loss, e.g.
    // the record of an issued certificate).
    writer.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
    reader = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS, readOnly: true });
    reader.exec('PRAGMA query_only = ON;');
  } catch (error) {
    reader?.close();
    writer?.close();
    const reason = (error as Error).message;
    throw appError('storage.unavailable', `cannot open the SQLite database ${path}: ${reason}`, {
      cause: error,
    });
  }
  return new SqliteDatabase(writer, reader);
}
