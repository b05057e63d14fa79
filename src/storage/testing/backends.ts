// Runs one contract suite against every storage backend (architecture-practices §3.4): a fresh
// SQLite database in a temporary data directory, and a fresh PostgreSQL database (CREATE DATABASE
// test_<random>) on the server chosen by ./postgres-server.ts, for every test.
//
//   forEachBackend('kv repository', (getDb, backend) => {
//     test('stores a value', async () => { const db = getDb(); ... });
//   });
//
// Without PostgreSQL the postgres half is skipped with POSTGRES_SKIP; with PNC_REQUIRE_POSTGRES=1
// (set by CI) it fails instead, so CI cannot pass by skipping.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { openDatabase, type StorageConfig } from '../open-database.ts';
import type { Database, Dialect } from '../types.ts';
import { connectTestServer, type PostgresTestServer, postgresSource } from './postgres-server.ts';

export interface BackendContext {
  readonly dialect: Dialect;
  /**
   * Opens another Database on the same storage as getDb() (what a second process would see); closed
   * after the test. On SQLite use it only sequentially: two connections of one process contending for
   * the write lock block the event loop (docs/storage.md).
   */
  openAnother(): Promise<Database>;
}

export type BackendSuite = (getDb: () => Database, backend: BackendContext) => void;

const silentLogger = { warn: () => undefined };

interface PerTest {
  config: StorageConfig;
  db: Database | undefined;
  extra: Database[];
}

function suiteBody(dialect: Dialect, suite: BackendSuite, current: () => PerTest): () => void {
  return () => {
    const getDb = () => {
      const db = current().db;
      assert.ok(db !== undefined, 'getDb() is only available inside a test');
      return db;
    };
    suite(getDb, {
      dialect,
      async openAnother() {
        const perTest = current();
        const db = await openDatabase(perTest.config, { logger: silentLogger });
        perTest.extra.push(db);
        return db;
      },
    });
  };
}

async function closeAll(perTest: PerTest): Promise<void> {
  for (const db of perTest.extra) await db.close();
  await perTest.db?.close();
}

export function forEachBackend(name: string, suite: BackendSuite): void {
  // --- SQLite -------------------------------------------------------------------------------------
  let sqlite: PerTest | undefined;
  describe(`${name} [sqlite]`, () => {
    beforeEach(async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'pnc-storage-'));
      const config: StorageConfig = { dataDir, databaseUrl: undefined, dbPoolMax: 1 };
      sqlite = { config, db: undefined, extra: [] };
      sqlite.db = await openDatabase(config, { logger: silentLogger });
    });
    afterEach(async () => {
      if (sqlite === undefined) return;
      await closeAll(sqlite);
      await rm(sqlite.config.dataDir, { recursive: true, force: true });
      sqlite = undefined;
    });
    suiteBody('sqlite', suite, () => {
      assert.ok(sqlite !== undefined);
      return sqlite;
    })();
  });

  // --- PostgreSQL ---------------------------------------------------------------------------------
  const source = postgresSource();
  const skip = source.kind === 'none' ? source.reason : false;
  if (skip !== false && process.env.PNC_REQUIRE_POSTGRES === '1') {
    test(`${name} [postgres]: PostgreSQL available (PNC_REQUIRE_POSTGRES=1)`, () =>
      assert.fail(skip.replace(/^SKIPPED: /, '')));
  }
  if (skip !== false) console.log(`${name} [postgres]: ${skip}`);

  let server: PostgresTestServer | undefined;
  let postgres: PerTest | undefined;
  describe(`${name} [postgres]`, { skip }, () => {
    before(async () => {
      server = await connectTestServer(source);
    });
    after(async () => {
      await server?.close();
    });
    beforeEach(async () => {
      assert.ok(server !== undefined);
      const url = await server.createDatabase();
      const config: StorageConfig = { dataDir: tmpdir(), databaseUrl: url, dbPoolMax: 4 };
      postgres = { config, db: undefined, extra: [] };
      postgres.db = await openDatabase(config, { logger: silentLogger });
    });
    afterEach(async () => {
      if (postgres === undefined) return;
      await closeAll(postgres);
      await server?.dropDatabase(postgres.config.databaseUrl as string);
      postgres = undefined;
    });
    suiteBody('postgres', suite, () => {
      assert.ok(postgres !== undefined);
      return postgres;
    })();
  });
}
