// The role CLIs' HTTP client against the real server (tokens, OPCP error bodies) and against small
// local servers that misbehave (too large, never answering): a clear AppError, never a hang.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { isAppError } from '../errors/app-error.ts';
import { forEachEcosystem } from '../testing/test-ecosystem.ts';
import { ApiClient } from './api-client.ts';

function code(error: unknown): string {
  assert.ok(isAppError(error), String(error));
  return error.code;
}

forEachEcosystem(
  'api client',
  (eco) => {
    test('fetches a token once and reuses it; maps the OPCP error body', async () => {
      const credentials = await eco().client('CPO', 'DE*ABC');
      const client = new ApiClient({ baseUrl: eco().url, credentials, clock: eco().clock });
      const first = await client.token();
      assert.equal(await client.token(), first);
      const cacerts = await client.request<string>({ method: 'GET', path: '/.well-known/est/cpo/cacerts' });
      assert.equal(cacerts.status, 200);
      // A CPO may not enrol as an MO: the server's 403 message and trace id reach the caller.
      await assert.rejects(
        client.request({ method: 'POST', path: '/.well-known/est/mo/simpleenroll', body: 'x' }),
        (error: unknown) => {
          assert.equal(code(error), 'client.http');
          assert.match((error as Error).message, /HTTP 40[13]: .+ \(trace [0-9a-f-]+\)/);
          return true;
        },
      );
    });

    test('a reused token the server refuses (401) is dropped and the request retried once with a new one', async () => {
      const credentials = await eco().client('CPO', 'DE*ABC');
      const client = new ApiClient({ baseUrl: eco().url, credentials, clock: eco().clock });
      const start = eco().clock.now();
      let stale: string;
      try {
        // A token issued "tomorrow" is not yet valid once the server's clock is back at today.
        eco().clock.advance(86_400_000);
        stale = await client.token();
      } finally {
        eco().clock.set(start);
      }
      const direct = await eco().fetch('/v1/webhook/endpoints', { token: stale });
      assert.equal(direct.status, 401);
      const res = await client.request({ method: 'GET', path: '/v1/webhook/endpoints' });
      assert.equal(res.status, 200);
      assert.notEqual(await client.token(), stale);
      // A 401 the caller accepts is returned as it is, without a retry.
      const other = new ApiClient({ baseUrl: eco().url, credentials, clock: eco().clock });
      await other.token();
      const accepted = await other.request({
        method: 'GET',
        path: '/v1/webhook/endpoints',
        headers: { authorization: 'Bearer not-a-token' },
        accept: [200, 401],
      });
      assert.equal(accepted.status, 401);
    });

    test('wrong credentials are client.auth', async () => {
      const client = new ApiClient({
        baseUrl: eco().url,
        credentials: { clientId: 'nobody', clientSecret: 'nothing' },
        clock: eco().clock,
      });
      await assert.rejects(client.token(), (error: unknown) => code(error) === 'client.auth');
    });
  },
  { iso: [2] },
);

describe('api client against misbehaving servers', () => {
  let server: Server;
  let url = '';
  const clock = { now: () => new Date() };
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 't', token_type: 'Bearer', expires_in: 3600 }));
      } else if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`"${'x'.repeat(64 * 1024)}"`);
      } else if (req.url === '/silent') {
        // never answers
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{not json');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('a response over the bound is refused', async () => {
    const client = new ApiClient({
      baseUrl: url,
      credentials: { clientId: 'a', clientSecret: 'b' },
      clock,
      maxResponseBytes: 1024,
    });
    await assert.rejects(
      client.request({ method: 'GET', path: '/big' }),
      (e: unknown) => code(e) === 'client.response',
    );
  });

  test('a server that never answers times out', async () => {
    const client = new ApiClient({
      baseUrl: url,
      credentials: { clientId: 'a', clientSecret: 'b' },
      clock,
      timeoutMs: 200,
    });
    await assert.rejects(
      client.request({ method: 'GET', path: '/silent' }),
      (e: unknown) => code(e) === 'client.unreachable',
    );
  });

  test('invalid JSON is client.response; a non-http URL is a usage error', async () => {
    const client = new ApiClient({ baseUrl: url, credentials: { clientId: 'a', clientSecret: 'b' }, clock });
    await assert.rejects(
      client.request({ method: 'GET', path: '/other' }),
      (e: unknown) => code(e) === 'client.response',
    );
    assert.throws(
      () => new ApiClient({ baseUrl: 'ftp://x', credentials: { clientId: 'a', clientSecret: 'b' }, clock }),
      (e: unknown) => code(e) === 'cli.usage',
    );
  });
});
