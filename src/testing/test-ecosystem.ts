// A running server for the HTTP tests of the pools and services: the real composition root
// (createApp) on a fresh embedded database in a temporary data directory, or on a fresh PostgreSQL
// database, with the software key store, the demo PKI hierarchy of `pnc pki init` and real API
// clients whose tokens come from POST /oauth/token over HTTP. Nothing is mocked; only the clock is
// a fake (settable, so validity windows and expiry can be tested).
//
//   forEachEcosystem('rcp over HTTP', (eco) => {
//     test('...', async () => {
//       const admin = await eco().token('ADMIN');
//       const res = await eco().fetch('/v1/root/rootCerts', { token: admin });
//     });
//   });
//
// One ecosystem per suite (the demo hierarchy takes a few seconds to create): tests of a suite share
// its state, so each test uses its own identifiers. The PostgreSQL half follows forEachBackend's
// rules: skipped with a message when no server is available, a failure under PNC_REQUIRE_POSTGRES=1.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type App, createApp } from '../app/create-app.ts';
import type { Clock } from '../app/runtime.ts';
import { cryptoRandom } from '../app/runtime.ts';
import { registerClient } from '../auth/clients.ts';
import { initDemoHierarchy } from '../ca/demo-hierarchy.ts';
import type { IsoNumber } from '../ca/types.ts';
import { loadConfig } from '../config/load-config.ts';
import { publishDemoRoots } from '../rcp/demo-roots.ts';
import {
  connectTestServer,
  type PostgresTestServer,
  postgresSource,
} from '../storage/testing/postgres-server.ts';
import type { Dialect } from '../storage/types.ts';

/** A fixed "now" inside the validity of the demo hierarchy created at that time. */
export const ECOSYSTEM_START = new Date('2027-03-01T10:00:00.000Z');

export const ECOSYSTEM_PASSPHRASE = 'ecosystem test passphrase';

/** The clock of a test ecosystem: starts at ECOSYSTEM_START, moved only by the test. */
export class SettableClock implements Clock {
  #now: number;
  constructor(start: Date = ECOSYSTEM_START) {
    this.#now = start.getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(at: Date): void {
    this.#now = at.getTime();
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

export interface EcosystemFetchOptions {
  readonly method?: string;
  /** Sent as `Authorization: Bearer`. */
  readonly token?: string;
  /** Serialised as JSON (content-type application/json) unless a string or bytes. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface TestEcosystem {
  readonly app: App;
  readonly dialect: Dialect;
  /** Base URL the server listens on (http://127.0.0.1:<port>). */
  readonly url: string;
  readonly clock: SettableClock;
  /** Registers an API client of the role and scope (comma-separated, as `pnc clients add`). */
  client(role: string, scope?: string): Promise<{ clientId: string; clientSecret: string }>;
  /** A fresh client's access token from POST /oauth/token (over HTTP). */
  token(role: string, scope?: string): Promise<string>;
  /** fetch() against the server. */
  fetch(path: string, options?: EcosystemFetchOptions): Promise<Response>;
}

export interface EcosystemOptions {
  /** ISO editions of the demo hierarchy (default [2, 20]); [] for none. */
  readonly iso?: readonly IsoNumber[];
  /** Extra environment for loadConfig (PNC_* variables). */
  readonly env?: Readonly<Record<string, string>>;
}

async function startEcosystem(
  dialect: Dialect,
  databaseUrl: string | undefined,
  dataDir: string,
  options: EcosystemOptions,
): Promise<TestEcosystem> {
  const clock = new SettableClock();
  const config = loadConfig({
    env: {
      PNC_DATA_DIR: dataDir,
      PNC_PORT: '0',
      PNC_LOG_LEVEL: 'silent',
      PNC_KEY_PASSPHRASE: ECOSYSTEM_PASSPHRASE,
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
      ...options.env,
    },
  });
  const app = await createApp({
    config,
    clock,
    random: cryptoRandom,
    logDestination: { write: () => undefined },
  });
  const url = await app.listen();
  const iso = options.iso ?? [2, 20];
  if (iso.length > 0) {
    await initDemoHierarchy(app.ca, { iso, organization: 'PnC Test', country: 'DE', actor: 'test' }, () =>
      clock.now(),
    );
    // The demo V2G roots are trusted by the pools (src/rcp), and a CTL signer exists.
    await publishDemoRoots(app.rcp, app.ca, {
      iso,
      actor: 'test',
      organization: 'PnC Test',
      country: 'DE',
      now: () => clock.now(),
    });
  }
  const client = async (role: string, scope?: string) => {
    const registered = await registerClient(
      app.db,
      { role, scope },
      // Low scrypt cost: the secret hashing of test clients is not what these tests are about.
      { clock, random: cryptoRandom, scryptParams: { ln: 10, r: 8, p: 1 } },
    );
    return { clientId: registered.clientId, clientSecret: registered.clientSecret };
  };
  const doFetch = (path: string, o: EcosystemFetchOptions = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    let body: string | Uint8Array | undefined;
    if (typeof o.body === 'string' || o.body instanceof Uint8Array) body = o.body;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    return fetch(`${url}${path}`, {
      method: o.method ?? 'GET',
      headers,
      ...(body === undefined ? {} : { body }),
    });
  };
  return {
    app,
    dialect,
    url,
    clock,
    client,
    async token(role, scope) {
      const { clientId, clientSecret } = await client(role, scope);
      const res = await doFetch('/oauth/token', {
        method: 'POST',
        body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
      });
      assert.equal(res.status, 200, `token request failed: ${await res.clone().text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    fetch: doFetch,
  };
}

/** Runs `suite` against an ecosystem on node:sqlite and one on PostgreSQL. */
export function forEachEcosystem(
  name: string,
  suite: (eco: () => TestEcosystem) => void,
  options: EcosystemOptions = {},
): void {
  let sqlite: { eco: TestEcosystem; dir: string } | undefined;
  describe(`${name} [sqlite]`, () => {
    before(async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pnc-eco-'));
      sqlite = { dir, eco: await startEcosystem('sqlite', undefined, dir, options) };
    });
    after(async () => {
      await sqlite?.eco.app.close();
      if (sqlite !== undefined) await rm(sqlite.dir, { recursive: true, force: true });
    });
    suite(() => {
      assert.ok(sqlite !== undefined, 'the ecosystem is only available inside a test');
      return sqlite.eco;
    });
  });

  const source = postgresSource();
  const skip = source.kind === 'none' ? source.reason : false;
  if (skip !== false && process.env.PNC_REQUIRE_POSTGRES === '1') {
    test(`${name} [postgres]: PostgreSQL available (PNC_REQUIRE_POSTGRES=1)`, () =>
      assert.fail(skip.replace(/^SKIPPED: /, '')));
  }
  if (skip !== false) console.log(`${name} [postgres]: ${skip}`);
  let pg: { eco: TestEcosystem; dir: string; server: PostgresTestServer; url: string } | undefined;
  describe(`${name} [postgres]`, { skip }, () => {
    before(async () => {
      const server = await connectTestServer(source);
      const url = await server.createDatabase();
      const dir = await mkdtemp(join(tmpdir(), 'pnc-eco-'));
      pg = { dir, server, url, eco: await startEcosystem('postgres', url, dir, options) };
    });
    after(async () => {
      if (pg === undefined) return;
      await pg.eco.app.close();
      await pg.server.dropDatabase(pg.url);
      await pg.server.close();
      await rm(pg.dir, { recursive: true, force: true });
    });
    suite(() => {
      assert.ok(pg !== undefined, 'the ecosystem is only available inside a test');
      return pg.eco;
    });
  });
}

/**
 * One ecosystem on node:sqlite outside forEachEcosystem, for tests whose subject is the HTTP contract
 * rather than the storage (test/contract: Prism processes proxy to it). close() stops it and removes
 * its data directory.
 */
export async function startSqliteEcosystem(
  options: EcosystemOptions = {},
): Promise<TestEcosystem & { close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pnc-eco-'));
  const eco = await startEcosystem('sqlite', undefined, dir, options);
  return Object.assign(eco, {
    async close() {
      await eco.app.close();
      await rm(dir, { recursive: true, force: true });
    },
  });
}
