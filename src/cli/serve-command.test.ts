// `pnc serve`: in-process for the configuration paths, and as a real process (bin/pnc.js) for
// listening, answering over HTTP and shutting down cleanly on SIGTERM.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { commands } from './commands.ts';
import { type CliIo, runCli } from './registry.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/pnc.js', import.meta.url));

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pnc-serve-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function pnc(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: {
      write: (c) => {
        stdout += String(c);
      },
    },
    stderr: {
      write: (c) => {
        stderr += String(c);
      },
    },
    readStdin: async () => new Uint8Array(),
    env,
  };
  const code = await runCli(argv, io, commands);
  return { code, stdout, stderr };
}

test('--print-config prints the effective configuration with secrets masked', async () => {
  const r = await pnc(['serve', '--print-config', '--port', '9999', '--data-dir', dir], {
    DATABASE_URL: 'postgres://pnc:hunter2@db:5432/pnc',
    PNC_PUBLIC_URL: 'https://pki.example.com/',
  });
  assert.equal(r.code, 0, r.stderr);
  const printed = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(printed.port, 9999);
  assert.equal(printed.dataDir, dir);
  assert.equal(printed.publicUrl, 'https://pki.example.com');
  assert.equal(printed.databaseUrl, 'postgres://pnc:***@db:5432/pnc');
  assert.doesNotMatch(r.stdout, /hunter2/);
});

test('PNC_DATA_DIR is the default of --data-dir', async () => {
  const r = await pnc(['serve', '--print-config'], { PNC_DATA_DIR: join(dir, 'from-env') });
  assert.equal(JSON.parse(r.stdout).dataDir, join(dir, 'from-env'));
});

test('invalid configuration: exit 1 with every problem; stray arguments: exit 2', async () => {
  const bad = await pnc(['serve', '--port', 'http', '--host', 'a b'], {
    DATABASE_URL: 'mysql://root:hunter2@x/y',
  });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /\[config\.invalid\]: invalid configuration \(3 problems\)/);
  assert.match(bad.stderr, /port \(--port\)/);
  assert.doesNotMatch(bad.stderr, /hunter2/);
  const stray = await pnc(['serve', 'now']);
  assert.equal(stray.code, 2);
  assert.match(stray.stderr, /unexpected argument 'now'/);
});

test('--help lists the options', async () => {
  const r = await pnc(['serve', '--help']);
  assert.equal(r.code, 0);
  for (const option of ['--host', '--port', '--data-dir', '--config', '--print-config']) {
    assert.ok(r.stdout.includes(option), option);
  }
});

/** Starts `pnc serve` and resolves with the listening URL and the log records read so far. */
async function startServe(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    cwd: root,
    env: { ...process.env, PNC_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "listening on" line in 20 s:\n${stdout}\n${stderr}`)),
      20_000,
    );
    const check = () => {
      const match = /listening on (http:\/\/[^\s"]+)/.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`pnc serve exited with ${code} before listening:\n${stdout}\n${stderr}`));
    });
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

test('pnc serve --port 0: listens, answers /health over HTTP, exits 0 on SIGTERM', {
  timeout: 60_000,
}, async () => {
  const dataDir = join(dir, 'served');
  const server = await startServe(['--port', '0', '--data-dir', dataDir]);
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    const res = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'spawn-test' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-request-id'), 'spawn-test');
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.status, 'ok');
    assert.equal(body.database, 'ok');
    const missing = await fetch(`${server.url}/missing`);
    assert.equal(missing.status, 404);

    server.child.kill('SIGTERM');
    const [code, signal] = await server.exited;
    const { stdout, stderr } = server.output();
    assert.equal(signal, null, stderr);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '', 'nothing on stderr (no warnings)');
    // Every stdout line is a JSON log record; the last ones are the clean shutdown.
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; publicUrl?: string });
    const messages = records.map((r) => r.msg);
    assert.ok(messages.includes('shutting down'));
    assert.equal(messages.at(-1), 'stopped');
    assert.equal(records.find((r) => r.msg === 'public URL')?.publicUrl, server.url);
  } finally {
    kill(server.child);
  }
});

test('pnc serve on a port in use: exit 1 with server.listen', { timeout: 60_000 }, async () => {
  const blocker = createServer();
  blocker.listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const port = (blocker.address() as { port: number }).port;
  try {
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--port', String(port), '--data-dir', join(dir, 'busy')],
      {
        cwd: root,
        env: { ...process.env, PNC_LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 1, stderr);
    assert.match(stderr, /\[server\.listen\]: cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
  } finally {
    blocker.close();
  }
});

test('PNC_WORKERS=2: two worker processes share the port; SIGTERM stops both, exit 0', {
  timeout: 90_000,
}, async () => {
  const server = await startServe(['--port', '0', '--data-dir', join(dir, 'cluster')], {
    PNC_WORKERS: '2',
  });
  try {
    const listening = () => (server.output().stdout.match(/"msg":"listening on http/g) ?? []).length;
    const deadline = Date.now() + 30_000;
    while (!server.output().stdout.includes('all 2 workers listening') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(listening(), 2, server.output().stdout);
    // Both workers listen on the port the first one got (node:cluster shares it, also for port 0).
    const urls = [...server.output().stdout.matchAll(/listening on (http:\/\/[^\s"]+)/g)].map((m) => m[1]);
    assert.deepEqual(urls, [server.url, server.url]);
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${server.url}/health`, { headers: { connection: 'close' } });
      assert.equal(res.status, 200);
    }
    server.child.kill('SIGTERM');
    const [code, signal] = await server.exited;
    const { stdout, stderr } = server.output();
    assert.equal(signal, null, stderr);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    const messages = stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    assert.equal(messages.filter((m) => m === 'stopped').length, 2, 'each worker shut down cleanly');
    assert.equal(messages.at(-1), 'all workers stopped');
  } finally {
    kill(server.child);
  }
});

test('PNC_WORKERS=2: a worker that dies stops the other; exit 1', {
  timeout: 90_000,
  skip: process.platform !== 'linux' ? 'reads the worker ids from /proc' : false,
}, async () => {
  const server = await startServe(['--port', '0', '--data-dir', join(dir, 'cluster-dies')], {
    PNC_WORKERS: '2',
  });
  try {
    const deadline = Date.now() + 30_000;
    while (!server.output().stdout.includes('all 2 workers listening') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const pid = server.child.pid as number;
    const { readFileSync } = await import('node:fs');
    const workers = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    assert.equal(workers.length, 2);
    process.kill(workers[0] as number, 'SIGKILL');
    const [code] = await server.exited;
    const { stdout } = server.output();
    assert.equal(code, 1, stdout);
    assert.match(stdout, /a worker exited: stopping the others/);
    assert.equal((stdout.match(/"msg":"stopped"/g) ?? []).length, 1, 'the other worker shut down cleanly');
  } finally {
    kill(server.child);
  }
});
