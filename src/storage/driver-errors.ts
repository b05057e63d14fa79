// Recognising driver errors by their documented codes, the same way on both backends, so that
// repositories can turn a constraint violation into their own AppError (e.g. `Conflict`) without
// knowing which database runs. SQLite: extended result codes (https://sqlite.org/rescode.html), as
// node:sqlite exposes them in `errcode`; PostgreSQL: SQLSTATE (PostgreSQL docs, Appendix A).

import { isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CONSTRAINT_FOREIGNKEY = 787;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

function sqliteCode(e: unknown): number | undefined {
  const candidate = e as { code?: unknown; errcode?: unknown } | null;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  return candidate.code === 'ERR_SQLITE_ERROR' && typeof candidate.errcode === 'number'
    ? candidate.errcode
    : undefined;
}

function pgCode(e: unknown): string | undefined {
  const candidate = e as { code?: unknown; severity?: unknown } | null;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  // pg's DatabaseError carries `severity`; network errors have Node error codes (ECONNREFUSED).
  return typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)
    ? candidate.code
    : undefined;
}

/** A UNIQUE or PRIMARY KEY constraint refused the row. */
export function isUniqueViolation(e: unknown): boolean {
  const s = sqliteCode(e);
  if (s !== undefined) return s === SQLITE_CONSTRAINT_UNIQUE || s === SQLITE_CONSTRAINT_PRIMARYKEY;
  return pgCode(e) === '23505';
}

/** A FOREIGN KEY constraint refused the change. */
export function isForeignKeyViolation(e: unknown): boolean {
  const s = sqliteCode(e);
  if (s !== undefined) return s === SQLITE_CONSTRAINT_FOREIGNKEY;
  return pgCode(e) === '23503';
}

/** SQLite lock wait timed out (another process holds the write lock). */
export function isSqliteBusy(e: unknown): boolean {
  const s = sqliteCode(e);
  return s !== undefined && ((s & 0xff) === SQLITE_BUSY || (s & 0xff) === SQLITE_LOCKED);
}

/** PostgreSQL asks to retry the transaction: serialization_failure or deadlock_detected. */
export function isPgRetryable(e: unknown): boolean {
  const code = pgCode(e);
  return code === '40001' || code === '40P01';
}

const PG_UNAVAILABLE_CLASSES = ['08', '53', '57', '28', '3D'];
const NODE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * PostgreSQL cannot be used right now: connection failure, server shutting down, too many
 * connections, authentication failure, missing database.
 */
export function isPgUnavailable(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && NODE_NETWORK_CODES.has(code)) return true;
  const sqlstate = pgCode(e);
  if (sqlstate !== undefined) return PG_UNAVAILABLE_CLASSES.some((c) => sqlstate.startsWith(c));
  const message = (e as { message?: unknown }).message;
  // pg reports a lost connection or a pool timeout as a plain Error without a code.
  return (
    typeof message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(
      message,
    )
  );
}

/**
 * Turns "the database is unavailable" driver errors into AppError `storage.unavailable` (HTTP 503),
 * keeping the driver error as cause for the logs. Other errors (SQL mistakes, constraint violations)
 * pass through unchanged: they are bugs or for the repository to interpret.
 */
export function mapDriverError(e: unknown): unknown {
  if (isAppError(e)) return e;
  if (isPgUnavailable(e)) {
    // Driver messages name host, user or database, never the password; the HTTP edge shows clients
    // only a generic text for this 503 anyway.
    const message = (e as { message?: unknown }).message;
    return appError('storage.unavailable', `PostgreSQL is unavailable: ${String(message)}`, { cause: e });
  }
  if (isSqliteBusy(e)) {
    return appError('storage.busy', 'the SQLite database is locked by another connection', { cause: e });
  }
  return e;
}
