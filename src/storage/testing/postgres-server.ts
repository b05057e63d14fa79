// Test support: a PostgreSQL server for the contract suites, and a fresh database per test on it.
//
// Source of the server, in order:
//   1. PNC_TEST_DATABASE_URL: an existing server (CI starts one with scripts/ci/postgres-setup.sh);
//   2. initdb / pg_ctl on PATH or under /usr/lib/postgresql/*/bin: a throw-away cluster of this test
//      process, started with the same script in a temporary directory on first use and stopped when
//      the process exits (as root it runs as the `postgres` OS user: initdb refuses root);
//   3. none: the PostgreSQL half of the suites is skipped with POSTGRES_SKIP, or fails when
//      PNC_REQUIRE_POSTGRES=1.

import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Pool } from 'pg';

export const POSTGRES_SKIP =
  'SKIPPED: PostgreSQL tests need PNC_TEST_DATABASE_URL or initdb (apt-get install postgresql)';

const SETUP_SCRIPT = resolve(import.meta.dirname, '../../../scripts/ci/postgres-setup.sh');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findPostgresBin(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && isExecutable(join(dir, name))) return join(dir, name);
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const candidate = join(base, version, 'bin', name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export type PostgresSource =
  | { kind: 'url'; url: string }
  | { kind: 'cluster' }
  | { kind: 'none'; reason: string };

/** Decided synchronously, so test files can mark suites as skipped when they are defined. */
export function postgresSource(
  env: Readonly<Record<string, string | undefined>> = process.env,
): PostgresSource {
  const url = env.PNC_TEST_DATABASE_URL;
  if (url !== undefined && url !== '') return { kind: 'url', url };
  if (findPostgresBin('initdb') === undefined || findPostgresBin('pg_ctl') === undefined) {
    return { kind: 'none', reason: POSTGRES_SKIP };
  }
  if (process.getuid?.() === 0) {
    const user = env.PNC_PG_OS_USER ?? 'postgres';
    const hasUser = spawnSync('id', ['-u', user], { stdio: 'ignore' }).status === 0;
    if (!hasUser || findPostgresBin('runuser') === undefined) {
      return {
        kind: 'none',
        reason: `${POSTGRES_SKIP}; running as root needs the OS user '${user}' and runuser (initdb refuses root)`,
      };
    }
  }
  return { kind: 'cluster' };
}

let clusterUrl: Promise<string> | undefined;

/** Starts this process's throw-away cluster once; it is stopped and deleted at process exit. */
function startCluster(): Promise<string> {
  clusterUrl ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pnc-pg-'));
    process.once('exit', () => {
      // 'exit' handlers must be synchronous.
      spawnSync('bash', [SETUP_SCRIPT, '--stop', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    });
    const { stdout } = await promisify(execFile)('bash', [SETUP_SCRIPT, dir], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const url = /^PNC_TEST_DATABASE_URL=(.+)$/m.exec(stdout)?.[1];
    if (url === undefined) throw new Error(`postgres-setup.sh printed no URL: ${stdout}`);
    return url;
  })();
  return clusterUrl;
}

/** The admin connection to the test server, on its maintenance database. */
export interface PostgresTestServer {
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  close(): Promise<void>;
}

export async function connectTestServer(source: PostgresSource): Promise<PostgresTestServer> {
  if (source.kind === 'none') throw new Error(source.reason);
  const adminUrl = source.kind === 'url' ? source.url : await startCluster();
  const { default: pg } = await import('pg');
  const admin: Pool = new pg.Pool({ connectionString: adminUrl, max: 2 });
  admin.on('error', () => undefined);
  return {
    async createDatabase() {
      const name = `test_${randomBytes(8).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.href;
    },
    async dropDatabase(url) {
      const name = new URL(url).pathname.slice(1);
      if (!/^test_[0-9a-f]{16}$/.test(name)) throw new Error(`refusing to drop ${name}`);
      // WITH (FORCE) (PostgreSQL 13+) ends connections a failed test may have left open.
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    close: () => admin.end(),
  };
}
