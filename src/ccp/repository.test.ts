// The CCP store on both storage backends: add / replace with audit records in the same transaction,
// one default per vehicle and edition (first stored, promotion on delete, switch), deletion per
// vehicle inside the caller's transaction (the PCP's use), and nothing changed by a failed change.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AUDIT_MIGRATIONS, listAudit } from '../audit/audit-log.ts';
import { isAppError } from '../errors/app-error.ts';
import { migrate } from '../storage/migrate.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import type { NewSignedContract } from './contract-record.ts';
import { ContractStore } from './contract-store.ts';
import { CCP_MIGRATIONS } from './repository.ts';

const T0 = new Date('2027-03-01T10:00:00.000Z');
const clock = { now: () => T0 };

function contract(
  emaid: string,
  pcid: string | null,
  overrides: Partial<NewSignedContract> = {},
): NewSignedContract {
  return {
    emaid,
    emaidAsInCertificate: emaid,
    pcid,
    iso: 2,
    providerId: emaid.slice(0, 5),
    certificateInstallationRes: Uint8Array.of(0x80, 0x98, 1, 2, 3),
    contractCertificate: Uint8Array.of(0x30, 1, 2),
    contractNotAfter: new Date('2029-01-01T00:00:00.000Z'),
    cpsV2GRootFingerprint: 'ab'.repeat(32),
    cpsRootDistinguishedName: 'CN=V2G Root',
    metadata: null,
    source: 'cps',
    ...overrides,
  };
}

async function setup(db: Database): Promise<ContractStore> {
  await migrate(db, [AUDIT_MIGRATIONS, CCP_MIGRATIONS], clock);
  return new ContractStore({ db, clock });
}

const PCID = 'WMIV1234567890ABC';

forEachBackend('ccp contract store', (getDb) => {
  test('the first contract of a vehicle becomes its default; later ones do not; a replace keeps the flag', async () => {
    const db = getDb();
    const store = await setup(db);
    const first = await store.addContract(contract('DEABC000000001', PCID), 'client:a');
    const second = await store.addContract(contract('DEABC000000002', PCID), 'client:a');
    assert.equal(first.isDefault, true);
    assert.equal(second.isDefault, false);
    // The same EMAID, PCID (other case) and edition replaces: same row, still default, new bytes.
    const again = await store.addContract(
      contract('DEABC000000001', PCID.toLowerCase(), { certificateInstallationRes: Uint8Array.of(0x80, 9) }),
      'client:b',
    );
    assert.deepEqual(again, first);
    const listed = await store.listByPcid(PCID);
    assert.deepEqual(
      listed.map((r) => [r.emaid, r.isDefault]),
      [
        ['DEABC000000001', true],
        ['DEABC000000002', false],
      ],
    );
    assert.deepEqual([...(listed[0]?.certificateInstallationRes ?? [])], [0x80, 9]);
    assert.equal(listed[0]?.pcid, PCID.toLowerCase(), 'the PCID is kept as last received');
    // Another edition of the same vehicle has its own default.
    const iso20 = await store.addContract(contract('DEABC000000002', PCID, { iso: 20 }), 'client:a');
    assert.equal(iso20.isDefault, true);
    const audit = await listAudit(db, { component: 'ccp' });
    assert.deepEqual(audit.map((r) => [r.action, r.subject, r.actor]).reverse(), [
      ['contract.added', 'DEABC000000001', 'client:a'],
      ['contract.added', 'DEABC000000002', 'client:a'],
      ['contract.replaced', 'DEABC000000001', 'client:b'],
      ['contract.added', 'DEABC000000002', 'client:a'],
    ]);
  });

  test('deleting the default promotes the oldest remaining contract of that vehicle and edition', async () => {
    const db = getDb();
    const store = await setup(db);
    await store.addContract(contract('DEABC000000001', PCID), 'client:a');
    await store.addContract(contract('DEABC000000002', PCID), 'client:a');
    await store.addContract(contract('DEABC000000003', PCID), 'client:a');
    const deleted = await store.deleteByEmaid(['DEABC000000001'], 'client:mo');
    assert.equal(deleted.length, 1);
    assert.equal(deleted[0]?.promoted?.emaid, 'DEABC000000002');
    assert.deepEqual(
      (await store.listByPcid(PCID)).map((r) => [r.emaid, r.isDefault]),
      [
        ['DEABC000000002', true],
        ['DEABC000000003', false],
      ],
    );
    // Deleting a non-default changes no flag.
    const other = await store.deleteByEmaid(['DEABC000000003'], 'client:mo');
    assert.equal(other[0]?.promoted, undefined);
    const actions = (await listAudit(db, { component: 'ccp' })).map((r) => [r.action, r.subject]);
    assert.deepEqual(actions.slice(0, 3), [
      ['contract.deleted', 'DEABC000000003'],
      ['contract.default-set', 'DEABC000000002'],
      ['contract.deleted', 'DEABC000000001'],
    ]);
    // The last one: nothing left to promote.
    const last = await store.deleteByEmaid(['DEABC000000002'], 'client:mo');
    assert.equal(last[0]?.promoted, undefined);
    assert.deepEqual(await store.listByPcid(PCID), []);
  });

  test('setDefault switches the default; an unknown EMAID changes nothing', async () => {
    const db = getDb();
    const store = await setup(db);
    await store.addContract(contract('DEABC000000001', PCID), 'client:a');
    await store.addContract(contract('DEXYZ000000002', PCID), 'client:a');
    const changed = await store.setDefault(PCID, ['DEXYZ000000002'], 'client:oem');
    assert.deepEqual(
      changed.map((r) => r.emaid),
      ['DEXYZ000000002'],
    );
    assert.deepEqual(
      (await store.listByPcid(PCID)).map((r) => [r.emaid, r.isDefault]),
      [
        ['DEXYZ000000002', true],
        ['DEABC000000001', false],
      ],
    );
    const before = (await listAudit(db)).length;
    assert.deepEqual(await store.setDefault(PCID, ['DEABC000000009'], 'client:oem'), []);
    // Setting the current default again is no change either (no audit record).
    await store.setDefault(PCID, ['DEXYZ000000002'], 'client:oem');
    assert.equal((await listAudit(db)).length, before);
  });

  test('two defaults for one vehicle and edition are impossible (unique partial index)', async () => {
    const db = getDb();
    const store = await setup(db);
    await store.addContract(contract('DEABC000000001', PCID), 'client:a');
    await store.addContract(contract('DEABC000000002', PCID), 'client:a');
    await assert.rejects(db.transaction((tx) => tx.execute('UPDATE ccp_contracts SET is_default = 1')));
    assert.equal((await store.listByPcid(PCID)).filter((r) => r.isDefault).length, 1);
  });

  test('deleteContractsOfVehicle runs in the caller transaction: rolled back with it, committed with it', async () => {
    const db = getDb();
    const store = await setup(db);
    await store.addContract(contract('DEABC000000001', PCID), 'client:a');
    await store.addContract(contract('DEABC000000002', PCID, { iso: 20 }), 'client:a');
    await store.addContract(contract('DEABC000000003', 'WMIOTHERVEHICLE01'), 'client:a');
    const auditBefore = (await listAudit(db)).length;
    await assert.rejects(
      db.transaction(async (tx) => {
        assert.equal((await store.deleteContractsOfVehicle(tx, PCID.toLowerCase(), 'client:pcp')).length, 2);
        throw new Error('the PCP change failed');
      }),
      /the PCP change failed/,
    );
    assert.equal((await store.listByPcid(PCID)).length, 2);
    assert.equal((await listAudit(db)).length, auditBefore);
    const removed = await db.transaction((tx) => store.deleteContractsOfVehicle(tx, PCID, 'client:pcp'));
    assert.deepEqual(removed.map((c) => [c.emaid, c.pcid, c.iso]).sort(), [
      ['DEABC000000001', PCID, 2],
      ['DEABC000000002', PCID, 20],
    ]);
    assert.deepEqual(await store.listByPcid(PCID), []);
    assert.equal((await store.listByPcid('WMIOTHERVEHICLE01')).length, 1);
    const audit = await listAudit(db, { component: 'ccp', limit: 2 });
    assert.deepEqual(
      audit.map((r) => [r.action, r.actor, r.details.reason]),
      [
        ['contract.deleted', 'client:pcp', 'vehicle'],
        ['contract.deleted', 'client:pcp', 'vehicle'],
      ],
    );
  });

  test('contracts without a vehicle are stored, never default; invalid input is refused and stores nothing', async () => {
    const db = getDb();
    const store = await setup(db);
    const unbound = await store.addContract(contract('DEABC000000001', null), 'client:a');
    assert.equal(unbound.isDefault, false);
    assert.equal((await store.findByEmaid(['DEABC000000001'])).length, 1);
    for (const bad of [
      contract('deabc000000001', PCID),
      contract('DEABC000000001', 'WMI-1234567890ABC'),
      contract('DEABC000000001', PCID, { providerId: 'DEXYZ' }),
      contract('DEABC000000001', PCID, { certificateInstallationRes: new Uint8Array(0) }),
      contract('DEABC000000001', PCID, { iso: 3 as 2 }),
      contract('DEABC000000001', PCID, { cpsV2GRootFingerprint: 'AB'.repeat(32) }),
    ]) {
      await assert.rejects(
        store.addContract(bad, 'client:a'),
        (e) => isAppError(e) && e.code === 'ccp.invalid-contract',
      );
    }
    assert.equal(await store.repository.count(db), 1);
    assert.equal((await listAudit(db, { component: 'ccp' })).length, 1);
  });

  test('property: after any sequence of adds, deletes and default switches each vehicle edition with contracts has exactly one default', async () => {
    const db = getDb();
    const store = await setup(db);
    const emaids = ['DEABC000000001', 'DEABC000000002', 'DEABC000000003', 'DEABC000000004'];
    const pcids = ['WMIV1234567890AAA', 'WMIV1234567890BBB'];
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        e: fc.nat(3),
        p: fc.nat(1),
        iso: fc.constantFrom(2 as const, 20 as const),
      }),
      fc.record({ kind: fc.constant('delete' as const), e: fc.nat(3) }),
      fc.record({ kind: fc.constant('default' as const), e: fc.nat(3), p: fc.nat(1) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        await db.transaction((tx) => tx.execute('DELETE FROM ccp_contracts'));
        for (const o of ops) {
          const emaid = emaids[o.e] as string;
          if (o.kind === 'add')
            await store.addContract(contract(emaid, pcids[o.p] as string, { iso: o.iso }), 'x');
          else if (o.kind === 'delete') await store.deleteByEmaid([emaid], 'x');
          else await store.setDefault(pcids[o.p] as string, [emaid], 'x');
        }
        for (const pcid of pcids) {
          for (const iso of [2, 20] as const) {
            const rows = await store.listByPcid(pcid, { iso });
            if (rows.length > 0) assert.equal(rows.filter((r) => r.isDefault).length, 1);
            if (rows.length > 0) assert.equal(rows[0]?.isDefault, true, 'the default is listed first');
          }
        }
      }),
      { numRuns: 15 },
    );
  });
});
