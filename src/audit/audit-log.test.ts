// The pools' audit log on both storage backends: records written inside the change's transaction,
// rolled back with it, read newest first with filters, and refused UPDATE / DELETE (append-only).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrate } from '../storage/migrate.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import { AUDIT_MIGRATIONS, appendAudit, listAudit } from './audit-log.ts';

const T0 = new Date('2027-01-01T00:00:00.000Z');
const clock = { now: () => T0 };

forEachBackend('audit log', (getDb) => {
  test('appends inside the transaction and lists newest first with filters', async () => {
    const db = getDb();
    await migrate(db, [AUDIT_MIGRATIONS], clock);
    await db.transaction(async (tx) => {
      await appendAudit(tx, { at: T0, actor: 'cli', component: 'rcp', action: 'root.added', subject: 'aa' });
      await appendAudit(tx, {
        at: new Date(T0.getTime() + 1),
        actor: 'client:x',
        component: 'pcp',
        action: 'vehicle.added',
        subject: 'PCID1',
        details: { wmi: 'WP0' },
      });
    });
    const all = await listAudit(db);
    assert.deepEqual(
      all.map((r) => [r.component, r.action, r.subject]),
      [
        ['pcp', 'vehicle.added', 'PCID1'],
        ['rcp', 'root.added', 'aa'],
      ],
    );
    assert.deepEqual(all[0]?.details, { wmi: 'WP0' });
    assert.equal(all[1]?.at.getTime(), T0.getTime());
    assert.deepEqual(
      (await listAudit(db, { component: 'rcp' })).map((r) => r.subject),
      ['aa'],
    );
    assert.deepEqual(
      (await listAudit(db, { subject: 'PCID1', limit: 1 })).map((r) => r.action),
      ['vehicle.added'],
    );
  });

  test('a failed transaction leaves no record', async () => {
    const db = getDb();
    await migrate(db, [AUDIT_MIGRATIONS], clock);
    await assert.rejects(
      db.transaction(async (tx) => {
        await appendAudit(tx, {
          at: T0,
          actor: 'cli',
          component: 'ccp',
          action: 'contract.added',
          subject: 'E',
        });
        throw new Error('change failed');
      }),
      /change failed/,
    );
    assert.deepEqual(await listAudit(db), []);
  });

  test('records cannot be changed or deleted', async () => {
    const db = getDb();
    await migrate(db, [AUDIT_MIGRATIONS], clock);
    await db.transaction((tx) =>
      appendAudit(tx, { at: T0, actor: 'cli', component: 'rcp', action: 'root.deleted', subject: 'bb' }),
    );
    await assert.rejects(
      db.transaction((tx) => tx.execute("UPDATE audit_log SET actor = 'x'")),
      /append-only/,
    );
    await assert.rejects(
      db.transaction((tx) => tx.execute('DELETE FROM audit_log')),
      /append-only/,
    );
    assert.equal((await listAudit(db)).length, 1);
  });
});
