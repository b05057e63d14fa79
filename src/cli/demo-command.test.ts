// `pnc demo` as a child process (node bin/pnc.js demo): the whole journey on a throw-away ecosystem,
// every step printed, the success line, exit 0, the temporary directory removed — for ISO 15118-2 and
// for ISO 15118-20 (TLS 1.3 mutual authentication, the -20 CommonMessages; D-152, D-180).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/pnc.js', import.meta.url));

function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'demo', ...args],
      // The demo makes its own configuration: none of the caller's may leak in.
      { cwd: root, env: { ...process.env, DATABASE_URL: '', PNC_CONFIG: '', PNC_DATA_DIR: '' } },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code ?? -1), stdout, stderr }),
    );
  });
}

const dataDirOf = (stdout: string): string => {
  const m = /data directory (\S+) \(embedded SQLite\)/.exec(stdout);
  assert.ok(m, stdout);
  return m[1] as string;
};

test('pnc demo: every step, the success line, exit 0, the temporary directory removed', async () => {
  const run = await demo([]);
  const summary = `exit ${run.code}\n${run.stdout}\n${run.stderr}`;
  for (const step of [
    /✔ server listening on http:\/\/127\.0\.0\.1:\d+/,
    /✔ PKI: demo hierarchy of ISO 15118-2/,
    /✔ OEM: vehicle WP0\d{14} published/,
    /✔ MO: contract DEPNCC\d{8}[0-9A-Z] generated and signed by the CPS/,
    /✔ Charger: SECC certificate DE\*PNC\*E12345\*1 by EST/,
    / {2}car → charger {2}CertificateInstallationReq +OK\n/,
    / {2}car → charger {2}AuthorizationReq +OK\n/,
    /✔ Car: contract installed through the CCP; the decrypted contract key matches/,
  ]) {
    assert.match(run.stdout, step, summary);
  }
  assert.match(run.stdout, /✔ OEM webhook: oem\.contract\.created received .*signature verified/, summary);
  assert.match(
    run.stdout,
    /\n✔ Plug & Charge journey complete: vehicle WP0\d{14} charged with contract DEPNCC\d{8}[0-9A-Z] \(ISO 15118-2\)\n/,
    summary,
  );
  assert.equal(run.code, 0, summary);
  assert.equal(existsSync(dataDirOf(run.stdout)), false);
});

test('pnc demo --iso 20: the whole -20 journey, the success line, exit 0, the temporary directory removed', async () => {
  const run = await demo(['--iso', '20']);
  const summary = `exit ${run.code}\n${run.stdout}\n${run.stderr}`;
  for (const step of [
    /✔ PKI: demo hierarchy of ISO 15118-20/,
    /✔ PKI: Vehicle Sub-CA 1 and 2 of ISO 15118-20/,
    /✔ OEM: vehicle WP0\d{14} published/,
    /✔ MO: contract DEPNCC\d{8}[0-9A-Z] generated and signed by the CPS \(ISO 15118-20\)/,
    /✔ OEM webhook: oem\.contract\.created received .*signature verified/,
    /✔ OEM: vehicle certificate WP0\d{14} \(TLS client, Vehicle Sub-CA 2\) by EST/,
    /✔ Charger: SECC certificate DE\*PNC\*E12345\*1 by EST/,
    /✔ Charger: listening on 127\.0\.0\.1:\d+ \(ISO 15118-20, TLS 1\.3, mutual authentication\)/,
    /✔ Car: contract installed through the CCP; the decrypted contract key matches/,
    /✔ Car: authorized with contract DEPNCC\d{8}[0-9A-Z] at DE\*PNC\*E12345\*1 \(urn:iso:std:iso:15118:-20:DC, PnC/,
  ]) {
    assert.match(run.stdout, step, summary);
  }
  // The -20 PnC identification sequence, in order (no ServiceDiscovery / PaymentDetails as in -2).
  const messages = [...run.stdout.matchAll(/ {2}car → charger {2}(\S+) +(\S+)\n/g)].map(
    (m) => `${m[1]}:${m[2]}`,
  );
  assert.deepEqual(
    messages,
    [
      'supportedAppProtocolReq:OK_SuccessfulNegotiation',
      'SessionSetupReq:OK_NewSessionEstablished',
      'AuthorizationSetupReq:OK',
      'CertificateInstallationReq:OK',
      'AuthorizationReq:OK',
      'SessionStopReq:OK',
    ],
    summary,
  );
  assert.match(
    run.stdout,
    /\n✔ Plug & Charge journey complete: vehicle WP0\d{14} charged with contract DEPNCC\d{8}[0-9A-Z] \(ISO 15118-20\)\n/,
    summary,
  );
  assert.doesNotMatch(run.stdout, /skipped|partial|✘/, summary);
  assert.equal(run.code, 0, summary);
  assert.equal(existsSync(dataDirOf(run.stdout)), false);
});

test('pnc demo --iso 3 is a usage error', async () => {
  const run = await demo(['--iso', '3']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--iso must be 2 or 20/);
});
