// The composition root: database, migrations, server, listen (real socket), public URL, close.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../config/load-config.ts';
import { isAppError } from '../errors/app-error.ts';
import { createApp, readPackageVersion } from './create-app.ts';
import { componentMigrations } from './migrations.ts';

const clock = { now: () => new Date('2026-03-01T00:00:00Z') };
const random = (n: number) => new Uint8Array(n).fill(7);
const logs: string[] = [];
const logDestination = { write: (line: string) => void logs.push(line) };

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pnc-app-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('createApp opens the embedded database in the data directory and serves /health', async () => {
  const config = loadConfig({ env: { PNC_DATA_DIR: join(dir, 'a'), PNC_LOG_LEVEL: 'silent' } });
  const app = await createApp({ config, clock, random, logDestination });
  try {
    assert.equal(app.db.dialect, 'sqlite');
    assert.ok(existsSync(join(dir, 'a', 'pnc.sqlite')));
    const res = await app.server.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().version, await readPackageVersion());
    assert.equal(res.json().database, 'ok');
    // Migrations ran: the bookkeeping table exists (components add their own later).
    const rows = await app.db.query('SELECT COUNT(*) AS n FROM schema_migrations');
    assert.deepEqual(rows, [{ n: componentMigrations.reduce((n, r) => n + r.migrations.length, 0) }]);
  } finally {
    await app.close();
  }
  await app.close(); // idempotent
});

test('listen on port 0 reports the bound URL, which becomes the default public URL', async () => {
  const config = loadConfig({ env: { PNC_DATA_DIR: join(dir, 'b'), PNC_PORT: '0', PNC_LOG_LEVEL: 'info' } });
  const app = await createApp({ config, clock, random, logDestination });
  try {
    assert.equal(app.publicUrl(), 'http://127.0.0.1:0');
    const url = await app.listen();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(app.publicUrl(), url);
    assert.ok(logs.some((line) => line.includes(`"msg":"listening on ${url}"`)));
    const res = await fetch(`${url}/health`);
    assert.equal(res.status, 200);
    // The random bytes as a version-4 UUID (D-084).
    assert.equal(res.headers.get('x-request-id'), '07070707-0707-4707-8707-070707070707');

    // A second server on the same port: AppError server.listen, not a crash.
    const taken = new URL(url).port;
    const config2 = loadConfig({
      env: { PNC_DATA_DIR: join(dir, 'c'), PNC_PORT: taken, PNC_LOG_LEVEL: 'silent' },
    });
    const app2 = await createApp({ config: config2, clock, random, logDestination });
    try {
      await assert.rejects(
        app2.listen(),
        (e) => isAppError(e) && e.code === 'server.listen' && /EADDRINUSE/.test(e.message),
      );
    } finally {
      await app2.close();
    }
  } finally {
    await app.close();
  }
});

test('an explicit public URL is kept', async () => {
  const config = loadConfig({
    env: {
      PNC_DATA_DIR: join(dir, 'd'),
      PNC_PORT: '0',
      PNC_PUBLIC_URL: 'https://pki.example.com',
      PNC_LOG_LEVEL: 'silent',
    },
  });
  const app = await createApp({ config, clock, random, logDestination });
  try {
    await app.listen();
    assert.equal(app.publicUrl(), 'https://pki.example.com');
  } finally {
    await app.close();
  }
});

test('an unusable data directory fails with storage.unavailable', async () => {
  // A path below a regular file cannot be created (ENOTDIR).
  const file = join(dir, 'a-file');
  await writeFile(file, '');
  const config = loadConfig({ env: { PNC_DATA_DIR: join(file, 'data'), PNC_LOG_LEVEL: 'silent' } });
  await assert.rejects(
    createApp({ config, clock, random, logDestination }),
    (e) => isAppError(e) && e.code === 'storage.unavailable',
  );
});
