// The HTTP skeleton through app.inject() (architecture-practices §3.12): health, metrics, the OPCP
// error body for every failure path, request ids, and logs without secrets.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../app/runtime.ts';
import { APP_ERROR_KINDS, AppError, httpStatusFor } from '../errors/app-error.ts';
import { openDatabase } from '../storage/open-database.ts';
import type { Database } from '../storage/types.ts';
import { healthRoutes } from './health.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { buildHttpServer, type RouteModule } from './server.ts';

const fixedRandom = (n: number) => new Uint8Array(n).fill(0xab);
// fixedRandom's bytes as a version-4 UUID (the version and variant bits set).
const GENERATED_ID = 'abababab-abab-4bab-abab-abababababab';

class FakeClock implements Clock {
  ms = Date.parse('2026-03-01T00:00:00Z');
  now() {
    return new Date(this.ms);
  }
}

/** Captures the JSON log lines. */
class LogCapture {
  readonly lines: string[] = [];
  write(line: string) {
    this.lines.push(line);
  }
  get text(): string {
    return this.lines.join('');
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

const testRoutes: RouteModule = {
  name: 'test',
  register(app) {
    app.get<{ Params: { kind: string } }>('/fail/:kind', async (request) => {
      const kind = request.params.kind as (typeof APP_ERROR_KINDS)[number];
      throw new AppError(kind, 'test.failure', `detail of ${kind}: internal path /etc/pnc`);
    });
    app.get('/bug', async () => {
      throw new Error('secret detail: connection string postgres://u:pw@db');
    });
    app.post(
      '/echo',
      {
        schema: {
          body: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' } },
          },
        },
      },
      async (request) => ({ received: request.body }),
    );
    app.post('/log-body', async (request) => {
      // A careless handler logging everything: the logger must still hide the secrets.
      request.log.info({ body: request.body, headers: request.headers }, 'received');
      return { ok: true };
    });
  },
};

describe('HTTP server', () => {
  let dir: string;
  let db: Database;
  let app: FastifyInstance;
  const clock = new FakeClock();
  const logs = new LogCapture();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pnc-http-'));
    db = await openDatabase(
      { dataDir: dir, databaseUrl: undefined, dbPoolMax: 1 },
      { logger: { warn() {} } },
    );
    app = await buildHttpServer({
      config: { bodyLimit: 1024, trustProxy: false, requestTimeoutMs: 30_000 },
      logger: createLogger({ level: 'info', destination: logs }),
      metrics: createMetrics(),
      routes: [healthRoutes({ db, clock, version: '1.2.3' }), testRoutes],
      random: fixedRandom,
    });
  });
  after(async () => {
    await app.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('GET /health: ok with version, uptime and the database state', async () => {
    clock.ms += 90_500;
    const res = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    assert.deepEqual(res.json(), { status: 'ok', version: '1.2.3', uptimeSeconds: 90, database: 'ok' });
  });

  test('GET /metrics: Prometheus text with default metrics and request durations by route and status', async () => {
    await app.inject({ method: 'GET', url: '/health' });
    await app.inject({ method: 'GET', url: '/no/such/route' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
    assert.match(res.body, /^process_cpu_user_seconds_total \d/m);
    assert.match(res.body, /^nodejs_eventloop_lag_seconds /m);
    assert.match(
      res.body,
      /^http_request_duration_seconds_count\{method="GET",route="\/health",status_code="200"\} [1-9]/m,
    );
    // Unknown URLs share one label value, so they cannot blow up the series count.
    assert.match(res.body, /route="\(unmatched\)",status_code="404"/);
    assert.doesNotMatch(res.body, /no\/such\/route/);
  });

  test('metrics registries are per server, not global', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.requestDuration.observe({ method: 'GET', route: '/x', status_code: '200' }, 0.1);
    assert.match(await a.registry.metrics(), /route="\/x"/);
    assert.doesNotMatch(await b.registry.metrics(), /route="\/x"/);
  });

  test('unknown route: 404 with the OPCP error body, without the query string', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope?token=abc' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { errorMessages: ['no route for GET /nope'], traceId: GENERATED_ID });
    assert.equal(res.headers['x-request-id'], GENERATED_ID);
  });

  test('body larger than bodyLimit: 413', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'x'.repeat(2000) } });
    assert.equal(res.statusCode, 413);
    assert.deepEqual(res.json(), { errorMessages: ['Request body is too large'], traceId: GENERATED_ID });
  });

  test('malformed and empty JSON bodies: 400', async () => {
    const malformed = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    assert.equal(malformed.statusCode, 400);
    assert.deepEqual(malformed.json(), {
      errorMessages: ["Body is not valid JSON but content-type is set to 'application/json'"],
      traceId: GENERATED_ID,
    });
    const empty = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().errorMessages.length, 1);
  });

  test('schema validation failure: 400 naming the problem', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { other: 1 } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      errorMessages: ["body must have required property 'name'"],
      traceId: GENERATED_ID,
    });
    const ok = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'a' } });
    assert.deepEqual(ok.json(), { received: { name: 'a' } });
  });

  test('unsupported media type: 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'x',
    });
    assert.equal(res.statusCode, 415);
    assert.deepEqual(Object.keys(res.json()), ['errorMessages', 'traceId']);
  });

  test('malformed URL (a framework error before routing): 400 with the same body', async () => {
    const res = await app.inject({ method: 'GET', url: '/fail/%zz' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(Object.keys(res.json()), ['errorMessages', 'traceId']);
  });

  for (const kind of APP_ERROR_KINDS) {
    test(`AppError of kind ${kind}: status ${httpStatusFor(kind)}`, async () => {
      const res = await app.inject({ method: 'GET', url: `/fail/${kind}` });
      const status = httpStatusFor(kind);
      assert.equal(res.statusCode, status);
      const body = res.json();
      assert.equal(body.traceId, GENERATED_ID);
      if (status < 500) {
        assert.deepEqual(body.errorMessages, [`detail of ${kind}: internal path /etc/pnc`]);
      } else {
        // Known server-side failures say nothing about their cause.
        assert.deepEqual(body.errorMessages, [
          status === 503 ? 'service unavailable, retry later' : 'internal error',
        ]);
      }
    });
  }

  test('any other error: 500 without details; the log has the stack under the same traceId', async () => {
    const res = await app.inject({ method: 'GET', url: '/bug', headers: { 'x-request-id': 'req-500' } });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), { errorMessages: ['internal error'], traceId: 'req-500' });
    assert.doesNotMatch(res.body, /secret|postgres/);
    const record = logs.records().find((r) => r.traceId === 'req-500' && r.msg === 'request failed');
    assert.ok(record, 'the failure is logged');
    assert.equal(record.level, 'error');
    assert.match(JSON.stringify(record.err), /at .*server\.test\.ts/, 'with the stack');
  });

  test('traceId echoes a valid x-request-id; an unsafe one is replaced', async () => {
    const echoed = await app.inject({
      method: 'GET',
      url: '/nope',
      headers: { 'x-request-id': 'abc-123_X.y:z' },
    });
    assert.equal(echoed.json().traceId, 'abc-123_X.y:z');
    assert.equal(echoed.headers['x-request-id'], 'abc-123_X.y:z');
    for (const bad of ['with space', 'x'.repeat(129), 'a\u0001b', '']) {
      const res = await app.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': bad } });
      assert.equal(res.json().traceId, GENERATED_ID, JSON.stringify(bad));
    }
    // Also on success.
    const ok = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-ok' } });
    assert.equal(ok.headers['x-request-id'], 'trace-ok');
  });

  test('logs never contain credentials from headers, bodies or query strings', async () => {
    const secrets = [
      'Bearer tok-AAAA',
      'k-BBBB',
      'sess-CCCC',
      'cs-DDDD',
      'pw-EEEE',
      'priv-FFFF',
      'rt-GGGG',
      'qt-HHHH',
    ];
    const res = await app.inject({
      method: 'POST',
      url: '/log-body?access_token=qt-HHHH&page=2',
      headers: {
        authorization: 'Bearer tok-AAAA',
        'x-api-key': 'k-BBBB',
        cookie: 'session=sess-CCCC',
        'x-request-id': 'trace-secrets',
      },
      payload: {
        client_id: 'cpo-1',
        client_secret: 'cs-DDDD',
        password: 'pw-EEEE',
        nested: [{ privateKey: 'priv-FFFF', refresh_token: 'rt-GGGG' }],
      },
    });
    assert.equal(res.statusCode, 200);
    const text = logs.text;
    assert.match(text, /"traceId":"trace-secrets"/, 'the request was logged');
    assert.match(text, /"client_id":"cpo-1"/, 'non-secret fields stay');
    assert.match(text, /page=2/);
    for (const secret of secrets) assert.ok(!text.includes(secret), `log contains ${secret}`);
  });
});

describe('health when the database is down', () => {
  test('503 with status and database "error"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pnc-http-'));
    const db = await openDatabase(
      { dataDir: dir, databaseUrl: undefined, dbPoolMax: 1 },
      { logger: { warn() {} } },
    );
    await db.close();
    const app = await buildHttpServer({
      config: { bodyLimit: 1024, trustProxy: false, requestTimeoutMs: 30_000 },
      logger: createLogger({ level: 'silent', destination: new LogCapture() }),
      metrics: createMetrics(),
      routes: [healthRoutes({ db, clock: new FakeClock(), version: '1.2.3' })],
      random: fixedRandom,
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/health' });
      assert.equal(res.statusCode, 503);
      assert.deepEqual(res.json(), {
        status: 'error',
        version: '1.2.3',
        uptimeSeconds: 0,
        database: 'error',
      });
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('route modules with the same name are refused', async () => {
    await assert.rejects(
      buildHttpServer({
        config: { bodyLimit: 1024, trustProxy: false, requestTimeoutMs: 30_000 },
        logger: createLogger({ level: 'silent', destination: new LogCapture() }),
        metrics: createMetrics(),
        routes: [testRoutes, testRoutes],
        random: fixedRandom,
      }),
      /listed twice/,
    );
  });
});
