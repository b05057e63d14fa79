/**
 * Benchmark of the Contract Certificate Pool's installation call (`pnc serve`, src/ccp): real signed
 * ISO 15118-2 CertificateInstallationReqs of 10 000 vehicles posted to `POST /v1/ccp/signedContractData`,
 * each answered with the vehicle's stored signed contract data (not a test: targets are checked here,
 * never as timed assertions). Run:
 *   npm run bench:ccp
 * Prints a table and rewrites the `ccp` section of docs/performance.md.
 *
 * Target (issue 4): ≥ 1 500 requests/s with p99 ≤ 20 ms on 2 cores, embedded SQLite and PostgreSQL;
 * reported with the share of the ECDSA-verify ceiling reached (an installation verifies the OEM
 * signature, and for a vehicle not seen before the signature of its provisioning certificate).
 *
 * Setup per backend: the demo PKI (`pnc pki init` for -2) and its V2G root in the RCP; 10 000 + 1 000
 * (warm-up) vehicles: a P-256 provisioning certificate (CN = PCID) of the demo OEM Sub-CA 2 and a
 * contract certificate (CN = EMAID) of the demo MO Sub-CA 2, signed here with those CAs' keys read from
 * the software key store (as bench:ocsp does for openssl) — so they are foreign to the CA's database,
 * like the vehicles of other OEMs; the contract key encrypted for the vehicle ([V2G2-818]), the
 * CertificateInstallationRes signed by a CPS leaf of the demo Prov Sub-CA 2 (src/cps/contract-data.ts),
 * stored through the ContractSink; one signed CertificateInstallationReq per vehicle (fresh SessionID).
 *
 * Protocol: autocannon in this process on CPU 1; `pnc serve` as one process on CPU 0, and with
 * PNC_WORKERS=2 (node:cluster, D-173) on both CPUs — sharing CPU 1 with autocannon (PostgreSQL, when
 * used, is not pinned); HTTP/1.1 keep-alive on 127.0.0.1, a CPO token. Correctness gate before
 * timing: an answer is decoded, its SessionID is the request's, its CPS signature verifies. Rows:
 *   - "first contact": every request a vehicle the server has not seen (disjoint slices of the 10 000
 *     per run, after a warm-up on the 1 000 others): full path validation of the provisioning
 *     certificate (the OEM Sub-CA chain is validated once, src/ccp/chain-validator.ts);
 *   - "repeat": all 10 000 vehicles once before, then cycling through them (a vehicle's validated chain
 *     is remembered): decode, OEM signature, revocation status, contracts query, SessionID re-encode.
 * "in-process" rows call CcpService.install without HTTP (the ceiling of the service).
 *
 * Environment: BENCH_CCP_DURATION_S (per run, default 3), BENCH_CCP_WARMUP_S (default 1),
 * BENCH_CCP_REPS (default 3), BENCH_CCP_CONCURRENCY (default 1,4,16,32), BENCH_CCP_WORKERS (server
 * processes per configuration, default 1,2), BENCH_CCP_VEHICLES (default
 * 10000), BENCH_CCP_BACKENDS (default sqlite,postgres; PostgreSQL from PNC_TEST_DATABASE_URL or a
 * throw-away cluster as the tests use, skipped when neither exists). A run with runs shorter than 3 s
 * or fewer than 3 repetitions prints its table but leaves the document alone.
 */
import 'reflect-metadata'; // @peculiar/x509 resolves its algorithms through tsyringe
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
  webcrypto,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as x509 from '@peculiar/x509';
import { createApp } from '../src/app/create-app.ts';
import { registerClient } from '../src/auth/index.ts';
import { type CaView, initDemoHierarchy } from '../src/ca/index.ts';
import {
  demoCas,
  installationRequest,
  makeCpsSigner,
  type Party,
  rootIdOf,
} from '../src/ccp/testing/fixtures.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { encryptContractKeyIso2 } from '../src/contract-key/iso2-key-transport.ts';
import { signContractData } from '../src/cps/contract-data.ts';
import { decodeExiDocument, type ModelObject } from '../src/exi/codec.ts';
import { parseCertificate } from '../src/pki/ocsp/index.ts';
import {
  canPin,
  freePort,
  type LoadResult,
  loadAutocannon,
  type ManagedProcess,
  pinSelf,
  runLoad,
  startProcess,
  waitFor,
} from '../src/pki-http/testing/processes.ts';
import { publishDemoRoots } from '../src/rcp/demo-roots.ts';
import {
  connectTestServer,
  type PostgresTestServer,
  postgresSource,
} from '../src/storage/testing/postgres-server.ts';
import { verifyV2gMessage } from '../src/xmldsig/v2g-signature.ts';
import { writeSection } from './lib/doc-section.ts';
import { codeRevision, describeMachine, formatMachine, loadAverage } from './lib/machine.ts';
import { type Measurement, measure, measureAsync, median } from './lib/measure.ts';
import { type Column, markdownTable, textTable } from './lib/table.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DOC = join(ROOT, 'docs/performance.md');
const SECTION = 'ccp';
const PASSPHRASE = 'bench ccp passphrase';
const TARGET_RPS = 1500;
const TARGET_P99_MS = 20;
const ISO2_NS = 'urn:iso:15118:2:2013:MsgDef';
const PATH = '/v1/ccp/signedContractData';

const numberList = (text: string | undefined, fallback: number[]) =>
  text === undefined || text === '' ? fallback : text.split(',').map((s) => Number(s.trim()));
const options = {
  durationS: Number(process.env.BENCH_CCP_DURATION_S ?? 3),
  warmupS: Number(process.env.BENCH_CCP_WARMUP_S ?? 1),
  reps: Number(process.env.BENCH_CCP_REPS ?? 3),
  concurrency: numberList(process.env.BENCH_CCP_CONCURRENCY, [1, 4, 16, 32]),
  workers: numberList(process.env.BENCH_CCP_WORKERS, [1, 2]),
  vehicles: Number(process.env.BENCH_CCP_VEHICLES ?? 10_000),
  backends: (process.env.BENCH_CCP_BACKENDS ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as (
    | 'sqlite'
    | 'postgres'
  )[],
};
const WARMUP_VEHICLES = 1000;
const publish = options.durationS >= 3 && options.reps >= 3 && options.vehicles >= 10_000;

const autocannon = await loadAutocannon();
if (autocannon === undefined) {
  console.log('bench:ccp needs the load generator autocannon, which is not installed. Nothing measured.');
  process.exit(0);
}

const machine = describeMachine();
const pinned = canPin() && pinSelf(1);
console.log(`bench:ccp on ${formatMachine(machine)}`);
console.log(
  pinned
    ? 'Pinning: autocannon on CPU 1; one server process on CPU 0, PNC_WORKERS > 1 on every CPU.'
    : 'Pinning: not possible here.',
);
const loadAtStart = loadAverage();
const startedAt = Date.now();

// --- the ECDSA-verify ceiling (one core, node:crypto as the server uses it) -------------------------

const verifyPerS = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const data = new Uint8Array(300);
  const signature = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const m = measure(() => verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature), {
    minTimeMs: 1000,
    warmupMs: 200,
    batchMs: 1,
  });
  return 1e9 / m.medianNs;
})();
console.log(`ECDSA P-256 verify (node:crypto, one core): ${verifyPerS.toFixed(0)}/s`);

// --- setup ------------------------------------------------------------------------------------------

interface Fixture {
  readonly backend: 'sqlite' | 'postgres';
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly client: { clientId: string; clientSecret: string };
  /** One JSON request body per vehicle: the first WARMUP_VEHICLES are for warm-ups only. */
  readonly bodies: Uint8Array[];
  readonly inProcess: { readonly first: Measurement; readonly repeat: Measurement };
}

/** The private key of a CA of the software key store (as bench:ocsp reads it for openssl). */
function caKey(dataDir: string, ca: CaView): KeyObject {
  const text = readFileSync(join(dataDir, 'keys', `${ca.keyId}.key.pem`), 'utf8');
  return createPrivateKey({
    key: text.slice(text.indexOf('-----BEGIN')),
    format: 'pem',
    passphrase: PASSPHRASE,
  });
}

async function cryptoKeyOf(key: KeyObject, type: 'private' | 'public'): Promise<webcrypto.CryptoKey> {
  const der = key.export({ format: 'der', type: type === 'private' ? 'pkcs8' : 'spki' });
  return webcrypto.subtle.importKey(
    type === 'private' ? 'pkcs8' : 'spki',
    der,
    { name: 'ECDSA', namedCurve: 'P-256' },
    true,
    [type === 'private' ? 'sign' : 'verify'],
  );
}

/** A P-256 leaf signed by a demo sub-CA with its own key: issuer name and AKI taken from the CA certificate. */
async function leafUnder(
  ca: { der: Uint8Array; signingKey: webcrypto.CryptoKey },
  commonName: string,
  keyUsage: number,
): Promise<Party> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caCert = new x509.X509Certificate(ca.der);
  const ski = parseCertificate(ca.der).subjectKeyIdentifier as Uint8Array;
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    subject: `CN=${commonName}, O=PnC Bench, C=DE`,
    issuer: caCert.subjectName,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 365 * 86_400_000),
    publicKey: await cryptoKeyOf(publicKey, 'public'),
    signingKey: ca.signingKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(keyUsage, true),
      new x509.SubjectKeyIdentifierExtension(createHash('sha1').update(spki).digest('hex')),
      new x509.AuthorityKeyIdentifierExtension(Buffer.from(ski).toString('hex')),
    ],
  });
  const der = new Uint8Array(cert.rawData);
  return {
    der,
    privateKey,
    iso: 2,
    signRaw: (data) => new Uint8Array(sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  };
}

async function setup(backend: 'sqlite' | 'postgres', databaseUrl: string | undefined): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), `pnc-bench-ccp-${backend}-`));
  const dataDir = join(dir, 'data');
  const config = loadConfig({
    env: {
      PNC_DATA_DIR: dataDir,
      PNC_PORT: '0',
      PNC_LOG_LEVEL: 'silent',
      PNC_KEY_PASSPHRASE: PASSPHRASE,
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    },
  });
  const random = (n: number) => new Uint8Array(randomBytes(n));
  const clock = { now: () => new Date() };
  const app = await createApp({ config, clock, random, logDestination: { write: () => undefined } });
  try {
    await initDemoHierarchy(
      app.ca,
      { iso: [2], organization: 'PnC Bench', country: 'DE', actor: 'bench' },
      () => new Date(),
    );
    await publishDemoRoots(app.rcp, app.ca, { iso: [2], actor: 'bench', now: () => new Date() });
    const cas = await demoCas(app.ca, 2);
    const cps = await makeCpsSigner(app.ca, cas, 2);
    const oem = {
      der: cas.oemSub2.certificate as Uint8Array,
      signingKey: await cryptoKeyOf(caKey(dataDir, cas.oemSub2), 'private'),
    };
    const mo = {
      der: cas.moSub2.certificate as Uint8Array,
      signingKey: await cryptoKeyOf(caKey(dataDir, cas.moSub2), 'private'),
    };
    const rootIds = [rootIdOf(cas.root.certificate as Uint8Array)];
    const bodies: Uint8Array[] = [];
    const requests: Uint8Array[] = [];
    const total = WARMUP_VEHICLES + options.vehicles;
    const t0 = Date.now();
    for (let i = 0; i < total; i++) {
      const pcid = `WP0BEN${String(i).padStart(11, '0')}`;
      const emaid = `DEABCB${String(i).padStart(8, '0')}`;
      const vehicle = await leafUnder(
        oem,
        pcid,
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
      );
      const contract = await leafUnder(
        mo,
        emaid,
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
      );
      const transport = encryptContractKeyIso2({
        contractPrivateKey: contract.privateKey,
        recipient: vehicle.der,
        randomBytes: random,
      });
      const signed = await signContractData(
        {
          contractChain: {
            certificate: contract.der,
            subCertificates: [mo.der, cas.moSub1.certificate as Uint8Array],
          },
          encryptedPrivateKey: transport.encryptedPrivateKey,
          dhPublicKey: transport.dhPublicKey,
          emaid,
        },
        { cpsChain: cps.chain, signRaw: async (d) => cps.signRaw(d) },
      );
      await app.ccp.addContract(
        {
          emaid,
          emaidAsInCertificate: emaid,
          pcid,
          iso: 2,
          providerId: emaid.slice(0, 5),
          certificateInstallationRes: signed.exi,
          contractCertificate: contract.der,
          contractNotAfter: new Date(new x509.X509Certificate(contract.der).notAfter),
          cpsV2GRootFingerprint: createHash('sha256').update(cps.rootDer).digest('hex'),
          cpsRootDistinguishedName: cas.root.subject,
          metadata: null,
          source: 'cps',
        },
        'bench',
      );
      const req = await installationRequest(vehicle, rootIds);
      requests.push(req);
      bodies.push(
        new Uint8Array(
          Buffer.from(
            JSON.stringify({
              certificateInstallationReq: Buffer.from(req).toString('base64'),
              xsdMsgDefNamespace: ISO2_NS,
            }),
          ),
        ),
      );
      if ((i + 1) % 2000 === 0)
        console.log(`  ${backend}: ${i + 1}/${total} vehicles (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const client = await registerClient(app.db, { role: 'CPO', scope: 'DE*ABC' }, { clock, random });
    // In-process ceiling: the service without HTTP, first contact then repeat.
    const principal = {
      clientId: client.clientId,
      role: 'CPO' as const,
      scope: { wmis: [], providerIds: [], operatorIds: ['DEABC'] },
    };
    let next = WARMUP_VEHICLES;
    const install = async (i: number) => {
      const outcome = await app.ccp.install(principal, { exi: requests[i] as Uint8Array, hint: 2 });
      if (!outcome.ok) throw new Error(`in-process install failed: ${outcome.error.message}`);
    };
    const firstBudgetMs = Math.min(options.durationS * 1000, 2000);
    const first = await measureAsync(
      () => install(WARMUP_VEHICLES + ((next++ - WARMUP_VEHICLES) % options.vehicles)),
      {
        minTimeMs: firstBudgetMs,
        warmupMs: 200,
        batchMs: 20,
      },
    );
    let again = WARMUP_VEHICLES;
    const repeat = await measureAsync(
      () =>
        install(
          WARMUP_VEHICLES +
            ((again++ - WARMUP_VEHICLES) % Math.min(options.vehicles, Math.max(1, next - WARMUP_VEHICLES))),
        ),
      {
        minTimeMs: options.durationS * 1000,
        warmupMs: options.warmupS * 1000,
        batchMs: 20,
      },
    );
    console.log(
      `  in-process install (${backend}): first contact ${(1e9 / first.medianNs).toFixed(0)}/s, repeat ${(1e9 / repeat.medianNs).toFixed(0)}/s`,
    );
    return {
      backend,
      dataDir,
      databaseUrl,
      client: { clientId: client.clientId, clientSecret: client.clientSecret },
      bodies,
      inProcess: { first, repeat },
    };
  } finally {
    await app.close();
  }
}

/** Child processes of a process (Linux /proc); 0 where unknown. */
function childCount(pid: number): number {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
      .length;
  } catch {
    return 0;
  }
}

// --- measurement --------------------------------------------------------------------------------------

interface Row {
  readonly backend: 'sqlite' | 'postgres';
  /** Server processes (PNC_WORKERS): 1 pinned to CPU 0; 2 unpinned on both CPUs. */
  readonly workers: number;
  readonly scenario: 'first contact' | 'repeat';
  readonly connections: number;
  readonly runs: LoadResult[];
  /** first contact: requests per distinct vehicle of the row (1 = none seen twice). */
  readonly reuse?: number;
}

function summary(row: Row) {
  const med = (f: (r: LoadResult) => number) => median(row.runs.map(f).sort((a, b) => a - b));
  return {
    rps: med((r) => r.rps),
    p50: med((r) => r.p50Ms),
    p99: med((r) => r.p99Ms),
    perCpu: med((r) => r.perCpuSecond),
    cpu: med((r) => r.serverCpu),
    others: Math.max(...row.runs.map((r) => r.othersCpu)),
    problems: row.runs.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0),
  };
}

const rows: Row[] = [];
/**
 * The same database over the server's Unix socket when it has one (`SHOW unix_socket_directories`):
 * how a service reaches a PostgreSQL on its own machine, without the loopback TCP stack (measured:
 * the socket writes of the queries take half the CPU time they take over TCP). Else the TCP URL.
 */
async function viaUnixSocket(tcpUrl: string): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: tcpUrl });
  await client.connect();
  try {
    const rows = (await client.query('SHOW unix_socket_directories')).rows as {
      unix_socket_directories: string;
    }[];
    const dir = rows[0]?.unix_socket_directories.split(',')[0]?.trim();
    if (dir === undefined || dir === '' || !dir.startsWith('/')) return tcpUrl;
    const url = new URL(tcpUrl);
    url.searchParams.set('host', dir);
    const probe = new pg.Client({ connectionString: url.href });
    try {
      await probe.connect();
      await probe.query('SELECT 1');
    } finally {
      await probe.end().catch(() => undefined);
    }
    return url.href;
  } catch {
    return tcpUrl;
  } finally {
    await client.end();
  }
}

const fixtures: Fixture[] = [];
const processes: ManagedProcess[] = [];
let pgServer: PostgresTestServer | undefined;
const pgUrls: string[] = [];
let pgTransport = 'TCP on 127.0.0.1';
let failed: unknown;
const skipped: string[] = [];

try {
  for (const backend of options.backends) {
    let databaseUrl: string | undefined;
    if (backend === 'postgres') {
      const source = postgresSource();
      if (source.kind === 'none') {
        skipped.push(`PostgreSQL: ${source.reason}`);
        console.log(`  PostgreSQL skipped: ${source.reason}`);
        continue;
      }
      pgServer ??= await connectTestServer(source);
      const tcpUrl = await pgServer.createDatabase();
      pgUrls.push(tcpUrl);
      databaseUrl = await viaUnixSocket(tcpUrl);
      pgTransport = databaseUrl === tcpUrl ? 'TCP on 127.0.0.1' : 'its Unix socket';
    }
    console.log(`Setting up ${backend} (${WARMUP_VEHICLES + options.vehicles} vehicles)…`);
    const fixture = await setup(backend, databaseUrl);
    fixtures.push(fixture);

    for (const workers of options.workers) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PNC_KEY_PASSPHRASE: PASSPHRASE,
        PNC_LOG_LEVEL: 'warn',
        PNC_WORKERS: String(workers),
      };
      delete env.PNC_CONFIG;
      delete env.PNC_PUBLIC_URL;
      if (databaseUrl === undefined) delete env.DATABASE_URL;
      else env.DATABASE_URL = databaseUrl;
      const pnc = startProcess(
        process.execPath,
        [join(ROOT, 'bin/pnc.js'), 'serve', '--port', String(port), '--data-dir', fixture.dataDir],
        {
          env,
          cwd: ROOT,
          // One process: CPU 0 (autocannon has CPU 1). Several: every CPU, shared with autocannon.
          cpu:
            workers === 1
              ? 0
              : os
                  .cpus()
                  .map((_, i) => i)
                  .join(','),
          logPath: join(fixture.dataDir, '..', `pnc-${workers}.log`),
        },
      );
      processes.push(pnc);
      const base = `http://127.0.0.1:${port}`;
      await waitFor('pnc serve', async () => (await fetch(`${base}/health`)).status === 200);
      if (workers > 1) {
        // The primary logs nothing at level warn: wait for its workers, then give the last one time
        // to listen (warm-up runs follow anyway).
        await waitFor('the workers', () => childCount(pnc.pid) === workers, 60_000);
        await new Promise((r) => setTimeout(r, 5000));
      }
      const tokenRes = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: fixture.client.clientId,
          client_secret: fixture.client.clientSecret,
        }),
      });
      const token = ((await tokenRes.json()) as { access_token: string }).access_token;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

      // Correctness gate: a warm-up vehicle's answer, its SessionID, its CPS signature.
      const gateBody = fixture.bodies[0] as Uint8Array;
      const gate = await fetch(`${base}${PATH}`, { method: 'POST', headers, body: Buffer.from(gateBody) });
      if (gate.status !== 200) throw new Error(`gate: HTTP ${gate.status} ${await gate.text()}`);
      const answer = (await gate.json()) as {
        CCPResponse: {
          emaidContent: { messageDef: { certificateInstallationRes: string; emaid?: string } }[];
        };
      };
      const def = answer.CCPResponse.emaidContent[0]?.messageDef;
      if (def?.emaid !== 'DEABCB00000000')
        throw new Error(`gate: wrong answer ${JSON.stringify(answer).slice(0, 200)}`);
      const delivered = decodeExiDocument(
        'iso-2',
        new Uint8Array(Buffer.from(def.certificateInstallationRes, 'base64')),
      );
      const sent = JSON.parse(Buffer.from(gateBody).toString()) as { certificateInstallationReq: string };
      const sentSession = (
        (
          decodeExiDocument('iso-2', new Uint8Array(Buffer.from(sent.certificateInstallationReq, 'base64')))
            .value as ModelObject
        ).Header as ModelObject
      ).SessionID as Uint8Array;
      const gotSession = ((delivered.value as ModelObject).Header as ModelObject).SessionID as Uint8Array;
      if (
        Buffer.compare(Buffer.from(sentSession), Buffer.from(gotSession)) !== 0 ||
        !verifyV2gMessage(delivered).valid
      ) {
        throw new Error('gate: the SessionID or the CPS signature of the answer is wrong');
      }

      const load = (bodies: readonly Uint8Array[], connections: number, durationS: number) =>
        runLoad(autocannon, {
          url: `${base}${PATH}`,
          method: 'POST',
          bodies,
          headers,
          connections,
          durationS,
          keepAlive: true,
          serverPid: pnc.pid,
        });

      // First contact: warm-up on the warm-up vehicles, then each run on its own slice of the 10 000.
      const measured = fixture.bodies.slice(WARMUP_VEHICLES);
      const firstConnections = 16;
      await load(fixture.bodies.slice(1, WARMUP_VEHICLES), firstConnections, options.warmupS);
      const slice = Math.floor(measured.length / options.reps);
      const firstRuns: LoadResult[] = [];
      let reuse = 1;
      for (let i = 0; i < options.reps; i++) {
        const run = await load(
          measured.slice(i * slice, (i + 1) * slice),
          firstConnections,
          options.durationS,
        );
        firstRuns.push(run);
        reuse = Math.max(reuse, run.requests / slice);
      }
      rows.push({
        backend,
        workers,
        scenario: 'first contact',
        connections: firstConnections,
        runs: firstRuns,
        reuse,
      });
      report(rows[rows.length - 1] as Row);

      // Repeat: every vehicle once more (the runs above saw part of them), then cycling.
      await load(measured, 32, Math.max(options.warmupS, Math.ceil(measured.length / 2000)));
      for (const connections of options.concurrency) {
        await load(measured, connections, options.warmupS);
        const runs: LoadResult[] = [];
        for (let i = 0; i < options.reps; i++)
          runs.push(await load(measured, connections, options.durationS));
        rows.push({ backend, workers, scenario: 'repeat', connections, runs });
        report(rows[rows.length - 1] as Row);
      }
      await pnc.stop();
    }
  }
} catch (error) {
  failed = error;
} finally {
  for (const p of processes) await p.stop().catch(() => undefined);
  for (const f of fixtures) rmSync(join(f.dataDir, '..'), { recursive: true, force: true });
  for (const url of pgUrls) await pgServer?.dropDatabase(url).catch(() => undefined);
  await pgServer?.close().catch(() => undefined);
}
if (failed !== undefined) {
  console.error('bench:ccp failed:', failed);
  process.exit(1);
}

function report(row: Row): void {
  const m = summary(row);
  console.log(
    `  ${row.backend} w=${row.workers} ${row.scenario.padEnd(13)} c=${String(row.connections).padStart(2)}: ${m.rps.toFixed(0)} req/s, ` +
      `p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, ${m.problems} errors`,
  );
}

// --- report -------------------------------------------------------------------------------------------

const totalSeconds = (Date.now() - startedAt) / 1000;
const loadAtEnd = loadAverage();
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
/** ECDSA verifications per installation: the OEM signature, and the leaf's certificate on first contact. */
const verifies = (scenario: Row['scenario']) => (scenario === 'first contact' ? 2 : 1);
const columns: Column[] = [
  { title: 'Database', align: 'left' },
  { title: 'Server', align: 'left' },
  { title: 'Vehicles', align: 'left' },
  { title: 'Conc.', align: 'right' },
  { title: 'req/s', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'per CPU-s', align: 'right' },
  { title: 'server CPU', align: 'right' },
  { title: 'of verify ceiling', align: 'right' },
  { title: 'target', align: 'left' },
  { title: 'errors', align: 'right' },
  { title: 'others CPU', align: 'right' },
];
const table: string[][] = [];
const serverLabel = (workers: number) =>
  workers === 1 ? '1 process, CPU 0' : `${workers} workers, CPUs 0-${machine.cores - 1}`;
for (const f of fixtures) {
  for (const [scenario, m] of [
    ['first contact', f.inProcess.first],
    ['repeat', f.inProcess.repeat],
  ] as const) {
    const perS = 1e9 / m.medianNs;
    table.push([
      f.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      'in-process',
      `${scenario}, in-process`,
      '1',
      fmt(perS),
      fmt(m.medianNs / 1e6, 2),
      fmt(m.p99Ns / 1e6, 2),
      '—',
      `${fmt(m.cpuShare * 100)} %`,
      `${fmt((perS / (verifyPerS / verifies(scenario))) * 100, 1)} %`,
      '—',
      '0',
      '—',
    ]);
  }
}
for (const row of rows) {
  const m = summary(row);
  const meets = m.rps >= TARGET_RPS && m.p99 <= TARGET_P99_MS && m.problems === 0;
  table.push([
    row.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL',
    serverLabel(row.workers),
    row.reuse === undefined ? row.scenario : `${row.scenario} (×${fmt(row.reuse, 2)} per vehicle)`,
    String(row.connections),
    fmt(m.rps),
    fmt(m.p50, 2),
    fmt(m.p99, 2),
    fmt(m.perCpu),
    `${fmt(m.cpu * 100)} %`,
    `${fmt((m.perCpu / (verifyPerS / verifies(row.scenario))) * 100, 1)} %`,
    meets ? 'met' : 'not met',
    String(m.problems),
    `${fmt(m.others * 100)} %`,
  ]);
}

const method = [
  `Everything on this one machine. The load generator (autocannon, in the bench process) on CPU 1${pinned ? '' : ' — NOT pinned here'}. ` +
    '"1 process": `pnc serve` (log level warn) pinned to CPU 0. "2 workers": `pnc serve` with PNC_WORKERS=2 (node:cluster, D-173), ' +
    'free to use both CPUs, so it shares CPU 1 with the load generator. ' +
    `PostgreSQL (when used) unpinned, on the same two CPUs, reached over ${pgTransport}; trusted roots, revoked certificates and client records read at most once per second (PNC_TRUST_CACHE_MAX_AGE_MS, D-175). ` +
    `HTTP/1.1 keep-alive on 127.0.0.1; a CPO token; ${options.vehicles} vehicles with one contract each, ISO 15118-2.`,
  `Per row ${options.warmupS} s warm-up, then ${options.reps} runs of ${options.durationS} s; medians of the runs. "first contact" runs use disjoint ` +
    'slices of the vehicles (a factor above 1 means the slice was used more than once); "repeat" cycles through all vehicles after each was seen.',
  '"in-process" calls CcpService.install directly (bench/lib/measure.ts batches of 20 ms): the service without HTTP, JSON and authentication.',
  `"of verify ceiling" = installations per server CPU-second / (node:crypto P-256 verifications per second of one core, ${verifyPerS.toFixed(0)}/s here, ` +
    '/ verifications per installation: 2 on first contact, 1 on repeat).',
  `Target (issue 4): ≥ ${TARGET_RPS} requests/s with p99 ≤ ${TARGET_P99_MS} ms on 2 cores, no errors. "server CPU" counts the server's processes (primary and workers). ` +
    '"others CPU" = CPU time of every other process during the busiest run, per second (PostgreSQL\'s own work included: on that backend it is part of the cost, on SQLite it is foreign load).',
  ...skipped.map((s) => `Skipped: ${s}.`),
];
const loads = `1-min load average ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end, on ${machine.cores} cores`;
// Verdict and distortion, in words (the table has the per-row detail).
const measuredRows = rows.map((row) => ({ row, m: summary(row) }));
const met = measuredRows.filter(({ m }) => m.rps >= TARGET_RPS && m.p99 <= TARGET_P99_MS && m.problems === 0);
const best = (backend: Row['backend']) =>
  measuredRows.filter(({ row }) => row.backend === backend).sort((a, b) => b.m.rps - a.m.rps)[0];
const describeRow = ({ row, m }: { row: Row; m: ReturnType<typeof summary> }) =>
  `${row.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${serverLabel(row.workers)}, ${row.scenario}, ${row.connections} connections: ${fmt(m.rps)} req/s, p99 ${fmt(m.p99, 1)} ms`;
const verdict =
  met.length > 0
    ? `Target met by ${met.length} of ${measuredRows.length} rows: ${met.map(describeRow).join('; ')}.`
    : `Target not met in this run. Fastest rows: ${(['sqlite', 'postgres'] as const)
        .map(best)
        .filter((b) => b !== undefined)
        .map((b) => describeRow(b as NonNullable<typeof b>))
        .join('; ')}.`;
// Foreign load: on SQLite "others CPU" is all foreign; above a quarter of a core the figures are distorted.
const foreign = Math.max(
  0,
  ...measuredRows.filter(({ row }) => row.backend === 'sqlite').map(({ m }) => m.others),
);
const distortion =
  foreign > 0.25 || loadAtStart > machine.cores
    ? `Distorted: other processes used up to ${fmt(foreign * 100)} % CPU during the SQLite runs (load average ${loadAtStart.toFixed(2)} at start on ${machine.cores} cores); the server got less than the CPUs it was given, so req/s and p99 understate it. "per CPU-s" (requests per CPU-second the server actually got) is the figure least affected.`
    : 'Other processes stayed below a quarter of a core during the SQLite runs.';
console.log(`\n${textTable(columns, table)}\n`);
for (const line of method) console.log(`  ${line}`);
console.log(`\nMeasured in ${totalSeconds.toFixed(0)} s (${loads}).`);
console.log(`${verdict}\n${distortion}`);

if (!publish) {
  console.log(
    `Not writing ${DOC}: short runs, fewer than 3 repetitions or fewer than 10 000 vehicles are for trying things out.`,
  );
} else {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  writeSection(
    DOC,
    SECTION,
    [
      '## Contract Certificate Pool installation (`npm run bench:ccp`)',
      '',
      `Generated by \`bench/ccp.bench.ts\` on ${date} (${codeRevision()}); rerun the script rather than editing this section.`,
      '',
      `- Machine: ${formatMachine(machine)}.`,
      ...method.map((m) => `- ${m}`),
      `- Load: ${loads}; the whole run took ${totalSeconds.toFixed(0)} s.`,
      `- **Verdict:** ${verdict}`,
      `- ${distortion}`,
      '',
      markdownTable(columns, table),
    ].join('\n'),
  );
  console.log(`Wrote the '${SECTION}' section of ${DOC}.`);
}
