import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../src/app/create-app.ts';
import { cryptoRandom, systemClock } from '../src/app/runtime.ts';
import { appendAudit } from '../src/audit/audit-log.ts';
import { loadConfig } from '../src/config/load-config.ts';
import type { PoolEvent } from '../src/events/event-sink.ts';
import { startReceiver } from '../src/events/testing/receiver.ts';
import { writeSection } from './lib/doc-section.ts';
import { codeRevision, describeMachine, formatMachine, loadAverage } from './lib/machine.ts';
import { median, percentile } from './lib/measure.ts';
import { type Column, markdownTable, textTable } from './lib/table.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DOC = join(ROOT, 'docs/performance.md');
const SECTION = 'events';

const options = {
  n: Number(process.env.BENCH_EVENTS_N ?? 3000),
  durationS: Number(process.env.BENCH_EVENTS_DURATION_S ?? 5),
  reps: Number(process.env.BENCH_EVENTS_REPS ?? 3),
};
const publish = options.n >= 1000 && options.durationS >= 3 && options.reps >= 1;

const machine = describeMachine();
console.log(`bench:events on ${formatMachine(machine)}`);
const loadAtStart = loadAverage();
const startedAt = Date.now();

const dir = mkdtempSync(join(tmpdir(), 'pnc-bench-events-'));
const config = loadConfig({
  env: {
    PNC_DATA_DIR: join(dir, 'data'),
    PNC_PORT: '0',
    PNC_LOG_LEVEL: 'warn',
    PNC_WEBHOOK_ALLOW_HTTP: '1',
    PNC_WEBHOOK_ALLOW_PRIVATE: '1',
    PNC_MAINTENANCE_INTERVAL: '0',
  },
});
const app = await createApp({
  config,
  clock: systemClock,
  random: cryptoRandom,
  logDestination: { write: () => undefined },
});
const receiver = await startReceiver();
const arrivals = new Map<string, bigint>();
receiver.onRequest = (r) => {
  const id = (JSON.parse(r.body) as { eventId: string }).eventId;
  if (!arrivals.has(id)) arrivals.set(id, r.receivedAtNs);
};

let sequence = 0;
function nextEvent(): PoolEvent {
  sequence++;
  return {
    type: 'oem.contract.created',
    pcid: `WBE${String(sequence).padStart(14, '0')}`,
    emaid: `DEBEN${String(sequence).padStart(9, '0')}`,
    iso: 2,
    contractCert: 'MIIB'.padEnd(700, 'A'),
  };
}

async function raiseOne(): Promise<{ id: string; committedNs: bigint }> {
  const raised = await app.db.transaction((tx) => app.events.sink.raise(tx, nextEvent()));
  return { id: raised.eventId, committedNs: process.hrtime.bigint() };
}

async function waitArrivals(ids: readonly string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ids.every((id) => arrivals.has(id))) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

interface Row {
  readonly what: string;
  readonly offeredPerS: string;
  readonly events: number;
  readonly deliveredPerS: number;
  readonly delays?: { p50: number; p95: number; p99: number; max: number };
}

const rows: Row[] = [];
let commitsPerS = Number.NaN;
try {
  await app.events.endpoints.create(
    { clientId: 'bench-oem', role: 'OEM', scope: { wmis: ['WBE'], providerIds: [], operatorIds: [] } },
    { url: `${receiver.url}/hook`, enabledEvents: ['oem.contract.created'] },
    'opcp',
  );

  // --- 0. commit ceiling: one-row write transactions per second on the same database ----------------
  {
    const t0 = process.hrtime.bigint();
    let n = 0;
    while (Number(process.hrtime.bigint() - t0) / 1e9 < 2) {
      await app.db.transaction((tx) =>
        appendAudit(tx, {
          at: new Date(),
          actor: 'bench',
          component: 'bench',
          action: 'commit',
          subject: String(n),
        }),
      );
      n++;
    }
    commitsPerS = n / (Number(process.hrtime.bigint() - t0) / 1e9);
    console.log(`commit ceiling: ${commitsPerS.toFixed(0)} one-row transactions/s`);
  }

  // --- 1. drain ---------------------------------------------------------------------------------------
  const rates: number[] = [];
  for (let rep = 0; rep < options.reps; rep++) {
    const ids: string[] = [];
    for (let i = 0; i < options.n; i++) ids.push((await raiseOne()).id);
    const t0 = process.hrtime.bigint();
    app.events.worker.start();
    const complete = await waitArrivals(ids, 300_000);
    const t1 = process.hrtime.bigint();
    await app.events.worker.stop();
    if (!complete) throw new Error('not every event arrived within 300 s');
    const seconds = Number(t1 - t0) / 1e9;
    rates.push(options.n / seconds);
    console.log(`drain ${rep + 1}/${options.reps}: ${options.n} deliveries in ${seconds.toFixed(2)} s`);
  }
  const rate = median([...rates].sort((a, b) => a - b));
  rows.push({
    what: 'drain (queued, then worker started)',
    offeredPerS: '—',
    events: options.n,
    deliveredPerS: rate,
  });

  // --- 2. paced -----------------------------------------------------------------------------------------
  for (const fraction of [0.25, 0.5, 1]) {
    const offered = rate * fraction;
    app.events.worker.start();
    const raised: { id: string; committedNs: bigint }[] = [];
    const t0 = Date.now();
    const total = Math.round(offered * options.durationS);
    while (raised.length < total) {
      const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * offered));
      while (raised.length < due) raised.push(await raiseOne());
      await new Promise((r) => setTimeout(r, 2));
    }
    const complete = await waitArrivals(
      raised.map((r) => r.id),
      300_000,
    );
    const elapsed = (Date.now() - t0) / 1000;
    await app.events.worker.stop();
    if (!complete) throw new Error('not every paced event arrived within 300 s');
    const delays = raised
      .map((r) => Number((arrivals.get(r.id) as bigint) - r.committedNs) / 1e6)
      .sort((a, b) => a - b);
    rows.push({
      what: `paced at ${Math.round(fraction * 100)} % of the drain rate`,
      offeredPerS: offered.toFixed(0),
      events: raised.length,
      deliveredPerS: raised.length / elapsed,
      delays: {
        p50: percentile(delays, 50),
        p95: percentile(delays, 95),
        p99: percentile(delays, 99),
        max: delays[delays.length - 1] as number,
      },
    });
    console.log(
      `paced ${fraction * 100} %: ${raised.length} events, p50 ${percentile(delays, 50).toFixed(1)} ms`,
    );
  }
} finally {
  await app.close();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (n: number | undefined, digits = 0) =>
  n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '—';
const columns: Column[] = [
  { title: 'Run', align: 'left' },
  { title: 'offered / s', align: 'right' },
  { title: 'events', align: 'right' },
  { title: 'delivered / s', align: 'right' },
  { title: 'delay p50 ms', align: 'right' },
  { title: 'p95 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'max ms', align: 'right' },
];
const cells = rows.map((r) => [
  r.what,
  r.offeredPerS,
  String(r.events),
  fmt(r.deliveredPerS),
  fmt(r.delays?.p50, 1),
  fmt(r.delays?.p95, 1),
  fmt(r.delays?.p99, 1),
  fmt(r.delays?.max, 1),
]);
console.log(`\n${textTable(columns, cells)}`);

if (publish) {
  const took = Math.round((Date.now() - startedAt) / 1000);
  const body = [
    '## Webhook delivery (`npm run bench:events`)',
    '',
    `Generated by \`bench/events.bench.ts\` on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} (${codeRevision()}); rerun the script rather than editing this section.`,
    '',
    `- Machine: ${formatMachine(machine)}.`,
    '- One Node process: the real composition root (createApp) on embedded SQLite with the delivery worker of `pnc serve` (16 deliveries in flight, keep-alive HTTP/1.1), and a node:http receiver on 127.0.0.1 answering 200; one OEM endpoint, signatures in every header form.',
    "- Each event is an `oem.contract.created` raised through the event sink in its own transaction (as a pool change); each 2xx also writes the MO's `mo.contract.created.sent.to.oem` (no MO endpoint subscribed).",
    `- Drain: ${options.n} events queued with the worker stopped, then the time until the receiver had all of them; median of ${options.reps} runs. Paced: events raised at a share of that rate for ${options.durationS} s; delay = commit of the raising transaction → complete request at the receiver.`,
    `- Commit ceiling: ${commitsPerS.toFixed(0)} one-row write transactions per second on the same database (WAL, synchronous = FULL: each commit is a disk sync). Raising an event costs its change's commit; a delivery costs a share of the worker's claim and outcome commits (outcomes finishing together, and the claims of the slots they free, share one transaction). When raising and delivering together need more commits than this, deliveries queue and the delay grows with the backlog.`,
    `- Load: 1-min load average ${loadAtStart.toFixed(2)} at start, ${loadAverage().toFixed(2)} at end, on ${machine.cores} cores; the whole run took ${took} s.`,
    '',
    markdownTable(columns, cells),
    '',
    'The retry schedule (one hour between attempts by default) does not enter these figures: every answer is 200.',
  ].join('\n');
  writeSection(DOC, SECTION, body);
  console.log(`\nwrote the ${SECTION} section of docs/performance.md`);
} else {
  console.log('\nshort run: docs/performance.md left alone');
}
