// POST /oauth/token and requireAuth through real HTTP (app.inject, and one test over a socket), on a
// real database on both backends. The protected routes exist only in this test. Every harness checks
// at the end that the captured logs contain none of the secrets and tokens it handled.
//
// PNC_REQUIRE_POSTGRES=1 node --test src/auth/token-routes.test.ts

import assert from 'node:assert/strict';
import { createHash, createSecretKey } from 'node:crypto';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SignJWT, UnsecuredJWT } from 'jose';
import { componentMigrations } from '../app/migrations.ts';
import { isAppError } from '../errors/app-error.ts';
import { createLogger } from '../http/logger.ts';
import { createMetrics } from '../http/metrics.ts';
import { buildHttpServer, type RouteModule } from '../http/server.ts';
import { migrate } from '../storage/migrate.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import type { Database } from '../storage/types.ts';
import { registerClient, revokeRegisteredClient } from './clients.ts';
import { type Auth, createAuth } from './index.ts';
import { principalOf, requireAuth } from './require-auth.ts';
import { generateP256Key, keyId, loadOrCreateSigningKeys } from './signing-key.ts';
import { assertTenant, canAccessWmi } from './tenant.ts';
import { oauthTokenRoutes, TOKEN_BODY_LIMIT } from './token-routes.ts';

const ISSUER = 'https://pnc.example.test';
const T0 = Date.parse('2026-03-01T00:00:00Z');

class FakeClock {
  ms = T0;
  now() {
    return new Date(this.ms);
  }
}

function counterRandom(seed: string) {
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let offset = 0; offset < n; offset += 32) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, n - offset)), offset);
    }
    return out;
  };
}

class LogCapture {
  readonly lines: string[] = [];
  write(line: string) {
    this.lines.push(line);
  }
  get text() {
    return this.lines.join('');
  }
}

/** Routes registered only here: what a later component does with requireAuth and the tenant helpers. */
function protectedRoutes(auth: Auth): RouteModule {
  return {
    name: 'protected-test',
    register(app) {
      app.get(
        '/test/cpo',
        { preHandler: auth.requireAuth({ roles: ['CPO', 'ADMIN'] }) },
        async (request) => ({
          principal: principalOf(request),
        }),
      );
      app.get<{ Params: { wmi: string } }>(
        '/test/oem/:wmi',
        { preHandler: auth.requireAuth({ roles: ['OEM'] }) },
        async (request) => {
          assertTenant(canAccessWmi(principalOf(request), request.params.wmi), `WMI ${request.params.wmi}`);
          return { ok: true };
        },
      );
      app.post('/test/careless', { preHandler: auth.requireAuth({ roles: ['OEM'] }) }, async (request) => {
        // A careless handler logging everything it got: the logger must still hide credentials.
        request.log.info({ headers: request.headers, body: request.body }, 'careless');
        return { ok: true };
      });
    },
  };
}

interface Harness {
  readonly db: Database;
  readonly server: FastifyInstance;
  readonly clock: FakeClock;
  readonly auth: Auth;
  readonly logs: LogCapture;
  /** Secrets and tokens seen by the test; none may appear in the logs. */
  readonly sensitive: string[];
  client(role: string, scope?: string, expiresAt?: string): Promise<{ id: string; secret: string }>;
  token(id: string, secret: string): Promise<string>;
}

async function withHarness(db: Database, fn: (h: Harness) => Promise<void>): Promise<void> {
  const clock = new FakeClock();
  const random = counterRandom(`http:${db.dialect}`);
  await migrate(db, componentMigrations, clock);
  const auth = await createAuth({ db, clock, random, issuer: () => ISSUER, tokenTtlSeconds: 3600 });
  const logs = new LogCapture();
  const server = await buildHttpServer({
    config: { bodyLimit: 1024 * 1024, trustProxy: false, requestTimeoutMs: 30_000 },
    logger: createLogger({ level: 'trace', destination: logs }),
    metrics: createMetrics(),
    routes: [oauthTokenRoutes({ tokens: auth.tokens }), protectedRoutes(auth)],
    random,
  });
  const sensitive: string[] = [];
  const h: Harness = {
    db,
    server,
    clock,
    auth,
    logs,
    sensitive,
    async client(role, scope, expiresAt) {
      const r = await registerClient(db, { role, scope, expiresAt }, { clock, random });
      sensitive.push(r.clientSecret);
      return { id: r.clientId, secret: r.clientSecret };
    },
    async token(id, secret) {
      const res = await server.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'client_credentials', client_id: id, client_secret: secret },
      });
      assert.equal(res.statusCode, 200, res.body);
      const token = res.json().access_token as string;
      sensitive.push(token);
      return token;
    },
  };
  try {
    await fn(h);
    for (const value of sensitive) {
      assert.ok(!logs.text.includes(value), 'a secret or token appears in the logs');
      // Not even a recognisable part of one (e.g. a JWT signature, a secret's prefix).
      assert.ok(!logs.text.includes(value.slice(-24)), 'part of a secret or token appears in the logs');
    }
  } finally {
    await server.close();
  }
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));
}

function header(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8'));
}

/** The rows auth keeps: a token request must leave them unchanged. */
async function snapshot(db: Database): Promise<string> {
  const clients = await db.query('SELECT * FROM auth_clients ORDER BY client_id');
  const keys = await db.query('SELECT kid, created_at FROM auth_signing_keys ORDER BY kid');
  const migrations = await db.query('SELECT component, id FROM schema_migrations ORDER BY component, id');
  return JSON.stringify({ clients, keys, migrations }, (_k, v) => (v instanceof Uint8Array ? [...v] : v));
}

function assertOAuthError(
  res: { statusCode: number; json(): unknown; headers: Record<string, unknown> },
  status: number,
  error: string,
  description?: RegExp,
) {
  assert.equal(res.statusCode, status);
  const body = res.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['error', 'error_description', 'errorMessages', 'traceId']);
  assert.equal(body.error, error);
  assert.deepEqual(body.errorMessages, [body.error_description]);
  assert.equal(body.traceId, res.headers['x-request-id']);
  assert.match(body.error_description as string, /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/, 'RFC 6749 §5.2 charset');
  if (description !== undefined) assert.match(body.error_description as string, description);
  assert.equal(res.headers['cache-control'], 'no-store');
}

function assertOpcpError(
  res: { statusCode: number; json(): unknown; headers: Record<string, unknown> },
  status: number,
  message: RegExp,
) {
  assert.equal(res.statusCode, status);
  const body = res.json() as { errorMessages: string[]; traceId: string };
  assert.deepEqual(Object.keys(body), ['errorMessages', 'traceId']);
  assert.equal(body.errorMessages.length, 1);
  assert.match(body.errorMessages[0] as string, message);
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

forEachBackend('POST /oauth/token and requireAuth', (getDb, backend) => {
  test('clientMaxAgeMs: a client revoked by another process is refused at once on SQLite, within the bound on PostgreSQL (D-175)', async () => {
    const db = getDb();
    const clock = new FakeClock();
    const random = counterRandom(`cache:${db.dialect}`);
    await migrate(db, componentMigrations, clock);
    const remembering = await createAuth({
      db,
      clock,
      random,
      issuer: () => ISSUER,
      tokenTtlSeconds: 3600,
      clientMaxAgeMs: 1000,
    });
    const reading = await createAuth({ db, clock, random, issuer: () => ISSUER, tokenTtlSeconds: 3600 });
    const invalidToken = (e: unknown) => isAppError(e) && e.code === 'auth.invalid-token';
    const { clientId, clientSecret } = await registerClient(
      db,
      { role: 'CPO', scope: 'DE*ABC' },
      { clock, random },
    );
    const { accessToken } = await remembering.tokens.issue(clientId, clientSecret);
    assert.equal((await remembering.tokens.authenticate(accessToken)).clientId, clientId);
    assert.equal((await reading.tokens.authenticate(accessToken)).clientId, clientId);
    // `pnc clients revoke` in another process: a separate connection.
    const other = await backend.openAnother();
    await revokeRegisteredClient(other, clientId, clock);
    await assert.rejects(reading.tokens.authenticate(accessToken), invalidToken);
    clock.ms += 1;
    if (db.dialect === 'sqlite') {
      // data_version moved: refused on the first request a millisecond later.
      await assert.rejects(remembering.tokens.authenticate(accessToken), invalidToken);
      return;
    }
    clock.ms += 998;
    assert.equal((await remembering.tokens.authenticate(accessToken)).clientId, clientId, 'read 999 ms ago');
    clock.ms += 1;
    await assert.rejects(remembering.tokens.authenticate(accessToken), invalidToken);
  });

  test('token: JSON with audience (OPCP), JSON without audience (MaEVe), form with audience (CitrineOS)', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('OEM', 'WP0,wba');
      const requests = [
        {
          payload: {
            client_id: id,
            client_secret: secret,
            audience: 'https://eu.plugncharge-qa.hubject.com',
            grant_type: 'client_credentials',
          },
        },
        { payload: { grant_type: 'client_credentials', client_id: id, client_secret: secret } },
        {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: id,
            client_secret: secret,
            audience: ISSUER,
          }).toString(),
        },
        {
          headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
          payload: `grant_type=client_credentials&client_id=${id}&client_secret=${secret}&unknown_param=1&scope=x`,
        },
      ];
      for (const request of requests) {
        const res = await h.server.inject({ method: 'POST', url: '/oauth/token', ...request });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.equal(res.headers.pragma, 'no-cache');
        const body = res.json();
        assert.deepEqual(Object.keys(body), ['access_token', 'token_type', 'expires_in', 'scope']);
        assert.equal(body.token_type, 'Bearer');
        assert.equal(body.expires_in, 3600);
        assert.equal(body.scope, 'role:OEM wmi:WP0 wmi:WBA');
        h.sensitive.push(body.access_token);
        assert.deepEqual(header(body.access_token), {
          alg: 'ES256',
          kid: (await loadOrCreateSigningKeys(h.db, { clock: h.clock, random: () => new Uint8Array(32) }))[0]
            ?.kid,
          typ: 'at+jwt',
        });
        const c = claims(body.access_token);
        assert.deepEqual(Object.keys(c).sort(), [
          'aud',
          'client_id',
          'exp',
          'iat',
          'iss',
          'jti',
          'nbf',
          'role',
          'scope',
          'sub',
        ]);
        assert.equal(c.iss, ISSUER);
        assert.equal(c.aud, ISSUER);
        assert.equal(c.sub, id);
        assert.equal(c.client_id, id);
        assert.equal(c.role, 'OEM');
        assert.equal(c.scope, 'role:OEM wmi:WP0 wmi:WBA');
        assert.equal(c.iat, T0 / 1000);
        assert.equal(c.nbf, T0 / 1000);
        assert.equal(c.exp, T0 / 1000 + 3600);
        assert.match(c.jti as string, /^[A-Za-z0-9_-]{22}$/);
      }
    });
  });

  test('token with HTTP Basic client authentication (RFC 6749 §2.3.1)', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('CPO', 'DE*ICE');
      const asForm = await h.server.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials',
      });
      assert.equal(asForm.statusCode, 200, asForm.body);
      h.sensitive.push(asForm.json().access_token);
      // JSON body, lower-case scheme, and the same client_id repeated in the body.
      const asJson = await h.server.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(id, secret).replace('Basic', 'basic') },
        payload: { grant_type: 'client_credentials', client_id: id },
      });
      assert.equal(asJson.statusCode, 200, asJson.body);
      h.sensitive.push(asJson.json().access_token);
      assert.equal(claims(asJson.json().access_token).role, 'CPO');

      const wrong = await h.server.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(id, `${secret}x`) },
        payload: { grant_type: 'client_credentials' },
      });
      assertOAuthError(wrong, 401, 'invalid_client');
      assert.match(wrong.headers['www-authenticate'] as string, /^Basic realm="pnc"/);
      for (const authorization of [
        'Basic',
        'Basic !!!',
        `Basic ${Buffer.from(id).toString('base64')}`,
        'Basic Og==',
      ]) {
        const res = await h.server.inject({
          method: 'POST',
          url: '/oauth/token',
          headers: { authorization },
          payload: { grant_type: 'client_credentials' },
        });
        assertOAuthError(res, 401, 'invalid_client', /malformed HTTP Basic|client authentication failed/);
      }
      const both = await h.server.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(id, secret) },
        payload: { grant_type: 'client_credentials', client_secret: secret },
      });
      assertOAuthError(both, 400, 'invalid_request', /not both/);
      const otherId = await h.server.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(id, secret) },
        payload: { grant_type: 'client_credentials', client_id: 'f'.repeat(32) },
      });
      assertOAuthError(otherId, 400, 'invalid_request', /differs/);
    });
  });

  test('the token is accepted as Authorization: Bearer and as x-api-key, and sets the principal', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('CPO', 'DE*ICE,FR-XYZ');
      const token = await h.token(id, secret);
      const expected = {
        principal: {
          clientId: id,
          role: 'CPO',
          scope: { wmis: [], providerIds: [], operatorIds: ['DEICE', 'FRXYZ'] },
        },
      };
      for (const headers of [
        { authorization: `Bearer ${token}` },
        { authorization: `bearer  ${token}` },
        { 'x-api-key': token },
        { authorization: `Bearer ${token}`, 'x-api-key': token }, // MaEVe sends both
        { authorization: 'Basic Zm9vOmJhcg==', 'x-api-key': token }, // another scheme is not a token
      ]) {
        const res = await h.server.inject({ method: 'GET', url: '/test/cpo', headers });
        assert.equal(res.statusCode, 200, `${JSON.stringify(Object.keys(headers))}: ${res.body}`);
        assert.deepEqual(res.json(), expected);
      }
      const admin = await h.client('ADMIN');
      const adminToken = await h.token(admin.id, admin.secret);
      const asAdmin = await h.server.inject({
        method: 'GET',
        url: '/test/cpo',
        headers: { 'x-api-key': adminToken },
      });
      assert.equal(asAdmin.json().principal.role, 'ADMIN');
    });
  });

  test('refusals of protected routes: 401 without or with a bad token, 403 for a wrong role or tenant', async () => {
    await withHarness(getDb(), async (h) => {
      const oem = await h.client('OEM', 'WP0');
      const oemToken = await h.token(oem.id, oem.secret);
      const mo = await h.client('MO', 'DE-ABC');
      const moToken = await h.token(mo.id, mo.secret);

      const none = await h.server.inject({ method: 'GET', url: '/test/cpo' });
      assertOpcpError(none, 401, /needs an access token/);
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="pnc"');

      for (const headers of [
        { authorization: 'Bearer' },
        { authorization: 'Bearer not.a.jwt' },
        { authorization: 'Bearer a.b' },
        { 'x-api-key': 'garbage' },
        { 'x-api-key': `${oemToken}, ${oemToken}` },
        { authorization: `Bearer ${oemToken}`, 'x-api-key': moToken },
        { authorization: `Bearer ${'a'.repeat(5000)}.b.c` },
      ]) {
        const res = await h.server.inject({ method: 'GET', url: '/test/oem/WP0', headers });
        assertOpcpError(res, 401, /invalid access token/);
        assert.equal(res.headers['www-authenticate'], 'Bearer realm="pnc", error="invalid_token"');
      }

      const wrongRole = await h.server.inject({
        method: 'GET',
        url: '/test/cpo',
        headers: { authorization: `Bearer ${oemToken}` },
      });
      assertOpcpError(wrongRole, 403, /role OEM may not use this endpoint/);
      assert.equal(wrongRole.headers['www-authenticate'], 'Bearer realm="pnc", error="insufficient_scope"');
      const moOnOem = await h.server.inject({
        method: 'GET',
        url: '/test/oem/WP0',
        headers: { 'x-api-key': moToken },
      });
      assertOpcpError(moOnOem, 403, /role MO/);

      const ownWmi = await h.server.inject({
        method: 'GET',
        url: '/test/oem/wp0',
        headers: { 'x-api-key': oemToken },
      });
      assert.equal(ownWmi.statusCode, 200);
      const otherWmi = await h.server.inject({
        method: 'GET',
        url: '/test/oem/VWV',
        headers: { 'x-api-key': oemToken },
      });
      assertOpcpError(otherWmi, 403, /WMI VWV is outside the tenant scope/);
    });
  });

  test('refused token requests: wrong secret, unknown, malformed, revoked or expired client → 401, nothing stored', async () => {
    await withHarness(getDb(), async (h) => {
      const good = await h.client('MO', 'DE-ABC');
      const revoked = await h.client('MO', 'DE-XYZ');
      await revokeRegisteredClient(h.db, revoked.id, h.clock);
      const expiring = await h.client('OEM', 'WP0', '2026-03-01T00:10:00Z');
      h.clock.ms += 10 * 60_000;
      const before = await snapshot(h.db);
      const attempts: Record<string, unknown>[] = [
        { client_id: good.id, client_secret: `${good.secret.slice(0, -1)}A` },
        { client_id: good.id, client_secret: revoked.secret },
        { client_id: 'f'.repeat(32), client_secret: good.secret },
        { client_id: good.id.toUpperCase(), client_secret: good.secret },
        { client_id: `${good.id}'--`, client_secret: good.secret },
        { client_id: good.id, client_secret: 'x'.repeat(5000) },
        { client_id: good.id },
        { client_secret: good.secret },
        { client_id: good.id, client_secret: '' },
        { client_id: revoked.id, client_secret: revoked.secret },
        { client_id: expiring.id, client_secret: expiring.secret },
      ];
      for (const attempt of attempts) {
        const res = await h.server.inject({
          method: 'POST',
          url: '/oauth/token',
          payload: { grant_type: 'client_credentials', ...attempt },
        });
        assertOAuthError(res, 401, 'invalid_client', /^client authentication failed/);
        assert.equal(
          res.headers['www-authenticate'],
          undefined,
          'no Basic challenge when Basic was not tried',
        );
      }
      assert.equal(await snapshot(h.db), before);
      // The operator learns why from the log, the client does not.
      for (const reason of [
        'wrong secret',
        'unknown client',
        'malformed client id',
        'client revoked',
        'client expired',
      ]) {
        assert.ok(h.logs.text.includes(`"reason":"${reason}"`), reason);
      }
      // The good client still works.
      await h.token(good.id, good.secret);
    });
  });

  test('malformed token requests → 4xx with the RFC 6749 error, nothing stored', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('OEM', 'WP0');
      const creds = `client_id=${id}&client_secret=${secret}`;
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const json = { 'content-type': 'application/json' };
      const before = await snapshot(h.db);
      const cases: [
        string,
        { headers?: Record<string, string>; payload?: string },
        number,
        string,
        RegExp,
      ][] = [
        [
          'no grant_type',
          { headers: form, payload: creds },
          400,
          'invalid_request',
          /grant_type is required/,
        ],
        [
          'empty grant_type',
          { headers: form, payload: `grant_type=&${creds}` },
          400,
          'invalid_request',
          /grant_type/,
        ],
        [
          'password grant',
          { headers: form, payload: `grant_type=password&${creds}&username=a&password=b` },
          400,
          'unsupported_grant_type',
          /client_credentials only/,
        ],
        [
          'authorization_code grant',
          { headers: json, payload: JSON.stringify({ grant_type: 'authorization_code', code: 'x' }) },
          400,
          'unsupported_grant_type',
          /unsupported grant_type/,
        ],
        [
          'repeated parameter',
          { headers: form, payload: `grant_type=client_credentials&${creds}&client_id=${id}` },
          400,
          'invalid_request',
          /client_id is given more than once/,
        ],
        [
          'repeated odd parameter name',
          { headers: form, payload: `grant_type=client_credentials&${creds}&%22x=1&%22x=2` },
          400,
          'invalid_request',
          /a parameter is given more than once/,
        ],
        [
          'non-string client_id',
          { headers: json, payload: JSON.stringify({ grant_type: 'client_credentials', client_id: 42 }) },
          400,
          'invalid_request',
          /client_id must be a string/,
        ],
        [
          'non-string grant_type',
          { headers: json, payload: JSON.stringify({ grant_type: ['client_credentials'] }) },
          400,
          'invalid_request',
          /grant_type must be a string/,
        ],
        ['JSON array', { headers: json, payload: '[1,2]' }, 400, 'invalid_request', /must be an object/],
        [
          'JSON string',
          { headers: json, payload: '"grant_type"' },
          400,
          'invalid_request',
          /must be an object/,
        ],
        ['JSON null', { headers: json, payload: 'null' }, 400, 'invalid_request', /missing body/],
        ['malformed JSON', { headers: json, payload: '{"grant_type": ' }, 400, 'invalid_request', /JSON/],
        ['empty JSON', { headers: json, payload: '' }, 400, 'invalid_request', /empty/],
        [
          'prototype poisoning',
          { headers: json, payload: '{"grant_type":"client_credentials","__proto__":{"x":1}}' },
          400,
          'invalid_request',
          /./,
        ],
        ['no body', {}, 400, 'invalid_request', /missing body/],
        [
          'text/plain',
          { headers: { 'content-type': 'text/plain' }, payload: creds },
          415,
          'invalid_request',
          /content type/,
        ],
        [
          'XML',
          { headers: { 'content-type': 'application/xml' }, payload: '<x/>' },
          415,
          'invalid_request',
          /application\/x-www-form-urlencoded or application\/json/,
        ],
        [
          'oversized form',
          {
            headers: form,
            payload: `grant_type=client_credentials&${creds}&pad=${'x'.repeat(TOKEN_BODY_LIMIT)}`,
          },
          413,
          'invalid_request',
          /too large/,
        ],
        [
          'oversized JSON',
          {
            headers: json,
            payload: JSON.stringify({ grant_type: 'client_credentials', pad: 'x'.repeat(20_000) }),
          },
          413,
          'invalid_request',
          /too large/,
        ],
        [
          'audience too long',
          { headers: form, payload: `grant_type=client_credentials&${creds}&audience=${'a'.repeat(3000)}` },
          400,
          'invalid_request',
          /audience/,
        ],
        [
          'binary garbage as form',
          { headers: form, payload: '\u0000\u00ff%%%=&&==&grant_type=client_credentials&grant_type=x' },
          400,
          'invalid_request',
          /grant_type is given more than once/,
        ],
      ];
      for (const [name, request, status, error, description] of cases) {
        const res = await h.server.inject({ method: 'POST', url: '/oauth/token', ...request });
        try {
          assertOAuthError(res, status, error, description);
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message} (${res.statusCode} ${res.body})`);
        }
      }
      // Only POST exists.
      const get = await h.server.inject({ method: 'GET', url: `/oauth/token?${creds}` });
      assert.equal(get.statusCode, 404);
      assert.equal(await snapshot(h.db), before);
    });
  });

  test('expiry with the fake clock: exp / nbf / iat checked with 30 s of skew', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('CPO', 'DE*ICE');
      const token = await h.token(id, secret);
      const call = () =>
        h.server.inject({ method: 'GET', url: '/test/cpo', headers: { authorization: `Bearer ${token}` } });
      h.clock.ms = T0 + 3600_000 + 29_000; // past exp, within the tolerance
      assert.equal((await call()).statusCode, 200);
      h.clock.ms = T0 + 3600_000 + 31_000;
      assertOpcpError(await call(), 401, /invalid access token: expired/);
      h.clock.ms = T0 - 29_000; // a verifier whose clock is slightly behind the issuer
      assert.equal((await call()).statusCode, 200);
      h.clock.ms = T0 - 31_000;
      assertOpcpError(await call(), 401, /invalid access token: not yet valid/);
    });
  });

  test('a token never outlives its client; an expired client is refused on the next request', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('CPO', 'DE*ICE', '2026-03-01T00:20:00Z');
      const res = await h.server.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'client_credentials', client_id: id, client_secret: secret },
      });
      h.sensitive.push(res.json().access_token);
      assert.equal(res.json().expires_in, 1200);
      assert.equal(claims(res.json().access_token).exp, T0 / 1000 + 1200);
      h.clock.ms = T0 + 1200_000 - 1;
      const ok = await h.server.inject({
        method: 'GET',
        url: '/test/cpo',
        headers: { 'x-api-key': res.json().access_token },
      });
      assert.equal(ok.statusCode, 200);
      h.clock.ms = T0 + 1200_000;
      const late = await h.server.inject({
        method: 'GET',
        url: '/test/cpo',
        headers: { 'x-api-key': res.json().access_token },
      });
      assertOpcpError(late, 401, /client expired/);
    });
  });

  test('a verified token is remembered only as itself and only while its time checks pass (D-171)', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('CPO', 'DE*ICE');
      const token = await h.token(id, secret);
      const call = (t: string) =>
        h.server.inject({ method: 'GET', url: '/test/cpo', headers: { authorization: `Bearer ${t}` } });
      assert.equal((await call(token)).statusCode, 200);
      // The same length and almost the same text (one signature character changed; not the last one,
      // whose low bits are base64url padding): never the cache's.
      const at = token.length - 10;
      const forged = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
      assertOpcpError(await call(forged), 401, /invalid access token: signature does not verify/);
      assert.equal((await call(token)).statusCode, 200);
      // Remembered, yet expired at the new clock: refused as jose refuses it.
      h.clock.ms = T0 + 3600_000 + 31_000;
      assertOpcpError(await call(token), 401, /invalid access token: expired/);
      h.clock.ms = T0 + 60_000;
      assert.equal((await call(token)).statusCode, 200);
    });
  });

  test('revocation takes effect on the next request, for tokens already issued', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('CPO', 'DE*ICE');
      const token = await h.token(id, secret);
      const call = () =>
        h.server.inject({ method: 'GET', url: '/test/cpo', headers: { authorization: `Bearer ${token}` } });
      assert.equal((await call()).statusCode, 200);
      await revokeRegisteredClient(h.db, id, h.clock);
      assertOpcpError(await call(), 401, /invalid access token: client revoked/);
      const again = await h.server.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'client_credentials', client_id: id, client_secret: secret },
      });
      assertOAuthError(again, 401, 'invalid_client');
    });
  });

  test('forged tokens: tampered, another key, another issuer, alg none / HS256, unknown client → 401', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('OEM', 'WP0');
      const token = await h.token(id, secret);
      const [ours] = await loadOrCreateSigningKeys(h.db, {
        clock: h.clock,
        random: () => new Uint8Array(32),
      });
      assert.ok(ours);
      const [head, payload, signature] = token.split('.') as [string, string, string];
      const asAdmin = Buffer.from(
        JSON.stringify({ ...claims(token), role: 'ADMIN', scope: 'role:ADMIN' }),
        'utf8',
      ).toString('base64url');
      const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
      const otherKey = generateP256Key(counterRandom('intruder'));
      const now = Math.floor(h.clock.ms / 1000);
      const sign = (key: typeof otherKey, kid: string, claimsOverride: Record<string, unknown> = {}) =>
        new SignJWT({ client_id: id, role: 'OEM', scope: 'role:OEM wmi:WP0', ...claimsOverride })
          .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
          .setIssuer(ISSUER)
          .setAudience(ISSUER)
          .setSubject(id)
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .setJti('x')
          .sign(key);
      const forged: [string, string, RegExp][] = [
        ['payload changed to ADMIN', `${head}.${asAdmin}.${signature}`, /signature does not verify/],
        ['signature changed', `${head}.${payload}.${flipped}`, /signature does not verify|malformed/],
        ['signature removed', `${head}.${payload}.`, /malformed/],
        ['another key, our kid', await sign(otherKey, ours.kid), /signature does not verify/],
        [
          'another key and kid',
          await sign(otherKey, await keyId(otherKey)),
          /not signed by a key of this server/,
        ],
        [
          'our key, another issuer',
          await new SignJWT({ role: 'OEM' })
            .setProtectedHeader({ alg: 'ES256', kid: ours.kid, typ: 'at+jwt' })
            .setIssuer('https://auth.eu.plugncharge.hubject.com/')
            .setAudience(ISSUER)
            .setSubject(id)
            .setIssuedAt(now)
            .setExpirationTime(now + 600)
            .setJti('x')
            .sign(ours.privateKey),
          /another issuer/,
        ],
        [
          'our key, no typ',
          await new SignJWT({ role: 'OEM' })
            .setProtectedHeader({ alg: 'ES256', kid: ours.kid })
            .setIssuer(ISSUER)
            .setAudience(ISSUER)
            .setSubject(id)
            .setIssuedAt(now)
            .setExpirationTime(now + 600)
            .setJti('x')
            .sign(ours.privateKey),
          /invalid access token/,
        ],
        [
          'our key, a client id that does not exist',
          await new SignJWT({ role: 'OEM' })
            .setProtectedHeader({ alg: 'ES256', kid: ours.kid, typ: 'at+jwt' })
            .setIssuer(ISSUER)
            .setAudience(ISSUER)
            .setSubject('f'.repeat(32))
            .setIssuedAt(now)
            .setExpirationTime(now + 600)
            .setJti('x')
            .sign(ours.privateKey),
          /unknown client/,
        ],
        [
          'our key, role differs from the stored client',
          await sign(ours.privateKey, ours.kid, { role: 'ADMIN' }),
          /role of the client changed/,
        ],
        [
          'alg none',
          new UnsecuredJWT({ role: 'OEM' })
            .setIssuer(ISSUER)
            .setAudience(ISSUER)
            .setSubject(id)
            .setIssuedAt(now)
            .setExpirationTime(now + 600)
            .encode(),
          /malformed/,
        ],
        [
          'HS256 with the public key as secret',
          await new SignJWT({ role: 'OEM' })
            .setProtectedHeader({ alg: 'HS256', kid: ours.kid, typ: 'at+jwt' })
            .setIssuer(ISSUER)
            .setAudience(ISSUER)
            .setSubject(id)
            .setIssuedAt(now)
            .setExpirationTime(now + 600)
            .setJti('x')
            .sign(createSecretKey(ours.publicKey.export({ format: 'der', type: 'spki' }))),
          /algorithm not allowed|invalid access token/,
        ],
      ];
      for (const [name, forgedToken, reason] of forged) {
        const res = await h.server.inject({
          method: 'GET',
          url: '/test/oem/WP0',
          headers: { authorization: `Bearer ${forgedToken}` },
        });
        try {
          assertOpcpError(res, 401, reason);
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message} (${res.body})`);
        }
      }
      // The genuine token still works.
      const genuine = await h.server.inject({
        method: 'GET',
        url: '/test/oem/WP0',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(genuine.statusCode, 200);
    });
  });

  test('logs carry who called, but no secret or token, even from a careless handler', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('OEM', 'WP0');
      const token = await h.token(id, secret);
      const formToken = await h.server.inject({
        method: 'POST',
        url: '/oauth/token?client_secret=leak',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) },
        payload: 'grant_type=client_credentials',
      });
      h.sensitive.push(formToken.json().access_token);
      const res = await h.server.inject({
        method: 'POST',
        url: '/test/careless',
        headers: { authorization: `Bearer ${token}`, 'x-api-key': token },
        payload: { client_secret: secret, access_token: token, note: 'hello' },
      });
      assert.equal(res.statusCode, 200);
      assert.match(h.logs.text, /"msg":"careless"/);
      assert.match(h.logs.text, /"note":"hello"/);
      assert.ok(h.logs.text.includes(`"clientId":"${id}"`), 'later log lines name the client');
      assert.ok(!h.logs.text.includes('leak'), 'credential-like query parameters are masked');
      // withHarness then checks that neither the secret nor the tokens appear.
    });
  });

  test('over a real socket: form token request with Basic, then a Bearer call', async () => {
    await withHarness(getDb(), async (h) => {
      const { id, secret } = await h.client('CPO', 'DE*ICE');
      const url = await h.server.listen({ host: '127.0.0.1', port: 0 });
      const res = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&audience=https%3A%2F%2Fpnc.example.test',
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { access_token: string };
      h.sensitive.push(body.access_token);
      const call = await fetch(`${url}/test/cpo`, {
        headers: { authorization: `Bearer ${body.access_token}` },
      });
      assert.equal(call.status, 200);
      assert.equal(((await call.json()) as { principal: { clientId: string } }).principal.clientId, id);
    });
  });
});

describe('requireAuth construction', () => {
  const authenticator = { authenticate: async () => assert.fail('not called') };
  test('a route without roles, with an unknown role or no options fails when the routes are built', () => {
    assert.throws(() => requireAuth(authenticator, { roles: [] }), /non-empty list of roles/);
    assert.throws(
      () => requireAuth(authenticator, { roles: ['ROOT' as 'ADMIN'] }),
      /non-empty list of roles/,
    );
    assert.throws(
      () => requireAuth(authenticator, undefined as unknown as { roles: [] }),
      /non-empty list of roles/,
    );
    assert.equal(typeof requireAuth(authenticator, { roles: ['OEM'] }), 'function');
  });
});
