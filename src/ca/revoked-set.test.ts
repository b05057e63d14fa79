// The revoked-certificate set (D-175) on both backends: this process's revocations at once, another
// process's within maxAgeMs, one COUNT per maxAgeMs, exact once read, bounded.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import { RevokedCertificateSet, type RevokedSource } from './revoked-set.ts';
import { FakeClock, newTestCa, sharedKeyStore, type TestCa } from './testing/fixtures.ts';

const keys = sharedKeyStore();
after(() => keys.remove());

/** A source over the real repository that counts the queries it makes. */
function countingSource(ca: TestCa): RevokedSource & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    revokedCount: () => {
      queries.push('count');
      return ca.repository.revokedCount();
    },
    revokedSerials: () => {
      queries.push('serials');
      return ca.repository.revokedSerials();
    },
    isRevoked: async (caId, serial) => {
      queries.push('one');
      return (await ca.repository.findCertificateStatus(caId, serial))?.status === 'revoked';
    },
  };
}

const SUBJECT = { organization: 'PnC Test', country: 'DE' };

/** Root, MO Sub-CA 2 under it, and contract certificates from it. */
async function hierarchy(ca: TestCa) {
  const root = await ca.service.createRoot({
    kind: 'v2g',
    iso: 2,
    subject: { ...SUBJECT, commonName: 'Root 2' },
  });
  const mo = await ca.service.createSubCa({
    parentId: root.id,
    level: 2,
    domain: 'mo',
    subject: { commonName: 'MO Sub2 2' },
  });
  const leaf = (emaid: string) =>
    ca.service.issueWithGeneratedKey({ caId: mo.id, role: 'contract-leaf', subject: { commonName: emaid } });
  return { mo, leaf };
}

forEachBackend('revoked set', (getDb, backend) => {
  test('own revocations at once; another process within maxAgeMs; one COUNT per maxAgeMs', async () => {
    const db: Database = getDb();
    const clock = new FakeClock();
    const here = await newTestCa(db, keys.store, { clock, service: { revokedSetMaxAgeMs: 1000 } });
    const other = await newTestCa(await backend.openAnother(), keys.store, { clock, migrate: false });
    const { mo, leaf } = await hierarchy(here);
    const a = await leaf('DEABCC123ABC56');
    const b = await leaf('DEABCC123ABC57');
    const c = await leaf('DEABCC123ABC58');
    const source = countingSource(here);
    const set = new RevokedCertificateSet({ source, clock, maxAgeMs: 1000 });

    assert.equal(await set.isRevoked(mo.id, a.serial), false);
    assert.deepEqual(source.queries, ['count', 'serials']);
    // Within maxAgeMs: no query at all.
    assert.equal(await set.isRevoked(mo.id, b.serial), false);
    assert.deepEqual(source.queries, ['count', 'serials']);

    // The CA service of this process: answered at once through its own set.
    await here.service.revoke({ id: a.id, reason: 'keyCompromise', actor: 't' });
    assert.equal(await here.service.isRevoked(mo.id, a.serial), true);
    assert.equal(await here.service.isRevoked(mo.id, BigInt(`0x${a.serial}`)), true);
    assert.equal(await here.service.isRevoked(mo.id, b.serial), false);

    // Another process revokes b: this set does not see it before maxAgeMs has passed...
    await other.service.revoke({ id: b.id, reason: 'superseded', actor: 't' });
    clock.advance(999);
    assert.equal(await set.isRevoked(mo.id, b.serial), false);
    assert.equal(await here.service.isRevoked(mo.id, b.serial), false);
    // ...and then does: the count changed, the set is read again.
    clock.advance(1);
    assert.equal(await set.isRevoked(mo.id, b.serial), true);
    assert.equal(await set.isRevoked(mo.id, a.serial), true);
    assert.equal(await here.service.isRevoked(mo.id, b.serial), true);
    assert.deepEqual(source.queries, ['count', 'serials', 'count', 'serials']);
    // Unchanged count: a COUNT only. Unknown issuer or serial: not revoked.
    clock.advance(1000);
    assert.equal(await set.isRevoked(mo.id, c.serial), false);
    assert.equal(await set.isRevoked('ca-none', c.serial), false);
    assert.deepEqual(source.queries, ['count', 'serials', 'count', 'serials', 'count']);
    // A revoked entry needs no freshness: known forever (revocation is final).
    clock.advance(10_000);
    assert.equal(await set.isRevoked(mo.id, a.serial), true);
    assert.equal(source.queries.length, 5);
  });

  test('concurrent questions share one refresh; maxAgeMs 0 and too many entries ask per certificate', async () => {
    const db = getDb();
    const clock = new FakeClock();
    const ca = await newTestCa(db, keys.store, { clock });
    const { mo, leaf } = await hierarchy(ca);
    const a = await leaf('DEABCC123ABC56');
    const b = await leaf('DEABCC123ABC57');
    await ca.service.revoke({ id: a.id, actor: 't' });

    const shared = countingSource(ca);
    const set = new RevokedCertificateSet({ source: shared, clock, maxAgeMs: 1000 });
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => set.isRevoked(mo.id, i % 2 === 0 ? a.serial : b.serial)),
    );
    assert.deepEqual(
      answers,
      Array.from({ length: 16 }, (_, i) => i % 2 === 0),
    );
    assert.deepEqual(shared.queries, ['count', 'serials']);

    const perQuestion = countingSource(ca);
    const off = new RevokedCertificateSet({ source: perQuestion, clock, maxAgeMs: 0 });
    assert.equal(await off.isRevoked(mo.id, a.serial), true);
    assert.equal(await off.isRevoked(mo.id, b.serial), false);
    assert.equal(await off.isRevoked(mo.id, a.serial), true);
    assert.deepEqual(perQuestion.queries, ['one', 'one', 'one']);

    const bounded = countingSource(ca);
    await ca.service.revoke({ id: b.id, actor: 't' });
    const small = new RevokedCertificateSet({ source: bounded, clock, maxAgeMs: 1000, maxEntries: 1 });
    assert.equal(await small.isRevoked(mo.id, b.serial), true);
    assert.equal(small.size, 0, 'two revoked > maxEntries 1: nothing kept');
    assert.equal(await small.isRevoked(mo.id, a.serial), true);
    assert.deepEqual(bounded.queries, ['count', 'one', 'one']);
  });
});

test('options are checked', () => {
  const source: RevokedSource = {
    revokedCount: async () => 0,
    revokedSerials: async () => [],
    isRevoked: async () => false,
  };
  const clock = new FakeClock();
  assert.throws(() => new RevokedCertificateSet({ source, clock, maxAgeMs: -1 }), RangeError);
  assert.throws(() => new RevokedCertificateSet({ source, clock, maxAgeMs: 1.5 }), RangeError);
  assert.throws(() => new RevokedCertificateSet({ source, clock, maxAgeMs: 1, maxEntries: 0 }), RangeError);
});
