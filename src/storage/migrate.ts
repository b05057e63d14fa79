// Schema migrations. Each component registers its ordered migrations (one SQL script per dialect);
// the composition root passes the list of all registrations (src/app/migrations.ts) to migrate() at
// start-up. Rules (docs/storage.md "Migrations"):
//
// - Table schema_migrations records (component, id, name, checksum, applied_at); checksum = SHA-256
//   of the script applied on this dialect.
// - Each pending migration runs in its own transaction together with its schema_migrations row: it
//   is applied entirely or not at all.
// - Refused before anything runs: a recorded migration the code does not know (the database was used
//   by a newer version: `storage.schema-too-new`), a recorded checksum that differs from the code, or a
//   pending migration older than an applied one of the same component (`storage.migration-mismatch`).
// - Safe when several processes start at once: on PostgreSQL a table lock serializes the migrators
//   and each re-checks under the lock; on SQLite, BEGIN IMMEDIATE does the same.

import { createHash } from 'node:crypto';
import { isAppError } from '../errors/app-error.ts';
import { appError } from '../errors/catalogue.ts';
import type { Database, Dialect, Migration, MigrationRegistration, ScriptTx, Tx } from './types.ts';

export const MIGRATIONS_TABLE = 'schema_migrations';

const CREATE_TABLE: Record<Dialect, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  component TEXT NOT NULL,
  id INTEGER NOT NULL,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at INTEGER NOT NULL,
  PRIMARY KEY (component, id)
) STRICT`,
  postgres: `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  component TEXT NOT NULL,
  id INTEGER NOT NULL,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (component, id)
)`,
};

// Arbitrary constant key for pg_advisory_xact_lock ("pnc-migr" in ASCII, as a signed 64-bit value).
const PG_LOCK_KEY = '8101520336734497394';

export interface AppliedMigration {
  readonly component: string;
  readonly id: number;
  readonly name: string;
}

export interface MigrationResult {
  /** Migrations applied by this call, in order (empty when the schema was up to date). */
  readonly applied: readonly AppliedMigration[];
}

interface RecordedRow {
  component: string;
  id: number;
  name: string;
  checksum: string;
}

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** Rejects registrations that are bugs (duplicate component, ids not strictly increasing, ...). */
export function validateRegistrations(registrations: readonly MigrationRegistration[]): void {
  const components = new Set<string>();
  for (const registration of registrations) {
    const { component } = registration;
    if (!/^[a-z][a-z0-9_-]{0,62}$/.test(component))
      throw new Error(`invalid migration component name '${component}'`);
    if (components.has(component)) throw new Error(`migrations of component '${component}' registered twice`);
    components.add(component);
    let previous = 0;
    for (const migration of registration.migrations) {
      if (!Number.isSafeInteger(migration.id) || migration.id <= previous) {
        throw new Error(
          `migration ids of '${component}' must be positive and strictly increasing (at ${migration.id})`,
        );
      }
      previous = migration.id;
      if (migration.name.trim() === '') throw new Error(`migration ${component}#${migration.id} has no name`);
      if (migration.sqlite.trim() === '' || migration.postgres.trim() === '') {
        throw new Error(`migration ${component}#${migration.id} needs SQL for both sqlite and postgres`);
      }
    }
  }
}

function asScriptTx(tx: Tx): ScriptTx {
  if (typeof (tx as Partial<ScriptTx>).executeScript !== 'function') {
    throw new Error('migrate() needs a Database opened by openDatabase()');
  }
  return tx as ScriptTx;
}

function label(component: string, migration: { id: number; name: string }): string {
  return `${component}#${migration.id} (${migration.name})`;
}

/** Checks the recorded migrations against the code; returns the pending ones in order. */
function plan(
  dialect: Dialect,
  registrations: readonly MigrationRegistration[],
  recorded: readonly RecordedRow[],
): { component: string; migration: Migration }[] {
  const known = new Map<string, Migration>();
  for (const { component, migrations } of registrations) {
    for (const migration of migrations) known.set(`${component}#${migration.id}`, migration);
  }
  const unknown = recorded.filter((row) => !known.has(`${row.component}#${row.id}`));
  if (unknown.length > 0) {
    const list = unknown.map((row) => label(row.component, row)).join(', ');
    throw appError(
      'storage.schema-too-new',
      `the database has migrations this version of pnc does not know: ${list}; it was used by a newer version`,
      { details: { migrations: unknown.map((row) => `${row.component}#${row.id}`) } },
    );
  }
  const applied = new Map<string, RecordedRow>();
  for (const row of recorded) applied.set(`${row.component}#${row.id}`, row);

  const pending: { component: string; migration: Migration }[] = [];
  for (const { component, migrations } of registrations) {
    let highestApplied = 0;
    for (const migration of migrations) {
      const row = applied.get(`${component}#${migration.id}`);
      if (row === undefined) continue;
      highestApplied = migration.id;
      if (row.checksum !== migrationChecksum(migration[dialect])) {
        throw appError(
          'storage.migration-mismatch',
          `migration ${label(component, migration)} was changed after it was applied (checksum differs); ` +
            'released migrations must never be edited: add a new one',
          { details: { component, id: migration.id } },
        );
      }
    }
    for (const migration of migrations) {
      if (applied.has(`${component}#${migration.id}`)) continue;
      if (migration.id < highestApplied) {
        throw appError(
          'storage.migration-mismatch',
          `migration ${label(component, migration)} is pending but ${component}#${highestApplied} is already ` +
            'applied; new migrations must get ids above every released one',
          { details: { component, id: migration.id } },
        );
      }
      pending.push({ component, migration });
    }
  }
  return pending;
}

async function readRecorded(tx: Tx): Promise<RecordedRow[]> {
  return tx.query<RecordedRow>(
    `SELECT component, id, name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY component, id`,
  );
}

/**
 * Applies every pending migration of the registered components, in list order (components) and id
 * order (within one). Returns what was applied.
 */
export async function migrate(
  db: Database,
  registrations: readonly MigrationRegistration[],
  clock: { now(): Date },
): Promise<MigrationResult> {
  validateRegistrations(registrations);
  const dialect = db.dialect;

  const recorded = await db.transaction(async (tx) => {
    // Serialize concurrent first-time CREATE TABLE IF NOT EXISTS on PostgreSQL (two sessions could
    // otherwise both try to create it). Catalog lookups are not bound to the transaction snapshot.
    if (dialect === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(${PG_LOCK_KEY})`);
    await tx.execute(CREATE_TABLE[dialect]);
    return readRecorded(tx);
  });
  // Refuse early, before changing anything, when the database and the code disagree.
  const pending = plan(dialect, registrations, recorded);

  const applied: AppliedMigration[] = [];
  for (const { component, migration } of pending) {
    const sql = migration[dialect];
    const checksum = migrationChecksum(sql);
    const ran = await db.transaction(async (tx) => {
      const scriptTx = asScriptTx(tx);
      if (dialect === 'postgres') {
        // First statement of the transaction, so the snapshot is taken after the lock is granted
        // (LOCK takes no snapshot): the re-check below sees a concurrent migrator's commit.
        await scriptTx.executeScript(`LOCK TABLE ${MIGRATIONS_TABLE} IN SHARE ROW EXCLUSIVE MODE`);
      }
      // Another process may have applied it (or more) meanwhile: plan again under the lock.
      const now = plan(dialect, registrations, await readRecorded(tx));
      if (!now.some((p) => p.component === component && p.migration.id === migration.id)) return false;
      try {
        await scriptTx.executeScript(sql);
      } catch (error) {
        if (isAppError(error)) throw error;
        throw appError(
          'storage.migration-failed',
          `migration ${label(component, migration)} failed: ${(error as Error).message}`,
          { cause: error, details: { component, id: migration.id } },
        );
      }
      await tx.execute(
        `INSERT INTO ${MIGRATIONS_TABLE} (component, id, name, checksum, applied_at) VALUES ($1, $2, $3, $4, $5)`,
        [component, migration.id, migration.name, checksum, clock.now().getTime()],
      );
      return true;
    });
    if (ran) applied.push({ component, id: migration.id, name: migration.name });
  }
  return { applied };
}
