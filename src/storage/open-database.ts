// Chooses and opens the backend from the configuration: PostgreSQL when DATABASE_URL is set, else the
// embedded SQLite file <dataDir>/pnc.sqlite (issue 3).

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfig } from '../config/fields.ts';
import { maskSecret } from '../config/load-config.ts';
import { appError } from '../errors/catalogue.ts';
import { openPostgresDatabase } from './postgres-database.ts';
import { openSqliteDatabase } from './sqlite-database.ts';
import type { Database } from './types.ts';

export const SQLITE_FILE_NAME = 'pnc.sqlite';

export type StorageConfig = Pick<AppConfig, 'dataDir' | 'databaseUrl' | 'dbPoolMax'>;

export interface StorageLogger {
  warn(details: object, message: string): void;
}

export interface OpenDatabaseDeps {
  /** Receives errors of idle PostgreSQL connections (logged; the pool replaces the connection). */
  readonly logger: StorageLogger;
}

/** Where the data lives, for logs and `--print-config`: the SQLite path or the URL without password. */
export function describeDatabase(config: StorageConfig): string {
  return config.databaseUrl === undefined
    ? `sqlite:${join(config.dataDir, SQLITE_FILE_NAME)}`
    : maskSecret(config.databaseUrl);
}

/**
 * Opens the configured database. SQLite: creates the data directory (mode 0700: it will also hold
 * key material) and the file. Throws AppError `storage.unavailable` when that fails or PostgreSQL
 * cannot be reached.
 */
export async function openDatabase(config: StorageConfig, deps: OpenDatabaseDeps): Promise<Database> {
  if (config.databaseUrl !== undefined) {
    return openPostgresDatabase({
      url: config.databaseUrl,
      poolMax: config.dbPoolMax,
      onIdleError: (error) =>
        deps.logger.warn({ err: error }, 'idle PostgreSQL connection failed; the pool replaces it'),
    });
  }
  try {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw appError('storage.unavailable', `cannot create the data directory ${config.dataDir}: ${code}`, {
      cause: error,
    });
  }
  return openSqliteDatabase(join(config.dataDir, SQLITE_FILE_NAME));
}
