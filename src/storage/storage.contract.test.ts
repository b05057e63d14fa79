// The storage contract (src/storage/types.ts, docs/storage.md), run against SQLite and PostgreSQL by
// forEachBackend: the same SQL and values must behave the same on both.
//
// Run with both halves required: PNC_REQUIRE_POSTGRES=1 node --test src/storage/storage.contract.test.ts

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAppError } from '../errors/app-error.ts';
import { isUniqueViolation } from './driver-errors.ts';
import { migrate, migrationChecksum } from './migrate.ts';
import { MAX_NAMED_STATEMENTS } from './postgres-database.ts';
import { forEachBackend } from './testing/backends.ts';
import { KV_TEST_MIGRATIONS } from './testing/kv-migrations.ts';
import type { Database, MigrationRegistration, Tx } from './types.ts';

const clock = { now: () => new Date('2026-01-02T03:04:05.678Z') };

function hasCode(code: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isAppError(e), `expected AppError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

async function setUp(db: Database): Promise<void> {
  await migrate(db, [KV_TEST_MIGRATIONS], clock);
}

async function count(db: Database, table = 'kv_test'): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return rows[0]?.n as number;
}

forEachBackend('storage contract', (getDb, backend) => {
  // --- Placeholders and statements ----------------------------------------------------------------
  test('placeholders: $n in any order, repeated, and never inside literals or comments', async () => {
    const db = getDb();
    assert.deepEqual(await db.query('SELECT $1 AS a, $2 AS b', ['x', 'y']), [{ a: 'x', b: 'y' }]);
    assert.deepEqual(await db.query('SELECT $2 AS a, $1 AS b', ['x', 'y']), [{ a: 'y', b: 'x' }]);
    assert.deepEqual(await db.query('SELECT $1 AS a, $1 AS b', ['z']), [{ a: 'z', b: 'z' }]);
    assert.deepEqual(await db.query(`SELECT '$1 it''s ?' AS s -- $2 ?\n`, []), [{ s: "$1 it's ?" }]);
    assert.deepEqual(await db.query('SELECT /* $1 */ $1 AS "quoted $2"', ['q']), [{ 'quoted $2': 'q' }]);
  });

  test('placeholders: a parameter count that does not match is refused', async () => {
    const db = getDb();
    await assert.rejects(db.query('SELECT $1 AS a', []));
    await assert.rejects(db.query('SELECT $1 AS a', ['x', 'y']));
    await assert.rejects(db.query('SELECT $1 AS a, $3 AS c', ['x', 'y', 'z']));
  });

  test('other parameter syntaxes and a second statement are refused', async () => {
    const db = getDb();
    await assert.rejects(db.query('SELECT ? AS a', ['x']));
    await assert.rejects(db.query('SELECT 1 AS a; SELECT 2 AS b'));
    await assert.rejects(
      db.transaction((tx) => tx.execute('SELECT 1 AS a; SELECT 2 AS b')),
      'one statement per call, also inside transactions',
    );
  });

  // --- Values -------------------------------------------------------------------------------------
  test('type round trips: text, integers to 64 bits, reals, bytes, booleans, null', async () => {
    const db = getDb();
    await setUp(db);
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const unicode = 'Grüße, 電気自動車 🔌\u{10FFFF} \'"\\ \n\t';
    const rows: [
      string,
      string | null,
      number | bigint | null,
      number | null,
      Uint8Array | null,
      boolean | null,
    ][] = [
      ['max', unicode, 2n ** 63n - 1n, 1.5, bytes, true],
      ['min', '', -(2n ** 63n), -0.25, new Uint8Array(0), false],
      ['safe', 'plain', 9007199254740991, 1e300, Uint8Array.of(0), null],
      ['nulls', null, null, null, null, null],
    ];
    await db.transaction(async (tx) => {
      for (const row of rows) {
        await tx.execute(
          'INSERT INTO kv_test (k, text_value, int_value, real_value, bytes_value, flag) VALUES ($1, $2, $3, $4, $5, $6)',
          row,
        );
      }
    });
    const read = await db.query<Record<string, unknown>>(
      'SELECT k, text_value, int_value, real_value, bytes_value, flag FROM kv_test ORDER BY k',
    );
    const byKey = new Map(read.map((r) => [r.k, r]));
    assert.deepEqual(byKey.get('max'), {
      k: 'max',
      text_value: unicode,
      int_value: 2n ** 63n - 1n,
      real_value: 1.5,
      bytes_value: bytes,
      flag: 1,
    });
    assert.deepEqual(byKey.get('min'), {
      k: 'min',
      text_value: '',
      int_value: -(2n ** 63n),
      real_value: -0.25,
      bytes_value: new Uint8Array(0),
      flag: 0,
    });
    // Safe integers come back as numbers, whatever the column type (BIGINT on PostgreSQL).
    assert.deepEqual(byKey.get('safe'), {
      k: 'safe',
      text_value: 'plain',
      int_value: 9007199254740991,
      real_value: 1e300,
      bytes_value: Uint8Array.of(0),
      flag: null,
    });
    assert.deepEqual(byKey.get('nulls'), {
      k: 'nulls',
      text_value: null,
      int_value: null,
      real_value: null,
      bytes_value: null,
      flag: null,
    });
    // Plain Uint8Array (not a driver Buffer), and a row is a plain object.
    assert.equal(Object.getPrototypeOf(byKey.get('max')?.bytes_value), Uint8Array.prototype);
    assert.equal(Object.getPrototypeOf(read[0]), Object.prototype);
  });

  test('aggregates: COUNT and integral SUM are numbers; 2^53 and beyond are bigint', async () => {
    const db = getDb();
    await setUp(db);
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO kv_test (k, int_value) VALUES ($1, $2)', ['a', 2]);
      await tx.execute('INSERT INTO kv_test (k, int_value) VALUES ($1, $2)', ['b', 2n ** 53n]);
    });
    const [row] = await db.query(
      'SELECT COUNT(*) AS n, SUM(int_value) AS total, MIN(int_value) AS low FROM kv_test',
    );
    assert.deepEqual(row, { n: 2, total: 2n ** 53n + 2n, low: 2 });
  });

  test('epoch milliseconds are the time representation; Date and other values are refused', async () => {
    const db = getDb();
    await setUp(db);
    const at = clock.now().getTime();
    await db.transaction((tx) =>
      tx.execute('INSERT INTO kv_test (k, created_at) VALUES ($1, $2)', ['t', at]),
    );
    assert.deepEqual(await db.query('SELECT created_at FROM kv_test WHERE created_at <= $1', [at]), [
      { created_at: at },
    ]);
    for (const bad of [
      new Date(),
      undefined,
      Number.NaN,
      Infinity,
      2n ** 63n,
      'a\u0000b',
      '\ud800',
      {},
      [1],
    ]) {
      await assert.rejects(
        db.transaction((tx) =>
          tx.execute('INSERT INTO kv_test (k, text_value) VALUES ($1, $2)', ['bad', bad as never]),
        ),
        TypeError,
        `refuses ${String(bad)}`,
      );
    }
    assert.equal(await count(db), 1);
  });

  // --- Transactions -------------------------------------------------------------------------------
  test('a transaction commits all its changes and returns the callback value', async () => {
    const db = getDb();
    await setUp(db);
    const result = await db.transaction(async (tx) => {
      const a = await tx.execute('INSERT INTO kv_test (k, int_value) VALUES ($1, $2)', ['a', 1]);
      await tx.execute('INSERT INTO kv_test (k, int_value) VALUES ($1, $2)', ['b', 2]);
      const updated = await tx.execute('UPDATE kv_test SET int_value = int_value + 10');
      const inside = await tx.query<{ k: string; int_value: number }>(
        'SELECT k, int_value FROM kv_test ORDER BY k',
      );
      return { a: a.changes, updated: updated.changes, inside };
    });
    assert.deepEqual(result, {
      a: 1,
      updated: 2,
      inside: [
        { k: 'a', int_value: 11 },
        { k: 'b', int_value: 12 },
      ],
    });
    assert.equal(await count(db), 2);
  });

  test('an error inside the callback rolls back every change (no partial writes)', async () => {
    const db = getDb();
    await setUp(db);
    await db.transaction((tx) =>
      tx.execute('INSERT INTO kv_test (k, int_value) VALUES ($1, $2)', ['keep', 1]),
    );
    const boom = new Error('boom');
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO kv_test (k) VALUES ($1)', ['lost-1']);
        await tx.execute('UPDATE kv_test SET int_value = 99 WHERE k = $1', ['keep']);
        await tx.execute('INSERT INTO kv_test (k) VALUES ($1)', ['lost-2']);
        throw boom;
      }),
      (e) => e === boom,
    );
    assert.deepEqual(await db.query('SELECT k, int_value FROM kv_test'), [{ k: 'keep', int_value: 1 }]);
    // A failing statement rolls back the earlier ones as well.
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO kv_test (k) VALUES ($1)', ['lost-3']);
        await tx.execute('INSERT INTO kv_test (k) VALUES ($1)', ['keep']);
      }),
      (e) => isUniqueViolation(e),
    );
    assert.equal(await count(db), 1);
    // And the database is usable afterwards.
    await db.transaction((tx) => tx.execute('INSERT INTO kv_test (k) VALUES ($1)', ['after']));
    assert.equal(await count(db), 2);
  });

  test('tx cannot be used after its transaction ended; transactions do not nest', async () => {
    const db = getDb();
    await setUp(db);
    const leaked = await db.transaction(async (tx) => tx);
    await assert.rejects(leaked.query('SELECT 1 AS one'), /already ended/);
    await assert.rejects(
      db.transaction(async () => db.transaction(async () => 1)),
      /do not nest/,
    );
  });

  test('Database.query is read-only and sees only committed data', async () => {
    const db = getDb();
    await setUp(db);
    await assert.rejects(db.query('INSERT INTO kv_test (k) VALUES ($1) RETURNING k', ['x']));
    assert.equal(await count(db), 0);
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO kv_test (k) VALUES ($1)', ['pending']);
      assert.equal(await count(db), 0, 'an open transaction is invisible outside it');
    });
    assert.equal(await count(db), 1);
  });

  test('concurrent read-modify-write transactions lose no update', async () => {
    const db = getDb();
    await setUp(db);
    await db.transaction((tx) =>
      tx.execute('INSERT INTO kv_test_counter (name, n) VALUES ($1, $2)', ['c', 0]),
    );
    const workers = 6;
    let attempts = 0;
    await Promise.all(
      Array.from({ length: workers }, () =>
        db.transaction(async (tx) => {
          attempts++;
          const [row] = await tx.query<{ n: number }>('SELECT n FROM kv_test_counter WHERE name = $1', ['c']);
          // Yield so that the transactions really overlap where the backend allows it.
          await sleep(5);
          await tx.execute('UPDATE kv_test_counter SET n = $1 WHERE name = $2', [
            (row?.n as number) + 1,
            'c',
          ]);
        }),
      ),
    );
    assert.deepEqual(await db.query('SELECT n FROM kv_test_counter'), [{ n: workers }]);
    assert.ok(attempts >= workers);
  });

  test('unique violations are recognisable on both backends', async () => {
    const db = getDb();
    await setUp(db);
    await db.transaction((tx) => tx.execute('INSERT INTO kv_test (k) VALUES ($1)', ['dup']));
    const error = await db
      .transaction((tx) => tx.execute('INSERT INTO kv_test (k) VALUES ($1)', ['dup']))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(isUniqueViolation(error), String(error));
    assert.equal(isUniqueViolation(new Error('other')), false);
  });

  // --- Migrations ---------------------------------------------------------------------------------
  test('migrations: applied in order once, recorded with checksum and time; re-running does nothing', async () => {
    const db = getDb();
    const first = await migrate(db, [KV_TEST_MIGRATIONS], clock);
    assert.deepEqual(first.applied, [
      { component: 'kv_test', id: 1, name: 'create kv_test' },
      { component: 'kv_test', id: 2, name: 'create kv_test_counter' },
    ]);
    assert.equal(await count(db), 0);
    assert.equal(await count(db, 'kv_test_counter'), 0);
    const recorded = await db.query(
      'SELECT component, id, name, checksum, applied_at FROM schema_migrations ORDER BY id',
    );
    assert.deepEqual(
      recorded,
      KV_TEST_MIGRATIONS.migrations.map((m) => ({
        component: 'kv_test',
        id: m.id,
        name: m.name,
        checksum: migrationChecksum(m[backend.dialect]),
        applied_at: clock.now().getTime(),
      })),
    );
    assert.deepEqual((await migrate(db, [KV_TEST_MIGRATIONS], clock)).applied, []);
    // Another process (or a restart) sees the same schema and has nothing to do.
    const other = await backend.openAnother();
    assert.deepEqual((await migrate(other, [KV_TEST_MIGRATIONS], clock)).applied, []);
  });

  test('migrations: a later release adds migrations; a newer database is refused', async () => {
    const db = getDb();
    const v1: MigrationRegistration = {
      ...KV_TEST_MIGRATIONS,
      migrations: KV_TEST_MIGRATIONS.migrations.slice(0, 1),
    };
    assert.equal((await migrate(db, [v1], clock)).applied.length, 1);
    assert.deepEqual(
      (await migrate(db, [KV_TEST_MIGRATIONS], clock)).applied.map((m) => m.id),
      [2],
    );
    // The old code (v1) must not run against the newer schema.
    await assert.rejects(migrate(db, [v1], clock), hasCode('storage.schema-too-new'));
    // Nor code that does not know the component at all.
    await assert.rejects(migrate(db, [], clock), hasCode('storage.schema-too-new'));
  });

  test('migrations: an edited migration and an out-of-order one are refused', async () => {
    const db = getDb();
    await migrate(db, [KV_TEST_MIGRATIONS], clock);
    const [m1, m2] = KV_TEST_MIGRATIONS.migrations;
    assert.ok(m1 !== undefined && m2 !== undefined);
    const edited: MigrationRegistration = {
      component: 'kv_test',
      migrations: [{ ...m1, [backend.dialect]: `${m1[backend.dialect]}\n-- edited` }, m2],
    };
    await assert.rejects(migrate(db, [edited], clock), hasCode('storage.migration-mismatch'));
    const gap: MigrationRegistration = {
      component: 'kv_test',
      migrations: [
        m1,
        { id: 2, name: 'inserted late', sqlite: 'SELECT 1', postgres: 'SELECT 1' },
        { ...m2, id: 3 },
      ],
    };
    // Database has 1 and 2 (with m2's checksum): "inserted late" as id 2 has another checksum.
    await assert.rejects(migrate(db, [gap], clock), hasCode('storage.migration-mismatch'));

    const other: MigrationRegistration = {
      component: 'other',
      migrations: [
        {
          id: 1,
          name: 'one',
          sqlite: 'CREATE TABLE other_one (a INTEGER)',
          postgres: 'CREATE TABLE other_one (a INTEGER)',
        },
        {
          id: 3,
          name: 'three',
          sqlite: 'CREATE TABLE other_three (a INTEGER)',
          postgres: 'CREATE TABLE other_three (a INTEGER)',
        },
      ],
    };
    await migrate(db, [KV_TEST_MIGRATIONS, other], clock);
    const withTwo: MigrationRegistration = {
      component: 'other',
      migrations: [
        other.migrations[0] as (typeof other.migrations)[number],
        {
          id: 2,
          name: 'two',
          sqlite: 'CREATE TABLE other_two (a INTEGER)',
          postgres: 'CREATE TABLE other_two (a INTEGER)',
        },
        other.migrations[1] as (typeof other.migrations)[number],
      ],
    };
    await assert.rejects(
      migrate(db, [KV_TEST_MIGRATIONS, withTwo], clock),
      hasCode('storage.migration-mismatch'),
    );
  });

  test('migrations: a failing migration leaves nothing behind and stops the run', async () => {
    const db = getDb();
    const broken: MigrationRegistration = {
      component: 'broken',
      migrations: [
        {
          id: 1,
          name: 'half',
          sqlite: 'CREATE TABLE broken_half (a INTEGER); CREATE TABLE broken_half (a INTEGER);',
          postgres: 'CREATE TABLE broken_half (a INTEGER); CREATE TABLE broken_half (a INTEGER);',
        },
        {
          id: 2,
          name: 'never',
          sqlite: 'CREATE TABLE broken_never (a INTEGER)',
          postgres: 'CREATE TABLE broken_never (a INTEGER)',
        },
      ],
    };
    await assert.rejects(
      migrate(db, [KV_TEST_MIGRATIONS, broken], clock),
      hasCode('storage.migration-failed'),
    );
    // kv_test migrations (earlier in the list) are kept; the broken one is rolled back entirely.
    assert.deepEqual(
      (await db.query<{ component: string }>('SELECT component FROM schema_migrations')).map(
        (r) => r.component,
      ),
      ['kv_test', 'kv_test'],
    );
    await assert.rejects(db.query('SELECT a FROM broken_half'));
    await assert.rejects(db.query('SELECT a FROM broken_never'));
  });

  test('migrations: invalid registrations are refused before touching the database', async () => {
    const db = getDb();
    const m = { id: 1, name: 'x', sqlite: 'SELECT 1', postgres: 'SELECT 1' };
    await assert.rejects(migrate(db, [{ component: 'Bad Name', migrations: [m] }], clock), /component name/);
    await assert.rejects(
      migrate(
        db,
        [
          { component: 'a', migrations: [m] },
          { component: 'a', migrations: [] },
        ],
        clock,
      ),
      /twice/,
    );
    await assert.rejects(migrate(db, [{ component: 'a', migrations: [m, m] }], clock), /strictly increasing/);
    await assert.rejects(
      migrate(db, [{ component: 'a', migrations: [{ ...m, postgres: ' ' }] }], clock),
      /both/,
    );
  });

  if (backend.dialect === 'postgres') {
    // Two replicas starting at once. (On SQLite two connections of one process would block each other's
    // event loop; separate processes serialize on the file lock.)
    test('migrations: concurrent migrators apply each migration exactly once', async () => {
      const a = getDb();
      const b = await backend.openAnother();
      const results = await Promise.all([
        migrate(a, [KV_TEST_MIGRATIONS], clock),
        migrate(b, [KV_TEST_MIGRATIONS], clock),
      ]);
      assert.equal(results[0].applied.length + results[1].applied.length, 2);
      assert.equal(await count(a, 'schema_migrations'), 2);
    });
  }

  if (backend.dialect === 'postgres') {
    // D-174: each SQL text is a prepared statement per connection, within a bounded name budget.
    test('postgres: a repeated statement is prepared once per connection; texts beyond the budget still run', async () => {
      const db = getDb();
      const prepared = (tx: Tx, text: string) =>
        tx.query<{ n: number }>('SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1', [
          text,
        ]);
      const repeated = 'SELECT $1::int + 1 AS v';
      await db.transaction(async (tx) => {
        for (let i = 0; i < 5; i++) assert.deepEqual(await tx.query(repeated, [i]), [{ v: i + 1 }]);
        assert.deepEqual(await prepared(tx, repeated), [{ n: 1 }]);
      });
      // Past the budget: every distinct text still answers correctly; the connection holds at most
      // MAX_NAMED_STATEMENTS of our statements.
      await db.transaction(async (tx) => {
        for (let k = 0; k < MAX_NAMED_STATEMENTS + 5; k++) {
          assert.deepEqual(await tx.query(`SELECT $1::int + ${k} AS v`, [1]), [{ v: 1 + k }]);
        }
        const [held] = await tx.query<{ n: number }>(
          "SELECT count(*) AS n FROM pg_prepared_statements WHERE name LIKE 'pnc\\_%'",
        );
        assert.ok(held !== undefined && held.n <= MAX_NAMED_STATEMENTS, `${held?.n} prepared`);
        assert.ok(held.n >= MAX_NAMED_STATEMENTS - 50, `${held.n} prepared: the budget is used`);
      });
    });
  }

  // --- Lifecycle ----------------------------------------------------------------------------------
  test('close waits for running transactions, is idempotent, and later use fails with storage.unavailable', async () => {
    const db = await backend.openAnother();
    await setUp(db);
    const running = db.transaction(async (tx) => {
      await sleep(20);
      await tx.execute('INSERT INTO kv_test (k) VALUES ($1)', ['last']);
    });
    await sleep(1);
    await Promise.all([running, db.close()]);
    await db.close();
    await assert.rejects(db.query('SELECT 1 AS one'), hasCode('storage.unavailable'));
    await assert.rejects(
      db.transaction(async () => 1),
      hasCode('storage.unavailable'),
    );
    assert.equal(await count(getDb()), 1);
  });
});
