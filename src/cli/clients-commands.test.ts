// `pnc clients add|list|revoke` as real processes (node bin/pnc.js) on a data directory, then the
// printed secret against servers on the same data directory: a spawned `pnc serve` (token endpoint)
// and an in-process server with a protected test route; revocation by the CLI while both run. The
// same commands against PostgreSQL through DATABASE_URL.
//
// PNC_REQUIRE_POSTGRES=1 node --test src/cli/clients-commands.test.ts

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cryptoRandom, systemClock } from '../app/runtime.ts';
import { createAuth } from '../auth/index.ts';
import { principalOf } from '../auth/require-auth.ts';
import { createLogger } from '../http/logger.ts';
import { createMetrics } from '../http/metrics.ts';
import { buildHttpServer } from '../http/server.ts';
import { openDatabase } from '../storage/open-database.ts';
import {
  connectTestServer,
  type PostgresTestServer,
  postgresSource,
} from '../storage/testing/postgres-server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/pnc.js', import.meta.url));
const PUBLIC_URL = 'https://pnc.cli.test';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function pnc(args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, PNC_DATA_DIR: '', DATABASE_URL: '', PNC_CONFIG: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Starts `pnc serve --port 0`; resolves with the URL from its "listening on" log line. */
async function startServe(
  dataDir: string,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    env: {
      ...process.env,
      PNC_PUBLIC_URL: PUBLIC_URL,
      PNC_LOG_LEVEL: 'info',
      DATABASE_URL: '',
      PNC_CONFIG: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.on('data', (chunk) => {
    out += String(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const m = /"msg":"listening on (http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`pnc serve exited with ${code}: ${out}`)));
  });
  return { child, url, output: () => out };
}

async function tokenRequest(url: string, clientId: string, clientSecret: string): Promise<Response> {
  return fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
}

describe('pnc clients on a data directory (SQLite)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pnc-clients-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('add / list / revoke, and the secret works against servers on the same data directory', async () => {
    const dataDir = join(dir, 'data');
    // --- add, before any server ever ran on this directory --------------------------------------------
    const added = await pnc([
      'clients',
      'add',
      '--role',
      'CPO',
      '--scope',
      'DE*ICE',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    assert.equal(added.code, 0, added.stderr);
    const cpo = JSON.parse(added.stdout) as { clientId: string; clientSecret: string };
    assert.deepEqual(Object.keys(cpo), ['clientId', 'clientSecret']);
    assert.match(cpo.clientId, /^[0-9a-f]{32}$/);
    assert.match(cpo.clientSecret, /^[A-Za-z0-9_-]{43}$/);

    const text = await pnc([
      'clients',
      'add',
      '--role',
      'oem',
      '--scope',
      'wp0,WBA',
      '--name',
      'Test OEM',
      '--data-dir',
      dataDir,
    ]);
    assert.equal(text.code, 0, text.stderr);
    const oemId = /^client id: +([0-9a-f]{32})$/m.exec(text.stdout)?.[1];
    const oemSecret = /^client secret: +(\S+)$/m.exec(text.stdout)?.[1];
    assert.ok(oemId !== undefined && oemSecret !== undefined, text.stdout);
    assert.match(text.stdout, /^scope: +WP0,WBA$/m);
    const secrets = [cpo.clientSecret, oemSecret];

    // --- list never shows secrets or hashes ---------------------------------------------------------------
    const listed = await pnc(['clients', 'list', '--json', '--data-dir', dataDir]);
    assert.equal(listed.code, 0, listed.stderr);
    const clients = JSON.parse(listed.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      clients.map((c) => [c.clientId, c.role, c.status, c.name]),
      [
        [cpo.clientId, 'CPO', 'active', null],
        [oemId, 'OEM', 'active', 'Test OEM'],
      ],
    );
    assert.deepEqual(clients[1]?.scope, { wmis: ['WP0', 'WBA'], providerIds: [], operatorIds: [] });
    const table = await pnc(['clients', 'list', '--data-dir', dataDir]);
    assert.match(table.stdout, new RegExp(`^${cpo.clientId} +CPO +active +DEICE`, 'm'));
    for (const output of [listed.stdout, table.stdout]) {
      for (const secret of secrets) assert.ok(!output.includes(secret), 'list prints no secret');
      assert.doesNotMatch(output, /scrypt|secret/i);
    }

    // --- a real `pnc serve` and an in-process verifier on the same data directory ---------------------
    const serve = await startServe(dataDir);
    const db = await openDatabase(
      { dataDir, databaseUrl: undefined, dbPoolMax: 1 },
      { logger: { warn() {} } },
    );
    const auth = await createAuth({
      db,
      clock: systemClock,
      random: cryptoRandom,
      issuer: () => PUBLIC_URL,
      tokenTtlSeconds: 3600,
    });
    const verifier = await buildHttpServer({
      config: { bodyLimit: 65536, trustProxy: false, requestTimeoutMs: 30_000 },
      logger: createLogger({ level: 'silent', destination: { write() {} } }),
      metrics: createMetrics(),
      routes: [
        {
          name: 'protected-test',
          register(app) {
            app.get('/test/cpo', { preHandler: auth.requireAuth({ roles: ['CPO'] }) }, async (request) =>
              principalOf(request),
            );
          },
        },
      ],
      random: cryptoRandom,
    });
    try {
      const res = await tokenRequest(serve.url, cpo.clientId, cpo.clientSecret);
      assert.equal(res.status, 200);
      const token = ((await res.json()) as { access_token: string }).access_token;
      secrets.push(token);
      const call = () =>
        verifier.inject({ method: 'GET', url: '/test/cpo', headers: { 'x-api-key': token } });
      const accepted = await call();
      assert.equal(accepted.statusCode, 200, accepted.body);
      assert.equal(accepted.json().clientId, cpo.clientId);

      // --- revoke while both servers run: refused on the next request --------------------------------
      const revoked = await pnc(['clients', 'revoke', cpo.clientId, '--data-dir', dataDir]);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.equal(revoked.stdout, `revoked client ${cpo.clientId}\n`);
      const refused = await call();
      assert.equal(refused.statusCode, 401);
      assert.match(refused.json().errorMessages[0], /client revoked/);
      const noToken = await tokenRequest(serve.url, cpo.clientId, cpo.clientSecret);
      assert.equal(noToken.status, 401);
      assert.equal(((await noToken.json()) as { error: string }).error, 'invalid_client');
      const twice = await pnc(['clients', 'revoke', cpo.clientId, '--data-dir', dataDir]);
      assert.equal(twice.code, 0);
      assert.match(twice.stdout, /already revoked/);

      // The other client is unaffected.
      const oemToken = await tokenRequest(serve.url, oemId, oemSecret);
      assert.equal(oemToken.status, 200);
      secrets.push(((await oemToken.json()) as { access_token: string }).access_token);
    } finally {
      await verifier.close();
      await db.close();
      serve.child.kill('SIGTERM');
      await once(serve.child, 'exit');
    }
    const logs = serve.output();
    assert.match(logs, /"msg":"token request refused"/);
    for (const secret of secrets)
      assert.ok(!logs.includes(secret), 'the server log holds no secret or token');

    const after = JSON.parse((await pnc(['clients', 'list', '--json', '--data-dir', dataDir])).stdout);
    assert.equal(after[0].status, 'revoked');
    assert.match(after[0].revokedAt, /^\d{4}-\d{2}-\d{2}T/);
  });

  test('hostile or wrong input: clear errors, exit codes 1 / 2, nothing stored', async () => {
    const dataDir = join(dir, 'hostile');
    const cases: [string[], number, RegExp][] = [
      [['clients', 'add', '--scope', 'WP0'], 2, /--role is required/],
      [
        ['clients', 'add', '--role', 'ROOT', '--scope', 'WP0'],
        1,
        /\[auth\.invalid-registration\][\s\S]*unknown role "ROOT"/,
      ],
      [['clients', 'add', '--role', 'ADMIN', '--scope', 'WP0'], 1, /ADMIN takes no scope/],
      [['clients', 'add', '--role', 'OEM'], 1, /role OEM needs a scope/],
      [['clients', 'add', '--role', 'MO', '--scope', 'WP0'], 1, /"WP0" is not a provider ID/],
      [
        ['clients', 'add', '--role', 'CPO', '--scope', "DE*ABC,'; DROP TABLE auth_clients; --"],
        1,
        /is not an operator ID/,
      ],
      [
        ['clients', 'add', '--role', 'OEM', '--scope', 'WP0', '--expires-at', '2001-01-01'],
        1,
        /not in the future/,
      ],
      [['clients', 'add', '--role', 'OEM', '--scope', 'WP0', 'extra'], 2, /unexpected argument 'extra'/],
      [
        ['clients', 'add', '--role', 'OEM', '--scope', 'WP0', '--secret', 'mine'],
        2,
        /unknown option '--secret'/,
      ],
      [['clients', 'revoke'], 2, /exactly one CLIENT_ID/],
      [['clients', 'revoke', 'a', 'b'], 2, /exactly one CLIENT_ID/],
      [['clients', 'revoke', 'f'.repeat(32)], 1, /\[auth\.client-not-found\]/],
      [['clients', 'list', 'x'], 2, /unexpected argument/],
    ];
    for (const [args, code, pattern] of cases) {
      const r = await pnc([...args, '--data-dir', dataDir]);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
    const listed = await pnc(['clients', 'list', '--json', '--data-dir', dataDir]);
    assert.deepEqual(JSON.parse(listed.stdout), []);
    const empty = await pnc(['clients', 'list', '--data-dir', dataDir]);
    assert.match(empty.stdout, /^no clients/);
  });

  test('--help documents the scope syntax per role', async () => {
    const r = await pnc(['clients', 'add', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /OEM +WMIs/);
    assert.match(r.stdout, /--scope DE\*ABC/);
    const group = await pnc(['clients', '--help']);
    assert.match(group.stdout, /add[\s\S]*list[\s\S]*revoke/);
  });
});

describe('pnc clients with DATABASE_URL (PostgreSQL)', () => {
  const source = postgresSource();
  const skip = source.kind === 'none' ? source.reason : false;
  if (skip !== false && process.env.PNC_REQUIRE_POSTGRES === '1') {
    test('PostgreSQL available (PNC_REQUIRE_POSTGRES=1)', () => assert.fail(skip));
  }
  let server: PostgresTestServer | undefined;
  before(async () => {
    if (skip === false) server = await connectTestServer(source);
  });
  after(async () => {
    await server?.close();
  });

  test('add, list and revoke work on PostgreSQL', { skip }, async () => {
    assert.ok(server !== undefined);
    const url = await server.createDatabase();
    try {
      const env = { DATABASE_URL: url };
      const added = await pnc(['clients', 'add', '--role', 'MO', '--scope', 'DE-ABC', '--json'], env);
      assert.equal(added.code, 0, added.stderr);
      const { clientId, clientSecret } = JSON.parse(added.stdout) as {
        clientId: string;
        clientSecret: string;
      };
      const listed = await pnc(['clients', 'list', '--json'], env);
      assert.equal(JSON.parse(listed.stdout)[0].clientId, clientId);
      assert.ok(!listed.stdout.includes(clientSecret));
      const revoked = await pnc(['clients', 'revoke', clientId], env);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.equal(JSON.parse((await pnc(['clients', 'list', '--json'], env)).stdout)[0].status, 'revoked');
    } finally {
      await server.dropDatabase(url);
    }
  });
});
