// GET /openapi.json on the real composition root (createApp): a structurally valid OpenAPI 3.0
// document with every route the server registered, security on exactly the protected routes, info
// from package.json, servers from PNC_PUBLIC_URL, and a document Prism loads and mocks.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type App, createApp } from '../app/create-app.ts';
import { cryptoRandom } from '../app/runtime.ts';
import { loadConfig } from '../config/load-config.ts';
import { openApiStructureProblems } from '../testing/openapi-structure.ts';
import { startPrism } from '../testing/prism.ts';
import { OPENAPI_PATH, openApiPath, routeInventory } from './openapi.ts';

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, { security?: unknown[]; tags?: string[]; description?: string }>>;
  components: { securitySchemes: Record<string, unknown> };
};

const PUBLIC_URL = 'https://pnc.example.test/base';

describe('OpenAPI document (GET /openapi.json)', () => {
  let dir: string;
  let app: App;
  let url: string;
  let doc: Doc;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pnc-openapi-'));
    const config = loadConfig({
      env: {
        PNC_DATA_DIR: dir,
        PNC_PORT: '0',
        PNC_LOG_LEVEL: 'silent',
        PNC_KEY_PASSPHRASE: 'openapi test passphrase',
        PNC_PUBLIC_URL: PUBLIC_URL,
      },
    });
    app = await createApp({
      config,
      clock: { now: () => new Date('2027-03-01T10:00:00Z') },
      random: cryptoRandom,
      logDestination: { write: () => undefined },
    });
    url = await app.listen();
    const res = await fetch(`${url}${OPENAPI_PATH}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    doc = (await res.json()) as Doc;
  });
  after(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('is public, OpenAPI 3.0, with info from package.json and servers from PNC_PUBLIC_URL', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.match(doc.openapi, /^3\.0\.\d+$/);
    assert.equal(doc.info.title, 'pnc');
    assert.equal(doc.info.version, manifest.version);
    assert.deepEqual(doc.servers, [{ url: PUBLIC_URL }]);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['apiKey', 'bearerAuth']);
  });

  test('is structurally valid (paths, parameters, responses, security, $refs, tags)', () => {
    assert.deepEqual(openApiStructureProblems(doc), []);
  });

  test('the structure check finds broken documents (it can fail)', () => {
    const broken = structuredClone(doc) as unknown as Record<string, unknown>;
    const paths = broken.paths as Record<string, Record<string, Record<string, unknown>>>;
    const first = Object.values(paths)[0] as Record<string, Record<string, unknown>>;
    const op = Object.values(first)[0] as Record<string, unknown>;
    op.responses = {};
    op.security = [{ nowhere: [] }];
    paths['/x/{id}'] = { get: { tags: ['t'], responses: { 200: { description: 'ok' } } } };
    const problems = openApiStructureProblems(broken);
    assert.ok(problems.some((p) => p.includes('no responses')));
    assert.ok(problems.some((p) => p.includes('security scheme nowhere undefined')));
    assert.ok(problems.some((p) => p.includes('{id} has no path parameter')));
  });

  test('every route the server registered is in the document, with security exactly on the protected ones', () => {
    const inventory = routeInventory(app.server);
    assert.ok(inventory.length > 10, `only ${inventory.length} routes`);
    const missing: string[] = [];
    for (const route of inventory) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      if (op === undefined) {
        missing.push(`${route.method} ${route.url}`);
        continue;
      }
      assert.deepEqual(op.tags, route.tags, `${route.method} ${route.url}: tag`);
      assert.ok(route.tags.length > 0);
      if (route.roles === undefined) assert.equal(op.security, undefined, `${route.method} ${route.url}`);
      else {
        assert.deepEqual(op.security, [{ bearerAuth: [] }, { apiKey: [] }], `${route.method} ${route.url}`);
        assert.match(op.description ?? '', new RegExp(`Roles: ${route.roles.join(', ')}\\.`));
      }
    }
    assert.deepEqual(missing, []);
    // And nothing in the document that the server does not serve.
    const served = new Set(inventory.map((r) => `${r.method.toLowerCase()} ${r.path}`));
    for (const [path, item] of Object.entries(doc.paths))
      for (const method of Object.keys(item)) assert.ok(served.has(`${method} ${path}`), `${method} ${path}`);
    const withoutResponseSchema = inventory
      .filter((r) => !r.hasResponseSchema)
      .map((r) => `${r.method} ${r.url}`);
    // Reported, not failed: docs/openapi.md lists them (the route modules own their schemas).
    console.log(
      `routes without a response schema (${withoutResponseSchema.length}):\n  ${withoutResponseSchema.join('\n  ')}`,
    );
  });

  test('openApiPath: Fastify patterns as OpenAPI templates', () => {
    assert.equal(
      openApiPath('/v1/ccp/signedContractData/:pcid/:emaid/default'),
      '/v1/ccp/signedContractData/{pcid}/{emaid}/default',
    );
    assert.equal(openApiPath('/est/*'), '/est/{wildcard}');
  });

  test('Prism loads the document and mocks it (an independent OpenAPI parser)', async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc));
    const prism = await startPrism({ mode: 'mock', spec: file });
    try {
      const res = await fetch(`${prism.url}${OPENAPI_PATH}`);
      assert.equal(res.status, 200, prism.output());
      assert.equal(res.headers.get('sl-violations'), null);
    } finally {
      await prism.close();
    }
  });
});
