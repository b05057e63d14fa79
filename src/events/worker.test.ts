// Two workers (as two server instances) on one database never send the same delivery at the same
// time: each due delivery reaches the receiver exactly once, on SQLite and PostgreSQL. And a worker
// whose lease expired mid-request does not overwrite the outcome of the worker that took over.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { cryptoRandom } from '../app/runtime.ts';
import { AUDIT_MIGRATIONS } from '../audit/audit-log.ts';
import { migrate } from '../storage/migrate.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import { SettableClock } from '../testing/test-ecosystem.ts';
import { EndpointService } from './endpoints.ts';
import { EVENTS_MIGRATIONS } from './migrations.ts';
import { EventOutbox } from './outbox.ts';
import { listAttempts, listDeliveries } from './repository.ts';
import { startReceiver, type TestReceiver } from './testing/receiver.ts';
import { DeliveryWorker } from './worker.ts';

let receiver: TestReceiver;
before(async () => {
  receiver = await startReceiver();
});
after(() => receiver.close());

const silent = { info: () => undefined, warn: () => undefined };

async function setup(db: Database, path: string) {
  const clock = new SettableClock();
  await migrate(db, [AUDIT_MIGRATIONS, EVENTS_MIGRATIONS], clock);
  const outbox = new EventOutbox({ clock, random: cryptoRandom });
  await new EndpointService({
    db,
    clock,
    random: cryptoRandom,
    allowHttp: true,
    allowPrivateNetworks: true,
  }).create(
    { clientId: 'oem', role: 'OEM', scope: { wmis: ['WW1'], providerIds: [], operatorIds: [] } },
    { url: `${receiver.url}/${path}`, enabledEvents: ['oem.contract.created'] },
    'opcp',
  );
  const worker = (timeoutMs = 5000) =>
    new DeliveryWorker({
      db,
      clock,
      random: cryptoRandom,
      outbox,
      logger: silent,
      options: {
        retries: 3,
        retryDelaySeconds: 3600,
        allowPrivateNetworks: true,
        timeoutMs,
        pollIntervalMs: 1000,
        concurrency: 4,
      },
    });
  return { clock, outbox, worker };
}

forEachBackend('delivery worker leases', (getDb) => {
  test('two workers racing over 40 deliveries: each is sent exactly once', async () => {
    const db = getDb();
    const path = `race-${Math.random().toString(36).slice(2)}`;
    const { outbox, worker } = await setup(db, path);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const pcid = `WW1${String(i).padStart(14, '0')}`;
      const raised = await db.transaction((tx) =>
        outbox.raise(tx, { type: 'oem.contract.created', pcid, emaid: 'DEWW1C12345678' }),
      );
      ids.push(raised.eventId);
    }
    const a = worker();
    const b = worker();
    const [na, nb] = await Promise.all([a.runOnce(), b.runOnce()]);
    assert.equal(na + nb, 40);
    const mine = receiver.requests.filter((r) => r.path === `/${path}`);
    const received = mine.map((r) => (JSON.parse(r.body) as { eventId: string }).eventId).sort();
    assert.deepEqual(received, [...ids].sort());
    const deliveries = await listDeliveries(db, { status: 'delivered' });
    assert.equal(deliveries.length, 40);
  });

  test('an outcome that comes after the lease expired is not recorded over the new holder', async () => {
    const db = getDb();
    const path = `slow-${Math.random().toString(36).slice(2)}`;
    const { clock, outbox, worker } = await setup(db, path);
    receiver.script(['hold'], 200);
    const raised = await db.transaction((tx) =>
      outbox.raise(tx, { type: 'oem.contract.created', pcid: 'WW100000000000099', emaid: 'DEWW1C12345678' }),
    );
    const slow = worker(60_000);
    const first = slow.runOnce();
    await receiver.waitFor(receiver.requests.length + 1);
    // The lease (timeout + 5 s) runs out; another worker takes the delivery over and succeeds.
    clock.advance(66_000);
    const other = worker();
    assert.equal(await other.runOnce(), 1);
    // The held request now fails for the first worker (500): its outcome must not count.
    receiver.release(500);
    await first;
    const [delivery] = await listDeliveries(db, { eventId: raised.eventId });
    assert.equal(delivery?.status, 'delivered');
    const attempts = await listAttempts(db, delivery?.id ?? 0);
    assert.deepEqual(
      attempts.map((x) => [x.httpStatus, x.outcome, x.worker]),
      [[200, 'delivered', other.id]],
    );
  });

  test('a keep-alive connection closed by the receiver as it is reused: sent again at once', async () => {
    const db = getDb();
    // A raw HTTP server: on each connection, the first request is answered 200 with keep-alive; the
    // second request on the same connection is cut without an answer (the receiver's idle timeout
    // racing the reuse).
    let connections = 0;
    let answered = 0;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      connections++;
      sockets.add(socket);
      let requests = 0;
      socket.on('data', (chunk) => {
        if (!chunk.includes('\r\n\r\n')) return;
        requests++;
        if (requests === 1) {
          answered++;
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
        } else socket.destroy();
      });
      socket.on('error', () => undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    try {
      const clock = new SettableClock();
      await migrate(db, [AUDIT_MIGRATIONS, EVENTS_MIGRATIONS], clock);
      const outbox = new EventOutbox({ clock, random: cryptoRandom });
      await new EndpointService({
        db,
        clock,
        random: cryptoRandom,
        allowHttp: true,
        allowPrivateNetworks: true,
      }).create(
        { clientId: 'oem', role: 'OEM', scope: { wmis: ['WW2'], providerIds: [], operatorIds: [] } },
        { url: `http://127.0.0.1:${port}/`, enabledEvents: ['oem.contract.created'] },
        'opcp',
      );
      const worker = new DeliveryWorker({
        db,
        clock,
        random: cryptoRandom,
        outbox,
        logger: silent,
        options: {
          retries: 3,
          retryDelaySeconds: 3600,
          timeoutMs: 5000,
          pollIntervalMs: 1000,
          concurrency: 1,
          allowPrivateNetworks: true,
        },
      });
      for (const n of [1, 2]) {
        await db.transaction((tx) =>
          outbox.raise(tx, {
            type: 'oem.contract.created',
            pcid: `WW20000000000000${n}`,
            emaid: 'DEWW2C12345678',
          }),
        );
        await worker.runOnce();
      }
      await worker.stop();
      assert.equal(answered, 2);
      assert.equal(connections, 2, 'the second event went over a new connection');
      const deliveries = await listDeliveries(db);
      assert.deepEqual(
        deliveries.map((d) => [d.status, d.attempts]),
        [
          ['delivered', 1],
          ['delivered', 1],
        ],
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
