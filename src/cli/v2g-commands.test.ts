// `pnc ev …` and `pnc secc listen` as processes: provision a vehicle from PEM files, list and pick
// contracts, and charge at a listening SECC over real TLS with a key log.

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { splitCertificates, toPem, validatePath } from '../pki/path/index.ts';
import { startSqliteEcosystem } from '../testing/test-ecosystem.ts';
import { ContractStore } from '../v2g/ev/contract-store.ts';
import { createV2gTestPki, type V2gTestPki } from '../v2g/testing/demo-pki.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/pnc.js', import.meta.url));

async function pnc(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, PNC_CONFIG: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let pki: V2gTestPki;
let dir: string;
before(async () => {
  pki = await createV2gTestPki({ iso: 2 });
  dir = mkdtempSync(join(tmpdir(), 'pnc-v2g-cli-'));
});
after(async () => {
  await pki?.close();
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function listen(
  args: string[],
  ready: RegExp = /SECC listening on 127\.0\.0\.1:(\d+)/,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'secc', 'listen', ...args], {
    cwd: root,
    env: { ...process.env, PNC_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.on('data', (c) => {
    out += String(c);
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (c) => {
      out += String(c);
      const m = ready.exec(out);
      if (m) resolve({ child, port: Number(m[1]), output: () => out });
    });
    child.once('exit', (code) => reject(new Error(`secc listen exited with ${code}: ${out}`)));
  });
}

test('provision, contracts list / use, charge at `pnc secc listen` over TLS with a key log', async () => {
  const vehicle = await pki.vehicle();
  const vehicleDir = join(dir, 'car');
  const provision = await pnc([
    'ev',
    'provision',
    '--dir',
    vehicleDir,
    '--key',
    write('oem-key.pem', vehicle.provisioningKey.export({ format: 'pem', type: 'pkcs8' }) as string),
    '--chain',
    write('oem-chain.pem', vehicle.provisioningChain.map((c) => toPem(c)).join('')),
    '--roots',
    write('v2g-roots.pem', toPem(pki.root)),
    '--evccid',
    '0200AABBCCDD',
  ]);
  assert.equal(provision.code, 0, provision.stderr);
  assert.match(provision.stdout, /vehicle WP0ZZZ99ZTS392124 \(EVCCID 0200AABBCCDD\)/);

  const empty = await pnc(['ev', 'contracts', 'list', '--dir', vehicleDir]);
  assert.match(empty.stdout, /no contracts/);
  // Two contracts (as earlier installations would have stored them); the first is active.
  const store = new ContractStore(vehicleDir);
  for (const emaid of ['DEPNCC000000011', 'DEPNCC000000029']) {
    const c = await pki.issueLeaf('mo-sub2', 'contract-leaf', emaid);
    store.install({ emaid, key: c.key, chain: c.chain }, pki.clock.now());
  }
  const list = await pnc(['ev', 'contracts', 'list', '--dir', vehicleDir]);
  assert.match(list.stdout, /^\* DEPNCC000000011/m);
  assert.match(list.stdout, /^ {2}DEPNCC000000029/m);
  const use = await pnc(['ev', 'contracts', 'use', '--dir', vehicleDir, 'DEPNCC000000029']);
  assert.equal(use.code, 0, use.stderr);
  const missing = await pnc(['ev', 'contracts', 'use', '--dir', vehicleDir, 'DEPNCC000000037']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /ev\.no-contract/);

  const secc = await listen([
    '--port',
    '0',
    '--once',
    '--revocation',
    'off',
    '--evseid',
    'DE*PNC*E12345*1',
    '--key',
    write('secc-key.pem', pki.secc.key.export({ format: 'pem', type: 'pkcs8' }) as string),
    '--chain',
    write('secc-chain.pem', pki.secc.chain.map((c) => toPem(c)).join('')),
    '--contract-roots',
    join(dir, 'v2g-roots.pem'),
  ]);
  const exited = new Promise<number | null>((resolve) => secc.child.once('exit', resolve));
  try {
    const keylog = join(dir, 'keys.log');
    const charge = await pnc([
      'ev',
      'charge',
      '--dir',
      vehicleDir,
      '--secc',
      `127.0.0.1:${secc.port}`,
      '--keylog',
      keylog,
    ]);
    assert.equal(charge.code, 0, charge.stderr + charge.stdout);
    assert.match(
      charge.stdout,
      /TLS TLSv1\.2 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256; SECC DE\*PNC\*E12345\*1/,
    );
    assert.match(charge.stdout, /authorized with DEPNCC000000029 at DE\*PNC\*E12345\*1/);
    assert.match(readFileSync(keylog, 'utf8'), /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/m);
    assert.equal(await exited, 0, secc.output());
    assert.match(secc.output(), /warning: --revocation off/);
    assert.match(secc.output(), /AuthorizationReq\s+OK/);
    assert.match(secc.output(), /session ended \(stopped\), authorized DEPNCC000000029/);
  } finally {
    secc.child.kill();
  }

  const bad = await pnc(['ev', 'charge', '--dir', vehicleDir, '--secc', 'nohostport']);
  assert.equal(bad.code, 2);
});

test('`pnc secc enroll`: SECC key and chain by EST from a running platform', async () => {
  const eco = await startSqliteEcosystem({ iso: [2] });
  try {
    const token = await eco.token('CPO', 'DE*PNC');
    const out = join(dir, 'secc');
    const run = await pnc(['secc', 'enroll', '--url', eco.url, '--evseid', 'DE*PNC*E777*1', '--out', out], {
      PNC_CPO_TOKEN: token,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /SECC certificate DE\*PNC\*E777\*1 \(3 certificates\)/);
    const chain = splitCertificates(new Uint8Array(readFileSync(join(out, 'secc-chain.pem'))));
    const rootPem = splitCertificates(new Uint8Array(readFileSync(join(out, 'v2g-root.pem'))));
    assert.ok(chain.ok && rootPem.ok);
    const path = validatePath({
      target: chain.certificates[0]!,
      intermediates: chain.certificates.slice(1),
      anchors: rootPem.certificates,
      at: eco.clock.now(),
      profile: { role: 'secc-leaf' },
    });
    assert.ok(path.valid);
    assert.equal(statSync(join(out, 'secc-key.pem')).mode & 0o777, 0o600);
    const noToken = await pnc([
      'secc',
      'enroll',
      '--url',
      eco.url,
      '--evseid',
      'DE*PNC*E777*1',
      '--out',
      out,
    ]);
    assert.equal(noToken.code, 2);
  } finally {
    await eco.close();
  }
});

test('ISO 15118-20: provision with a vehicle TLS certificate, `pnc secc listen --iso both`, `pnc ev charge --iso 20` over TLS 1.3', async () => {
  const pki20 = await createV2gTestPki({ iso: 20 });
  try {
    const vehicle = await pki20.vehicle('WP0ZZZ99ZTS392177');
    const vehicleDir = join(dir, 'car20');
    const provision = await pnc([
      'ev',
      'provision',
      '--dir',
      vehicleDir,
      '--key',
      write('oem20-key.pem', vehicle.provisioningKey.export({ format: 'pem', type: 'pkcs8' }) as string),
      '--chain',
      write('oem20-chain.pem', vehicle.provisioningChain.map((c) => toPem(c)).join('')),
      '--roots',
      write('v2g20-root.pem', toPem(pki20.root)),
      '--tls-key',
      write('veh20-key.pem', vehicle.tls!.key.export({ format: 'pem', type: 'pkcs8' }) as string),
      '--tls-chain',
      write('veh20-chain.pem', vehicle.tls!.chain.map((c) => toPem(c)).join('')),
    ]);
    assert.equal(provision.code, 0, provision.stderr);
    assert.equal(statSync(join(vehicleDir, 'vehicle-tls-key.pem')).mode & 0o777, 0o600);
    // A -20 contract as an earlier installation would have stored it, in the -20 store.
    const c = await pki20.issueLeaf('mo-sub2', 'contract-leaf', 'DEPNCC000000045');
    new ContractStore(join(vehicleDir, 'iso-20')).install(
      { emaid: 'DEPNCC000000045', key: c.key, chain: c.chain },
      pki20.clock.now(),
    );
    const list20 = await pnc(['ev', 'contracts', 'list', '--dir', vehicleDir, '--iso', '20']);
    assert.match(list20.stdout, /^\* DEPNCC000000045/m);
    const list2 = await pnc(['ev', 'contracts', 'list', '--dir', vehicleDir]);
    assert.match(list2.stdout, /no contracts/, 'the -2 store is separate');

    // --iso 20 without vehicle roots is a usage error.
    const usage = await pnc([
      'secc',
      'listen',
      '--iso',
      '20',
      '--evseid',
      'DE*PNC*E12345*1',
      '--key',
      join(dir, 'oem20-key.pem'),
      '--chain',
      join(dir, 'oem20-chain.pem'),
      '--contract-roots',
      join(dir, 'v2g20-root.pem'),
    ]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--vehicle-roots/);

    const secc = await listen(
      [
        '--iso',
        'both',
        '--port',
        '0',
        '--once',
        '--revocation',
        'off',
        '--evseid',
        'DE*PNC*E12345*1',
        '--key',
        write('secc2-key.pem', pki.secc.key.export({ format: 'pem', type: 'pkcs8' }) as string),
        '--chain',
        write('secc2-chain.pem', pki.secc.chain.map((x) => toPem(x)).join('')),
        '--key-20',
        write('secc20-key.pem', pki20.secc.key.export({ format: 'pem', type: 'pkcs8' }) as string),
        '--chain-20',
        write('secc20-chain.pem', pki20.secc.chain.map((x) => toPem(x)).join('')),
        '--contract-roots',
        join(dir, 'v2g20-root.pem'),
        '--vehicle-roots',
        join(dir, 'v2g20-root.pem'),
      ],
      /SECC listening on 127\.0\.0\.1:(\d+) \(ISO 15118-20 and -2/,
    );
    const exited = new Promise<number | null>((resolve) => secc.child.once('exit', resolve));
    try {
      assert.match(secc.output(), /SECC listening on 127\.0\.0\.1:\d+ \(ISO 15118-2, TLS 1\.2\)/);
      const charge = await pnc([
        'ev',
        'charge',
        '--iso',
        '20',
        '--energy',
        'ac',
        '--install',
        'never',
        '--dir',
        vehicleDir,
        '--secc',
        `127.0.0.1:${secc.port}`,
      ]);
      assert.equal(charge.code, 0, charge.stderr + charge.stdout);
      assert.match(charge.stdout, /TLS TLSv1\.3 TLS_AES_256_GCM_SHA384; SECC DE\*PNC\*E12345\*1/);
      assert.match(charge.stdout, /AuthorizationSetupReq\s+OK/);
      assert.match(
        charge.stdout,
        /authorized with DEPNCC000000045 at DE\*PNC\*E12345\*1 \(urn:iso:std:iso:15118:-20:AC, session [0-9A-F]{16}\)/,
      );
      assert.equal(await exited, 0, secc.output());
      assert.match(secc.output(), /session ended \(stopped\), authorized DEPNCC000000045/);
    } finally {
      secc.child.kill();
    }
  } finally {
    await pki20.close();
  }
});
