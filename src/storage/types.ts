// The storage port: a small SQL interface that each component uses to build its own repository
// (architecture-practices §3.4: the component owns its repository interface and its SQL; this folder
// owns the connection, transactions, value conversion and migrations). Two adapters implement it:
// embedded node:sqlite (default) and PostgreSQL (DATABASE_URL). docs/storage.md is the guide.
//
// The same SQL text runs on both backends, so the rules below are part of the contract and are
// checked by storage.contract.test.ts against both:
//
// - Placeholders are PostgreSQL style, `$1`, `$2`, ... (a number may repeat); the SQLite adapter
//   rewrites them to `?1`, `?2`. Every number from 1 to params.length must be used. One statement per
//   call.
// - Parameter values: string (well-formed Unicode, no U+0000), number (finite), bigint (signed 64-bit),
//   boolean (stored as 1 / 0), Uint8Array (BLOB / bytea), null. Anything else, Date included, is
//   rejected with a TypeError: times are stored as epoch milliseconds (INTEGER / BIGINT).
// - Result values: integers come back as `number` when they are safe integers and as `bigint` beyond
//   2^53 - 1 (on both backends, whatever the declared column type); booleans as 1 / 0; BLOB / bytea as
//   a plain Uint8Array; text as string; NULL as null. Column names are lower-case snake_case (PostgreSQL
//   folds unquoted names), rows are plain objects.

export type Dialect = 'sqlite' | 'postgres';

/** A value that may be bound to a placeholder. */
export type SqlValue = string | number | bigint | boolean | Uint8Array | null;

/** A value as read back from a row (booleans come back as 1 / 0). */
export type SqlResultValue = string | number | bigint | Uint8Array | null;

export type Row = Record<string, SqlResultValue>;

/** The statements available inside a transaction. */
export interface Tx {
  /** Runs one statement and returns its rows (SELECT, or INSERT/UPDATE/DELETE ... RETURNING). */
  query<R extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  /** Runs one statement and returns how many rows it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

export interface Database {
  readonly dialect: Dialect;
  /**
   * Runs fn in one transaction: committed when fn resolves, rolled back entirely when it throws (the
   * error is rethrown). "Every change in one transaction" (issue 3): a component never writes outside
   * this. The transaction is serializable on both backends (SQLite: one writer at a time; PostgreSQL:
   * SERIALIZABLE), and on PostgreSQL fn is run again on a serialization failure, so fn must have no
   * effect outside tx (no HTTP calls, no signing with side effects, no counters in memory).
   * Transactions do not nest: calling transaction() from inside fn throws.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** One read-only statement outside any transaction; sees committed data only. */
  query<R extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  /** Waits for running transactions, then closes the connections. Idempotent. */
  close(): Promise<void>;
}

/** One migration of one component: the same change written for each dialect. */
export interface Migration {
  /** Positive integer, strictly increasing within the component; never renumbered once released. */
  readonly id: number;
  /** Short description, e.g. `create certificates`. */
  readonly name: string;
  /** SQL script for SQLite (may hold several statements, no parameters). */
  readonly sqlite: string;
  /** SQL script for PostgreSQL (may hold several statements, no parameters). */
  readonly postgres: string;
}

export interface MigrationRegistration {
  /** Component name, lower-case (`ca`, `pools`, ...); also a good table-name prefix. */
  readonly component: string;
  readonly migrations: readonly Migration[];
}

/**
 * What the adapters actually pass to transaction callbacks: Tx plus multi-statement scripts without
 * parameters. Only migrate() uses executeScript; components write one statement per call.
 */
export interface ScriptTx extends Tx {
  executeScript(sql: string): Promise<void>;
}
