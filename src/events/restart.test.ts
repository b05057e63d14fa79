// No event is lost when the server is killed during a delivery: `pnc serve` (bin/pnc.js, a real child
// process) on a data directory POSTs an event to a receiver that holds the request open; the process
// is killed with SIGKILL; a new `pnc serve` on the same data directory sends the event again once the
// dead worker's lease has expired, with the same body and eventId (receivers deduplicate on it).
// The event is raised by this test process through the event sink in a transaction on the same
// SQLite file (WAL: a second process may write, docs/storage.md), as a `pnc` command would.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openMigratedDatabase } from '../app/database.ts';
import { cryptoRandom, systemClock } from '../app/runtime.ts';
import { loadConfig } from '../config/load-config.ts';
import type { Database } from '../storage/types.ts';
import { EndpointService } from './endpoints.ts';
import { EventOutbox } from './outbox.ts';
import { listAttempts, listDeliveries } from './repository.ts';
import { startReceiver, type TestReceiver } from './testing/receiver.ts';

const bin = fileURLToPath(new URL('../../bin/pnc.js', import.meta.url));

let dir: string;
let db: Database;
let receiver: TestReceiver;
const children: ChildProcess[] = [];

const env = () => ({
  ...process.env,
  PNC_DATA_DIR: dir,
  PNC_PORT: '0',
  PNC_LOG_LEVEL: 'info',
  PNC_WEBHOOK_ALLOW_HTTP: '1',
  PNC_WEBHOOK_ALLOW_PRIVATE: '1',
  PNC_WEBHOOK_TIMEOUT_MS: '2000',
  PNC_WEBHOOK_POLL_MS: '50',
  PNC_MAINTENANCE_INTERVAL: '0',
  DATABASE_URL: '',
});

function serve(): ChildProcess {
  const e: NodeJS.ProcessEnv = env();
  delete e.DATABASE_URL;
  delete e.PNC_CONFIG;
  const child = spawn(process.execPath, [bin, 'serve'], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pnc-events-restart-'));
  const config = loadConfig({ env: { PNC_DATA_DIR: dir } });
  db = await openMigratedDatabase(config, { clock: systemClock, logger: { warn: () => undefined } });
  receiver = await startReceiver();
});

after(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await receiver?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

test('kill -9 during a delivery, restart: the event arrives again, same eventId, then delivered', async () => {
  const endpoints = new EndpointService({
    db,
    clock: systemClock,
    random: cryptoRandom,
    allowHttp: true,
    allowPrivateNetworks: true,
  });
  await endpoints.create(
    { clientId: 'test-oem', role: 'OEM', scope: { wmis: ['WK1'], providerIds: [], operatorIds: [] } },
    { url: `${receiver.url}/hook`, enabledEvents: ['oem.contract.created'] },
    'opcp',
  );
  // The first request is held open (the server is killed while waiting for it); then 200.
  receiver.script(['hold'], 200);

  const first = serve();
  const outbox = new EventOutbox({ clock: systemClock, random: cryptoRandom });
  const raised = await db.transaction((tx) =>
    outbox.raise(tx, {
      type: 'oem.contract.created',
      pcid: 'WK100000000000001',
      emaid: 'DEKK1C12345678',
      iso: 2,
    }),
  );
  await receiver.waitFor(1);
  first.kill('SIGKILL');
  await once(first, 'exit');
  const [inFlight] = await listDeliveries(db, { eventId: raised.eventId });
  assert.equal(inFlight?.status, 'pending', 'the killed attempt left no outcome');
  assert.notEqual(inFlight?.leaseOwner, null, 'but its lease');

  const second = serve();
  await receiver.waitFor(2);
  const [a, b] = receiver.requests;
  assert.equal(a?.body, b?.body);
  assert.equal((JSON.parse(b?.body ?? '{}') as { eventId: string }).eventId, raised.eventId);
  assert.equal(b?.headers['x-pnc-event-id'], raised.eventId);

  // The restarted server records the outcome.
  let delivered = await listDeliveries(db, { eventId: raised.eventId });
  for (let i = 0; i < 200 && delivered[0]?.status !== 'delivered'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    delivered = await listDeliveries(db, { eventId: raised.eventId });
  }
  assert.equal(delivered[0]?.status, 'delivered');
  const attempts = await listAttempts(db, delivered[0]?.id ?? 0);
  assert.deepEqual(
    attempts.map((x) => [x.httpStatus, x.outcome]),
    [[200, 'delivered']],
  );
  assert.equal(receiver.requests.length, 2);
  second.kill('SIGTERM');
  await once(second, 'exit');
});
