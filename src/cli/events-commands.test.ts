// `pnc events list|retry` and `pnc maintain` in-process on a real data directory, with deliveries made
// by a real delivery worker to a real HTTP receiver.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openMigratedDatabase } from '../app/database.ts';
import { cryptoRandom, systemClock } from '../app/runtime.ts';
import { listAudit } from '../audit/audit-log.ts';
import { loadConfig } from '../config/load-config.ts';
import { EndpointService } from '../events/endpoints.ts';
import { EventOutbox } from '../events/outbox.ts';
import { findDelivery } from '../events/repository.ts';
import { startReceiver, type TestReceiver } from '../events/testing/receiver.ts';
import { DeliveryWorker } from '../events/worker.ts';
import type { Database } from '../storage/types.ts';
import { type PncRun, runPncInProcess } from './testing/run-pnc.ts';

let dir: string;
let db: Database;
let receiver: TestReceiver;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pnc-events-cli-'));
  db = await openMigratedDatabase(loadConfig({ env: { PNC_DATA_DIR: dir } }), {
    clock: systemClock,
    logger: { warn: () => undefined },
  });
  receiver = await startReceiver();
});

after(async () => {
  await receiver.close();
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

function pnc(argv: string[]): Promise<PncRun> {
  return runPncInProcess(argv, { PNC_DATA_DIR: dir });
}

test('pnc events list shows the delivery log; pnc events retry makes a delivery due again', async () => {
  const endpoints = new EndpointService({
    db,
    clock: systemClock,
    random: cryptoRandom,
    allowHttp: true,
    allowPrivateNetworks: true,
  });
  await endpoints.create(
    { clientId: 'oem', role: 'OEM', scope: { wmis: ['WL1'], providerIds: [], operatorIds: [] } },
    { url: receiver.url, enabledEvents: ['oem.contract.created'] },
    'opcp',
  );
  const outbox = new EventOutbox({ clock: systemClock, random: cryptoRandom });
  const worker = new DeliveryWorker({
    db,
    clock: systemClock,
    random: cryptoRandom,
    outbox,
    logger: { info: () => undefined, warn: () => undefined },
    options: {
      retries: 3,
      retryDelaySeconds: 3600,
      timeoutMs: 5000,
      pollIntervalMs: 1000,
      allowPrivateNetworks: true,
    },
  });
  receiver.script([400, 503]);
  const rejected = await db.transaction((tx) =>
    outbox.raise(tx, { type: 'oem.contract.created', pcid: 'WL100000000000001', emaid: 'DELL1C12345678' }),
  );
  await worker.runOnce();
  const retrying = await db.transaction((tx) =>
    outbox.raise(tx, { type: 'oem.contract.created', pcid: 'WL100000000000002', emaid: 'DELL1C12345679' }),
  );
  await worker.runOnce();
  await worker.stop();

  const listed = await pnc(['events', 'list', '--json', '--log']);
  assert.equal(listed.code, 0, listed.stderr);
  const views = JSON.parse(listed.stdout) as {
    id: number;
    eventId: string;
    status: string;
    attempts: number;
    lastHttpStatus: number;
    url: string;
    log: { httpStatus: number; outcome: string }[];
  }[];
  const r = views.find((v) => v.eventId === rejected.eventId);
  const p = views.find((v) => v.eventId === retrying.eventId);
  assert.equal(r?.status, 'rejected');
  assert.equal(r?.lastHttpStatus, 400);
  assert.equal(r?.url, receiver.url.endsWith('/') ? receiver.url : `${receiver.url}/`);
  assert.deepEqual(
    r?.log.map((a) => [a.httpStatus, a.outcome]),
    [[400, 'rejected']],
  );
  assert.equal(p?.status, 'pending');
  assert.equal(p?.attempts, 1);

  const text = await pnc(['events', 'list', '--status', 'rejected']);
  assert.equal(text.code, 0);
  assert.match(text.stdout, new RegExp(`${r?.id}\\s+rejected\\s+1\\s+oem.contract.created`));
  assert.doesNotMatch(text.stdout, new RegExp(retrying.eventId));

  const retried = await pnc(['events', 'retry', String(r?.id)]);
  assert.equal(retried.code, 0, retried.stderr);
  const after = await findDelivery(db, r?.id ?? 0);
  assert.equal(after?.status, 'pending');
  assert.equal(after?.attempts, 0);
  assert.ok((after?.nextAttemptAt.getTime() ?? Infinity) <= Date.now());
  const audit = await listAudit(db, { component: 'events', subject: String(r?.id) });
  assert.equal(audit[0]?.action, 'delivery.retried');
  assert.equal(audit[0]?.actor, 'cli');

  const unknown = await pnc(['events', 'retry', '999999']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /events\.delivery-not-found/);
  const usage = await pnc(['events', 'retry', 'abc']);
  assert.equal(usage.code, 2);
  const badStatus = await pnc(['events', 'list', '--status', 'lost']);
  assert.equal(badStatus.code, 2);
});

test('pnc maintain runs the maintenance and prints a report', async () => {
  const r = await pnc(['maintain', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Record<string, number>;
  assert.deepEqual(
    [report.roots, report.provisioningCertificates, report.contracts, report.failures, report.prunedEvents],
    [0, 0, 0, 0, 0],
  );
  const text = await pnc(['maintain']);
  assert.match(
    text.stdout,
    /^removed 0 roots, 0 provisioning certificates, 0 contracts; 0 events queued; 0 finished events older than the retention removed\n$/,
  );
});
