// PostgreSQL adapter (DATABASE_URL), on the `pg` driver's connection pool.
//
// Transactions run on one pooled client at isolation level SERIALIZABLE, so that a repository's
// read-modify-write gives the same guarantee as on SQLite (where writers are serialized): no lost
// updates, no write skew. PostgreSQL may then abort a transaction with serialization_failure (40001)
// or deadlock_detected (40P01); the whole callback is run again, up to maxAttempts times, then
// `storage.busy` is thrown (docs/storage.md). Result values are normalised by per-pool type parsers
// (never the driver's global ones), following the rules in ./types.ts.

import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CustomTypesConfig, Pool, PoolClient, QueryConfig } from 'pg';
import { appError } from '../errors/catalogue.ts';
import { isPgRetryable, mapDriverError } from './driver-errors.ts';
import { normalizeParams, parseIntegerText } from './sql.ts';
import type { Database, Row, ScriptTx, SqlValue, Tx } from './types.ts';

export interface PostgresOptions {
  readonly url: string;
  readonly poolMax: number;
  /** Attempts of a transaction callback when PostgreSQL reports a serialization failure (default 10). */
  readonly maxAttempts?: number;
  /** Errors of idle pooled connections (e.g. the server restarted); they are dropped and replaced. */
  readonly onIdleError: (error: unknown) => void;
}

export const DEFAULT_MAX_ATTEMPTS = 10;

// Type OIDs (pg_type.oid, stable across PostgreSQL versions).
const OID_BOOL = 16;
const OID_BYTEA = 17;
const OID_INT8 = 20;
const OID_NUMERIC = 1700;

type TextParser = (value: string) => unknown;

function typeParsers(defaults: (oid: number, format?: string) => TextParser): CustomTypesConfig {
  const parseBytea = defaults(OID_BYTEA);
  const getTypeParser = (oid: number, format?: string): TextParser => {
    if (format === 'binary') return defaults(oid, format);
    switch (oid) {
      case OID_BOOL:
        return (value) => (value === 't' ? 1 : 0);
      case OID_INT8:
        return parseIntegerText;
      case OID_NUMERIC:
        // COUNT / SUM / AVG results: integral values follow the integer rule, others become numbers
        // (as SQLite's REAL would).
        return (value) => (/^-?[0-9]+$/.test(value) ? parseIntegerText(value) : Number(value));
      case OID_BYTEA:
        // A copy as a plain Uint8Array: the driver's Buffer may share a pooled ArrayBuffer.
        return (value) => new Uint8Array(parseBytea(value) as Uint8Array);
      default:
        return defaults(oid, format);
    }
  };
  return { getTypeParser } as unknown as CustomTypesConfig;
}

interface TxState {
  active: boolean;
}

/** Follows `cause` a few levels: a repository may wrap the driver error in its own AppError. */
function isRetryable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if (isPgRetryable(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Backoff before attempt n + 1: 5, 10, 20, ... ms, at most 200 ms. */
function backoffMs(attempt: number): number {
  return Math.min(200, 5 * 2 ** (attempt - 1));
}

class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  readonly #pool: Pool;
  readonly #maxAttempts: number;
  readonly #current = new AsyncLocalStorage<TxState>();
  /** Pooled connections whose session defaults to read-only transactions (query()). */
  readonly #readOnlySessions = new WeakSet<PoolClient>();
  readonly #statements = new StatementNames();
  #closed = false;

  constructor(pool: Pool, maxAttempts: number) {
    this.#pool = pool;
    this.#maxAttempts = maxAttempts;
  }

  async #connect(): Promise<PoolClient> {
    if (this.#closed) throw appError('storage.unavailable', 'the database is closed');
    try {
      return await this.#pool.connect();
    } catch (error) {
      const mapped = mapDriverError(error);
      if (mapped !== error) throw mapped;
      throw appError('storage.unavailable', `cannot connect to PostgreSQL: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.#current.getStore() !== undefined) {
      throw new Error('transactions do not nest: transaction() was called inside a transaction callback');
    }
    for (let attempt = 1; ; attempt++) {
      const client = await this.#connect();
      const state: TxState = { active: true };
      try {
        // READ WRITE explicitly: pooled sessions default to read-only (see query()).
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE READ WRITE');
        const result = await this.#current.run(state, () => fn(this.#tx(client, state)));
        state.active = false;
        // COMMIT itself may fail with 40001 under SERIALIZABLE: handled like any other failure below.
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        state.active = false;
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch (rollbackError) {
          // The connection is broken: destroy it instead of returning it to the pool.
          client.release(rollbackError as Error);
        }
        if (isRetryable(error)) {
          if (attempt < this.#maxAttempts) {
            await sleep(backoffMs(attempt));
            continue;
          }
          throw appError(
            'storage.busy',
            `transaction aborted by concurrent transactions ${attempt} times (serialization failure)`,
            { cause: error },
          );
        }
        throw mapDriverError(error);
      }
    }
  }

  #tx(client: PoolClient, state: TxState): ScriptTx {
    const assertActive = () => {
      if (!state.active)
        throw new Error('the transaction has already ended; use tx only inside its callback');
    };
    return {
      query: async <R>(sql: string, params: readonly SqlValue[] = []) => {
        assertActive();
        const result = await client.query(this.#extended(sql, params));
        return result.rows as R[];
      },
      execute: async (sql, params = []) => {
        assertActive();
        const result = await client.query(this.#extended(sql, params));
        return { changes: result.rowCount ?? 0 };
      },
      executeScript: async (sql) => {
        assertActive();
        // No parameters: the simple query protocol, which accepts several statements.
        await client.query(sql);
      },
    };
  }

  async query<R extends object = Row>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    const client = await this.#connect();
    try {
      // Read-only like the SQLite reader connection: a write fails (25006 read_only_sql_transaction).
      // One round trip (D-172): the statement runs as its own transaction in a session whose
      // default_transaction_read_only is on (set once per pooled connection, before its first read),
      // instead of BEGIN READ ONLY / statement / COMMIT.
      if (!this.#readOnlySessions.has(client)) {
        await client.query('SET default_transaction_read_only = on');
        this.#readOnlySessions.add(client);
      }
      const result = await client.query(this.#extended(sql, params));
      client.release();
      return result.rows as R[];
    } catch (error) {
      try {
        // A failed statement leaves no transaction open; ROLLBACK only proves the connection works.
        await client.query('ROLLBACK');
        client.release();
      } catch (rollbackError) {
        client.release(rollbackError as Error);
      }
      throw mapDriverError(error);
    }
  }

  /**
   * One statement on the extended protocol, even without parameters: PostgreSQL then rejects a
   * second statement, as the SQLite adapter does. The parameter count is checked by the server (and
   * by checkParamCount on SQLite), values by normalizeParams on both. Named (a prepared statement per
   * connection, D-174) while the statement budget lasts.
   */
  #extended(sql: string, params: readonly SqlValue[]): QueryConfig {
    const values = normalizeParams(params).map((v) => (typeof v === 'bigint' ? v.toString() : v));
    const name = this.#statements.nameOf(sql);
    // queryMode is a driver option its type declarations lack.
    const config = { text: sql, values, queryMode: 'extended' } as QueryConfig;
    if (name !== undefined) config.name = name;
    return config;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Ends idle clients now and the others when they are released.
    await this.#pool.end();
  }
}

/** Distinct statement texts that get a prepared statement; later ones run unnamed (D-174). */
export const MAX_NAMED_STATEMENTS = 1000;

/**
 * Names of prepared statements (D-174). Every repository sends a fixed set of SQL texts, so each
 * connection prepares each text once (the driver sends Parse only the first time a name is used on a
 * connection) and PostgreSQL skips parsing and planning afterwards: measured on the CCP installation
 * request, half of the server's CPU per request. The name is derived from the text, so one text always
 * has one name on every connection and two texts never share one. Texts beyond the budget (SQL
 * built with a variable number of placeholders, for instance) run unnamed, so the server's memory per
 * connection stays bounded.
 */
class StatementNames {
  readonly #names = new Map<string, string>();

  nameOf(sql: string): string | undefined {
    const known = this.#names.get(sql);
    if (known !== undefined || this.#names.size >= MAX_NAMED_STATEMENTS) return known;
    const name = `pnc_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
    this.#names.set(sql, name);
    return name;
  }
}

/** Connects a pool and checks the server answers. Throws `storage.unavailable` when it does not. */
export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  // Imported here so that nothing is loaded at import time and SQLite deployments never load pg.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    application_name: 'pnc',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    types: typeParsers(pg.types.getTypeParser as (oid: number, format?: string) => TextParser),
  });
  // Without a listener an error of an idle client (server restart) would crash the process.
  pool.on('error', (error) => options.onIdleError(error));
  const db = new PostgresDatabase(pool, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  try {
    await db.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return db;
}
