// The database of a data directory as the server sees it: opened from the configuration and migrated
// with the one migration list. For CLI commands that work on the data directory directly (pnc clients),
// with or without a running server (docs/storage.md: SQLite in WAL mode allows a second process).

import { migrate } from '../storage/migrate.ts';
import { openDatabase, type StorageConfig, type StorageLogger } from '../storage/open-database.ts';
import type { Database } from '../storage/types.ts';
import { componentMigrations } from './migrations.ts';
import type { Clock } from './runtime.ts';

export async function openMigratedDatabase(
  config: StorageConfig,
  deps: { readonly clock: Clock; readonly logger: StorageLogger },
): Promise<Database> {
  const db = await openDatabase(config, { logger: deps.logger });
  try {
    await migrate(db, componentMigrations, deps.clock);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
