// D-178 on SQLite and PostgreSQL: maintenance removes webhook events older than the retention whose
// deliveries are all final, with their deliveries and delivery log, in batches, with an audit record;
// events with a pending delivery and recent events stay; 0 days keeps everything.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoRandom } from '../app/runtime.ts';
import { AUDIT_MIGRATIONS, listAudit } from '../audit/audit-log.ts';
import { EndpointService } from '../events/endpoints.ts';
import { EVENTS_MIGRATIONS } from '../events/migrations.ts';
import { EventOutbox } from '../events/outbox.ts';
import { PRUNE_BATCH } from '../events/repository.ts';
import { migrate } from '../storage/migrate.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import { SettableClock } from '../testing/test-ecosystem.ts';
import { MaintenanceService } from './service.ts';

const DAY = 86_400_000;
const START = new Date('2027-01-01T00:00:00Z');

async function count(db: Database, table: string): Promise<number> {
  return Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);
}

async function setup(db: Database) {
  const clock = new SettableClock(START);
  await migrate(db, [AUDIT_MIGRATIONS, EVENTS_MIGRATIONS], clock);
  const outbox = new EventOutbox({ clock, random: cryptoRandom });
  await new EndpointService({
    db,
    clock,
    random: cryptoRandom,
    allowHttp: false,
    allowPrivateNetworks: false,
  }).create(
    { clientId: 'oem', role: 'OEM', scope: { wmis: ['WR1'], providerIds: [], operatorIds: [] } },
    { url: 'https://oem.example/hook', enabledEvents: ['oem.contract.created'] },
    'opcp',
  );
  /** Raises one event for the endpoint at the clock; its delivery finished (with one attempt) or not. */
  const raise = async (i: number, finished: boolean) => {
    const pcid = `WR1${String(i).padStart(14, '0')}`;
    const { eventId: id } = await db.transaction((tx) =>
      outbox.raise(tx, { type: 'oem.contract.created', pcid, emaid: 'DERR1C12345678' }),
    );
    if (finished) {
      const at = clock.now().getTime();
      await db.transaction(async (tx) => {
        await tx.execute(
          "UPDATE events_deliveries SET status = 'delivered', attempts = 1, finished_at = $2 WHERE event_id = $1",
          [String(id), at],
        );
        const [delivery] = await tx.query<{ id: number }>(
          'SELECT id FROM events_deliveries WHERE event_id = $1',
          [String(id)],
        );
        await tx.execute(
          "INSERT INTO events_attempts (delivery_id, attempt, worker, started_at, finished_at, http_status, error, outcome) VALUES ($1, 1, 'w', $2, $2, 200, NULL, 'delivered')",
          [Number(delivery?.id), at],
        );
      });
    }
    return String(id);
  };
  const maintenance = (days: number) =>
    new MaintenanceService({ db, clock, events: outbox, pools: {}, eventRetentionDays: days });
  return { clock, raise, maintenance };
}

forEachBackend('event retention', (getDb) => {
  test('old finished events go with their log; pending and recent ones stay; audited; idempotent', async () => {
    const db = getDb();
    const { clock, raise, maintenance } = await setup(db);
    const oldDone = await raise(1, true);
    const oldPending = await raise(2, false);
    clock.advance(20 * DAY);
    const recentDone = await raise(3, true);
    clock.advance(11 * DAY); // the first two are 31 days old, the third 11

    const kept = await maintenance(0).run('system');
    assert.equal(kept.prunedEvents, 0);
    assert.equal(await count(db, 'events_outbox'), 3);

    const report = await maintenance(30).run('system');
    assert.equal(report.prunedEvents, 1);
    const left = (await db.query<{ id: string }>('SELECT id FROM events_outbox ORDER BY occurred_at')).map(
      (r) => r.id,
    );
    assert.deepEqual(left, [oldPending, recentDone]);
    assert.ok(!left.includes(oldDone));
    assert.equal(await count(db, 'events_deliveries'), 2);
    assert.equal(await count(db, 'events_attempts'), 1, 'the recent delivery keeps its log');
    const [audit] = await listAudit(db, { component: 'maintenance' });
    assert.equal(audit?.action, 'events.pruned');
    assert.deepEqual(
      [
        audit?.details.events,
        audit?.details.deliveries,
        audit?.details.attempts,
        audit?.details.retentionDays,
      ],
      [1, 1, 1, 30],
    );
    assert.equal((await maintenance(30).run('system')).prunedEvents, 0);
    assert.equal(
      (await listAudit(db, { component: 'maintenance' })).length,
      1,
      'nothing pruned, nothing audited',
    );
  });

  test('more than one batch: every old finished event goes, one audit record per batch', async () => {
    const db = getDb();
    const { clock, raise, maintenance } = await setup(db);
    for (let i = 0; i < PRUNE_BATCH + 3; i++) await raise(i, true);
    clock.advance(91 * DAY);
    const report = await maintenance(90).run('system');
    assert.equal(report.prunedEvents, PRUNE_BATCH + 3);
    assert.equal(await count(db, 'events_outbox'), 0);
    assert.equal(await count(db, 'events_deliveries'), 0);
    assert.equal(await count(db, 'events_attempts'), 0);
    assert.equal((await listAudit(db, { component: 'maintenance' })).length, 2);
  });
});
