// The RCP repository contract on both storage backends: round trip of every field, the unique
// fingerprint among roots not deleted, soft delete with history, filters, the change count (the
// CTL sequence number), and every change together with its audit record in one transaction.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { AUDIT_MIGRATIONS, listAudit } from '../audit/audit-log.ts';
import { isAppError } from '../errors/app-error.ts';
import { migrate } from '../storage/migrate.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import { type NewRoot, RCP_MIGRATIONS, SqlRcpRepository } from './repository.ts';

const T0 = new Date('2027-03-01T10:00:00.000Z');
const clock = { now: () => T0 };

let counter = 0;
function newRoot(overrides: Partial<NewRoot> = {}): NewRoot {
  counter++;
  const der = new Uint8Array([
    0x30,
    0x03,
    0x02,
    0x01,
    counter & 0xff,
    ...new Uint8Array(4).fill(counter >> 8),
  ]);
  return {
    id: `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`,
    rootType: 'V2G',
    iso: 2,
    der,
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
    subject: `CN=Root ${counter},O=Test,C=DE`,
    issuer: `CN=Root ${counter},O=Test,C=DE`,
    serial: `${counter.toString(16)}ab`,
    ski: new Uint8Array([1, 2, 3, counter & 0xff]),
    keyAlgorithm: 'P-256',
    notBefore: new Date('2026-01-01T00:00:00.000Z'),
    notAfter: new Date('2066-01-01T00:00:00.000Z'),
    addedAt: new Date(T0.getTime() + counter),
    addedBy: 'client:admin',
    lintFindings: [{ code: 'v2g.ski.length', severity: 'warning', message: 'SKI is 8 bytes' }],
    lenient: false,
    ...overrides,
  };
}

async function fresh(db: Database): Promise<SqlRcpRepository> {
  await migrate(db, [AUDIT_MIGRATIONS, RCP_MIGRATIONS], clock);
  return new SqlRcpRepository(db);
}

async function auditCount(db: Database): Promise<number> {
  return (await listAudit(db, { component: 'rcp', limit: 10_000 })).length;
}

forEachBackend('rcp repository', (getDb) => {
  test('stores and reads back every field', async () => {
    const db = getDb();
    const repo = await fresh(db);
    const root = newRoot({ rootType: 'PE', iso: 20, keyAlgorithm: 'Ed448', ski: null, lenient: true });
    await repo.add(root);
    const read = await repo.get(root.id);
    assert.deepEqual(read, { ...root, deletedAt: null, deletedBy: null });
    assert.ok(read?.der instanceof Uint8Array);
    assert.deepEqual(await repo.findActiveByFingerprint(root.fingerprintSha256), read);
    assert.equal(await repo.get('00000000-0000-4000-8000-ffffffffffff'), undefined);
  });

  test('every add and delete writes one audit record in the same transaction', async () => {
    const db = getDb();
    const repo = await fresh(db);
    const root = newRoot();
    await repo.add(root);
    await repo.delete(root.id, 'cli:operator', new Date(T0.getTime() + 60_000));
    const records = await listAudit(db, { component: 'rcp' });
    assert.deepEqual(
      records.map((r) => [r.action, r.actor, r.subject]),
      [
        ['root.deleted', 'cli:operator', root.fingerprintSha256],
        ['root.added', 'client:admin', root.fingerprintSha256],
      ],
    );
    assert.equal(records[1]?.details.id, root.id);
    assert.equal(records[1]?.details.rootType, 'V2G');
    assert.deepEqual(records[1]?.details.lintCodes, ['v2g.ski.length']);
  });

  test('a failing insert leaves neither the row nor the audit record', async () => {
    const db = getDb();
    const repo = await fresh(db);
    // The CHECK constraint refuses the type after nothing else could fail: the transaction rolls back.
    await assert.rejects(repo.add(newRoot({ rootType: 'XX' as 'V2G' })));
    assert.equal((await repo.list({ includeDeleted: true })).length, 0);
    assert.equal(await auditCount(db), 0);
  });

  test('the fingerprint is unique among roots not deleted; after a delete it may come back', async () => {
    const db = getDb();
    const repo = await fresh(db);
    const first = newRoot();
    await repo.add(first);
    const again = { ...first, id: '00000000-0000-4000-8000-aaaaaaaaaaaa' };
    await assert.rejects(repo.add(again), (e: unknown) => isAppError(e) && e.code === 'rcp.duplicate');
    assert.equal(await auditCount(db), 1, 'the refused add wrote no audit record');
    assert.ok(await repo.delete(first.id, 'client:admin', T0));
    await repo.add(again);
    assert.equal((await repo.findActiveByFingerprint(first.fingerprintSha256))?.id, again.id);
    assert.equal((await repo.list({ includeDeleted: true })).length, 2);
  });

  test('soft delete keeps the history; a second delete finds nothing', async () => {
    const db = getDb();
    const repo = await fresh(db);
    const root = newRoot();
    await repo.add(root);
    const at = new Date(T0.getTime() + 5_000);
    const deleted = await repo.delete(root.id, 'client:admin2', at);
    assert.equal(deleted?.deletedAt?.getTime(), at.getTime());
    assert.equal(deleted?.deletedBy, 'client:admin2');
    assert.equal(await repo.get(root.id), undefined);
    assert.equal((await repo.get(root.id, { includeDeleted: true }))?.deletedBy, 'client:admin2');
    assert.equal(await repo.findActiveByFingerprint(root.fingerprintSha256), undefined);
    assert.equal(await repo.delete(root.id, 'client:admin', at), undefined);
    assert.equal(await auditCount(db), 2);
    assert.deepEqual(await repo.list(), []);
  });

  test('lists by type and edition, oldest first', async () => {
    const db = getDb();
    const repo = await fresh(db);
    const v2g2 = newRoot({ rootType: 'V2G', iso: 2 });
    const v2g20 = newRoot({ rootType: 'V2G', iso: 20 });
    const mo = newRoot({ rootType: 'MO', iso: 2 });
    const oem = newRoot({ rootType: 'OEM', iso: 20 });
    for (const r of [v2g2, v2g20, mo, oem]) await repo.add(r);
    await repo.delete(mo.id, 'client:admin', T0);
    const ids = async (filter: Parameters<SqlRcpRepository['list']>[0]) =>
      (await repo.list(filter)).map((r) => r.id);
    assert.deepEqual(await ids({}), [v2g2.id, v2g20.id, oem.id]);
    assert.deepEqual(await ids({ types: ['V2G'] }), [v2g2.id, v2g20.id]);
    assert.deepEqual(await ids({ types: ['V2G', 'OEM'], iso: 20 }), [v2g20.id, oem.id]);
    assert.deepEqual(await ids({ types: ['MO'] }), []);
    assert.deepEqual(await ids({ types: ['MO'], includeDeleted: true }), [mo.id]);
    assert.deepEqual(await ids({ types: [] }), []);
    assert.deepEqual(await ids({ iso: 2, includeDeleted: true }), [v2g2.id, mo.id]);
  });

  test('the change count grows with every add and delete and never falls', async () => {
    const db = getDb();
    const repo = await fresh(db);
    assert.equal(await repo.changeCount(), 0);
    const a = newRoot();
    const b = newRoot();
    await repo.add(a);
    assert.equal(await repo.changeCount(), 1);
    await repo.add(b);
    assert.equal(await repo.changeCount(), 2);
    await repo.delete(a.id, 'client:admin', T0);
    assert.equal(await repo.changeCount(), 3);
    await repo.delete(a.id, 'client:admin', T0);
    assert.equal(await repo.changeCount(), 3, 'a delete that finds nothing changes nothing');
    await repo.add({ ...a, id: '00000000-0000-4000-8000-bbbbbbbbbbbb' });
    assert.equal(await repo.changeCount(), 4);
  });
});
