// `pnc audit list` end to end on a temporary data directory: after `pnc pki init` (CA issuance, the
// demo roots published to the RCP) and `pnc root delete`, both audit tables come back as one list,
// newest first, filtered by component and subject, bounded by --limit; bad options are usage errors.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AuditView } from './audit-commands.ts';
import { spawnPnc } from './testing/run-pnc.ts';

const work = mkdtempSync(join(tmpdir(), 'pnc-cli-audit-'));
after(() => rmSync(work, { recursive: true, force: true }));

function pnc(args: readonly string[]) {
  return spawnPnc(args, { env: { PNC_KEY_PASSPHRASE: 'a long enough test passphrase' }, timeoutMs: 120_000 });
}

test('pnc audit list: CA and pool records in one list, newest first, with filters', () => {
  const dataDir = join(work, 'data');
  assert.equal(pnc(['audit', 'list', '--data-dir', dataDir]).stdout, 'no audit records\n');
  const init = pnc(['pki', 'init', '--iso', '2', '--data-dir', dataDir, '--json']);
  assert.equal(init.code, 0, init.stderr);
  const rootId = (JSON.parse(init.stdout) as { rootPool: { roots: { id: string }[] } }).rootPool.roots[0]?.id;
  assert.ok(rootId !== undefined);
  const deleted = pnc(['root', 'delete', rootId, '--data-dir', dataDir]);
  assert.equal(deleted.code, 0, deleted.stderr);

  const all = pnc(['audit', 'list', '--json', '--limit', '10000', '--data-dir', dataDir]);
  assert.equal(all.code, 0, all.stderr);
  const records = JSON.parse(all.stdout) as AuditView[];
  const components = new Set(records.map((r) => r.component));
  assert.ok(components.has('ca') && components.has('rcp'), [...components].join(','));
  // Newest first across both tables; the root deletion was the last change.
  const times = records.map((r) => r.at);
  assert.deepEqual(times, [...times].sort().reverse());
  assert.equal(records[0]?.component, 'rcp');
  assert.equal(records[0]?.action, 'root.deleted');
  assert.match(records[0]?.actor ?? '', /^cli/);
  assert.ok(records.some((r) => r.component === 'ca' && r.action === 'certificate.issued'));
  // No secrets or keys in the trail.
  assert.doesNotMatch(all.stdout, /PRIVATE KEY|passphrase/i);

  const ca = JSON.parse(
    pnc(['audit', 'list', '--component', 'ca', '--json', '--data-dir', dataDir]).stdout,
  ) as AuditView[];
  assert.ok(ca.length > 0 && ca.every((r) => r.component === 'ca'));
  const rcp = JSON.parse(
    pnc(['audit', 'list', '--component', 'rcp', '--json', '--data-dir', dataDir]).stdout,
  ) as AuditView[];
  assert.deepEqual(
    rcp.map((r) => r.action),
    ['root.deleted', 'root.added'],
  );
  const subject = rcp[0]?.subject as string;
  const bySubject = JSON.parse(
    pnc(['audit', 'list', '--subject', subject, '--json', '--data-dir', dataDir]).stdout,
  ) as AuditView[];
  assert.ok(bySubject.length >= 2 && bySubject.every((r) => r.subject === subject));
  const one = JSON.parse(
    pnc(['audit', 'list', '--limit', '1', '--json', '--data-dir', dataDir]).stdout,
  ) as AuditView[];
  assert.deepEqual(one, records.slice(0, 1));

  const text = pnc(['audit', 'list', '--limit', '3', '--data-dir', dataDir]);
  assert.equal(text.code, 0);
  const lines = text.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^AT\s+COMPONENT\s+ACTOR\s+ACTION\s+SUBJECT\s+DETAILS$/);
  assert.equal(lines.length, 4);

  for (const bad of [['--component', 'cpo'], ['--limit', '0'], ['--limit', 'ten'], ['extra']]) {
    const run = pnc(['audit', 'list', ...bad, '--data-dir', dataDir]);
    assert.equal(run.code, 2, `${bad.join(' ')}: ${run.stderr}`);
  }
});
