// The PCP repository contract on both storage backends: one row per PCID (case-insensitive), the
// PCID text and creation facts kept on update, every change in one transaction with its audit
// record and with the caller's step (the CCP deleting contracts), all rolled back together.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_MIGRATIONS, appendAudit, listAudit } from '../audit/audit-log.ts';
import { migrate } from '../storage/migrate.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import { type NewProvisioning, PCP_MIGRATIONS, SqlPcpRepository } from './repository.ts';

const T0 = new Date('2027-03-01T10:00:00.000Z');
const T1 = new Date('2027-03-02T10:00:00.000Z');
const clock = { now: () => T0 };

function record(pcid: string, overrides: Partial<NewProvisioning> = {}): NewProvisioning {
  return {
    pcid,
    wmi: pcid.slice(0, 3).toUpperCase(),
    iso: 2,
    vehicleCertificate: new Uint8Array([1, 2, 3]),
    subCa2Certificate: new Uint8Array([4, 5]),
    subCa1Certificate: new Uint8Array([6]),
    vehicleFingerprintSha256: 'a'.repeat(64),
    keyFingerprintSha256: 'b'.repeat(64),
    vehicleNotAfter: new Date('2031-01-01T00:00:00.000Z'),
    previousPcid: null,
    v2gRootAuthorityKeyIdentifiers: ['4b:45:ff:82'],
    root: {
      fingerprintSha256: 'c'.repeat(64),
      distinguishedName: 'CN=V2G Root CA, DC=V2G, O=PnC Test, C=DE',
      serialHex: '1f',
      keyIdentifier: '8b:35',
    },
    ...overrides,
  };
}

async function setUp(db: Database): Promise<SqlPcpRepository> {
  await migrate(db, [AUDIT_MIGRATIONS, PCP_MIGRATIONS], clock);
  return new SqlPcpRepository(db);
}

async function count(db: Database): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM pcp_vehicles');
  return Number(rows[0]?.n);
}

forEachBackend('pcp repository', (getDb) => {
  test('add, find case-insensitively, exists, list; with the audit record', async () => {
    const db = getDb();
    const repo = await setUp(db);
    const saved = await repo.save(record('wp0ABCDEFGHIJKLMN', { iso: 20, subCa2Certificate: null }), {
      actor: 'client:oem',
      at: T0,
      auditDetails: { revocation: [{ certificate: 'vehicle', status: 'good', source: 'ca' }] },
    });
    assert.equal(saved.outcome, 'created');
    assert.equal(saved.previous, undefined);
    const found = await repo.find('WP0abcdefghijklmn');
    assert.ok(found !== undefined);
    assert.equal(found.pcid, 'wp0ABCDEFGHIJKLMN');
    assert.equal(found.wmi, 'WP0');
    assert.equal(found.iso, 20);
    assert.deepEqual(found.vehicleCertificate, new Uint8Array([1, 2, 3]));
    assert.equal(found.subCa2Certificate, null);
    assert.deepEqual(found.v2gRootAuthorityKeyIdentifiers, ['4b:45:ff:82']);
    assert.deepEqual(found.root, record('x').root);
    assert.equal(found.createdAt.getTime(), T0.getTime());
    assert.equal(found.createdBy, 'client:oem');
    assert.equal(found.vehicleNotAfter.toISOString(), '2031-01-01T00:00:00.000Z');
    assert.equal(await repo.exists('WP0ABCDEFGHIJKLMN'), true);
    assert.equal(await repo.exists('WP0ABCDEFGHIJKLMX'), false);
    assert.equal(await repo.find('WP0ABCDEFGHIJKLMX'), undefined);
    await repo.save(record('ABC00000000000001'), { actor: 'client:other', at: T0 });
    assert.deepEqual(
      (await repo.list({ wmi: 'wp0' })).map((r) => r.pcid),
      ['wp0ABCDEFGHIJKLMN'],
    );
    assert.equal((await repo.list()).length, 2);
    const audit = await listAudit(db, { component: 'pcp' });
    assert.deepEqual(
      audit.map((a) => [a.action, a.subject, a.actor]),
      [
        ['vehicle.added', 'ABC00000000000001', 'client:other'],
        ['vehicle.added', 'wp0ABCDEFGHIJKLMN', 'client:oem'],
      ],
    );
    assert.deepEqual(audit[1]?.details.revocation, [
      { certificate: 'vehicle', status: 'good', source: 'ca' },
    ]);
    assert.equal(audit[1]?.details.wmi, 'WP0');
  });

  test('an update keeps the PCID text and the creation facts, and says whether the key changed', async () => {
    const db = getDb();
    const repo = await setUp(db);
    await repo.save(record('WP0ABCDEFGHIJKLMN'), { actor: 'client:a', at: T0 });
    const updated = await repo.save(
      record('wp0abcdefghijklmn', {
        keyFingerprintSha256: 'd'.repeat(64),
        vehicleCertificate: new Uint8Array([9]),
        previousPcid: 'WP0OLDOLDOLDOLDOL',
      }),
      { actor: 'client:b', at: T1 },
    );
    assert.equal(updated.outcome, 'updated');
    assert.equal(updated.previous?.keyFingerprintSha256, 'b'.repeat(64));
    const found = await repo.find('WP0ABCDEFGHIJKLMN');
    assert.equal(found?.pcid, 'WP0ABCDEFGHIJKLMN');
    assert.deepEqual(found?.vehicleCertificate, new Uint8Array([9]));
    assert.equal(found?.previousPcid, 'WP0OLDOLDOLDOLDOL');
    assert.equal(found?.createdAt.getTime(), T0.getTime());
    assert.equal(found?.createdBy, 'client:a');
    assert.equal(found?.updatedAt.getTime(), T1.getTime());
    assert.equal(found?.updatedBy, 'client:b');
    assert.equal(await count(db), 1);
    const [last] = await listAudit(db, { component: 'pcp' });
    assert.equal(last?.action, 'vehicle.updated');
    assert.equal(last?.details.keyChanged, true);
    assert.equal(last?.details.previousPcid, 'WP0OLDOLDOLDOLDOL');
  });

  test('the hook runs inside the transaction: its writes and its result are kept, or all is rolled back', async () => {
    const db = getDb();
    const repo = await setUp(db);
    await repo.save(record('WP0ABCDEFGHIJKLMN'), { actor: 'client:a', at: T0 });
    // The hook writes (as the CCP does: its own audit records) and reports a count.
    await repo.save(record('WP0ABCDEFGHIJKLMN', { keyFingerprintSha256: 'e'.repeat(64) }), {
      actor: 'client:a',
      at: T1,
      beforeWrite: async (tx, existing) => {
        assert.equal(existing?.keyFingerprintSha256, 'b'.repeat(64));
        await appendAudit(tx, {
          at: T1,
          actor: 'client:a',
          component: 'ccp',
          action: 'contract.deleted',
          subject: 'E1',
        });
        return { contractsDeleted: 1 };
      },
    });
    assert.equal((await listAudit(db, { component: 'pcp' }))[0]?.details.contractsDeleted, 1);
    assert.equal((await listAudit(db, { component: 'ccp' })).length, 1);

    // A failing hook: nothing of the update, nothing of the hook, no audit record.
    const before = await listAudit(db, { limit: 10_000 });
    await assert.rejects(
      repo.save(record('WP0ABCDEFGHIJKLMN', { keyFingerprintSha256: 'f'.repeat(64) }), {
        actor: 'client:a',
        at: T1,
        beforeWrite: async (tx) => {
          await appendAudit(tx, {
            at: T1,
            actor: 'x',
            component: 'ccp',
            action: 'contract.deleted',
            subject: 'E2',
          });
          throw new Error('CCP failed');
        },
      }),
      /CCP failed/,
    );
    assert.equal((await repo.find('WP0ABCDEFGHIJKLMN'))?.keyFingerprintSha256, 'e'.repeat(64));
    assert.deepEqual(await listAudit(db, { limit: 10_000 }), before);
  });

  test('remove deletes with the audit record and the hook; an unknown PCID writes nothing', async () => {
    const db = getDb();
    const repo = await setUp(db);
    await repo.save(record('WP0ABCDEFGHIJKLMN'), { actor: 'client:a', at: T0 });
    const auditBefore = (await listAudit(db)).length;
    assert.equal(await repo.remove('WP0ABCDEFGHIJKLMX', { actor: 'client:a', at: T1 }), undefined);
    assert.equal((await listAudit(db)).length, auditBefore);
    await assert.rejects(
      repo.remove('wp0abcdefghijklmn', {
        actor: 'client:a',
        at: T1,
        beforeDelete: async () => {
          throw new Error('CCP failed');
        },
      }),
      /CCP failed/,
    );
    assert.equal(await repo.exists('WP0ABCDEFGHIJKLMN'), true);
    const removed = await repo.remove('wp0abcdefghijklmn', {
      actor: 'client:a',
      at: T1,
      beforeDelete: async (_tx, existing) => ({ contractsDeleted: existing.pcid.length }),
    });
    assert.equal(removed?.pcid, 'WP0ABCDEFGHIJKLMN');
    assert.equal(await repo.exists('WP0ABCDEFGHIJKLMN'), false);
    const [last] = await listAudit(db, { component: 'pcp' });
    assert.equal(last?.action, 'vehicle.deleted');
    assert.equal(last?.subject, 'WP0ABCDEFGHIJKLMN');
    assert.equal(last?.details.contractsDeleted, 17);
  });

  test('the table refuses a second row for the same PCID in another case', async () => {
    const db = getDb();
    await setUp(db);
    const insert = (pcid: string) =>
      db.transaction((tx) =>
        tx.execute(
          'INSERT INTO pcp_vehicles (pcid_key, pcid, wmi, iso, vehicle_der, sub_ca1_der, vehicle_fingerprint, key_fingerprint, vehicle_not_after_at, v2g_root_key_ids, root_fingerprint, root_dn, root_serial, created_at, created_by, updated_at, updated_by) ' +
            "VALUES ($1, $2, 'WP0', 2, $3, $3, 'f', 'k', 0, '[]', 'r', 'dn', '1', 0, 'x', 0, 'x')",
          [pcid.toUpperCase(), pcid, new Uint8Array([1])],
        ),
      );
    await insert('WP0ABCDEFGHIJKLMN');
    await assert.rejects(insert('wp0abcdefghijklmn'));
    assert.equal(await count(db), 1);
    // iso is 2 or 20 on both backends.
    await assert.rejects(
      db.transaction((tx) =>
        tx.execute(
          'INSERT INTO pcp_vehicles (pcid_key, pcid, wmi, iso, vehicle_der, sub_ca1_der, vehicle_fingerprint, key_fingerprint, vehicle_not_after_at, v2g_root_key_ids, root_fingerprint, root_dn, root_serial, created_at, created_by, updated_at, updated_by) ' +
            "VALUES ('X', 'X', 'WP0', 3, $1, $1, 'f', 'k', 0, '[]', 'r', 'dn', '1', 0, 'x', 0, 'x')",
          [new Uint8Array([1])],
        ),
      ),
    );
  });
});
