// Pool maintenance on SQLite and PostgreSQL: expired and revoked records leave the pools with their
// dependants, the events that follow are queued for the right tenants only, every removal is audited,
// and a failing removal leaves its transaction (records, events, audit) untouched.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoRandom } from '../app/runtime.ts';
import { AUDIT_MIGRATIONS, listAudit } from '../audit/audit-log.ts';
import type { TenantScope } from '../auth/principal.ts';
import { EndpointService } from '../events/endpoints.ts';
import { EVENTS_MIGRATIONS } from '../events/migrations.ts';
import { EventOutbox } from '../events/outbox.ts';
import { listDeliveries } from '../events/repository.ts';
import { migrate } from '../storage/migrate.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import { SettableClock } from '../testing/test-ecosystem.ts';
import { MaintenanceService } from './service.ts';
import { MAINTENANCE_TEST_MIGRATIONS, TestPools } from './testing/sql-pools.ts';

const NOW = new Date('2027-06-01T00:00:00Z');
const PAST = NOW.getTime() - 1000;
const FUTURE = NOW.getTime() + 86_400_000;
const FP_OLD = 'a'.repeat(64);
const FP_OK = 'b'.repeat(64);

async function setup(db: Database) {
  const clock = new SettableClock(NOW);
  await migrate(db, [AUDIT_MIGRATIONS, EVENTS_MIGRATIONS, MAINTENANCE_TEST_MIGRATIONS], clock);
  const sink = new EventOutbox({ clock, random: cryptoRandom });
  const endpoints = new EndpointService({
    db,
    clock,
    random: cryptoRandom,
    allowHttp: true,
    allowPrivateNetworks: true,
  });
  const scope = (wmis: string[], providerIds: string[]): TenantScope => ({
    wmis,
    providerIds,
    operatorIds: [],
  });
  const subscribe = (clientId: string, role: 'OEM' | 'MO' | 'CPO', s: TenantScope, events: string[]) =>
    endpoints.create(
      { clientId, role, scope: s },
      { url: `https://${clientId}.example/`, enabledEvents: events },
      'opcp',
    );
  const oemA = await subscribe('oem-a', 'OEM', scope(['WM1'], []), [
    'oem.contract.deleted',
    'root.cert.expired',
  ]);
  const oemB = await subscribe('oem-b', 'OEM', scope(['WM2'], []), [
    'oem.contract.deleted',
    'root.cert.revoked',
  ]);
  const moA = await subscribe('mo-a', 'MO', scope([], ['DEMM1']), ['mo.prov.cert.deleted']);
  const moB = await subscribe('mo-b', 'MO', scope([], ['DEMM2']), ['mo.prov.cert.deleted']);
  const cpo = await subscribe('cpo', 'CPO', { wmis: [], providerIds: [], operatorIds: ['DECP1'] }, [
    'root.cert.expired',
    'root.cert.revoked',
  ]);
  await db.transaction(async (tx) => {
    const exec = (sql: string, p: (string | number | null)[]) => tx.execute(sql, p);
    await exec('INSERT INTO mt_roots VALUES ($1, $2, $3, $4, $5)', ['root-old', FP_OLD, 'Old Root', PAST, 0]);
    await exec('INSERT INTO mt_roots VALUES ($1, $2, $3, $4, $5)', [
      'root-ok',
      FP_OK,
      'Good Root',
      FUTURE,
      0,
    ]);
    // Under the expired root: one vehicle with one contract, one contract signed under it.
    await exec('INSERT INTO mt_prov VALUES ($1, $2, $3, $4)', ['WM1000000000000001', FP_OLD, FUTURE, 0]);
    await exec('INSERT INTO mt_contracts VALUES ($1, $2, $3, $4, $5, $6)', [
      'c1',
      'WM1000000000000001',
      'DEMM1C00000001',
      FP_OK,
      FUTURE,
      0,
    ]);
    await exec('INSERT INTO mt_contracts VALUES ($1, $2, $3, $4, $5, $6)', [
      'c2',
      'WM2000000000000002',
      'DEMM1C00000002',
      FP_OLD,
      FUTURE,
      0,
    ]);
    // A revoked provisioning certificate (good root) with two contracts of two MOs.
    await exec('INSERT INTO mt_prov VALUES ($1, $2, $3, $4)', ['WM2000000000000003', FP_OK, FUTURE, 1]);
    await exec('INSERT INTO mt_contracts VALUES ($1, $2, $3, $4, $5, $6)', [
      'c3',
      'WM2000000000000003',
      'DEMM1C00000003',
      FP_OK,
      FUTURE,
      0,
    ]);
    await exec('INSERT INTO mt_contracts VALUES ($1, $2, $3, $4, $5, $6)', [
      'c4',
      'WM2000000000000003',
      'DEMM2C00000004',
      FP_OK,
      FUTURE,
      0,
    ]);
    // An expired contract, an unbound expired contract, and healthy records.
    await exec('INSERT INTO mt_contracts VALUES ($1, $2, $3, $4, $5, $6)', [
      'c5',
      'WM1000000000000005',
      'DEMM2C00000005',
      FP_OK,
      PAST,
      0,
    ]);
    await exec('INSERT INTO mt_contracts VALUES ($1, $2, $3, $4, $5, $6)', [
      'c6',
      null,
      'DEMM2C00000006',
      FP_OK,
      PAST,
      0,
    ]);
    await exec('INSERT INTO mt_prov VALUES ($1, $2, $3, $4)', ['WM1000000000000007', FP_OK, FUTURE, 0]);
    await exec('INSERT INTO mt_contracts VALUES ($1, $2, $3, $4, $5, $6)', [
      'c7',
      'WM1000000000000007',
      'DEMM1C00000007',
      FP_OK,
      FUTURE,
      0,
    ]);
  });
  const pools = new TestPools(db);
  const service = new MaintenanceService({
    db,
    clock,
    events: sink,
    pools: { rcp: pools, pcp: pools, ccp: pools },
  });
  return { clock, pools, service, endpoints: { oemA, oemB, moA, moB, cpo } };
}

async function eventsFor(db: Database, endpointId: string): Promise<string[]> {
  const list = await listDeliveries(db, { endpointId });
  return list
    .map((d) => {
      const body = JSON.parse(d.body) as {
        eventType: string;
        payload: { emaid?: string; commonName?: string };
      };
      return `${body.eventType} ${body.payload.emaid ?? body.payload.commonName}`;
    })
    .sort();
}

forEachBackend('pool maintenance', (getDb) => {
  test('removes expired and revoked records with their dependants; events per tenant; audited', async () => {
    const db = getDb();
    const { service, endpoints } = await setup(db);
    const report = await service.run('cli');
    assert.equal(report.roots, 1);
    assert.equal(report.provisioningCertificates, 2);
    assert.equal(report.contracts, 6);
    assert.equal(report.failures, 0);
    const left = await db.query<{ id: string }>('SELECT id FROM mt_contracts ORDER BY id');
    assert.deepEqual(
      left.map((r) => r.id),
      ['c7'],
    );
    const roots = await db.query<{ id: string }>('SELECT id FROM mt_roots');
    assert.deepEqual(
      roots.map((r) => r.id),
      ['root-ok'],
    );
    const prov = await db.query<{ pcid: string }>('SELECT pcid FROM mt_prov');
    assert.deepEqual(
      prov.map((r) => r.pcid),
      ['WM1000000000000007'],
    );

    assert.deepEqual(await eventsFor(db, endpoints.oemA.id), [
      'oem.contract.deleted DEMM1C00000001',
      'oem.contract.deleted DEMM2C00000005',
      'root.cert.expired Old Root',
    ]);
    assert.deepEqual(await eventsFor(db, endpoints.oemB.id), [
      'oem.contract.deleted DEMM1C00000002',
      'oem.contract.deleted DEMM1C00000003',
      'oem.contract.deleted DEMM2C00000004',
    ]);
    assert.deepEqual(await eventsFor(db, endpoints.moA.id), [
      'mo.prov.cert.deleted DEMM1C00000001',
      'mo.prov.cert.deleted DEMM1C00000003',
    ]);
    assert.deepEqual(await eventsFor(db, endpoints.moB.id), ['mo.prov.cert.deleted DEMM2C00000004']);
    assert.deepEqual(await eventsFor(db, endpoints.cpo.id), ['root.cert.expired Old Root']);

    const audit = await listAudit(db, { component: 'maintenance' });
    assert.equal(audit.filter((a) => a.action === 'root.removed').length, 1);
    assert.equal(audit.filter((a) => a.action === 'provisioning-certificate.removed').length, 2);
    assert.equal(audit.filter((a) => a.action === 'contract.removed').length, 6);
    assert.ok(audit.every((a) => a.actor === 'cli'));
    assert.deepEqual(audit.find((a) => a.subject === 'WM2000000000000003')?.details, {
      reason: 'revoked',
      contracts: 2,
    });

    // A second run finds nothing.
    const again = await service.run('system');
    assert.deepEqual(
      [again.roots, again.provisioningCertificates, again.contracts, again.events],
      [0, 0, 0, 0],
    );
  });

  test('a failing removal rolls back its record, events and audit; the others go through', async () => {
    const db = getDb();
    const { service, pools, endpoints } = await setup(db);
    pools.failContract = 'c5';
    const report = await service.run('system');
    assert.equal(report.failures, 1);
    const c5 = await db.query<{ id: string }>("SELECT id FROM mt_contracts WHERE id = 'c5'");
    assert.equal(c5.length, 1, 'c5 is still there');
    assert.ok(!(await eventsFor(db, endpoints.oemA.id)).includes('oem.contract.deleted DEMM2C00000005'));
    const audit = await listAudit(db, { component: 'maintenance', subject: 'DEMM2C00000005' });
    assert.equal(audit.length, 0);
    assert.equal(report.roots, 1);
    pools.failContract = undefined;
    const retry = await service.run('system');
    assert.equal(retry.contracts, 1);
  });
});
