// The auth repository and the client registry on SQLite and PostgreSQL (forEachBackend): registration,
// listing, revocation, the signing key created once, and stored records that were tampered with.
//
// PNC_REQUIRE_POSTGRES=1 node --test src/auth/repository.test.ts

import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import { componentMigrations } from '../app/migrations.ts';
import { isAppError } from '../errors/app-error.ts';
import { migrate } from '../storage/migrate.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import { listRegisteredClients, registerClient, revokeRegisteredClient } from './clients.ts';
import { findClient, insertClient, listClients } from './repository.ts';
import { verifySecret } from './secrets.ts';
import { keyId, loadOrCreateSigningKeys } from './signing-key.ts';

class FakeClock {
  ms = Date.parse('2026-03-01T00:00:00Z');
  now() {
    return new Date(this.ms);
  }
}

function counterRandom(seed: string) {
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let offset = 0; offset < n; offset += 32) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, n - offset)), offset);
    }
    return out;
  };
}

function hasCode(code: string) {
  return (e: unknown) => {
    assert.ok(isAppError(e), `expected AppError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

async function setUp(db: Database) {
  const clock = new FakeClock();
  await migrate(db, componentMigrations, clock);
  return { clock, random: counterRandom(`repo:${db.dialect}`) };
}

forEachBackend('auth repository', (getDb, backend) => {
  test('register: id and secret returned once, only the hash stored, scope normalised', async () => {
    const db = getDb();
    const { clock, random } = await setUp(db);
    const oem = await registerClient(
      db,
      { role: 'oem', scope: 'wp0, WBA', name: ' Porsche test ' },
      { clock, random },
    );
    assert.match(oem.clientId, /^[0-9a-f]{32}$/);
    assert.match(oem.clientSecret, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(oem.client.scope, { wmis: ['WP0', 'WBA'], providerIds: [], operatorIds: [] });

    const stored = await findClient(db, oem.clientId);
    assert.ok(stored);
    assert.equal(stored.role, 'OEM');
    assert.equal(stored.name, 'Porsche test');
    assert.deepEqual(stored.createdAt, clock.now());
    assert.equal(stored.expiresAt, undefined);
    assert.equal(stored.revokedAt, undefined);
    assert.ok(await verifySecret(oem.clientSecret, stored.secretHash));
    // The secret itself is nowhere in the table.
    const rows = await db.query<Record<string, unknown>>('SELECT * FROM auth_clients');
    assert.ok(!JSON.stringify(rows).includes(oem.clientSecret));

    const admin = await registerClient(db, { role: 'ADMIN', scope: undefined }, { clock, random });
    clock.ms += 1000;
    const cpo = await registerClient(
      db,
      { role: 'CPO', scope: 'DE*ICE', expiresAt: '2027-01-31' },
      { clock, random },
    );
    assert.deepEqual((await findClient(db, cpo.clientId))?.expiresAt, new Date('2027-01-31T00:00:00Z'));
    assert.equal(await findClient(db, 'f'.repeat(32)), undefined);

    const listed = await listRegisteredClients(db, clock);
    assert.deepEqual(
      listed.map((c) => c.clientId).sort(),
      [oem.clientId, admin.clientId, cpo.clientId].sort(),
    );
    assert.equal(listed.at(-1)?.clientId, cpo.clientId, 'oldest first');
    assert.ok(listed.every((c) => c.status === 'active'));
    assert.ok(!JSON.stringify(listed).includes('scrypt'), 'summaries carry no hash');
  });

  test('register refuses invalid input with every problem and stores nothing', async () => {
    const db = getDb();
    const { clock, random } = await setUp(db);
    const cases: [Parameters<typeof registerClient>[1], RegExp][] = [
      [{ role: undefined, scope: 'WP0' }, /a role is required/],
      [{ role: 'ROOT', scope: 'WP0' }, /unknown role "ROOT"/],
      [{ role: 'OEM', scope: undefined }, /role OEM needs a scope/],
      [{ role: 'ADMIN', scope: 'WP0' }, /ADMIN takes no scope/],
      [{ role: 'MO', scope: 'DE-ABC', name: '' }, /name must be/],
      [{ role: 'MO', scope: 'DE-ABC', name: 'a\nb' }, /name must be/],
      [{ role: 'MO', scope: 'DE-ABC', expiresAt: 'tomorrow' }, /ISO 8601/],
      [{ role: 'MO', scope: 'DE-ABC', expiresAt: '2026-02-28T00:00:00Z' }, /not in the future/],
      [{ role: 'CPO', scope: 'DE*ABCD', expiresAt: 'x' }, /not an operator ID[\s\S]*ISO 8601/],
    ];
    for (const [input, pattern] of cases) {
      await assert.rejects(registerClient(db, input, { clock, random }), (e) => {
        hasCode('auth.invalid-registration')(e);
        assert.match((e as Error).message, pattern);
        return true;
      });
    }
    assert.deepEqual(await listClients(db), []);
  });

  test('revoke: kept with its time, idempotent, unknown ids refused', async () => {
    const db = getDb();
    const { clock, random } = await setUp(db);
    const mo = await registerClient(db, { role: 'MO', scope: 'DE-ABC' }, { clock, random });
    clock.ms += 60_000;
    assert.equal(await revokeRegisteredClient(db, mo.clientId, clock), 'revoked');
    const revokedAt = clock.now();
    clock.ms += 60_000;
    assert.equal(await revokeRegisteredClient(db, mo.clientId, clock), 'already-revoked');
    assert.deepEqual((await findClient(db, mo.clientId))?.revokedAt, revokedAt);
    assert.equal((await listRegisteredClients(db, clock))[0]?.status, 'revoked');
    await assert.rejects(revokeRegisteredClient(db, 'f'.repeat(32), clock), hasCode('auth.client-not-found'));
    await assert.rejects(revokeRegisteredClient(db, "x'; DROP TABLE auth_clients; --", clock), (e) => {
      hasCode('auth.client-not-found')(e);
      assert.match((e as Error).message, /"x'; DROP/);
      return true;
    });
    assert.equal((await listClients(db)).length, 1);
  });

  test('expired clients are listed as expired', async () => {
    const db = getDb();
    const { clock, random } = await setUp(db);
    await registerClient(
      db,
      { role: 'OEM', scope: 'WP0', expiresAt: '2026-03-01T01:00:00Z' },
      { clock, random },
    );
    assert.equal((await listRegisteredClients(db, clock))[0]?.status, 'active');
    clock.ms += 3600_000;
    assert.equal((await listRegisteredClients(db, clock))[0]?.status, 'expired');
  });

  test('the signing key is created once (ES256, kid = JWK thumbprint) and read back by every instance', async () => {
    const db = getDb();
    const { clock } = await setUp(db);
    const [first, ...more] = await loadOrCreateSigningKeys(db, { clock, random: counterRandom('key-a') });
    assert.ok(first);
    assert.equal(more.length, 0);
    assert.equal(first.privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(first.kid, await keyId(createPublicKey(first.privateKey)));
    // A second instance (another connection, another random source) gets the same key.
    const other = await backend.openAnother();
    const again = await loadOrCreateSigningKeys(other, { clock, random: counterRandom('key-b') });
    assert.deepEqual(
      again.map((k) => k.kid),
      [first.kid],
    );
    const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM auth_signing_keys');
    assert.deepEqual(rows, [{ n: 1 }]);
  });

  if (backend.dialect === 'postgres') {
    test('two instances starting at once store one signing key (serializable transactions)', async () => {
      const db = getDb();
      const { clock } = await setUp(db);
      const others = await Promise.all([backend.openAnother(), backend.openAnother(), backend.openAnother()]);
      const results = await Promise.all(
        [db, ...others].map((d, i) =>
          loadOrCreateSigningKeys(d, { clock, random: counterRandom(`race-${i}`) }),
        ),
      );
      const kids = new Set(results.map((keys) => keys.map((k) => k.kid).join()));
      assert.equal(kids.size, 1);
      assert.deepEqual(await db.query('SELECT COUNT(*) AS n FROM auth_signing_keys'), [{ n: 1 }]);
    });
  }

  test('records changed outside pnc are reported as corrupt, never used', async () => {
    const db = getDb();
    const { clock, random } = await setUp(db);
    const c = await registerClient(db, { role: 'OEM', scope: 'WP0' }, { clock, random });
    await db.transaction((tx) =>
      tx.execute("UPDATE auth_clients SET wmis = 'WP0,wp0' WHERE client_id = $1", [c.clientId]),
    );
    await assert.rejects(findClient(db, c.clientId), hasCode('auth.corrupt-record'));
    await db.transaction((tx) =>
      tx.execute("UPDATE auth_clients SET wmis = 'WP0', role = 'ROOT' WHERE client_id = $1", [c.clientId]),
    );
    await assert.rejects(listClients(db), hasCode('auth.corrupt-record'));

    await loadOrCreateSigningKeys(db, { clock, random });
    await db.transaction((tx) =>
      tx.execute('UPDATE auth_signing_keys SET private_key = $1', [Uint8Array.of(1, 2, 3)]),
    );
    await assert.rejects(loadOrCreateSigningKeys(db, { clock, random }), hasCode('auth.corrupt-record'));
  });

  test('the repository refuses scope values that are not normalised (a bug, not input)', async () => {
    const db = getDb();
    await setUp(db);
    await assert.rejects(
      db.transaction((tx) =>
        insertClient(tx, {
          clientId: 'a'.repeat(32),
          name: undefined,
          role: 'MO',
          scope: { wmis: [], providerIds: ['DE-ABC'], operatorIds: [] },
          secretHash: 'x',
          createdAt: new Date(0),
          expiresAt: undefined,
          revokedAt: undefined,
        }),
      ),
      TypeError,
    );
  });
});
