// Public surface of the storage component (docs/storage.md).
export { isForeignKeyViolation, isUniqueViolation } from './driver-errors.ts';
export {
  type AppliedMigration,
  MIGRATIONS_TABLE,
  type MigrationResult,
  migrate,
  migrationChecksum,
  validateRegistrations,
} from './migrate.ts';
export {
  describeDatabase,
  type OpenDatabaseDeps,
  openDatabase,
  SQLITE_FILE_NAME,
  type StorageConfig,
  type StorageLogger,
} from './open-database.ts';
export type {
  Database,
  Dialect,
  Migration,
  MigrationRegistration,
  Row,
  SqlResultValue,
  SqlValue,
  Tx,
} from './types.ts';
