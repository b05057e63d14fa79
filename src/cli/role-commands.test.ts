// The role CLIs against a running server (the real app of the test ecosystem on node:sqlite): API
// clients made by `pnc clients add --json` as a child process on the server's data directory, their
// output saved as credentials files, then `pnc oem publish` (one chain file; a bulk file of 200
// vehicles with one refused line), `pnc mo contract create|list|delete`, `pnc oem contract default`
// and `pnc cpo install`, run in-process through runCli with the real HTTP client.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type DemoCas,
  demoCas,
  installationRequest,
  makeVehicle,
  type Party,
  rootIdOf,
} from '../ccp/testing/fixtures.ts';
import { testEmaid } from '../cps/testing/fixtures.ts';
import { decodeExiDocument, type ModelObject } from '../exi/codec.ts';
import { toPem } from '../pki/path/index.ts';
import { startSqliteEcosystem, type TestEcosystem } from '../testing/test-ecosystem.ts';
import { provisioningBody } from './role-commands.ts';
import { type PncRun, runPncInProcess } from './testing/run-pnc.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/pnc.js', import.meta.url));

let eco: TestEcosystem & { close(): Promise<void> };
let cas: DemoCas;
let dir: string;
const credentials: Record<string, string> = {};

/** `pnc clients add --json` as a real process on the server's data directory → a credentials file. */
async function addClient(role: string, scope: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [bin, 'clients', 'add', '--role', role, '--scope', scope, '--json', '--data-dir', eco.app.config.dataDir],
    { cwd: root, env: { ...process.env, DATABASE_URL: '', PNC_CONFIG: '', PNC_DATA_DIR: '' } },
  );
  const parsed = JSON.parse(stdout) as { clientId: string; clientSecret: string };
  assert.match(parsed.clientId, /\S/);
  const file = join(dir, `${role}-${scope.replace(/\W/g, '')}.json`);
  await writeFile(file, stdout, { mode: 0o600 });
  return file;
}

function pnc(argv: readonly string[], credentialsFile?: string): Promise<PncRun> {
  return runPncInProcess([
    ...argv,
    '--url',
    eco.url,
    ...(credentialsFile === undefined ? [] : ['--credentials', credentialsFile]),
  ]);
}

const chainOf = (vehicle: Party) => [
  vehicle.der,
  cas.oemSub2.certificate as Uint8Array,
  cas.oemSub1.certificate as Uint8Array,
];

before(async () => {
  eco = await startSqliteEcosystem({ iso: [2] });
  cas = await demoCas(eco.app.ca, 2);
  dir = await mkdtemp(join(tmpdir(), 'pnc-role-cli-'));
  credentials.oem = await addClient('OEM', 'WP1');
  credentials.mo = await addClient('MO', 'DE-ROL');
  credentials.cpo = await addClient('CPO', 'DE*ROL');
});
after(async () => {
  await eco?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('pnc oem publish', () => {
  test('one chain file (PEM): published, stored in the PCP', async () => {
    const pcid = 'WP1ROLECLI0000001';
    const vehicle = await makeVehicle(eco.app.ca, cas, pcid, 2);
    const file = join(dir, 'chain.pem');
    await writeFile(
      file,
      chainOf(vehicle)
        .map((c) => toPem(c))
        .join(''),
    );
    const run = await pnc(['oem', 'publish', file], credentials.oem);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^published 1 of 1 vehicle in [\d.]+ s/);
    assert.notEqual(await eco.app.pcp.findByPcid(pcid), undefined);
  });

  test('--bulk of 200 vehicles: progress on stderr, summary, the refused line with its reason, exit 1', async () => {
    const lines: string[] = [];
    const pcids: string[] = [];
    for (let i = 0; i < 200; i++) {
      // Line 137 is a vehicle of another OEM (WMI WP9): refused by the PCP's WMI check.
      const pcid = `${i === 136 ? 'WP9' : 'WP1'}BULK${String(i).padStart(10, '0')}`;
      pcids.push(pcid);
      const vehicle = await makeVehicle(eco.app.ca, cas, pcid, 2);
      lines.push(JSON.stringify(provisioningBody(chainOf(vehicle), 2)));
    }
    const file = join(dir, 'bulk.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
    const run = await pnc(['oem', 'publish', '--bulk', file, '--concurrency', '16'], credentials.oem);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^published 199 of 200 vehicles in [\d.]+ s \(\d+\/s\); 1 refused\n/);
    assert.match(run.stdout, /\n {2}line 137: PUT \/v1\/oem\/provCerts: HTTP 403: .*WMI/i);
    // Non-interactive progress: a line per tenth, the last one complete with the failure count.
    assert.match(run.stderr, /publish: \[#{30}\] 200\/200 \(1 failed\) \d+\/s\n$/);
    assert.ok(run.stderr.split('\n').filter((l) => l.startsWith('publish:')).length <= 11);
    assert.notEqual(await eco.app.pcp.findByPcid(pcids[0] as string), undefined);
    assert.notEqual(await eco.app.pcp.findByPcid(pcids[199] as string), undefined);
    assert.equal(await eco.app.pcp.findByPcid(pcids[136] as string), undefined);

    const json = await pnc(['oem', 'publish', '--bulk', file, '--json'], credentials.oem);
    assert.equal(json.code, 1);
    const summary = JSON.parse(json.stdout) as {
      published: number;
      failed: number;
      failures: { line: number }[];
    };
    assert.equal(summary.published, 199); // republishing the same chains is an update
    assert.deepEqual(
      summary.failures.map((f) => f.line),
      [137],
    );
  });

  test('bad credentials stop the run with the server reason; a missing credentials file is a usage failure', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ clientId: 'nobody', clientSecret: 'wrong secret value' }));
    const file = join(dir, 'chain.pem');
    const run = await pnc(['oem', 'publish', file], bad);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /token request was refused: HTTP 401/);
    const missing = await pnc(['oem', 'publish', file], join(dir, 'nope.json'));
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /cannot read .*nope\.json/);
  });
});

describe('pnc mo contract …, pnc oem contract default, pnc cpo install', () => {
  test('create two contracts, list, switch the default, install through the CCP, delete', async () => {
    const pcid = 'WP1ROLECLI0000002';
    const vehicle = await makeVehicle(eco.app.ca, cas, pcid, 2);
    const chainFile = join(dir, 'chain2.pem');
    await writeFile(
      chainFile,
      chainOf(vehicle)
        .map((c) => toPem(c))
        .join(''),
    );
    assert.equal((await pnc(['oem', 'publish', chainFile], credentials.oem)).code, 0);

    const first = testEmaid('DEROL', 1);
    const second = testEmaid('DEROL', 2);
    for (const emaid of [first, second]) {
      const run = await pnc(['mo', 'contract', 'create', '--emaid', emaid, '--pcid', pcid], credentials.mo);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `contract ${emaid} created for vehicle ${pcid}\n`);
    }
    const list = await pnc(['mo', 'contract', 'list', '--emaid', first], credentials.mo);
    assert.equal(list.code, 0, list.stderr);
    const listed = JSON.parse(list.stdout) as { XMLContracts: { pcid: string; defaultContract: boolean }[] };
    assert.deepEqual(
      listed.XMLContracts.map((c) => [c.pcid, c.defaultContract]),
      [[pcid, true]],
    );

    const installFile = join(dir, 'install.b64');
    const install = async (): Promise<string> => {
      const req = await installationRequest(vehicle, [rootIdOf(cas.root.certificate as Uint8Array)]);
      await writeFile(installFile, `${Buffer.from(req).toString('base64')}\n`);
      const run = await pnc(['cpo', 'install', installFile], credentials.cpo);
      assert.equal(run.code, 0, run.stderr);
      const decoded = decodeExiDocument('iso-2', Buffer.from(run.stdout.trim(), 'base64'));
      const body = ((decoded.value as ModelObject).Body as ModelObject)
        .CertificateInstallationRes as ModelObject;
      assert.equal(body.ResponseCode, 'OK');
      return String((body.eMAID as ModelObject).$value);
    };
    // The first stored contract is the default (D-071): the -2 installation returns it.
    assert.equal(await install(), first);

    // Setting the default is an OEM action: the MO's credentials are refused, the OEM's accepted.
    const byMo = await pnc(['oem', 'contract', 'default', '--pcid', pcid, '--emaid', second], credentials.mo);
    assert.notEqual(byMo.code, 0);
    assert.match(byMo.stderr, /HTTP 403/);
    const byOem = await pnc(
      ['oem', 'contract', 'default', '--pcid', pcid, '--emaid', second],
      credentials.oem,
    );
    assert.equal(byOem.code, 0, byOem.stderr);
    assert.equal(byOem.stdout, `${second} is now the default contract of ${pcid}\n`);
    assert.equal(await install(), second);

    const del = await pnc(['mo', 'contract', 'delete', '--emaid', second], credentials.mo);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout, `deleted ${second}\n`);
    const gone = await pnc(['mo', 'contract', 'list', '--emaid', second], credentials.mo);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /HTTP 404: no contract for EMAID/);
    // The remaining contract became the default again.
    assert.equal(await install(), first);

    // Another provider's EMAID: the server's 403 is reported, exit ≠ 0.
    const foreign = await pnc(
      ['mo', 'contract', 'create', '--emaid', testEmaid('DEXYZ', 3), '--pcid', pcid],
      credentials.mo,
    );
    assert.notEqual(foreign.code, 0);
    assert.match(foreign.stderr, /HTTP 403/);
  });
});
