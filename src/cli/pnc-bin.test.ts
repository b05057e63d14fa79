// End-to-end tests of the real executable: spawn `node bin/pnc.js` and check exit codes and streams.
// The framework's behaviour in detail is covered in-process by registry.test.ts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/pnc.js', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function pnc(args: string[], options: { node?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  // Tests of the launcher must not inherit a guard from an outer re-exec.
  if (options.env?.PNC_LAUNCHER_REEXEC === undefined) delete env.PNC_LAUNCHER_REEXEC;
  const run = spawnSync(options.node ?? process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env,
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('pnc --help: global help on stdout, exit 0', () => {
  const r = pnc(['--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Usage: pnc <command>/);
  assert.match(r.stdout, /version\s+Print the pnc version/);
  assert.equal(r.stderr, '');
});

test('pnc version prints the package version and Node 24', () => {
  const r = pnc(['version']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `pnc ${version} (node ${process.version})\n`);
  const json = pnc(['version', '--json']);
  assert.deepEqual(JSON.parse(json.stdout), { pnc: version, node: process.version });
  assert.equal(pnc(['--version']).stdout, r.stdout);
});

test('pnc version --help: command help, exit 0', () => {
  const r = pnc(['version', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Usage: pnc version/);
  assert.match(r.stdout, /--json/);
});

test('unknown command: message on stderr, nothing on stdout, exit 2', () => {
  const r = pnc(['no-such-command']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /unknown command 'no-such-command'/);
});

test('unknown option and unexpected argument: exit 2', () => {
  const option = pnc(['version', '--bogus']);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /unknown option '--bogus'/);
  const positional = pnc(['version', 'extra']);
  assert.equal(positional.code, 2);
  assert.match(positional.stderr, /unexpected argument 'extra'/);
});

test('no arguments: help on stderr, exit 2', () => {
  const r = pnc([]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Usage: pnc <command>/);
});

/** A Node.js older than 24 on this machine (Debian's system node), to test the launcher's re-exec. */
function findOlderNode(): string | undefined {
  const candidates = [process.env.PNC_TEST_OLD_NODE, '/usr/bin/node', '/usr/local/bin/node'];
  for (const candidate of candidates) {
    if (candidate === undefined || !existsSync(candidate)) continue;
    const run = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (run.status === 0 && Number(run.stdout.split('.')[0]) < 24) return candidate;
  }
  return undefined;
}

const olderNode = findOlderNode();
const hasPinnedNode = existsSync(new URL('../../node_modules/node/bin/node', import.meta.url));

test('started by an older Node, pnc re-executes itself with the pinned Node 24', {
  skip: olderNode === undefined || !hasPinnedNode ? 'no Node older than 24 on this machine' : false,
}, () => {
  const r = pnc(['version'], { node: olderNode ?? '' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\(node v24\./);
  // Exit codes and stderr pass through the re-exec.
  const bad = pnc(['nope'], { node: olderNode ?? '' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown command 'nope'/);
});

test('started by an older Node without a usable pinned Node, pnc explains and exits 1', {
  skip: olderNode === undefined ? 'no Node older than 24 on this machine' : false,
}, () => {
  // The re-exec guard simulates "already re-executed" and so forces the no-pinned-Node path.
  const r = pnc(['version'], { node: olderNode ?? '', env: { PNC_LAUNCHER_REEXEC: '1' } });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /needs Node\.js 24, but this is v\d+/);
  assert.match(r.stderr, /npm ci/);
});
