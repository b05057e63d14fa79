// Pool maintenance over the Contract Certificate Pool as wired in create-app.ts, on SQLite and
// PostgreSQL: an expired contract and a contract whose certificate our CA revoked leave the pool, the
// vehicle's next contract becomes its default, each removal is audited and raises oem.contract.deleted
// in the same transaction; a second run removes nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listAudit } from '../audit/audit-log.ts';
import { forEachEcosystem } from '../testing/test-ecosystem.ts';
import { demoCas, makeContract, makeCpsSigner, makeVehicle } from './testing/fixtures.ts';

forEachEcosystem(
  'ccp pool maintenance',
  (eco) => {
    test('expired and revoked contracts are removed with their events; the next becomes default', async () => {
      const { ca, ccp, maintenance, db } = eco().app;
      const cas = await demoCas(ca, 2);
      const cps = await makeCpsSigner(ca, cas, 2);
      const pcid = 'WP0MAINTENANCE001';
      const vehicle = await makeVehicle(ca, cas, pcid, 2);
      const short = await makeContract(ca, cas, cps, vehicle, pcid, 'DEMNT0000000011', {
        validity: { days: 10 },
      });
      const revoked = await makeContract(ca, cas, cps, vehicle, pcid, 'DEMNT0000000029');
      const kept = await makeContract(ca, cas, cps, vehicle, pcid, 'DEMNT0000000037');
      for (const c of [short, revoked, kept]) await ccp.addContract(c.record, 'client:test');
      assert.equal(
        (await ccp.store.listByPcid(pcid))[0]?.emaid,
        short.record.emaid,
        'the first is the default',
      );

      const nothing = await maintenance.run('cli');
      assert.equal(nothing.contracts, 0);

      const serial = (await ca.listCertificates({ leavesOnly: true })).find((c) =>
        c.subject.startsWith(`CN=${revoked.record.emaidAsInCertificate}`),
      )?.serial;
      assert.ok(serial !== undefined);
      await ca.revoke({ serial, issuerCaId: cas.moSub2.id, reason: 'keyCompromise', actor: 'test' });
      eco().clock.advance(11 * 86_400_000);

      const report = await maintenance.run('cli');
      assert.equal(report.failures, 0);
      assert.equal(report.contracts, 2);
      const left = await ccp.store.listByPcid(pcid);
      assert.deepEqual(
        left.map((c) => [c.emaid, c.isDefault]),
        [[kept.record.emaid, true]],
      );
      const events = await db.query<{ type: string; emaid: string | null }>(
        "SELECT type, emaid FROM events_outbox WHERE type = 'oem.contract.deleted' ORDER BY emaid",
      );
      assert.deepEqual(
        events.map((e) => e.emaid),
        [short.record.emaid, revoked.record.emaid].sort(),
      );
      const audit = await listAudit(db, { component: 'ccp' });
      assert.deepEqual(
        audit
          .filter((a) => a.action === 'contract.deleted' && a.details.reason === 'maintenance')
          .map((a) => a.subject)
          .sort(),
        [short.record.emaid, revoked.record.emaid].sort(),
      );
      assert.equal((await maintenance.run('system')).contracts, 0);
    });
  },
  { iso: [2], env: { PNC_MAINTENANCE_INTERVAL: '0' } },
);
