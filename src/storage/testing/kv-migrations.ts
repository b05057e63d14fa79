// Example migrations used only by tests: a key-value table with one column per value type, and a
// counter table for the concurrency tests. Real tables come with the components (src/app/migrations.ts).

import type { MigrationRegistration } from '../types.ts';

export const KV_TEST_MIGRATIONS: MigrationRegistration = {
  component: 'kv_test',
  migrations: [
    {
      id: 1,
      name: 'create kv_test',
      // STRICT: SQLite refuses a value of the wrong type instead of storing it anyway.
      sqlite: `CREATE TABLE kv_test (
  k TEXT PRIMARY KEY,
  text_value TEXT,
  int_value INTEGER,
  real_value REAL,
  bytes_value BLOB,
  flag INTEGER,
  created_at INTEGER
) STRICT;
CREATE INDEX kv_test_created_at ON kv_test (created_at);`,
      postgres: `CREATE TABLE kv_test (
  k TEXT PRIMARY KEY,
  text_value TEXT,
  int_value BIGINT,
  real_value DOUBLE PRECISION,
  bytes_value BYTEA,
  flag BOOLEAN,
  created_at BIGINT
);
CREATE INDEX kv_test_created_at ON kv_test (created_at);`,
    },
    {
      id: 2,
      name: 'create kv_test_counter',
      sqlite: 'CREATE TABLE kv_test_counter (name TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;',
      postgres: 'CREATE TABLE kv_test_counter (name TEXT PRIMARY KEY, n BIGINT NOT NULL);',
    },
  ],
};
