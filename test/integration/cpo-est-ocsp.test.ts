// Issue 3: "A CPO flow driven only by third-party tools: `openssl req` makes a key and CSR, `curl` gets
// a token and enrolls over EST, `openssl pkcs7` / `verify -x509_strict` accept the chain from
// `cacerts`, and `openssl ocsp -issuer … -cert … -url <AIA URL>` receives a verifiable `good`, then
// `revoked` after `pnc pki revoke`."
//
// The real executable: `pnc pki init`, `pnc clients add`, `pnc serve --port 0` on a temporary data
// directory (embedded SQLite) with the software key store, and `pnc pki revoke` in its own process
// while the server runs. Everything the flow sends and checks goes through `openssl` and `curl`
// child processes; this file only passes files between them and reads their output. Also: ISO
// 15118-20 (P-521) enrolment on its path variant, the CRL checked with `openssl crl -verify`, and
// hostile input over HTTP (clear 4xx or OCSP errors, nothing issued, nothing stored).
//
// Needs openssl and curl on PATH (installs nothing); skips with a message otherwise.
//   node --test test/integration/cpo-est-ocsp.test.ts

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const PNC = join(ROOT, 'bin', 'pnc.js');

function available(tool: string, args: string[]): boolean {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}
const missing = ['openssl', 'curl'].filter(
  (t) => !available(t, t === 'openssl' ? ['version'] : ['--version']),
);
const skip =
  missing.length === 0 ? false : `SKIPPED: needs ${missing.join(' and ')} on PATH (not installed here)`;
if (skip !== false) console.log(skip);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
}

describe('CPO flow with openssl and curl against pnc serve', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pnc-integration-'));
  const dataDir = join(dir, 'data');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PNC_KEY_PASSPHRASE: 'integration test passphrase',
    PNC_LOG_LEVEL: 'info',
  };
  // The embedded database of the data directory, whatever the caller's environment says.
  delete env.DATABASE_URL;
  delete env.PNC_CONFIG;
  delete env.PNC_PUBLIC_URL;
  let server: ChildProcess | undefined;
  let url = '';
  let serverLog = '';
  let cpo = { clientId: '', clientSecret: '' };
  let mo = { clientId: '', clientSecret: '' };

  function run(command: string, args: readonly string[], options: { input?: string } = {}): Run {
    const r = spawnSync(command, args, {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 60_000,
      input: options.input,
    });
    if (r.error !== undefined) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}${r.stderr}` };
  }
  const pnc = (...args: string[]) => run(process.execPath, [PNC, ...args, '--data-dir', dataDir]);
  const openssl = (...args: string[]) => run('openssl', args);
  /** curl; returns the HTTP status; the body goes to `out` (a file in dir). */
  const curl = (out: string, ...args: string[]): number => {
    const r = run('curl', ['-sS', '-o', out, '-w', '%{http_code}', ...args]);
    assert.equal(r.status, 0, r.output);
    return Number(r.stdout);
  };
  const file = (name: string) => readFileSync(join(dir, name), 'utf8');
  const ok = (r: Run, what: string) => assert.equal(r.status, 0, `${what}: ${r.output}`);

  function splitPem(name: string): string[] {
    return file(name).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g) ?? [];
  }

  /** EST body → DER → PEM certificates, as MaEVe's scripts do it (openssl base64 -d, openssl pkcs7). */
  function estToPem(b64: string, prefix: string): string[] {
    for (const line of file(b64).trimEnd().split('\n')) assert.ok(line.length <= 76, 'base64 wrapped at 76');
    ok(openssl('base64', '-d', '-in', b64, '-out', `${prefix}.p7b`), 'openssl base64 -d');
    ok(
      openssl('pkcs7', '-inform', 'DER', '-in', `${prefix}.p7b`, '-print_certs', '-out', `${prefix}.pem`),
      'openssl pkcs7',
    );
    return splitPem(`${prefix}.pem`);
  }

  function token(client: { clientId: string; clientSecret: string }): string {
    // CitrineOS 1.8.3 style: form body (interop.md §1.1).
    const status = curl(
      'token.json',
      '-X',
      'POST',
      `${url}/oauth/token`,
      '--data-urlencode',
      'grant_type=client_credentials',
      '--data-urlencode',
      `client_id=${client.clientId}`,
      '--data-urlencode',
      `client_secret=${client.clientSecret}`,
    );
    assert.equal(status, 200, file('token.json'));
    return JSON.parse(file('token.json')).access_token as string;
  }

  function csr(name: string, curve: string, subject: string, digest = '-sha256'): string {
    ok(
      openssl(
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        `ec_paramgen_curve:${curve}`,
        '-nodes',
        '-keyout',
        `${name}.key`,
        digest,
        '-subj',
        subject,
        '-outform',
        'DER',
        '-out',
        `${name}.csr`,
      ),
      'openssl req',
    );
    ok(openssl('base64', '-in', `${name}.csr`, '-out', `${name}.b64`), 'openssl base64');
    return `${name}.b64`;
  }

  function enroll(path: string, bearer: string, body: string, out: string): number {
    return curl(
      out,
      '-X',
      'POST',
      `${url}${path}`,
      '-H',
      `Authorization: Bearer ${bearer}`,
      '-H',
      'Content-Type: application/pkcs10',
      '-H',
      'Accept: application/pkcs10',
      '--data-binary',
      `@${body}`,
    );
  }

  function counts(): { certificates: number; audit: number; cas: number } {
    const db = new DatabaseSync(join(dataDir, 'pnc.sqlite'), { readOnly: true });
    try {
      const n = (table: string) =>
        Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
      return { certificates: n('ca_certificates'), audit: n('ca_audit_log'), cas: n('ca_authorities') };
    } finally {
      db.close();
    }
  }

  before(async () => {
    ok(pnc('pki', 'init', '--iso', '2'), 'pnc pki init --iso 2');
    ok(pnc('pki', 'init', '--iso', '20'), 'pnc pki init --iso 20');
    const cpoAdd = pnc('clients', 'add', '--role', 'CPO', '--scope', 'DE*ABC', '--json');
    ok(cpoAdd, 'pnc clients add CPO');
    cpo = JSON.parse(cpoAdd.stdout);
    const moAdd = pnc('clients', 'add', '--role', 'MO', '--scope', 'DE-ABC', '--json');
    ok(moAdd, 'pnc clients add MO');
    mo = JSON.parse(moAdd.stdout);

    // The log goes to a file, not a pipe: the synchronous openssl / curl calls below block this
    // process's event loop, and a full pipe would block the server.
    const logPath = join(dir, 'serve.log');
    const logFd = openSync(logPath, 'w');
    const child = spawn(process.execPath, [PNC, 'serve', '--port', '0', '--data-dir', dataDir], {
      cwd: dir,
      env,
      stdio: ['ignore', logFd, logFd],
    });
    closeSync(logFd);
    server = child;
    const deadline = Date.now() + 30_000;
    for (;;) {
      serverLog = readFileSync(logPath, 'utf8');
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serverLog);
      if (m?.[1] !== undefined) {
        url = m[1];
        break;
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`pnc serve did not start (exit code ${child.exitCode}):\n${serverLog.slice(-5000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  after(async () => {
    const child = server;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  let leafSerial = '';

  test('openssl req + curl: token and EST enrolment; cacerts chain accepted by openssl verify -x509_strict', () => {
    const bearer = token(cpo);
    const body = csr('secc', 'prime256v1', '/CN=DE*ABC*E0001/O=Integration CPO');
    assert.equal(
      enroll('/.well-known/est/cpo/simpleenroll', bearer, body, 'enroll.b64'),
      200,
      file('enroll.b64'),
    );
    const issued = estToPem('enroll.b64', 'enroll');
    assert.equal(issued.length, 4, 'leaf, CPO Sub-CA 2, CPO Sub-CA 1, root');
    writeFileSync(join(dir, 'leaf.pem'), issued[0] as string);
    const subject = openssl('x509', '-in', 'leaf.pem', '-noout', '-subject');
    assert.match(subject.stdout, /CN = DE\*ABC\*E0001/);

    assert.equal(
      curl('cacerts.b64', `${url}/.well-known/cpo/cacerts`, '-H', 'Accept: application/pkcs7-mime'),
      200,
    );
    const chain = estToPem('cacerts.b64', 'cacerts');
    assert.equal(chain.length, 3);
    writeFileSync(join(dir, 'root.pem'), chain[2] as string);
    writeFileSync(join(dir, 'sub2.pem'), chain[0] as string);
    writeFileSync(join(dir, 'subs.pem'), chain.slice(0, 2).join(''));
    // The root is the last certificate of cacerts (CitrineOS takes it as the root).
    assert.match(openssl('x509', '-in', 'root.pem', '-noout', '-subject').stdout, /V2G Root CA ISO15118-2/);
    const verify = openssl(
      'verify',
      '-x509_strict',
      '-CAfile',
      'root.pem',
      '-untrusted',
      'subs.pem',
      'leaf.pem',
    );
    assert.equal(verify.status, 0, verify.output);
    assert.match(verify.stdout, /leaf\.pem: OK/);
    leafSerial = openssl('x509', '-in', 'leaf.pem', '-noout', '-serial')
      .stdout.trim()
      .replace(/^serial=/, '');
    assert.match(leafSerial, /^[0-9A-F]+$/);
  });

  function ocsp(cert: string, issuer: string, extra: readonly string[] = []): Run {
    const aia = openssl('x509', '-in', cert, '-noout', '-ocsp_uri');
    ok(aia, 'openssl x509 -ocsp_uri');
    const responder = aia.stdout.trim();
    assert.equal(responder, `${url}/ocsp`, 'the AIA names the running responder');
    return openssl(
      'ocsp',
      ...extra,
      '-issuer',
      issuer,
      '-cert',
      cert,
      '-url',
      responder,
      '-CAfile',
      'root.pem',
      '-verify_other',
      'subs.pem',
    );
  }

  test('openssl ocsp at the AIA URL: verifiable good, then revoked after pnc pki revoke', () => {
    for (const extra of [[], ['-no_nonce', '-sha256'], ['-no_nonce', '-sha256'], ['-sha384'], ['-sha512']]) {
      const r = ocsp('leaf.pem', 'sub2.pem', extra);
      assert.equal(r.status, 0, r.output);
      assert.match(r.output, /Response verify OK/);
      assert.match(r.stdout, /leaf\.pem: good/);
    }
    const revoke = pnc('pki', 'revoke', leafSerial, '--reason', 'keyCompromise');
    ok(revoke, 'pnc pki revoke');
    // With a nonce (fresh) and without (the pre-signed path): both see the revocation of the other process.
    for (const extra of [[], ['-no_nonce', '-sha256']]) {
      const r = ocsp('leaf.pem', 'sub2.pem', extra);
      assert.equal(r.status, 0, r.output);
      assert.match(r.output, /Response verify OK/);
      assert.match(r.stdout, /leaf\.pem: revoked/);
      assert.match(r.stdout, /Reason: keyCompromise/);
    }
  });

  test('the CRL of the CPO Sub-CA 2 lists the revoked leaf and verifies with openssl crl -verify', () => {
    const list = pnc('pki', 'list', '--json');
    ok(list, 'pnc pki list');
    const sub2 = (JSON.parse(list.stdout).cas as { id: string; role: string; iso: string }[]).find(
      (c) => c.role === 'cpo-sub2' && c.iso === '2',
    );
    assert.ok(sub2);
    assert.equal(curl('crl.der', `${url}/crl/${sub2.id}`), 200);
    const verify = openssl(
      'crl',
      '-inform',
      'DER',
      '-in',
      'crl.der',
      '-CAfile',
      'sub2.pem',
      '-noout',
      '-verify',
    );
    assert.equal(verify.status, 0, verify.output);
    assert.match(verify.output, /verify OK/);
    const text = openssl('crl', '-inform', 'DER', '-in', 'crl.der', '-noout', '-text');
    assert.match(text.stdout, new RegExp(`Serial Number: ${leafSerial}`));
    assert.match(text.stdout, /Key Compromise/);
    assert.match(text.stdout, /X509v3 CRL Number: \n\s+1\n/);
  });

  test('ISO 15118-20: P-521 enrolment on /cpo/simpleenroll/ISO15118-20, chain and OCSP', () => {
    const bearer = token(cpo);
    const body = csr('secc20', 'secp521r1', '/CN=DE*ABC*E0002/O=Integration CPO', '-sha512');
    assert.equal(
      enroll('/cpo/simpleenroll/ISO15118-20', bearer, body, 'enroll20.b64'),
      200,
      file('enroll20.b64'),
    );
    const issued = estToPem('enroll20.b64', 'enroll20');
    writeFileSync(join(dir, 'leaf20.pem'), issued[0] as string);
    assert.match(
      openssl('x509', '-in', 'leaf20.pem', '-noout', '-text').stdout,
      /NIST CURVE: P-521[\s\S]*ecdsa-with-SHA512/,
    );
    assert.equal(curl('cacerts20.b64', `${url}/cpo/cacerts/ISO15118-20/secp521r1/`), 200);
    const chain = estToPem('cacerts20.b64', 'cacerts20');
    writeFileSync(join(dir, 'root20.pem'), chain[chain.length - 1] as string);
    writeFileSync(join(dir, 'sub220.pem'), chain[0] as string);
    writeFileSync(join(dir, 'subs20.pem'), chain.slice(0, -1).join(''));
    const verify = openssl(
      'verify',
      '-x509_strict',
      '-CAfile',
      'root20.pem',
      '-untrusted',
      'subs20.pem',
      'leaf20.pem',
    );
    assert.equal(verify.status, 0, verify.output);
    const aia = openssl('x509', '-in', 'leaf20.pem', '-noout', '-ocsp_uri').stdout.trim();
    const r = openssl(
      'ocsp',
      '-sha512',
      '-issuer',
      'sub220.pem',
      '-cert',
      'leaf20.pem',
      '-url',
      aia,
      '-CAfile',
      'root20.pem',
      '-verify_other',
      'subs20.pem',
    );
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /Response verify OK/);
    assert.match(r.stdout, /leaf20\.pem: good/);
  });

  test('hostile input over HTTP: clear 4xx or OCSP errors, nothing issued, nothing stored', () => {
    const before = counts();
    const cpoToken = token(cpo);
    const moToken = token(mo);

    // OCSP: garbage POST and GET answer malformedRequest (HTTP 200, OCSP status); oversized → 413.
    writeFileSync(join(dir, 'garbage.bin'), 'garbage');
    assert.equal(
      curl(
        'g1.der',
        '-X',
        'POST',
        `${url}/ocsp`,
        '-H',
        'Content-Type: application/ocsp-request',
        '--data-binary',
        '@garbage.bin',
      ),
      200,
    );
    assert.equal(curl('g2.der', `${url}/ocsp/not-an-ocsp-request`), 200);
    for (const name of ['g1.der', 'g2.der']) {
      const r = openssl('ocsp', '-respin', name, '-resp_text', '-noverify');
      assert.match(r.output, /Responder Error: malformedrequest \(1\)/);
    }
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(300 * 1024, 0x30));
    assert.equal(
      curl(
        'g3.der',
        '-X',
        'POST',
        `${url}/ocsp`,
        '-H',
        'Content-Type: application/ocsp-request',
        '--data-binary',
        '@big.bin',
      ),
      413,
    );
    assert.match(openssl('ocsp', '-respin', 'g3.der', '-resp_text', '-noverify').output, /malformedrequest/);

    // EST: oversized, garbage, mis-curved, wrong CN, foreign operator, no / invalid token, wrong role.
    const secc = csr('ok', 'prime256v1', '/CN=DE*ABC*E0003');
    writeFileSync(join(dir, 'garbage.b64'), 'Z2FyYmFnZQ==\n');
    writeFileSync(join(dir, 'garbage.txt'), 'garbage!!\n');
    const cases: { body: string; bearer?: string; status: number; message: RegExp }[] = [
      { body: 'big.bin', bearer: cpoToken, status: 413, message: /too large/ },
      { body: 'garbage.txt', bearer: cpoToken, status: 400, message: /not base64/ },
      { body: 'garbage.b64', bearer: cpoToken, status: 400, message: /not a DER CSR/ },
      {
        body: csr('p384', 'secp384r1', '/CN=DE*ABC*E0004'),
        bearer: cpoToken,
        status: 422,
        message: /P-384 key not allowed/,
      },
      {
        body: csr('cs001', 'prime256v1', '/CN=cs001'),
        bearer: cpoToken,
        status: 422,
        message: /CN \\"cs001\\" is not valid for CPO/,
      },
      {
        body: csr('foreign', 'prime256v1', '/CN=FR*XYZ*E0001'),
        bearer: cpoToken,
        status: 403,
        message: /outside the tenant scope/,
      },
      { body: secc, status: 401, message: /needs an access token/ },
      { body: secc, bearer: `${cpoToken.slice(0, -4)}AAAA`, status: 401, message: /invalid access token/ },
      { body: secc, bearer: moToken, status: 403, message: /role MO may not enrol on the cpo CA/ },
    ];
    for (const c of cases) {
      const args = [
        '-X',
        'POST',
        `${url}/.well-known/est/cpo/simpleenroll`,
        '-H',
        'Content-Type: application/pkcs10',
        '--data-binary',
        `@${c.body}`,
      ];
      if (c.bearer !== undefined) args.push('-H', `Authorization: Bearer ${c.bearer}`);
      const status = curl('refused.json', ...args);
      assert.equal(status, c.status, `${c.body}: ${file('refused.json')}`);
      const error = JSON.parse(file('refused.json')) as { errorMessages: string[]; traceId: string };
      assert.equal(typeof error.traceId, 'string');
      assert.match(JSON.stringify(error.errorMessages), c.message);
    }
    assert.deepEqual(counts(), before, 'nothing issued, nothing stored');
  });
});
