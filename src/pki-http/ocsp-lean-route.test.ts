// The lean OCSP route in front of Fastify (D-096) against the Fastify routes it stands in front of:
// the same requests over real HTTP (a listening server: the lean route) and through app.inject()
// (Fastify's routes only) must get the same status, headers and body — POST DER and hex, POST /ocsp/,
// GET with clean and sloppy base64, garbage, empty and oversized bodies, other methods, query
// strings, unusual content types, chunked bodies, a responder that throws. Also: which requests the
// lean route takes, request ids, metrics and the log lines of failed requests, an aborted upload.

import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { UnavailableKeyStore } from '../ca/index.ts';
import type { LeanRoute } from '../http/lean-routes.ts';
import { createLogger } from '../http/logger.ts';
import { createMetrics } from '../http/metrics.ts';
import { buildHttpServer } from '../http/server.ts';
import { certIdFor, encodeOcspGetPath, type OcspIssuer, parseCertificate } from '../pki/ocsp/index.ts';
import { forEachBackend } from '../storage/testing/backends.ts';
import { OCSP_BODY_LIMIT, OCSP_CONTENT_TYPE, ocspRoutes } from './ocsp-routes.ts';
import { type PkiHarness, withPkiHarness } from './testing/harness.ts';
import {
  csrKey,
  encodeOcspRequest,
  makeCsr,
  ocspSignatureValid,
  ocspStatusName,
  readOcspResponse,
} from './testing/messages.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Headers that differ between two answers by nature (time, connection handling, the fresh id). */
const VOLATILE = new Set(['date', 'connection', 'keep-alive', 'x-request-id', 'transfer-encoding']);

interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer;
  /** Send the body with chunked transfer coding (no Content-Length). */
  readonly chunked?: boolean;
}

interface Answer {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request over HTTP on its own connection. */
function overHttp(port: number, exchange: Exchange): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...exchange.headers };
    if (exchange.body !== undefined && exchange.chunked !== true)
      headers['content-length'] = exchange.body.length;
    const req = httpRequest(
      { host: '127.0.0.1', port, method: exchange.method, path: exchange.url, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (exchange.chunked === true && exchange.body !== undefined) {
      req.write(exchange.body.subarray(0, 3));
      req.end(exchange.body.subarray(3));
    } else {
      req.end(exchange.body);
    }
  });
}

async function throughFastify(h: PkiHarness, exchange: Exchange): Promise<Answer> {
  const res = await h.inject({
    method: exchange.method as 'GET',
    url: exchange.url,
    headers: {
      ...exchange.headers,
      ...(exchange.chunked === true ? { 'transfer-encoding': 'chunked' } : {}),
    },
    ...(exchange.body === undefined ? {} : { payload: exchange.body }),
  });
  return { statusCode: res.statusCode, headers: res.headers as IncomingHttpHeaders, body: res.rawPayload };
}

function stableHeaders(headers: IncomingHttpHeaders): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !VOLATILE.has(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Counts the requests the lean route answers (wraps its handle; the route itself is unchanged). */
function countLean(h: PkiHarness): { readonly taken: string[] } {
  const module = h.pki.routes.find((m) => m.name === 'ocsp');
  const route = module?.leanRoutes?.[0] as LeanRoute;
  assert.ok(route, 'the ocsp module has a lean route');
  const taken: string[] = [];
  const handle = route.handle.bind(route);
  (route as { handle: LeanRoute['handle'] }).handle = (request, exchange) => {
    taken.push(`${request.method} ${request.url}`);
    return handle(request, exchange);
  };
  return { taken };
}

async function listening(h: PkiHarness): Promise<number> {
  await h.server.listen({ host: '127.0.0.1', port: 0 });
  return (h.server.server.address() as AddressInfo).port;
}

function issuerOf(certificate: Uint8Array): OcspIssuer {
  const info = parseCertificate(certificate);
  return { subjectDer: info.subjectDer, spkiDer: info.spki.der };
}

async function leaf(h: PkiHarness) {
  const ca = h.ca2('cpo-sub2');
  const issued = await h.ca.issueFromCsr({
    caId: ca.id,
    csrDer: makeCsr({ key: csrKey('P-256'), commonName: 'DE*ABC*E1' }),
    role: 'CPO',
  });
  return {
    serial: BigInt(`0x${issued.serial}`),
    issuer: issuerOf(ca.certificate as Uint8Array),
    caCertificate: ca.certificate as Uint8Array,
  };
}

forEachBackend('lean OCSP route', (getDb) => {
  test('the same answers as the Fastify routes, and which requests it takes', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const port = await listening(h);
      const lean = countLean(h);
      const a = await leaf(h);
      const der = Buffer.from(encodeOcspRequest([certIdFor(a.issuer, a.serial, 'sha256')]));
      const der1 = Buffer.from(encodeOcspRequest([certIdFor(a.issuer, a.serial, 'sha1')]));
      const revoked = await leaf(h);
      const unknownIssuer = Buffer.from(
        encodeOcspRequest([
          certIdFor({ subjectDer: Uint8Array.of(0x30, 0x00), spkiDer: a.issuer.spkiDer }, 5n, 'sha256'),
        ]),
      );
      const ocspType = { 'content-type': 'application/ocsp-request' };
      const b64 = der1.toString('base64');
      const cases: { name: string; exchange: Exchange; lean: boolean }[] = [
        {
          name: 'POST DER',
          exchange: { method: 'POST', url: '/ocsp', headers: ocspType, body: der },
          lean: true,
        },
        {
          name: 'POST /ocsp/',
          exchange: { method: 'POST', url: '/ocsp/', headers: ocspType, body: der },
          lean: true,
        },
        { name: 'POST without type', exchange: { method: 'POST', url: '/ocsp', body: der }, lean: true },
        {
          name: 'POST hex (CitrineOS)',
          exchange: {
            method: 'POST',
            url: '/ocsp',
            headers: { 'content-type': 'text/plain' },
            body: Buffer.from(` ${der.toString('hex')}\n`),
          },
          lean: true,
        },
        {
          name: 'POST octet-stream',
          exchange: {
            method: 'POST',
            url: '/ocsp',
            headers: { 'content-type': 'application/octet-stream' },
            body: der,
          },
          lean: true,
        },
        {
          name: 'POST garbage',
          exchange: { method: 'POST', url: '/ocsp', headers: ocspType, body: Buffer.from('garbage') },
          lean: true,
        },
        {
          name: 'POST empty',
          exchange: { method: 'POST', url: '/ocsp', headers: ocspType, body: Buffer.alloc(0) },
          lean: true,
        },
        {
          name: 'POST indefinite length',
          exchange: {
            method: 'POST',
            url: '/ocsp',
            headers: ocspType,
            body: Buffer.from([0x30, 0x80, 0x00, 0x00]),
          },
          lean: true,
        },
        {
          name: 'POST large garbage within the limit',
          exchange: { method: 'POST', url: '/ocsp', headers: ocspType, body: Buffer.alloc(70_000, 0x30) },
          lean: true,
        },
        {
          name: 'POST unknown issuer',
          exchange: { method: 'POST', url: '/ocsp', headers: ocspType, body: unknownIssuer },
          lean: true,
        },
        {
          name: 'POST with a client request id',
          exchange: {
            method: 'POST',
            url: '/ocsp',
            headers: { ...ocspType, 'x-request-id': 'cpo-42' },
            body: der,
          },
          lean: true,
        },
        {
          name: 'GET url-encoded',
          exchange: { method: 'GET', url: `/ocsp/${encodeOcspGetPath(der1)}` },
          lean: true,
        },
        { name: 'GET raw base64', exchange: { method: 'GET', url: `/ocsp/${b64}` }, lean: true },
        {
          name: 'GET base64url',
          exchange: { method: 'GET', url: `/ocsp/${der1.toString('base64url')}` },
          lean: true,
        },
        { name: 'GET garbage', exchange: { method: 'GET', url: '/ocsp/!!!!' }, lean: false },
        { name: 'GET bad escape', exchange: { method: 'GET', url: '/ocsp/%zz' }, lean: false },
        { name: 'GET other escape', exchange: { method: 'GET', url: '/ocsp/%41%42' }, lean: false },
        { name: 'GET double slash', exchange: { method: 'GET', url: `/ocsp//${b64}` }, lean: false },
        { name: 'GET empty', exchange: { method: 'GET', url: '/ocsp/' }, lean: false },
        { name: 'GET with query', exchange: { method: 'GET', url: `/ocsp/${b64}?x=1` }, lean: false },
        { name: 'HEAD', exchange: { method: 'HEAD', url: `/ocsp/${b64}` }, lean: false },
        { name: 'PUT', exchange: { method: 'PUT', url: '/ocsp', headers: ocspType, body: der }, lean: false },
        { name: 'DELETE', exchange: { method: 'DELETE', url: '/ocsp' }, lean: false },
        { name: 'GET /ocsp', exchange: { method: 'GET', url: '/ocsp' }, lean: false },
        {
          name: 'POST query',
          exchange: { method: 'POST', url: '/ocsp?x=1', headers: ocspType, body: der },
          lean: false,
        },
        {
          name: 'POST other path',
          exchange: { method: 'POST', url: '/ocspx', headers: ocspType, body: der },
          lean: false,
        },
        {
          name: 'POST JSON type',
          exchange: {
            method: 'POST',
            url: '/ocsp',
            headers: { 'content-type': 'application/json' },
            body: der,
          },
          lean: false,
        },
        {
          name: 'POST invalid type',
          exchange: { method: 'POST', url: '/ocsp', headers: { 'content-type': 'nonsense' }, body: der },
          lean: false,
        },
        {
          name: 'POST type with parameters',
          exchange: {
            method: 'POST',
            url: '/ocsp',
            headers: { 'content-type': 'application/ocsp-request; charset=binary' },
            body: der,
          },
          lean: false,
        },
        {
          name: 'POST chunked',
          exchange: { method: 'POST', url: '/ocsp', headers: ocspType, body: der, chunked: true },
          lean: false,
        },
      ];
      await h.ca.revoke({
        id: (await h.ca.listCertificates({ leavesOnly: true })).find(
          (c) => BigInt(`0x${c.serial}`) === revoked.serial,
        )?.id as string,
        reason: 'keyCompromise',
      });
      cases.push({
        name: 'POST revoked',
        exchange: {
          method: 'POST',
          url: '/ocsp',
          headers: ocspType,
          body: Buffer.from(encodeOcspRequest([certIdFor(revoked.issuer, revoked.serial, 'sha256')])),
        },
        lean: true,
      });
      for (const { name, exchange, lean: expectLean } of cases) {
        // Fastify first: a successful answer is then in the pre-signed cache, and the lean route
        // must give the same bytes (the clock stands still).
        const viaFastify = await throughFastify(h, exchange);
        const before = lean.taken.length;
        const viaHttp = await overHttp(port, exchange);
        assert.equal(lean.taken.length - before, expectLean ? 1 : 0, `${name}: taken by the lean route`);
        assert.equal(viaHttp.statusCode, viaFastify.statusCode, `${name}: status`);
        assert.deepEqual(
          stableHeaders(viaHttp.headers),
          stableHeaders(viaFastify.headers),
          `${name}: headers`,
        );
        if (exchange.method !== 'HEAD') {
          if (viaFastify.headers['content-type'] === OCSP_CONTENT_TYPE) {
            assert.deepEqual(viaHttp.body, viaFastify.body, `${name}: body`);
          } else {
            // The OPCP error body carries the request id.
            const http = JSON.parse(viaHttp.body.toString()) as { traceId: string };
            const fastify = JSON.parse(viaFastify.body.toString()) as { traceId: string };
            assert.deepEqual({ ...http, traceId: '' }, { ...fastify, traceId: '' }, `${name}: body`);
            assert.match(http.traceId, UUID_V4, name);
          }
        }
        // Errors Fastify raises before routing (a bad escape) answer without the header, both ways.
        assert.equal('x-request-id' in viaHttp.headers, 'x-request-id' in viaFastify.headers, name);
        const id = exchange.headers?.['x-request-id'];
        if (id !== undefined) assert.equal(viaHttp.headers['x-request-id'], id, name);
        else if (expectLean) assert.match(String(viaHttp.headers['x-request-id']), UUID_V4, name);
      }

      // The answers themselves: statuses and signatures as the responder gives them.
      const good = readOcspResponse(
        new Uint8Array((await overHttp(port, cases[0]?.exchange as Exchange)).body),
      );
      assert.equal(ocspStatusName(good.responseStatus), 'successful');
      assert.ok(ocspSignatureValid(good, a.caCertificate));
      assert.equal(good.responses[0]?.certStatus.status, 'good');
      const last = cases.at(-1)?.exchange as Exchange;
      const rev = readOcspResponse(new Uint8Array((await overHttp(port, last)).body));
      assert.equal(rev.responses[0]?.certStatus.status, 'revoked');
    });
  });

  test('nonce requests are signed per request; oversized bodies get 413 before the body is read', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const port = await listening(h);
      const lean = countLean(h);
      const a = await leaf(h);
      const id = certIdFor(a.issuer, a.serial, 'sha256');
      for (const nonce of [Uint8Array.of(1, 2, 3), new Uint8Array(32).fill(7)]) {
        const res = await overHttp(port, {
          method: 'POST',
          url: '/ocsp',
          headers: { 'content-type': 'application/ocsp-request' },
          body: Buffer.from(encodeOcspRequest([id], nonce)),
        });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['cache-control'], 'no-store');
        const ocsp = readOcspResponse(new Uint8Array(res.body));
        assert.deepEqual(ocsp.nonce, nonce);
        assert.ok(ocspSignatureValid(ocsp, a.caCertificate));
      }
      assert.equal(h.pki.ocsp.cachedResponses, 0);

      // Over the limit: Fastify answers from the Content-Length header; the body is never sent.
      const oversized = await new Promise<Answer>((resolve, reject) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/ocsp',
          agent: false,
          headers: { 'content-type': 'application/ocsp-request', 'content-length': OCSP_BODY_LIMIT + 1 },
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
            req.destroy();
          });
        });
        req.on('error', reject);
        req.flushHeaders();
      });
      assert.equal(oversized.statusCode, 413);
      assert.equal(oversized.headers['content-type'], OCSP_CONTENT_TYPE);
      assert.equal(oversized.headers.connection, 'close');
      assert.equal(
        ocspStatusName(readOcspResponse(new Uint8Array(oversized.body)).responseStatus),
        'malformedRequest',
      );
      const atLimit = await overHttp(port, {
        method: 'POST',
        url: '/ocsp',
        headers: { 'content-type': 'application/ocsp-request' },
        body: Buffer.alloc(OCSP_BODY_LIMIT, 0x41),
      });
      assert.equal(atLimit.statusCode, 200);
      assert.equal(
        ocspStatusName(readOcspResponse(new Uint8Array(atLimit.body)).responseStatus),
        'malformedRequest',
      );
      assert.deepEqual(lean.taken, ['POST /ocsp', 'POST /ocsp', 'POST /ocsp']);
    });
  });

  test('metrics count lean requests under the route pattern; failures are logged with the request id', async () => {
    const unavailable = new UnavailableKeyStore('software', 'set PNC_KEY_PASSPHRASE');
    await withPkiHarness(getDb(), { routesKeyStore: { open: () => unavailable.open() } }, async (h) => {
      const port = await listening(h);
      const lean = countLean(h);
      const a = await leaf(h);
      const der = Buffer.from(encodeOcspRequest([certIdFor(a.issuer, a.serial, 'sha256')]));
      const res = await overHttp(port, {
        method: 'POST',
        url: '/ocsp',
        headers: { 'content-type': 'application/ocsp-request' },
        body: der,
      });
      assert.equal(res.statusCode, 200);
      assert.equal(ocspStatusName(readOcspResponse(new Uint8Array(res.body)).responseStatus), 'tryLater');
      await overHttp(port, { method: 'GET', url: `/ocsp/${encodeOcspGetPath(der)}` });
      await overHttp(port, { method: 'POST', url: '/ocsp', body: Buffer.from('garbage') });
      assert.equal(lean.taken.length, 3);

      const records = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
      const failed = records.filter((r) => r.msg === 'OCSP request failed');
      assert.equal(failed.length, 2, 'tryLater is logged at error level for POST and GET');
      assert.equal(failed[0]?.level, 'error');
      assert.equal(failed[0]?.traceId, res.headers['x-request-id']);
      assert.equal(failed[0]?.ocspStatus, 'tryLater');
      assert.equal(failed[0]?.service, 'pnc');
      // The route logs at warn and above (as the Fastify routes): refusals (info) are not written.
      assert.equal(records.filter((r) => r.msg === 'OCSP request refused').length, 0);
      assert.ok(!h.logs.join('').includes(der.toString('base64')), 'no request bytes in the log');

      const metrics = await h.inject({ method: 'GET', url: '/metrics' });
      assert.match(
        metrics.body,
        /^http_request_duration_seconds_count\{method="POST",route="\/ocsp",status_code="200"\} 2$/m,
      );
      assert.match(
        metrics.body,
        /^http_request_duration_seconds_count\{method="GET",route="\/ocsp\/\*",status_code="200"\} 1$/m,
      );
    });
  });

  test('an upload aborted by the client is logged as a failed request; the server goes on', async () => {
    await withPkiHarness(getDb(), {}, async (h) => {
      const port = await listening(h);
      const lean = countLean(h);
      await new Promise<void>((resolve) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/ocsp',
          agent: false,
          headers: { 'content-type': 'application/ocsp-request', 'content-length': 100 },
        });
        req.on('error', () => resolve());
        req.write(Buffer.alloc(10, 0x30), () => setTimeout(() => req.destroy(), 50));
        req.on('close', () => resolve());
      });
      // The server notices the closed connection on its next turn.
      for (let i = 0; i < 100 && !h.logs.some((l) => l.includes('OCSP request failed')); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const failed = h.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((r) => r.msg === 'OCSP request failed');
      assert.equal(failed?.ocspStatus, 'internalError');
      assert.equal(failed?.level, 'error');
      assert.deepEqual(lean.taken, ['POST /ocsp']);
      const a = await leaf(h);
      const res = await overHttp(port, {
        method: 'POST',
        url: '/ocsp',
        body: Buffer.from(encodeOcspRequest([certIdFor(a.issuer, a.serial, 'sha256')])),
      });
      assert.equal(ocspStatusName(readOcspResponse(new Uint8Array(res.body)).responseStatus), 'successful');
    });
  });
});

test('a responder that throws: OCSP internalError with HTTP 500 on both paths, logged', async () => {
  // OcspResponderService.answer never throws by contract; this one does, to reach the error mapping.
  const logs: string[] = [];
  const server = await buildHttpServer({
    config: { bodyLimit: 1024 * 1024, trustProxy: false, requestTimeoutMs: 30_000 },
    logger: createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } }),
    metrics: createMetrics(),
    routes: [
      ocspRoutes({
        responder: {
          answer: async () => {
            throw new Error('responder broke');
          },
        },
        clock: { now: () => new Date('2026-03-01T00:00:00Z') },
      }),
    ],
    random: (n) => new Uint8Array(n).fill(0x11),
  });
  try {
    await server.listen({ host: '127.0.0.1', port: 0 });
    const port = (server.server.address() as AddressInfo).port;
    for (const exchange of [
      {
        method: 'POST',
        url: '/ocsp',
        headers: { 'content-type': 'application/ocsp-request' },
        body: Buffer.from('x'),
      },
      { method: 'GET', url: '/ocsp/MAA=' },
    ] as Exchange[]) {
      const viaHttp = await overHttp(port, exchange);
      const viaFastify = await injected(server, exchange);
      assert.equal(viaHttp.statusCode, 500);
      assert.equal(viaFastify.statusCode, 500);
      assert.deepEqual(stableHeaders(viaHttp.headers), stableHeaders(viaFastify.headers));
      assert.deepEqual(viaHttp.body, viaFastify.body);
      assert.equal(
        ocspStatusName(readOcspResponse(new Uint8Array(viaHttp.body)).responseStatus),
        'internalError',
      );
    }
    const failed = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((r) => r.msg === 'OCSP request failed');
    assert.equal(failed.length, 4);
    assert.ok(failed.every((r) => r.level === 'error' && r.ocspStatus === 'internalError'));
    assert.ok(
      failed.every((r) => (r.err as { message?: string } | undefined)?.message === 'responder broke'),
    );
  } finally {
    await server.close();
  }
});

async function injected(
  server: Awaited<ReturnType<typeof buildHttpServer>>,
  exchange: Exchange,
): Promise<Answer> {
  const res = await server.inject({
    method: exchange.method as 'GET',
    url: exchange.url,
    headers: { ...exchange.headers },
    ...(exchange.body === undefined ? {} : { payload: exchange.body }),
  });
  return { statusCode: res.statusCode, headers: res.headers as IncomingHttpHeaders, body: res.rawPayload };
}
