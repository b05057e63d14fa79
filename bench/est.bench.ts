/**
 * Benchmark of EST enrolment (`pnc serve`, src/pki-http): enrolments per second over HTTP, with p50 /
 * p99 latency, and the CA's issueFromCsr alone in-process as the ceiling without HTTP (not a test:
 * targets are checked here, never as timed assertions). Run:
 *   npm run bench:est
 * Prints a table and rewrites the `est` section of docs/performance.md.
 *
 * No EST server peer exists (interop.md §4.2), so the figures are set against the crypto ceilings of
 * interop.md §4.3 (`openssl speed`: ECDSA P-256 37 088 sign/s, P-521 3 189 sign/s per core) and the
 * external budget (the EV waits 5 s for CertificateInstallationRes; interop.md §4.4 item 6).
 * Protocol: `pnc serve` on CPU 0 (taskset), autocannon in this process on CPU 1, HTTP/1.1 keep-alive
 * on 127.0.0.1; a CPO client with a bearer token enrols CSRs made beforehand (64 per ISO edition,
 * P-256 for -2 on /.well-known/est/cpo/simpleenroll, P-521 for -20 on /cpo/simpleenroll/ISO15118-20);
 * every answer must be 200 (the first one per edition is decoded and its chain verified by
 * `openssl verify -x509_strict`). The database is the embedded SQLite of a temporary data directory.
 *
 * Environment: BENCH_EST_DURATION_S (per run, default 3), BENCH_EST_WARMUP_S (default 1),
 * BENCH_EST_REPS (default 3), BENCH_EST_CONCURRENCY (default 1,4,16). A run with runs shorter than
 * 3 s prints its table but leaves the document alone. The server is always stopped.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCertificateAuthority } from '../src/app/certificate-authority.ts';
import { registerClient } from '../src/auth/index.ts';
import { initDemoHierarchy } from '../src/ca/index.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { toPem } from '../src/pki/path/index.ts';
import { base64Lines, certificatesOfPkcs7, csrKey, makeCsr } from '../src/pki-http/testing/messages.ts';
import {
  canPin,
  freePort,
  hasCommand,
  type LoadResult,
  loadAutocannon,
  type ManagedProcess,
  pinSelf,
  runLoad,
  startProcess,
  waitFor,
} from '../src/pki-http/testing/processes.ts';
import { writeSection } from './lib/doc-section.ts';
import { codeRevision, describeMachine, formatMachine, loadAverage } from './lib/machine.ts';
import { type Measurement, measureAsync, median } from './lib/measure.ts';
import { type Column, markdownTable, textTable } from './lib/table.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DOC = join(ROOT, 'docs/performance.md');
const SECTION = 'est';
const PASSPHRASE = 'bench est passphrase';
/** interop.md §4.3, `openssl speed -seconds 3`, one core of the 2-vCPU reference VM. */
const SIGN_CEILING: Readonly<Record<2 | 20, number>> = { 2: 37_088, 20: 3_189 };
const EV_BUDGET_MS = 5000;

const numberList = (text: string | undefined, fallback: number[]) =>
  text === undefined || text === '' ? fallback : text.split(',').map((s) => Number(s.trim()));
const options = {
  durationS: Number(process.env.BENCH_EST_DURATION_S ?? 3),
  warmupS: Number(process.env.BENCH_EST_WARMUP_S ?? 1),
  reps: Number(process.env.BENCH_EST_REPS ?? 3),
  concurrency: numberList(process.env.BENCH_EST_CONCURRENCY, [1, 4, 16]),
};
const publish = options.durationS >= 3 && options.reps >= 3;

const autocannon = await loadAutocannon();
if (autocannon === undefined) {
  console.log(
    'bench:est needs the load generator autocannon (the decided tool), which is not installed: ' +
      'the lead must add it (npm install --save-dev autocannon). Nothing measured.',
  );
  process.exit(0);
}

const machine = describeMachine();
const pinned = canPin() && pinSelf(1);
console.log(`bench:est on ${formatMachine(machine)}`);
console.log(pinned ? 'Pinning: server on CPU 0, autocannon on CPU 1.' : 'Pinning: not possible here.');
const loadAtStart = loadAverage();
const startedAt = Date.now();

const dir = mkdtempSync(join(tmpdir(), 'pnc-bench-est-'));
const dataDir = join(dir, 'data');
const env: NodeJS.ProcessEnv = { ...process.env, PNC_KEY_PASSPHRASE: PASSPHRASE, PNC_LOG_LEVEL: 'info' };
delete env.DATABASE_URL;
delete env.PNC_CONFIG;
delete env.PNC_PUBLIC_URL;
const processes: ManagedProcess[] = [];

const PATHS: Readonly<Record<2 | 20, string>> = {
  2: '/.well-known/est/cpo/simpleenroll',
  20: '/cpo/simpleenroll/ISO15118-20',
};

interface InProcess {
  readonly iso: 2 | 20;
  readonly m: Measurement;
}
interface Row {
  readonly what: string;
  readonly iso: 2 | 20;
  readonly connections: number;
  readonly runs: LoadResult[];
}
const inProcess: InProcess[] = [];
const rows: Row[] = [];

/** DER CSRs of distinct keys for the CPO Sub-CA 2 of an edition. */
function csrDers(iso: 2 | 20, count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) =>
    makeCsr({
      key: csrKey(iso === 2 ? 'P-256' : 'P-521'),
      commonName: `DE*ABC*E${iso}B${i}`,
      organization: 'Bench CPO',
    }),
  );
}

/** The same as EST request bodies: base64 in 64-character lines. */
function csrBodies(iso: 2 | 20, count: number): Uint8Array[] {
  return csrDers(iso, count).map((der) => new Uint8Array(Buffer.from(base64Lines(der))));
}

function summary(row: Row) {
  const med = (f: (r: LoadResult) => number) => median(row.runs.map(f).sort((a, b) => a - b));
  return {
    rps: med((r) => r.rps),
    p50: med((r) => r.p50Ms),
    p99: med((r) => r.p99Ms),
    perCpu: med((r) => r.perCpuSecond),
    cpu: med((r) => r.serverCpu),
    problems: row.runs.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0),
  };
}

let failed: unknown;
try {
  // --- setup and the in-process ceiling ------------------------------------------------------------
  const config = loadConfig({ env: { PNC_DATA_DIR: dataDir, PNC_KEY_PASSPHRASE: PASSPHRASE } });
  const silent = { info: () => undefined, warn: () => undefined };
  const clock = { now: () => new Date() };
  const random = (n: number) => new Uint8Array(randomBytes(n));
  const opened = await openCertificateAuthority(config, { clock, random, logger: silent });
  let client: { clientId: string; clientSecret: string };
  try {
    const nodes = await initDemoHierarchy(
      opened.ca,
      { iso: [2, 20], organization: 'PnC Bench', country: 'DE', actor: 'bench' },
      () => new Date(),
    );
    const registered = await registerClient(opened.db, { role: 'CPO', scope: 'DE*ABC' }, { clock, random });
    client = { clientId: registered.clientId, clientSecret: registered.clientSecret };
    for (const iso of [2, 20] as const) {
      const caId = nodes.find((n) => n.iso === iso && n.node.key === 'cpo-sub2')?.id as string;
      const bodies = csrDers(iso, 16);
      let i = 0;
      const m = await measureAsync(
        () =>
          opened.ca.issueFromCsr({ caId, csrDer: bodies[i++ % bodies.length] as Uint8Array, role: 'CPO' }),
        { minTimeMs: options.durationS * 1000, warmupMs: options.warmupS * 1000, batchMs: 20 },
      );
      inProcess.push({ iso, m });
      console.log(
        `  in-process issueFromCsr ISO 15118-${iso}: ${(1e9 / m.medianNs).toFixed(0)} /s (median of batches)`,
      );
    }
  } finally {
    await opened.close();
  }

  // --- over HTTP -----------------------------------------------------------------------------------
  const port = await freePort();
  const pnc = startProcess(
    process.execPath,
    [join(ROOT, 'bin/pnc.js'), 'serve', '--port', String(port), '--data-dir', dataDir],
    {
      env,
      cwd: dir,
      cpu: 0,
      logPath: join(dir, 'pnc.log'),
    },
  );
  processes.push(pnc);
  const base = `http://127.0.0.1:${port}`;
  await waitFor('pnc serve', async () => (await fetch(`${base}/health`)).status === 200);
  const tokenRes = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/pkcs10' };

  for (const iso of [2, 20] as const) {
    const bodies = csrBodies(iso, 64);
    // Correctness gate: one enrolment decoded, leaf first, the chain accepted by openssl.
    const res = await fetch(`${base}${PATHS[iso]}`, {
      method: 'POST',
      headers,
      body: Buffer.from(bodies[0] as Uint8Array),
    });
    if (res.status !== 200) throw new Error(`enrolment gate: HTTP ${res.status} ${await res.text()}`);
    const certs = certificatesOfPkcs7(new Uint8Array(Buffer.from(await res.text(), 'base64')));
    if (hasCommand('openssl', ['version'])) {
      const leaf = join(dir, 'leaf.pem');
      writeFileSync(leaf, toPem(certs[0] as Uint8Array));
      writeFileSync(join(dir, 'root.pem'), toPem(certs[certs.length - 1] as Uint8Array));
      writeFileSync(
        join(dir, 'subs.pem'),
        certs
          .slice(1, -1)
          .map((c) => toPem(c))
          .join(''),
      );
      const v = spawnSync(
        'openssl',
        ['verify', '-x509_strict', '-CAfile', 'root.pem', '-untrusted', 'subs.pem', 'leaf.pem'],
        { cwd: dir, encoding: 'utf8' },
      );
      if (v.status !== 0) throw new Error(`enrolment gate: openssl verify: ${v.stdout}${v.stderr}`);
    }
    for (const connections of options.concurrency) {
      const load = (durationS: number) =>
        runLoad(autocannon, {
          url: `${base}${PATHS[iso]}`,
          method: 'POST',
          bodies,
          headers,
          connections,
          durationS,
          keepAlive: true,
          serverPid: pnc.pid,
        });
      await load(options.warmupS);
      const runs: LoadResult[] = [];
      for (let i = 0; i < options.reps; i++) runs.push(await load(options.durationS));
      const row: Row = { what: 'simpleenroll', iso, connections, runs };
      rows.push(row);
      const m = summary(row);
      console.log(
        `  simpleenroll ISO 15118-${iso} c=${connections}: ${m.rps.toFixed(0)} /s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, ${m.problems} errors`,
      );
    }
  }
  // cacerts, for comparison (no signature, two database reads).
  {
    const load = (durationS: number) =>
      runLoad(autocannon, {
        url: `${base}/.well-known/cpo/cacerts`,
        method: 'GET',
        connections: 4,
        durationS,
        keepAlive: true,
        serverPid: pnc.pid,
      });
    await load(options.warmupS);
    const runs: LoadResult[] = [];
    for (let i = 0; i < options.reps; i++) runs.push(await load(options.durationS));
    rows.push({ what: 'cacerts', iso: 2, connections: 4, runs });
  }
} catch (error) {
  failed = error;
} finally {
  for (const p of processes) await p.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
if (failed !== undefined) {
  console.error('bench:est failed:', failed);
  process.exit(1);
}

// --- report -----------------------------------------------------------------------------------------

const totalSeconds = (Date.now() - startedAt) / 1000;
const loadAtEnd = loadAverage();
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const columns: Column[] = [
  { title: 'Operation', align: 'left' },
  { title: 'ISO / key', align: 'left' },
  { title: 'Conc.', align: 'right' },
  { title: 'per s', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'per CPU-s', align: 'right' },
  { title: 'server CPU', align: 'right' },
  { title: 'of sign ceiling', align: 'right' },
  { title: 'errors', align: 'right' },
  { title: 'others CPU', align: 'right' },
];
const keyOf = (iso: 2 | 20) => (iso === 2 ? '-2 P-256' : '-20 P-521');
const table: string[][] = [];
for (const p of inProcess) {
  const perS = 1e9 / p.m.medianNs;
  table.push([
    'issueFromCsr in-process (no HTTP)',
    keyOf(p.iso),
    '1',
    fmt(perS),
    fmt(p.m.medianNs / 1e6, 2),
    fmt(p.m.p99Ns / 1e6, 2),
    '—',
    `${fmt(p.m.cpuShare * 100)} %`,
    `${fmt((perS / SIGN_CEILING[p.iso]) * 100, 1)} %`,
    '0',
    '—',
  ]);
}
for (const row of rows) {
  const m = summary(row);
  table.push([
    row.what === 'cacerts' ? 'GET /.well-known/cpo/cacerts' : `POST ${PATHS[row.iso]}`,
    keyOf(row.iso),
    String(row.connections),
    fmt(m.rps),
    fmt(m.p50, 2),
    fmt(m.p99, 2),
    fmt(m.perCpu),
    `${fmt(m.cpu * 100)} %`,
    row.what === 'cacerts' ? '—' : `${fmt((m.rps / SIGN_CEILING[row.iso]) * 100, 1)} %`,
    String(m.problems),
    `${fmt(Math.max(...row.runs.map((r) => r.othersCpu)) * 100)} %`,
  ]);
}
const worstP99 = Math.max(...rows.filter((r) => r.what === 'simpleenroll').map((r) => summary(r).p99));

const method = [
  `\`pnc serve\` (one Node process, log level info, embedded SQLite) on CPU 0, autocannon on CPU 1${pinned ? '' : ' — NOT pinned here'}; ` +
    'HTTP/1.1 keep-alive on 127.0.0.1; a CPO client token (`Authorization: Bearer`).',
  `Per row ${options.warmupS} s warm-up, then ${options.reps} runs of ${options.durationS} s; medians of the runs. Each enrolment is a full ` +
    'issuance: CSR parse and proof of possession, role checks, tenant check, lint before sign, serial reserved (transaction 1), ' +
    'signature with the CA key, signature check and final lint, `issued` (transaction 2), chain read, PKCS#7 and base64.',
  '"issueFromCsr in-process" calls the CA service directly (bench/lib/measure.ts batches of 20 ms; median and p99 per call), ' +
    'the ceiling without HTTP, authentication and encoding.',
  '"others CPU" = CPU time of every other process during the busiest run of the row, per second (/proc/stat user + system ' +
    'minus the server and this process): clearly above 0 means others competed.',
  '"of sign ceiling" = enrolments per second / `openssl speed` signatures per second of one core (interop.md §4.3: P-256 37 088/s, ' +
    'P-521 3 189/s): the share of a pure-signing CA that the whole issuance reaches.',
];
const budget = `Budget: the EV waits ${EV_BUDGET_MS / 1000} s for CertificateInstallationRes across station, CSMS and CCP (interop.md §4.4 item 6); the worst enrolment p99 measured here is ${fmt(worstP99, 1)} ms (${fmt((worstP99 / EV_BUDGET_MS) * 100, 2)} % of it).`;
const loads = `1-min load average ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end, on ${machine.cores} cores`;
console.log(`\n${textTable(columns, table)}\n`);
for (const line of method) console.log(`  ${line}`);
console.log(`\n${budget}\nMeasured in ${totalSeconds.toFixed(0)} s (${loads}).`);

if (!publish) {
  console.log(
    `Not writing ${DOC}: runs shorter than 3 s or fewer than 3 repetitions are for trying things out.`,
  );
} else {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  writeSection(
    DOC,
    SECTION,
    [
      '## EST enrolment (`npm run bench:est`)',
      '',
      `Generated by \`bench/est.bench.ts\` on ${date} (${codeRevision()}); rerun the script rather than editing this section.`,
      '',
      `- Machine: ${formatMachine(machine)}.`,
      ...method.map((m) => `- ${m}`),
      `- Load: ${loads}; the whole run took ${totalSeconds.toFixed(0)} s.`,
      '',
      markdownTable(columns, table),
      '',
      budget,
    ].join('\n'),
  );
  console.log(`Wrote the '${SECTION}' section of ${DOC}.`);
}
