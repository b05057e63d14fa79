// `pnc pki init|list|export|revoke` end to end: the real executable on a temporary data directory
// (embedded database, software key store with PNC_KEY_PASSPHRASE).

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assertConforms, opensslVerify } from '../ca/testing/fixtures.ts';
import { hasOpenssl, OPENSSL_SKIP } from '../pki/ocsp/testing/test-pki.ts';
import { splitCertificates } from '../pki/path/index.ts';
import { INSECURE_DEMO_PASSPHRASE } from './pki-ca-commands.ts';
import { spawnPnc } from './testing/run-pnc.ts';

const work = mkdtempSync(join(tmpdir(), 'pnc-cli-pki-'));
after(() => rmSync(work, { recursive: true, force: true }));
if (!hasOpenssl()) console.log(OPENSSL_SKIP);

const PASSPHRASE = 'a long enough test passphrase';

function pnc(args: readonly string[], env: Record<string, string | undefined> = {}) {
  return spawnPnc(args, { env: { PNC_KEY_PASSPHRASE: PASSPHRASE, ...env } });
}

interface ListJson {
  cas: { id: string; name: string; status: string; role: string; parentId: string | null; serial: string }[];
  certificates: {
    id: string;
    serial: string;
    subject: string;
    status: string;
    revocationReason: string | null;
    issuerCaId: string;
  }[];
}

test('pki init, list, export, revoke on a data directory', async () => {
  const dataDir = join(work, 'data');
  const publicUrl = 'http://pnc.example.test:8080';
  const init = pnc(['pki', 'init', '--iso', '2', '--data-dir', dataDir], { PNC_PUBLIC_URL: publicUrl });
  assert.equal(init.code, 0, init.stderr);
  const lines = init.stdout.trim().split('\n');
  assert.match(
    lines[0] as string,
    /ISO 15118-2 \(P-256\) in the software key store .*keys; OCSP URL http:\/\/pnc\.example\.test:8080\/ocsp/,
  );
  const progress = lines.filter((l) => /^created /.test(l));
  assert.equal(progress.length, 10, init.stdout);
  assert.match(
    progress[0] as string,
    /V2G Root CA ISO15118-2 +ca-[0-9a-f]{16} +P-256 +serial [0-9a-f]+ +until 20\d\d-/,
  );
  assert.match(lines.at(-1) as string, /done: 10 created, 0 existing/);
  // The V2G root went into the Root Certificate Pool, and a CTL signer was issued (src/rcp).
  assert.match(init.stdout, /\nroot pool: added +V2G root ISO15118-2 +[0-9a-f-]{36} +sha256 [0-9a-f]{64}\n/);
  assert.match(init.stdout, /\nCTL signer: created cert-[0-9a-f]{16} +CN=CTL Signer ISO15118-2,/);
  // Keys are encrypted files in <data-dir>/keys, directory 0700.
  const keyDir = join(dataDir, 'keys');
  assert.equal(statSync(keyDir).mode & 0o777, 0o700);
  // Ten CA and CPS keys, and the CTL signer's.
  assert.equal(readdirSync(keyDir).filter((f) => f.endsWith('.key.pem')).length, 11);

  const again = pnc(['pki', 'init', '--iso', '2', '--data-dir', dataDir, '--json'], {
    PNC_PUBLIC_URL: publicUrl,
  });
  assert.equal(again.code, 0, again.stderr);
  const summary = JSON.parse(again.stdout) as { certificates: { action: string }[] };
  assert.ok(summary.certificates.every((c) => c.action === 'exists'));
  assert.match(again.stderr, /done: 0 created, 10 existing/);
  assert.match(again.stderr, /root pool: exists /);
  assert.match(again.stderr, /CTL signer: exists /);

  const list = pnc(['pki', 'list', '--json', '--data-dir', dataDir]);
  assert.equal(list.code, 0, list.stderr);
  const listed = JSON.parse(list.stdout) as ListJson;
  assert.equal(listed.cas.length, 9);
  assert.equal(listed.certificates.length, 2, 'the CPS leaf and the CTL signer');
  const leaf = listed.certificates.find((c) =>
    c.subject.startsWith('CN=CPS Leaf '),
  ) as ListJson['certificates'][number];
  assert.equal(leaf.status, 'issued');
  const text = pnc(['pki', 'list', '--data-dir', dataDir]);
  assert.match(text.stdout, /^CAs\n {2}ca-[0-9a-f]{16} {2}active +iso15118-2\/v2g-root/);
  assert.match(
    text.stdout,
    /\n {6}ca-[0-9a-f]{16} {2}active +iso15118-2\/cps-sub2 /,
    'Sub-CA 2 indented under Sub-CA 1',
  );

  // Export: the leaf alone, then its chain; both verify.
  const exported = pnc(['pki', 'export', leaf.id, '--data-dir', dataDir]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(exported.stdout.match(/BEGIN CERTIFICATE/g)?.length, 1);
  const chainPem = pnc(['pki', 'export', leaf.serial, '--chain', '--data-dir', dataDir]);
  const split = splitCertificates(new TextEncoder().encode(chainPem.stdout));
  assert.ok(split.ok);
  assert.equal(split.certificates.length, 4);
  assertConforms(split.certificates, 'iso15118-2/cps-leaf', new Date());
  if (hasOpenssl()) assert.ok(opensslVerify(split.certificates, new Date()).ok);

  // Revoke by serial, with a reason; a second time is an error.
  const revoke = pnc(['pki', 'revoke', leaf.serial, '--reason', 'keyCompromise', '--data-dir', dataDir]);
  assert.equal(revoke.code, 0, revoke.stderr);
  assert.match(
    revoke.stdout,
    new RegExp(`revoked ${leaf.id} \\(serial ${leaf.serial}, CN=CPS Leaf ISO15118-2,.*keyCompromise`),
  );
  const twice = pnc(['pki', 'revoke', leaf.id, '--data-dir', dataDir]);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /pnc: error \[ca\.already-revoked\]/);
  const afterRevoke = JSON.parse(pnc(['pki', 'list', '--json', '--data-dir', dataDir]).stdout) as ListJson;
  const revokedLeaf = afterRevoke.certificates.find((c) => c.id === leaf.id);
  assert.equal(revokedLeaf?.status, 'revoked');
  assert.equal(revokedLeaf?.revocationReason, 'keyCompromise');

  // Revoke a sub-CA by its id (JSON output); unknown references and reasons are clear errors.
  const cpo2 = listed.cas.find((c) => c.role === 'cpo-sub2');
  const revokedCa = pnc([
    'pki',
    'revoke',
    cpo2?.id as string,
    '--reason',
    '5',
    '--json',
    '--data-dir',
    dataDir,
  ]);
  assert.equal(revokedCa.code, 0, revokedCa.stderr);
  assert.equal(
    (JSON.parse(revokedCa.stdout) as { revocationReason: string }).revocationReason,
    'cessationOfOperation',
  );
  const rootCa = listed.cas.find((c) => c.role === 'v2g-root');
  assert.match(
    pnc(['pki', 'revoke', rootCa?.id as string, '--data-dir', dataDir]).stderr,
    /\[ca\.not-revocable\]/,
  );
  assert.match(
    pnc(['pki', 'revoke', 'cert-0000000000000000', '--data-dir', dataDir]).stderr,
    /\[ca\.not-found\]/,
  );
  assert.match(
    pnc(['pki', 'revoke', leaf.id, '--reason', 'nope', '--data-dir', dataDir]).stderr,
    /\[ca\.invalid-request\]/,
  );
  assert.equal(pnc(['pki', 'export', '--data-dir', dataDir]).code, 2, 'usage error without an id');
  // Listing and revoking need no key: they work without the passphrase.
  assert.equal(pnc(['pki', 'list', '--data-dir', dataDir], { PNC_KEY_PASSPHRASE: undefined }).code, 0);
});

test('pki init without a passphrase refuses and creates nothing; --insecure-demo-passphrase says what it does', () => {
  const dataDir = join(work, 'nopass');
  const refused = pnc(['pki', 'init', '--iso', '20', '--data-dir', dataDir], {
    PNC_KEY_PASSPHRASE: undefined,
  });
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /\[ca\.key-store-unavailable\].*PNC_KEY_PASSPHRASE.*--insecure-demo-passphrase.*Nothing was created/,
  );
  assert.equal(existsSync(dataDir), false);
  assert.equal(pnc(['pki', 'init', '--iso', '3', '--data-dir', dataDir]).code, 2);

  const demo = pnc(
    ['pki', 'init', '--iso', '20', '--ed448', '--insecure-demo-passphrase', '--data-dir', dataDir],
    {
      PNC_KEY_PASSPHRASE: undefined,
    },
  );
  assert.equal(demo.code, 0, demo.stderr);
  assert.match(
    demo.stderr,
    new RegExp(`WARNING: --insecure-demo-passphrase: .*PUBLIC passphrase "${INSECURE_DEMO_PASSPHRASE}"`),
  );
  assert.match(demo.stdout, /ISO 15118-20 \(Ed448\)/);
  assert.equal(demo.stdout.split('\n').filter((l) => /^created .* Ed448 /.test(l)).length, 10);
});
